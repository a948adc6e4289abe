"""Response targets ("Initial Response: 1 hour or less; Follow up: ...") → durations.

Reads the English source text. Calendar durations become ISO 8601 durations
("PT1H"); business days cannot be one (they skip weekends and holidays), so
they are kept as a count, matching ``sg:initialResponseBusinessDays``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from supportgraph.errors import ExtractError

__all__ = ["ResponseTarget", "parse_follow_up", "parse_response_target"]

_LABEL = re.compile(r"^\s*initial\s+response(?:\s+time)?\s*:\s*", re.IGNORECASE)
_FOLLOW_UP = re.compile(r"\bfollow[\s-]*up\s*:\s*(?P<text>[^;]*)", re.IGNORECASE)
_AMOUNT = re.compile(
    r"(?:(?:within|in)\s+)?(?P<number>\d+)\s*"
    r"(?P<unit>business\s+days?|working\s+days?|minutes?|mins?|hours?|hrs?|days?)"
    r"(?:\s+or\s+less)?",
    re.IGNORECASE,
)
# ISO 8601 designators; time units sit after "T".
_UNITS = {"minute": "M", "min": "M", "hour": "H", "hr": "H", "day": "D"}


@dataclass(frozen=True)
class ResponseTarget:
    """A response-time target: exactly one of the two fields is set.

    ``iso_duration`` is an ISO 8601 duration ("PT1H", "PT30M", "P1D");
    ``business_days`` a count of business days ("1 business day or less" → 1).
    """

    iso_duration: str | None
    business_days: int | None


def _first_clause(text: str) -> str:
    """The target itself: the text before ";" (the follow-up clause) and the final "."."""
    return _LABEL.sub("", text.split(";", 1)[0]).strip().rstrip(".").strip()


def parse_response_target(text: str) -> ResponseTarget:
    """Parse "1 hour or less", "3 business day or less", "2 hours", "30 minutes".

    An "Initial Response:" label and a "; Follow up: ..." clause are allowed
    around it (see parse_follow_up). Anything else raises ExtractError.
    """
    clause = _first_clause(text)
    match = _AMOUNT.fullmatch(clause)
    if match is None:
        raise ExtractError(
            f"cannot read a response target from {text!r}; expected e.g. '1 hour or less', "
            "'3 business day or less' or '30 minutes'"
        )
    number = int(match["number"])
    unit = " ".join(match["unit"].casefold().split())
    if unit.startswith(("business", "working")):
        return ResponseTarget(iso_duration=None, business_days=number)
    designator = _UNITS[unit.rstrip("s")]
    prefix = "P" if designator == "D" else "PT"
    return ResponseTarget(iso_duration=f"{prefix}{number}{designator}", business_days=None)


def parse_follow_up(text: str) -> str | None:
    """The "Follow up: ..." clause of a response cell, without its label and final ".".

    "Initial Response: 1 hour or less; Follow up: continues effort until problem
    resolution." → "continues effort until problem resolution"; None when the
    text has no follow-up clause.
    """
    match = _FOLLOW_UP.search(text)
    if match is None:
        return None
    clause = match["text"].strip().rstrip(".").strip()
    if not clause:
        raise ExtractError(f"empty 'Follow up:' clause in {text!r}; expected text after it")
    return clause
