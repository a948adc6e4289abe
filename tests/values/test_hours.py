"""Opening hours from the corpus (supportgraph.values.hours)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supportgraph.errors import ExtractError
from supportgraph.values import (
    DAYS,
    END_OF_DAY,
    OpeningHours,
    find_clock_times,
    is_public_holiday_closure,
    language_tag,
    parse_days,
    parse_hours,
    parse_hours_with_exceptions,
    parse_language_hours,
    parse_time,
    restate_times,
    split_hours_sentence,
    split_language_line,
)

SUPPORT = Path(__file__).parents[2] / "corpus" / "en-US" / "microsoft-365" / "admin" / "support"
WEEKDAYS = DAYS[:5]
TUE_SAT = DAYS[1:6]
MON_SAT = DAYS[:6]
SUN_THU = (*DAYS[:4], "Sunday")
SUN_FRI = (*DAYS[:5], "Sunday")


def spec(days, opens, closes, zone=None, closed=False):
    return OpeningHours(days, opens, closes, zone, closed)


@pytest.mark.parametrize(
    ("text", "closing", "expected"),
    [
        ("9 AM", False, time(9)),
        ("8AM", False, time(8)),
        ("5 PM", False, time(17)),
        ("12 PM", False, time(12)),
        ("12 AM", False, time(0)),
        ("12 AM", True, END_OF_DAY),
        ("noon", False, time(12)),
        ("midnight", False, time(0)),
        ("midnight", True, END_OF_DAY),
        ("9:00", False, time(9)),
        ("17.30", False, time(17, 30)),
        ("9", False, time(9)),
        ("24:00", True, END_OF_DAY),
        ("9 a.m.", False, time(9)),
    ],
)
def test_parse_time(text, closing, expected):
    assert parse_time(text, closing=closing) == expected


@pytest.mark.parametrize("text", ["24:00", "13 PM", "25:00", "9:75", "nine", ""])
def test_parse_time_rejects(text):
    with pytest.raises(ExtractError, match="expected"):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("Mon-Fri 9 AM-5 PM", None, (spec(WEEKDAYS, time(9), time(17)),)),
        ("Sun-Thu 10 AM-6 PM", None, (spec(SUN_THU, time(10), time(18)),)),
        ("Mon-Fri 8AM-4 PM", None, (spec(WEEKDAYS, time(8), time(16)),)),
        ("Mon-Fri 4 AM-noon", None, (spec(WEEKDAYS, time(4), time(12)),)),
        ("Mon-Fri noon-8 PM", None, (spec(WEEKDAYS, time(12), time(20)),)),
        ("Mon-Fri 4 AM-12 PM", None, (spec(WEEKDAYS, time(4), time(12)),)),
        ("Mon-Fri 11 AM-midnight", None, (spec(WEEKDAYS, time(11), END_OF_DAY),)),
        ("Mon-Fri 9:00-17:00", None, (spec(WEEKDAYS, time(9), time(17)),)),
        ("Mon-Fri 9-5 Berlin", None, (spec(WEEKDAYS, time(9), time(17), "Europe/Berlin"),)),
        ("Mon-Fri 9-5 Berlin(UTC+1)", None, (spec(WEEKDAYS, time(9), time(17), "Europe/Berlin"),)),
        (
            "Mon-Fri 9-5 Berlin (UTC +1)",
            None,
            (spec(WEEKDAYS, time(9), time(17), "Europe/Berlin"),),
        ),
        ("Mon-Fri 10 AM-7 PM Moscow", None, (spec(WEEKDAYS, time(10), time(19), "Europe/Moscow"),)),
        ("Mon-Fri 9 AM-5 PM London", None, (spec(WEEKDAYS, time(9), time(17), "Europe/London"),)),
        ("Mon-Fri 9 AM-5 PM ET", "CA", (spec(WEEKDAYS, time(9), time(17), "America/Toronto"),)),
        ("Mon-Fri 9 AM-5 PM ET", None, (spec(WEEKDAYS, time(9), time(17), "America/New_York"),)),
        ("Mon-Fri 9 AM-5 PM Local", "CA", (spec(WEEKDAYS, time(9), time(17)),)),
        ("24 hours a day, 7 days a week", None, (spec(DAYS, time(0), END_OF_DAY),)),
        ("24\\*7 continuous service", None, (spec(DAYS, time(0), END_OF_DAY),)),
        ("24*7 continuous service", None, (spec(DAYS, time(0), END_OF_DAY),)),
        (
            "9:00 ~24:00 (Beijing Time) a day, 365 days.",
            None,
            (spec(DAYS, time(9), END_OF_DAY, "Asia/Shanghai"),),
        ),
        ("from 9:00-17:30 on weekdays", None, (spec(WEEKDAYS, time(9), time(17, 30)),)),
        (
            "Mon-Fri 9 AM-5 PM (Closed on weekends and public holidays)",
            None,
            (spec(WEEKDAYS, time(9), time(17), closed=True),),
        ),
        # Times without days (guinea-bissau.md): days are not stated, not guessed.
        ("8 AM-9 PM", None, (spec((), time(8), time(21)),)),
        # Across midnight: evening on the stated days, morning on the next ones.
        (
            "Mon-Fri 9 PM-5 AM",
            None,
            (spec(WEEKDAYS, time(21), END_OF_DAY), spec(TUE_SAT, time(0), time(5))),
        ),
        (
            "Sun-Fri 8 PM-4 AM",
            None,
            (spec(SUN_FRI, time(20), END_OF_DAY), spec(MON_SAT, time(0), time(4))),
        ),
        (
            "Mon-Fri 8 AM-4 AM",
            None,
            (spec(WEEKDAYS, time(8), END_OF_DAY), spec(TUE_SAT, time(0), time(4))),
        ),
        (
            "24 hours a day, between Mon noon and Sat noon",
            None,
            (
                spec(("Monday",), time(12), END_OF_DAY),
                spec(DAYS[1:5], time(0), END_OF_DAY),
                spec(("Saturday",), time(0), time(12)),
            ),
        ),
        # A corpus line that is probably a typo for 8 PM, read as written.
        ("Mon-Fri 7 AM-8 AM", None, (spec(WEEKDAYS, time(7), time(8)),)),
    ],
)
def test_parse_hours(text, region, expected):
    assert parse_hours(text, region) == expected


def test_parse_hours_with_exceptions():
    text = "9 AM-5 PM (9 AM-6 PM in Australia), Monday-Friday."
    assert parse_hours_with_exceptions(text) == (
        (spec(WEEKDAYS, time(9), time(17)),),
        {"Australia": (spec(WEEKDAYS, time(9), time(18)),)},
    )
    with pytest.raises(ExtractError, match="Australia"):
        parse_hours(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Not available by phone", "unexpected 'Not available by phone'"),
        ("Monday through Friday", "use parse_days()"),
        ("Mon-Fri 9 AM-5 PM, Sat 10 AM-2 PM", "several time ranges"),
        ("Mon-Fri 9 AM-5 PM except holidays", "unexpected 'except holidays'"),
        ("Mon-Fri 9-5 PM", "AM/PM on one side only"),
        ("Mon-Fri 9-5 Atlantis", "unexpected 'Atlantis'"),
        ("Mon-Fri 9 AM-9 AM", "expected a range"),
        ("Mon-Fri 9-5 Berlin (UTC+5)", "which that zone never has"),
        ("Telephone technical support is available from 9:00-17:30 on weekdays.", "unexpected"),
        ("24 hours a day, between Mon noon and Sat noon, Mon-Fri 9 AM-5 PM", "mix 'between"),
    ],
)
def test_parse_hours_rejects(text, message):
    with pytest.raises(ExtractError, match=re.escape(message)):
        parse_hours(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday through Friday", WEEKDAYS),
        ("You can call during local business hours, Monday through Friday.", WEEKDAYS),
        ("during China business hours (Beijing Time), Monday through Friday", WEEKDAYS),
        ("Monday-Friday", WEEKDAYS),
        ("Sun-Thu", SUN_THU),
        ("on weekdays", WEEKDAYS),
        ("365 days", DAYS),
    ],
)
def test_parse_days(text, expected):
    assert parse_days(text) == expected


def test_parse_days_rejects():
    with pytest.raises(ExtractError, match="names no days"):
        parse_days("during local business hours")


@pytest.mark.parametrize(
    ("sentence", "lead", "hours"),
    [
        (
            "Billing support is provided in English from 9 AM-5 PM (9 AM-6 PM in Australia), "
            "Monday-Friday.",
            "Billing support is provided in English",
            "9 AM-5 PM (9 AM-6 PM in Australia), Monday-Friday.",
        ),
        (
            "Technical support is provided in English 24 hours a day, 7 days a week.",
            "Technical support is provided in English",
            "24 hours a day, 7 days a week.",
        ),
        (
            "Telephone technical support is available from 9:00-17:30 on weekdays.",
            "Telephone technical support is available",
            "9:00-17:30 on weekdays.",
        ),
        (
            "For high severity issues, technical support is available 24 hours a day, 7 days "
            "a week.",
            "For high severity issues, technical support is available",
            "24 hours a day, 7 days a week.",
        ),
        (
            "You can call during local business hours, Monday through Friday.",
            "You can call during local business hours",
            "Monday through Friday.",
        ),
        ("Severity A: 24\\*7 continuous service", "Severity A:", "24*7 continuous service"),
    ],
)
def test_split_hours_sentence(sentence, lead, hours):
    assert split_hours_sentence(sentence) == (lead, hours)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(Closed on weekends and public holidays)", True),
        ("Closed on weekends and public holidays.", True),
        ("Local call charges apply", False),
        ("(Chiuso nei fine settimana e nei giorni festivi)", False),  # English source only
    ],
)
def test_is_public_holiday_closure(text, expected):
    assert is_public_holiday_closure(text) is expected


@pytest.mark.parametrize(
    ("localized", "expected"),
    [
        ("Engelska: mån-fre 09.00-17.00", (time(9), time(17))),
        ("Kinesiska (mandarin): Mon-Fri 9:00–18:00", (time(9), time(18))),
        ("Tyska: Mon-Fri 08:00–19:00", (time(8), time(19))),
        ("Cinese (mandarino): Mon-Fri dalle 9.00 alle 18.00", (time(9), time(18))),
        ("Italienska: Mon-Fri 9–17", (time(9), time(17))),
        ("Teknisk support via telefon är tillgänglig kl. 9.00–17.30", (time(9), time(17, 30))),
        ("Severity B/C: 9:00 ~24:00 (Beijing Time)", (time(9), END_OF_DAY)),
        ("Engelska: 24 timmar om dygnet, 7 dagar i veckan", ()),
        ("Mon-Fri 9-5 Berlin", ()),  # English 12-hour shorthand is not language-neutral
        ("Alternativt telefonnummer: 08 5176 1966", ()),
        ("(86) 400-089-0365", ()),
    ],
)
def test_find_clock_times(localized, expected):
    assert find_clock_times(localized) == expected


@pytest.mark.parametrize(
    ("line", "languages", "qualifier", "hours"),
    [
        ("German: Mon-Fri 9 AM-5 PM", ("German",), None, "Mon-Fri 9 AM-5 PM"),
        (
            "Chinese (Mandarin): Mon-Fri 9 AM-6 PM",
            ("Chinese (Mandarin)",),
            None,
            "Mon-Fri 9 AM-6 PM",
        ),
        (
            "Chinese and English: Mon-Fri 9 AM-6 PM",
            ("Chinese", "English"),
            None,
            "Mon-Fri 9 AM-6 PM",
        ),
        (
            "Chinese and English phone support: Mon-Fri 9 AM-9 PM",
            ("Chinese", "English"),
            "phone support",
            "Mon-Fri 9 AM-9 PM",
        ),
        (
            "Chinese and English online support (through the admin center): 24 hours a day, 7 "
            "days a week",
            ("Chinese", "English"),
            "online support (through the admin center)",
            "24 hours a day, 7 days a week",
        ),
        ("Japanese: Mon-Fri 9:00-17:00", ("Japanese",), None, "Mon-Fri 9:00-17:00"),
        ("Bahasa Indonesia: Mon-Fri 8 AM-5 PM", ("Bahasa Indonesia",), None, "Mon-Fri 8 AM-5 PM"),
        ("French Mon-Fri 6 AM-noon", ("French",), None, "Mon-Fri 6 AM-noon"),  # martinique.md
    ],
)
def test_split_language_line(line, languages, qualifier, hours):
    assert parse_language_hours(line) == (languages, hours)
    parsed = split_language_line(line)
    assert (parsed.languages, parsed.qualifier, parsed.hours) == (languages, qualifier, hours)


@pytest.mark.parametrize(
    "line", ["Alternative Phone Number: 069 380 789 508", "Not available by phone", "English:"]
)
def test_split_language_line_rejects(line):
    with pytest.raises(ExtractError, match="expected"):
        split_language_line(line)


@given(start=st.integers(0, 23), end=st.integers(0, 23))
def test_every_24_hour_range_keeps_opens_before_closes(start, end):
    text = f"Mon-Fri {start}:00-{end}:00"
    if start == end and end != 0:
        with pytest.raises(ExtractError, match="expected a range"):
            parse_hours(text)
        return
    specs = parse_hours(text)
    assert all(s.opens < s.closes for s in specs)
    assert specs[0].days == WEEKDAYS and specs[0].opens == time(start)
    if end == 0:  # closing at 0:00 is the end of the day, not a split
        assert specs == (spec(WEEKDAYS, time(start), END_OF_DAY),)
    elif start < end:
        assert specs == (spec(WEEKDAYS, time(start), time(end)),)
    else:
        assert specs == (
            spec(WEEKDAYS, time(start), END_OF_DAY),
            spec(TUE_SAT, time(0), time(end)),
        )


SKIPPED = (
    "Alternative Phone Number",
    "Local call charges apply",
    "International call charges apply",
    "Local toll-free",
    "(Cellular toll-free)",
    "Billing Support:",
    "Technical Support:",
    "Not available by phone",
)


def _hours_lines():
    """(page, line) for every line of every "## Hours" section in the English pages."""
    for page in sorted(SUPPORT.glob("*.md")):
        section = None
        for line in page.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("## "):
                section = line
            elif (
                section == "## Hours"
                and line
                and not line.startswith(("#", "**", *SKIPPED))
                and not re.match(r"[+\d]", line)
            ):
                yield page.stem, line


# The survey: every hours text shape in the 246 English pages, digits as N.
SHAPES = {
    "Mon-Fri N AM-N PM": 336,
    "N hours a day, N days a week": 249,
    "Sun-Thu N AM-N PM": 40,
    "Mon-Fri N AM-N PM Moscow": 24,
    "Mon-Fri N AM-N PM London": 12,
    "Mon-Fri N PM-N PM": 9,
    "Mon-Fri N AM-noon": 8,
    "Mon-Fri N PM-N AM": 7,
    "Mon-Fri N AM-N AM": 5,
    "Sun-Fri N PM-N AM": 4,
    "closure note": 2,
    "Mon-Fri NAM-N PM": 2,
    "Mon-Fri N AM-N PM Local": 2,
    "Mon-Fri N AM-N PM ET": 2,
    "Mon-Fri N:N-N:N": 2,
    "Mon-Fri noon-N PM": 2,
    "sentence": 2,
    "N AM-N PM": 1,
    "Mon-Fri N AM-midnight": 1,
    "N hours a day, between Mon noon and Sat noon": 1,
}


def test_every_hours_line_of_every_country_page():
    shapes = Counter()
    for page, line in _hours_lines():
        region = "CA" if page == "canada" else None
        if is_public_holiday_closure(line):
            shapes["closure note"] += 1
            continue
        if line.startswith("Telephone technical support"):  # japan.md: two sentences
            for sentence in re.split(r"(?<=\.) ", line):
                specs = parse_hours(split_hours_sentence(sentence)[1])
                assert all(s.opens < s.closes for s in specs)
                shapes["sentence"] += 1
            continue
        languages, hours = parse_language_hours(line)
        assert all(language_tag(name) for name in languages), (page, line)
        specs = parse_hours(hours, region)
        assert specs, (page, line)
        for s in specs:
            assert s.opens < s.closes, (page, line)
            assert list(s.days) == sorted(s.days, key=DAYS.index), (page, line)
        shapes[re.sub(r"\d+", "N", hours)] += 1
    assert shapes == SHAPES


@pytest.mark.parametrize(
    ("text", "opens", "closes", "expected"),
    [
        # sv-SE germany.md "Tyska: Mon-Fri 08:00–19:00" for "German: Mon-Fri 8 AM-9 PM".
        ("Mon-Fri 8 AM-9 PM", time(8), time(19), "Mon-Fri 08:00-19:00"),
        ("Mon-Fri 9 AM-5 PM ET", time(9), time(17), "Mon-Fri 09:00-17:00 ET"),
        ("Mon-Fri 11 AM-midnight", time(11), END_OF_DAY, "Mon-Fri 11:00-24:00"),
    ],
)
def test_restate_times_keeps_days_and_zone(text, opens, closes, expected):
    assert restate_times(text, opens, closes) == expected
    assert parse_hours(expected, "CA")[0].opens == opens


def test_restate_times_needs_one_time_range():
    with pytest.raises(ExtractError, match="expected one"):
        restate_times("24 hours a day, 7 days a week", time(8), time(19))
