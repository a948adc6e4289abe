"""IANA time zones (supportgraph.values.timezone)."""

from __future__ import annotations

import re
from collections import Counter
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from supportgraph.errors import ExtractError
from supportgraph.values import (
    CAPITAL_ZONES,
    country_from_page,
    country_time_zone,
    time_zone_from_text,
)

ADMIN = Path(__file__).parents[2] / "corpus" / "en-US" / "microsoft-365" / "admin"


@pytest.mark.parametrize(
    ("text", "region", "zone"),
    [
        ("Berlin", None, "Europe/Berlin"),
        ("Berlin(UTC+1)", None, "Europe/Berlin"),
        ("Berlin (UTC +1)", None, "Europe/Berlin"),
        ("Moscow", None, "Europe/Moscow"),
        ("London", None, "Europe/London"),
        ("Beijing Time", None, "Asia/Shanghai"),
        ("(Beijing Time)", None, "Asia/Shanghai"),
        ("China business hours (Beijing Time)", None, "Asia/Shanghai"),
        ("ET", None, "America/New_York"),
        ("ET", "CA", "America/Toronto"),
        ("New York", None, "America/New_York"),
        ("(UTC +1)", None, "Etc/GMT-1"),
        ("UTC-5", None, "Etc/GMT+5"),
        ("UTC", None, "Etc/UTC"),
        ("Local", None, None),
        ("Mon-Fri 9 AM-5 PM", None, None),
        ("", None, None),
    ],
)
def test_time_zone_from_text(text, region, zone):
    assert time_zone_from_text(text, region) == zone


def test_whole_only_reads_the_entire_text():
    assert time_zone_from_text("Berlin (UTC +1)", whole=True) == "Europe/Berlin"
    assert time_zone_from_text("support hours (Beijing Time)", whole=True) is None


@pytest.mark.parametrize("text", ["Berlin (UTC+5)", "UTC+5:30"])
def test_time_zone_from_text_rejects(text):
    with pytest.raises(ExtractError, match=re.escape(repr(text))):
        time_zone_from_text(text)


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("SE", "Europe/Stockholm"),
        ("DE", "Europe/Berlin"),
        ("US", "America/New_York"),
        ("CA", "America/Toronto"),
        ("AU", "Australia/Sydney"),
        ("RU", "Europe/Moscow"),
        ("BR", "America/Sao_Paulo"),
        ("CN", "Asia/Shanghai"),
        ("JP", "Asia/Tokyo"),
        ("HK", "Asia/Hong_Kong"),
        ("SH", "Atlantic/St_Helena"),
        ("BQ", "America/Kralendijk"),
        ("SJ", "Arctic/Longyearbyen"),
        ("se", "Europe/Stockholm"),
        ("BV", None),  # Bouvet Island: uninhabited, no zone
        ("HM", None),
        ("AQ", None),  # several zones, no capital
        ("XK", None),
    ],
)
def test_country_time_zone(code, zone):
    assert country_time_zone(code) == zone


def test_capital_zones_cover_exactly_the_multi_zone_countries():
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    counts = Counter(line.split("\t")[0] for line in table.splitlines() if line[:1].isalpha())
    multi_zone = {code for code, count in counts.items() if count > 1}
    assert set(CAPITAL_ZONES) == multi_zone - {"AQ", "UM"}
    for code, zone in CAPITAL_ZONES.items():
        ZoneInfo(zone)
        assert zone in table, code


def test_every_country_page_gets_a_valid_zone_or_a_documented_none():
    dropdown = (ADMIN / "includes" / "country-region-support-dropdown-list.md").read_text()
    without = set()
    for name, slug in re.findall(r"> - \[(.+)\]\(\.\./support/(.+)\.md\)", dropdown):
        code = country_from_page(slug, name).code
        zone = country_time_zone(code) if code else None
        if zone is None:
            without.add(slug)
        else:
            assert ZoneInfo(zone).key == zone
    assert without == {"bouvet-island", "heard-island-and-mcdonald-islands", "kosovo"}
