"""IANA time zones: named in the text, or inferred from a country.

Every returned name is checked with zoneinfo.ZoneInfo (tzdata).

``country_time_zone`` is an *inference* for pages that name no zone: the
country's only zone in tzdata's zone.tab, or for countries with several zones
the zone of the capital (``CAPITAL_ZONES``, e.g. US → America/New_York for
Washington, CA → America/Toronto for Ottawa, AU → Australia/Sydney for
Canberra, RU → Europe/Moscow). Countries with no zone (Bouvet Island, Heard
Island) and multi-zone entities without a capital (AQ, UM) give None.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

from supportgraph.errors import ExtractError

__all__ = ["CAPITAL_ZONES", "country_time_zone", "time_zone_from_text"]

CAPITAL_ZONES: dict[str, str] = {
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",  # Brasília
    "CA": "America/Toronto",  # Ottawa
    "CD": "Africa/Kinshasa",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",  # Beijing
    "CY": "Asia/Nicosia",
    "DE": "Europe/Berlin",
    "EC": "America/Guayaquil",  # Quito
    "ES": "Europe/Madrid",
    "FM": "Pacific/Pohnpei",  # Palikir
    "GL": "America/Nuuk",
    "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa",
    "KZ": "Asia/Almaty",  # Astana
    "MH": "Pacific/Majuro",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",  # Wellington
    "PF": "Pacific/Tahiti",  # Papeete
    "PG": "Pacific/Port_Moresby",
    "PS": "Asia/Hebron",  # Ramallah, seat of the Palestinian Authority
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",  # Washington, D.C.
    "UZ": "Asia/Tashkent",
}
# English zone names the IANA city list does not contain. "ET" (Eastern Time)
# depends on the country: Canada's pages mean Toronto.
_ALIASES: dict[str, dict[str | None, str]] = {
    "beijing": {None: "Asia/Shanghai"},
    "china standard": {None: "Asia/Shanghai"},
    "et": {None: "America/New_York", "CA": "America/Toronto"},
    "eastern": {None: "America/New_York", "CA": "America/Toronto"},
}
_OFFSET = re.compile(
    r"\(?\s*(?:UTC|GMT)\s*(?:(?P<sign>[+\-−])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?)?\s*\)?"
)
_PARENS = re.compile(r"\(([^()]*)\)")
_REFERENCE_YEAR = 2024  # offsets are compared in one fixed year, so results are stable


@lru_cache(maxsize=1)
def _zone_table() -> dict[str, list[str]]:
    """tzdata's zone.tab: country code → zones, in the file's order."""
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    zones: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *_comment = line.split("\t")
            zones[code].append(zone)
    return dict(zones)


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """City name → zone ("berlin" → "Europe/Berlin") for zone.tab; ambiguous names dropped."""
    found: dict[str, set[str]] = defaultdict(set)
    for zones in _zone_table().values():
        for zone in zones:
            found[zone.rsplit("/", 1)[-1].replace("_", " ").casefold()].add(zone)
    return {city: zones.pop() for city, zones in found.items() if len(zones) == 1}


def _checked(zone: str) -> str:
    ZoneInfo(zone)  # raises if tzdata does not know it
    return zone


def country_time_zone(code: str) -> str | None:
    """The IANA zone inferred for a country (ISO alpha-2) whose page names none."""
    zones = _zone_table().get(code.upper(), [])
    if len(zones) == 1:
        return _checked(zones[0])
    capital = CAPITAL_ZONES.get(code.upper())
    return _checked(capital) if capital else None


def _offsets(zone: str) -> set[timedelta]:
    info = ZoneInfo(zone)
    moments = (datetime(_REFERENCE_YEAR, 1, 15), datetime(_REFERENCE_YEAR, 7, 15))
    return {m.replace(tzinfo=info).utcoffset() or timedelta(0) for m in moments}


def _phrase_zone(text: str, region: str | None) -> str | None:
    """The zone a phrase *is*: "Berlin", "Berlin(UTC+1)", "Beijing Time", "(UTC +1)"."""
    offset_match = _OFFSET.search(text)
    offset = None
    if offset_match and offset_match["sign"]:
        sign = -1 if offset_match["sign"] in "-−" else 1
        minutes = int(offset_match["hours"]) * 60 + int(offset_match["minutes"] or 0)
        offset = timedelta(minutes=sign * minutes)
    elif offset_match:
        offset = timedelta(0)
    name = _OFFSET.sub(" ", text) if offset_match else text
    name = " ".join(name.replace("(", " ").replace(")", " ").split()).casefold()
    name = name.removesuffix(" time").strip()
    if not name:
        if offset is None:
            return None
        if offset % timedelta(hours=1):
            raise ExtractError(f"{text!r}: IANA has no zone for a fractional offset without a city")
        # POSIX-style Etc names invert the sign: UTC+1 is "Etc/GMT-1".
        hours = int(offset / timedelta(hours=1))
        return _checked("Etc/UTC" if hours == 0 else f"Etc/GMT{-hours:+d}")
    aliases = _ALIASES.get(name)
    zone = (aliases.get(region) or aliases[None]) if aliases else _cities().get(name)
    if zone is None:
        return None
    if offset is not None and offset not in _offsets(zone):
        raise ExtractError(
            f"{text!r} names {zone} and UTC offset {offset}, which that zone never has; "
            "expected the zone's standard or summer offset"
        )
    return _checked(zone)


def time_zone_from_text(text: str, region: str | None = None, *, whole: bool = False) -> str | None:
    """The IANA zone an English text names, or None if it names none.

    The whole text may be a zone phrase ("Berlin", "Berlin(UTC+1)",
    "Berlin (UTC +1)", "Moscow", "Beijing Time", "ET", "(UTC +1)"), or a
    parenthesised group in it may be ("China business hours (Beijing Time)").
    City names are tzdata's (zone.tab); "Beijing" and "ET"/"Eastern" are
    aliases ("ET" is America/Toronto when ``region`` is "CA"). A bare offset
    gives an Etc zone ("UTC+1" → "Etc/GMT-1"). "Local" names no zone → None.
    With ``whole`` only the entire text counts (parenthesised groups are not
    searched). A city with an offset it never has raises ExtractError.
    """
    zone = _phrase_zone(text, region)
    if zone is not None or whole:
        return zone
    for group in _PARENS.findall(text):
        if (zone := _phrase_zone(group, region)) is not None:
            return zone
    return None
