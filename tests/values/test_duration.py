"""Response targets from the 21Vianet severity table (supportgraph.values.duration)."""

from __future__ import annotations

import re

import pytest

from supportgraph.errors import ExtractError
from supportgraph.values import ResponseTarget, parse_follow_up, parse_response_target

SEV_A = "Initial Response: 1 hour or less; Follow up: continues effort until problem resolution."


@pytest.mark.parametrize(
    ("text", "iso_duration", "business_days"),
    [
        (SEV_A, "PT1H", None),
        ("Initial Response: 1 business day or less.", None, 1),
        ("Initial Response: 3 business day or less.", None, 3),
        ("1 business day or less", None, 1),
        ("3 business day or less", None, 3),
        ("1 hour or less", "PT1H", None),
        ("2 hours", "PT2H", None),
        ("30 minutes", "PT30M", None),
        ("within 4 hours", "PT4H", None),
        ("1 day", "P1D", None),
        ("2 working days", None, 2),
    ],
)
def test_parse_response_target(text, iso_duration, business_days):
    assert parse_response_target(text) == ResponseTarget(iso_duration, business_days)


@pytest.mark.parametrize(
    "text",
    [
        "Follow up: continues effort until problem resolution.",
        "one hour or less",
        "1 hour or less, 2 hours on weekends",
        "continues effort until problem resolution",
        "",
    ],
)
def test_parse_response_target_rejects(text):
    with pytest.raises(ExtractError, match=re.escape("expected e.g. '1 hour or less'")):
        parse_response_target(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SEV_A, "continues effort until problem resolution"),
        ("Initial Response: 1 business day or less.", None),
        ("Follow-up: daily updates", "daily updates"),
    ],
)
def test_parse_follow_up(text, expected):
    assert parse_follow_up(text) == expected


def test_parse_follow_up_rejects_an_empty_clause():
    with pytest.raises(ExtractError, match="empty 'Follow up:' clause"):
        parse_follow_up("Initial Response: 1 hour or less; Follow up: .")
