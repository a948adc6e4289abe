"""Is a line open at an instant? The part of competency question 3 SPARQL cannot do.

SPARQL 1.1 has no time-zone database and no public-holiday calendar, so
``queries/open-now.rq`` selects each line's opening-hours specifications
and this module evaluates them at the instant: in the line's IANA time zone
(zoneinfo), and closed on the public holidays of the country served
(``holidays``) where the hours say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.term import Identifier

from supportgraph.errors import QueryError
from supportgraph.store import QueryResult

__all__ = ["is_open_at", "is_public_holiday", "open_lines"]

OUTPUT = ["contactPoint", "telephone", "availableLanguage", "open", "localTime", "timeZone"]


@lru_cache(maxsize=256)
def _calendar(country: str, year: int) -> holidays.HolidayBase | None:
    try:
        return holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return None


def is_public_holiday(country: str | None, day: date) -> bool:
    """True if ``day`` is a public holiday in the country (ISO alpha-2) per ``holidays``."""
    if not country:
        return False
    calendar = _calendar(country, day.year)
    return calendar is not None and day in calendar


def is_open_at(
    specs: list[Mapping[str, Identifier]], at: datetime, country: str | None
) -> bool | None:
    """Evaluate one line's hours at an instant; None where the hours give no clock times."""
    unknown = False
    for spec in specs:
        zone_name = str(spec.get("timeZone", "UTC"))
        try:
            local = at.astimezone(ZoneInfo(zone_name))
        except ZoneInfoNotFoundError:
            raise QueryError(f"unknown time zone {zone_name!r} in the dataset") from None
        day = str(spec.get("day", "")).rsplit("/", 1)[-1]
        if day != local.strftime("%A"):
            continue
        if "opens" not in spec or "closes" not in spec:
            unknown = True
            continue
        opens = time.fromisoformat(str(spec["opens"]))
        closes = time.fromisoformat(str(spec["closes"]))
        if not opens <= local.time().replace(tzinfo=None) <= _end(closes):
            continue
        if _true(spec.get("holidaysClosed")) and is_public_holiday(country, local.date()):
            continue
        return True
    return None if unknown else False


def _end(closes: time) -> time:
    # 23:59:59 stands for midnight: the whole last second of the day is open.
    return time(23, 59, 59, 999999) if closes == time(23, 59, 59) else closes


def _true(term: Identifier | None) -> bool:
    return term is not None and str(term).lower() == "true"


def open_lines(result: QueryResult, bindings: Mapping[str, Identifier]) -> QueryResult:
    """Group the hours rows of ``open-now.rq`` by line and say whether each is open."""
    if "at" not in bindings:
        raise QueryError("query open-now needs --param at=<instant>, e.g. at=2026-11-21T03:00:00Z")
    at = datetime.fromisoformat(str(bindings["at"]).replace("Z", "+00:00"))
    lines: dict[Identifier, list[Mapping[str, Identifier]]] = {}
    for row in result.rows:
        lines.setdefault(row["contactPoint"], []).append(row)
    rows = []
    for line, specs in sorted(lines.items(), key=lambda item: str(item[0])):
        first = specs[0]
        country = str(first["country"]) if "country" in first else None
        state = is_open_at(specs, at, country)
        zone = str(first.get("timeZone", "UTC"))
        row: dict[str, Identifier] = {
            "contactPoint": line,
            "open": Literal(state) if state is not None else Literal("unknown"),
            "localTime": Literal(
                at.astimezone(ZoneInfo(zone)).replace(microsecond=0).isoformat(),
                datatype=XSD.dateTime,
            ),
            "timeZone": Literal(zone),
        }
        for key in ("telephone", "availableLanguage"):
            if key in first:
                row[key] = first[key]
        rows.append(row)
    return QueryResult(variables=OUTPUT, rows=rows)
