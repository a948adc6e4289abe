"""Phone numbers as written in the docs → E.164, via Google's libphonenumber port.

Only digits and separators are read, so the same functions work on the text of
every locale ("I Sverige ringer du 020 160 5899.").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberMatcher
from phonenumbers import PhoneNumberType as _Type
from phonenumbers.phonenumber import CountryCodeSource

from supportgraph.errors import ExtractError

__all__ = ["PhoneNumber", "corrected_phone", "find_phones", "parse_phone"]

# phonenumbers exposes number types as ints; we publish their lowercased names.
_TYPE_NAMES = {value: name.lower() for name, value in vars(_Type).items() if name.isupper()}
# "+CC" and "00 CC" / "8 10 CC" (an international dialling prefix) both state the country.
_INTERNATIONAL_SOURCES = {
    CountryCodeSource.FROM_NUMBER_WITH_PLUS_SIGN,
    CountryCodeSource.FROM_NUMBER_WITH_IDD,
}
# Any Unicode space (NBSP from "&nbsp;", thin spaces, ...) is just a separator.
_SPACES = re.compile(r"[^\S\n]")
# "(86) 400-089-0365": a country calling code in parentheses. A leading 0 marks a
# trunk/area prefix instead ("(02) ..."), which stays as it is.
_PAREN_CC = re.compile(r"\((?P<cc>[1-9]\d{0,2})\)(?=\s*\d)")
# A run of digits that a phone number may be written as (used to spot numbers the
# matcher skipped or only partly read, so nothing is dropped silently).
_DIGIT_RUN = re.compile(r"\+?\d(?:[\d ().\-/]*\d)?")
_MIN_PHONE_DIGITS = 7  # the shortest number in the corpus is "0800 111" / "800 6676"
_E164_MAX_DIGITS = 15
_NOTE = re.compile(r"\s*\(([^()]*)\)")


@dataclass(frozen=True)
class PhoneNumber:
    """One phone number as stated in a document.

    ``e164`` is the number in E.164 form ("+18008659408"). ``region`` is the ISO
    3166-1 alpha-2 code the number belongs to according to libphonenumber (None
    for non-geographic numbers such as UIFN "+800" and for unknown ranges).
    ``number_type`` is libphonenumber's type name, lowercased ("toll_free",
    "fixed_line", "mobile", "fixed_line_or_mobile", "uan", "shared_cost",
    "voip", "unknown", ...). ``international`` is True when the text states the
    country itself: "+CC", "(CC)", or an international dialling prefix such as
    "00" or Russia's "8 10". ``valid`` is libphonenumber's full validity check; a
    number can be possible (right length) but not valid (unassigned range), and
    such numbers are reported, not rejected. ``text`` is the number as stated.
    """

    e164: str
    region: str | None
    toll_free: bool
    number_type: str
    international: bool
    valid: bool
    text: str


def _normalize(text: str) -> str:
    """Unicode spaces → " " and "(CC)" → "+CC " without changing any offset."""
    text = _SPACES.sub(" ", text)

    def plus(match: re.Match[str]) -> str:
        cc = int(match["cc"])
        if phonenumbers.region_code_for_country_code(cc) == "ZZ":
            return match[0]
        return f"+{match['cc']} "

    return _PAREN_CC.sub(plus, text)


def _record(number: phonenumbers.PhoneNumber, text: str) -> PhoneNumber:
    """The PhoneNumber for a parsed, possible number."""
    region = phonenumbers.region_code_for_number(number)
    number_type = _TYPE_NAMES.get(phonenumbers.number_type(number), "unknown")
    return PhoneNumber(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        region=region if region and region.isalpha() and region != "ZZ" else None,
        toll_free=number_type == "toll_free",
        number_type=number_type,
        international=number.country_code_source in _INTERNATIONAL_SOURCES,
        valid=phonenumbers.is_valid_number(number),
        text=text.strip(),
    )


def parse_phone(text: str, region: str | None) -> PhoneNumber:
    """Parse one phone number written as in the docs.

    ``region`` (ISO alpha-2) is the country whose national dialling rules apply to
    numbers written without a country code ("0800 589 2330" with "DE"); it may be
    None when the text carries the country ("+49 69 380 789 305",
    "(86) 400-089-0365"). Raises ExtractError unless libphonenumber finds the
    number possible (right length for its country); validity is reported in
    ``PhoneNumber.valid``.
    """
    return _parse(_normalize(text).strip(), region, text)


def _parse(normalized: str, region: str | None, text: str) -> PhoneNumber:
    try:
        # keep_raw_input records how the country code was written (+CC, IDD, none).
        number = phonenumbers.parse(normalized, region, keep_raw_input=True)
    except NumberParseException as error:
        raise ExtractError(
            f"cannot read a phone number from {text!r} (region {region}): {error}; "
            "expected digits such as '0800 589 2330' or '+49 69 380 789 305'"
        ) from error
    if not phonenumbers.is_possible_number(number):
        raise ExtractError(
            f"{text!r} (region {region}) is not a possible phone number: "
            f"{phonenumbers.format_number(number, PhoneNumberFormat.E164)} has the wrong "
            "length for its country code; expected a dialable number"
        )
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if len(e164) - 1 > _E164_MAX_DIGITS:
        # libphonenumber accepts some national-only numbers (Uruguay's "000 4..."
        # international toll-free) that have no E.164 form; a longer string would be
        # a fake E.164 that cannot be dialled from anywhere.
        raise ExtractError(
            f"{text!r} (region {region}) is a national-only number: {e164} is longer than "
            "the 15 digits E.164 allows; expected a number reachable in E.164 form"
        )
    return _record(number, text)


def find_phones(text: str, region: str | None) -> list[tuple[PhoneNumber, str | None]]:
    """Every phone number in a sentence, with the parenthesised note that follows it.

    "0120 628 860 (Other Plans) (Example : ...)" gives the note
    "Other Plans (Example : ...)"; a number without a note gives None. Numbers
    without a country code need ``region``. Any run of 7 or more digits that is
    not read completely as a possible number raises ExtractError, so a number is
    never dropped or truncated silently ("00800 118 4446" must not become "4446").
    """
    return list(_found_phones(text, region))


# The same sentences recur across pages and languages (most of extract's time
# was libphonenumber reading them again); an error is raised anew each time.
@functools.lru_cache(maxsize=4096)
def _found_phones(text: str, region: str | None) -> tuple[tuple[PhoneNumber, str | None], ...]:
    normalized = _normalize(text)
    found: list[tuple[PhoneNumber, str | None]] = []
    covered: list[tuple[int, int]] = []
    matcher = PhoneNumberMatcher(
        normalized, region or "ZZ", leniency=phonenumbers.Leniency.POSSIBLE
    )
    for match in matcher:
        covered.append((match.start, match.end))
        notes = []
        position = match.end
        while note := _NOTE.match(normalized, position):
            notes.append(note[1].strip())
            position = note.end()
        note_text = " ".join(f"({n})" if i else n for i, n in enumerate(notes)) or None
        phone = _parse(match.raw_string, region, text[match.start : match.end])
        found.append((phone, note_text))
    for run in _DIGIT_RUN.finditer(normalized):
        digits = [i for i in range(run.start(), run.end()) if normalized[i].isdigit()]
        read = all(any(start <= i < end for start, end in covered) for i in digits)
        if len(digits) >= _MIN_PHONE_DIGITS and not read:
            # Not (fully) matched: parse_phone says why (impossible, no region, ...).
            parse_phone(run[0], region)
            raise ExtractError(
                f"phone number {run[0]!r} in {text!r} (region {region}) was only partly "
                "read; expected each number to be written as one group of digits"
            )
    return tuple(found)


def corrected_phone(text: str, region: str | None) -> tuple[PhoneNumber, str] | None:
    """A valid reading of a number that libphonenumber finds possible but not valid.

    Two slips of the corpus are read the way the page's country dials:

    * a stray "+" before a national number: Kazakhstan's "+8 800 555 1349" is the
      domestic "8 800 555 1349" (trunk prefix 8) → "+78005551349";
    * a trunk "0" the country no longer uses: Poland dropped it in 2005, so
      "022 306 05 17" is "+48223060517".

    Returns the valid number (its ``text`` is the text as stated) and what was
    corrected, or None when no reading is valid. Numbers that are valid as stated
    are never changed ("02 6943 0746" keeps Italy's leading 0).
    """
    stated = text.strip()
    candidates: list[tuple[str, str]] = []
    if stated.startswith("+"):
        candidates.append((stated[1:], "read without the stray '+' as a national number"))
    if stated.startswith("0") and region is not None:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region.upper())
        if metadata is not None and not metadata.national_prefix_for_parsing:
            candidates.append((stated[1:], f"read without the trunk '0' {region} no longer uses"))
    for candidate, correction in candidates:
        try:
            phone = parse_phone(candidate, region)
        except ExtractError:
            continue
        if phone.valid:
            return replace(phone, text=stated, international=False), correction
    return None
