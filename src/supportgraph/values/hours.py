"""Opening hours in the docs' English source text → schema.org-shaped specs.

Every shape of the 246 country pages and the main page is read (the survey is
tests/values/test_hours.py): "Mon-Fri 9 AM-5 PM", "Sun-Thu 10 AM-6 PM", "4 AM-noon",
"Mon-Fri 9-5 Berlin(UTC+1)", "9:00 ~24:00 (Beijing Time) a day, 365 days.", "24*7
continuous service", "24 hours a day, between Mon noon and Sat noon", "Mon-Fri 9 PM-5
AM", "9 AM-5 PM (9 AM-6 PM in Australia), Monday-Friday", "(Closed on weekends ...)".

Conventions: ``opens < closes`` in every spec. End of day ("24:00", closing
"midnight", "24 hours a day") is END_OF_DAY = 23:59:59, the last second ``xsd:time``
can state. A range across midnight becomes two specs: the evening on the stated days,
the morning on the following days. ``days == ()``: the text gives times but no days
("Portuguese: 8 AM-9 PM"); days without times ("Monday through Friday") are read with
parse_days(). Bare hours are 24-hour ("9-17"), except the office shorthand "9-5" (end
not after start) = 09:00-17:00. The parsers never set ``note`` (a slot for extract).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from supportgraph.errors import ExtractError
from supportgraph.values.language import split_language_line
from supportgraph.values.timezone import time_zone_from_text

__all__ = [
    "DAYS",
    "END_OF_DAY",
    "OpeningHours",
    "find_clock_times",
    "is_public_holiday_closure",
    "parse_days",
    "parse_hours",
    "parse_hours_with_exceptions",
    "parse_language_hours",
    "parse_time",
    "restate_times",
    "split_hours_sentence",
]

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
END_OF_DAY = time(23, 59, 59)
_I = re.IGNORECASE
_DAY = (
    r"(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?"
    r"|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)\.?"
)
_TIME = r"(?:noon|midnight|\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]\.?\s?m\b\.?)?)"
_RANGE = rf"(?P<start>{_TIME})\s*(?:-|to|until)\s*(?P<end>{_TIME})"
_CLOSURE = re.compile(
    r"\(?\s*closed\s+on\s+(?:weekends\s*(?:,|and)\s*)?(?:public|national|bank)\s+holidays\s*\)?", _I
)
_EXCEPTION = re.compile(rf"\(\s*{_RANGE}\s+in\s+(?P<place>[^()]+?)\s*\)", _I)
_BETWEEN = re.compile(
    rf"\bbetween\s+(?P<d1>{_DAY})\s+(?P<t1>{_TIME})\s+and\s+(?P<d2>{_DAY})\s+(?P<t2>{_TIME})", _I
)
_ALL_WEEK_AND_DAY = re.compile(r"(?<!\d)24\s*[*/x]\s*7\b", _I)  # "24*7", "24/7"
_ALL_DAY = re.compile(r"(?<!\d)24\s+hours(?:\s+a\s+day)?|\baround\s+the\s+clock\b", _I)
_ALL_WEEK = re.compile(
    r"\b(?:7|seven)\s+days\s+a\s+week\b|\b365\s+days(?:\s+a\s+year)?|\b(?:daily|every\s+day)\b", _I
)
# A trailing "." may end the sentence, but "17.30" is one time.
_TIME_RANGE = re.compile(rf"(?<![\w:.]){_RANGE}(?![\w:]|\.\d)", _I)
_DAY_RANGE = re.compile(rf"\b(?P<d1>{_DAY})(?:\s*-\s*|\s+(?:through|thru|to)\s+)(?P<d2>{_DAY})", _I)
_SINGLE_DAY = re.compile(rf"\b(?P<d1>{_DAY})(?!\w)", _I)
_WEEKDAYS = re.compile(r"\bweekdays\b", _I)
# English connectives that carry no fact of their own between the constructs.
_FILLER = re.compile(
    r"\b(?:from|on|at|during|and|a\s+day|continuous\s+service|local(?:\s+time)?)\b"
    r"|[,.;]",
    _I,
)
_CONSTRUCTS = (_BETWEEN, _ALL_WEEK_AND_DAY, _ALL_DAY, _ALL_WEEK, _TIME_RANGE, _DAY_RANGE)
_CLOCK = re.compile(r"(?<![\d:.])(\d{1,2})[:.](\d{2})(?![\d:.])")
_BARE_RANGE = re.compile(r"(?<![\d:.#])(\d{1,2})\s*-\s*(\d{1,2})(?![\d:.#])")


@dataclass(frozen=True)
class OpeningHours:
    """One schema.org OpeningHoursSpecification: ``days`` are schema.org day
    names in week order; ``opens < closes``; ``time_zone`` is an IANA name, set
    only when the text names a zone."""

    days: tuple[str, ...]
    opens: time
    closes: time
    time_zone: str | None = None
    closed_on_public_holidays: bool = False
    note: str | None = None


def _normalize(text: str) -> str:
    text = text.replace("\\*", "*")  # Markdown-escaped "24\*7"
    text = re.sub(r"[\u2010-\u2015\u2212~]", "-", text)  # en/em dashes, minus, "~24:00"
    return " ".join(text.split())  # also turns NBSP and other Unicode spaces into " "


def parse_time(text: str, *, closing: bool = False) -> time:
    """Parse "9 AM", "8AM", "5 PM", "noon", "midnight", "9:00", "17.30", "9", "24:00".

    With ``closing`` a time meaning end of day ("24:00", "midnight", "12 AM")
    gives END_OF_DAY; otherwise "24:00" raises ExtractError.
    """
    clean = _normalize(text).casefold().rstrip(".")
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(?:([ap])\.?\s?m\.?)?", clean)
    if clean in ("noon", "midnight"):
        hour, minute, meridiem = (12 if clean == "noon" else 0), 0, None
    elif match:
        hour, minute, meridiem = int(match[1]), int(match[2] or 0), match[3]
    else:
        raise ExtractError(f"cannot read a time from {text!r}; expected e.g. '9 AM' or '17:30'")
    if meridiem:
        if not 1 <= hour <= 12:
            raise ExtractError(f"{text!r} is not a 12-hour time; expected 1-12 before AM/PM")
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if closing and (hour, minute) in ((24, 0), (0, 0)):
        return END_OF_DAY
    if hour > 23 or minute > 59:
        raise ExtractError(f"{text!r} is not a time of day; expected 00:00-23:59")
    return time(hour, minute)


def _range(start: str, end: str) -> tuple[time, time]:
    """Opening and closing time of "9 AM-5 PM", "9:00-17:00", "9-5"."""
    meridiems = {bool(re.search(r"\d\s*[ap]\.?\s?m", side, _I)) for side in (start, end)}
    if len(meridiems) == 2 and (start.isdigit() or end.isdigit()):
        raise ExtractError(f"'{start}-{end}': AM/PM on one side only; expected both or neither")
    opens, closes = parse_time(start), parse_time(end, closing=True)
    if start.isdigit() and end.isdigit() and closes <= opens and closes.hour + 12 > opens.hour:
        closes = time(closes.hour + 12)  # "9-5": English office-hours shorthand
    return opens, closes


def _day(name: str) -> int:
    return [day[:3] for day in DAYS].index(name[:3].title())


def _day_span(first: str, last: str) -> set[int]:
    start = _day(first)
    return {(start + i) % 7 for i in range((_day(last) - start) % 7 + 1)}


def _take(pattern: re.Pattern[str], text: str) -> tuple[list[re.Match[str]], str]:
    """All matches of ``pattern`` and the text with them blanked out."""
    return list(pattern.finditer(text)), pattern.sub(" ", text)


def _days_in(text: str) -> tuple[set[int], str]:
    ranges, text = _take(_DAY_RANGE, text)
    singles, text = _take(_SINGLE_DAY, text)
    weekdays, text = _take(_WEEKDAYS, text)
    days = {_day(m["d1"]) for m in singles} | (set(range(5)) if weekdays else set())
    for match in ranges:
        days |= _day_span(match["d1"], match["d2"])
    return days, text


def _specs(
    days: set[int], opens: time, closes: time, zone: str | None, closed: bool
) -> tuple[OpeningHours, ...]:
    """One spec, or two when the range crosses midnight."""
    if opens == closes:
        raise ExtractError(f"opening and closing time are both {opens}; expected a range")
    names = tuple(DAYS[i] for i in sorted(days))
    if opens < closes:
        return (OpeningHours(names, opens, closes, zone, closed),)
    following = tuple(DAYS[i] for i in sorted((day + 1) % 7 for day in days))
    return (
        OpeningHours(names, opens, END_OF_DAY, zone, closed),
        OpeningHours(following, time(0), closes, zone, closed),
    )


def _between(match: re.Match[str], zone: str | None, closed: bool) -> tuple[OpeningHours, ...]:
    """Specs for "between Mon noon and Sat noon": from noon, whole days, to noon."""
    first, last = _day(match["d1"]), _day(match["d2"])
    if first == last:
        raise ExtractError(f"{match[0]!r} starts and ends on the same day; expected two days")
    middle = {(first + i) % 7 for i in range(1, (last - first) % 7)}
    specs = _specs({first}, parse_time(match["t1"]), END_OF_DAY, zone, closed)
    specs += _specs(middle, time(0), END_OF_DAY, zone, closed) if middle else ()
    return specs + _specs({last}, time(0), parse_time(match["t2"], closing=True), zone, closed)


def parse_hours_with_exceptions(
    text: str, region: str | None = None
) -> tuple[tuple[OpeningHours, ...], dict[str, tuple[OpeningHours, ...]]]:
    """Parse English hours text into specs plus per-place exceptions.

    "9 AM-5 PM (9 AM-6 PM in Australia), Monday-Friday" → (Mon-Fri 09:00-17:00,)
    and {"Australia": (Mon-Fri 09:00-18:00,)}. ``region`` (ISO alpha-2) only
    picks the zone of "ET". Raises ExtractError for any word not accounted for,
    for text without times, and for more than one time range.
    """
    work = _normalize(text)
    closures, work = _take(_CLOSURE, work)
    exceptions, work = _take(_EXCEPTION, work)
    betweens, work = _take(_BETWEEN, work)
    all_week_and_day, work = _take(_ALL_WEEK_AND_DAY, work)
    all_day, work = _take(_ALL_DAY, work)
    all_week, work = _take(_ALL_WEEK, work)
    ranges, work = _take(_TIME_RANGE, work)
    days, work = _days_in(work)
    leftover = " ".join(_FILLER.sub(" ", work).split())
    # What is left must be a zone: "Berlin (UTC +1)", "(Beijing Time)", "ET".
    zone = time_zone_from_text(leftover, region, whole=True) if leftover else None
    if leftover and zone is None:
        raise ExtractError(f"unexpected {leftover!r} in hours {text!r}; expected days/times/zone")
    closed = bool(closures)
    if all_week or all_week_and_day:
        days |= set(range(7))
    if betweens:
        if len(betweens) > 1 or ranges or days or exceptions:
            raise ExtractError(f"hours {text!r} mix 'between ... and ...' with other days/times")
        return _between(betweens[0], zone, closed), {}
    if len(ranges) > 1 or (ranges and (all_day or all_week_and_day)):
        raise ExtractError(f"hours {text!r} state several time ranges; expected one")
    if ranges:
        opens, closes = _range(ranges[0]["start"], ranges[0]["end"])
    elif all_day or all_week_and_day:
        opens, closes = time(0), END_OF_DAY
    else:
        raise ExtractError(f"hours {text!r} state no times; use parse_days() for days only")
    places = {
        m["place"]: _specs(days, *_range(m["start"], m["end"]), None, closed) for m in exceptions
    }
    return _specs(days, opens, closes, zone, closed), places


def parse_hours(text: str, region: str | None = None) -> tuple[OpeningHours, ...]:
    """Parse English hours text (shapes: see the module docstring).

    Raises ExtractError if the text has per-place exceptions (use
    parse_hours_with_exceptions) or cannot be read completely.
    """
    main, places = parse_hours_with_exceptions(text, region)
    if places:
        raise ExtractError(
            f"hours {text!r} have exceptions for {sorted(places)}; use parse_hours_with_exceptions"
        )
    return main


def parse_days(text: str) -> tuple[str, ...]:
    """The days an English text names, in week order ("during local business
    hours, Monday through Friday" → Monday..Friday). Raises ExtractError if none."""
    work = _CLOSURE.sub(" ", _normalize(text))
    days, _ = _days_in(work)
    if _ALL_WEEK.search(work) or _ALL_WEEK_AND_DAY.search(work):
        days |= set(range(7))
    if not days:
        raise ExtractError(f"{text!r} names no days; expected e.g. 'Monday through Friday'")
    return tuple(DAYS[i] for i in sorted(days))


def split_hours_sentence(sentence: str) -> tuple[str, str]:
    """Split an English sentence at its first day or time construct.

    "Billing support is provided in English from 9 AM-5 PM (...), Monday-Friday."
    → ("Billing support is provided in English", "9 AM-5 PM (...), Monday-Friday.").
    The lead-in is returned, not dropped: it can carry a condition ("For high
    severity issues, ..."). Text comes back normalized (spaces, dashes).
    """
    work = _normalize(sentence)
    starts = [m.start() for p in (*_CONSTRUCTS, _WEEKDAYS, _SINGLE_DAY) if (m := p.search(work))]
    if not starts:
        raise ExtractError(f"no days or times in {sentence!r}; expected an hours sentence")
    lead = re.sub(r"(?:[\s,]|\b(?:from|during|at|on)\b)*$", "", work[: min(starts)], flags=_I)
    return lead, work[min(starts) :]


def is_public_holiday_closure(text: str) -> bool:
    """True if the text is the note "(Closed on weekends and public holidays)"."""
    return bool(_CLOSURE.fullmatch(_normalize(text).rstrip(".")))


def find_clock_times(text: str) -> tuple[time, ...]:
    """Clock times in any locale's text, in order, read from digits only.

    Reads "09.00-17.00", "9:00–18:00", "dalle 9.00 alle 18.00" and bare 24-hour
    ranges "9–17" (the English shorthand "9-5" is skipped); "24:00" is END_OF_DAY.
    For comparing a translation's times with its English source.
    """
    work = _normalize(text)
    found = [(m.start(), _clock(int(m[1]), int(m[2]))) for m in _CLOCK.finditer(work)]
    for match in _BARE_RANGE.finditer(_CLOCK.sub(lambda m: "#" * len(m[0]), work)):
        start, end = int(match[1]), int(match[2])
        if start < end <= 24:
            found += [(match.start(1), _clock(start, 0)), (match.start(2), _clock(end, 0))]
    return tuple(moment for _, moment in sorted(found, key=lambda item: item[0]))


def restate_times(text: str, opens: time, closes: time) -> str:
    """English hours text with its one time range replaced by other clock times.

    A translation states its own clock times ("Tyska: Mon-Fri 08:00–19:00") for the
    days and zone its English source names ("German: Mon-Fri 8 AM-9 PM"):
    ``restate_times("Mon-Fri 8 AM-9 PM", time(8), time(19))`` → "Mon-Fri 08:00-19:00",
    which parse_hours() reads. END_OF_DAY is written "24:00". Raises ExtractError
    unless the text has exactly one time range.
    """
    work = _normalize(text)
    ranges = list(_TIME_RANGE.finditer(work))
    if len(ranges) != 1:
        raise ExtractError(f"hours {text!r} state {len(ranges)} time ranges; expected one")
    end = "24:00" if closes == END_OF_DAY else f"{closes:%H:%M}"
    match = ranges[0]
    return f"{work[: match.start()]}{opens:%H:%M}-{end}{work[match.end() :]}"


def _clock(hour: int, minute: int) -> time:
    if (hour, minute) == (24, 0):
        return END_OF_DAY
    return parse_time(f"{hour}:{minute:02d}")


def parse_language_hours(line: str) -> tuple[tuple[str, ...], str]:
    """("German",), "Mon-Fri 9 AM-5 PM" from "German: Mon-Fri 9 AM-5 PM".

    "Chinese and English phone support: ..." → ("Chinese", "English"); the
    qualifier ("phone support") is in language.split_language_line().
    """
    parsed = split_language_line(line)
    return parsed.languages, parsed.hours
