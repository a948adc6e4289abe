"""Phone numbers from the corpus → E.164 (supportgraph.values.phone)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from supportgraph.errors import ExtractError
from supportgraph.values import (
    PhoneNumber,
    corrected_phone,
    country_from_page,
    find_phones,
    parse_phone,
)

ADMIN = Path(__file__).parents[2] / "corpus" / "en-US" / "microsoft-365" / "admin"


@pytest.mark.parametrize(
    ("text", "region", "e164", "number_region", "number_type", "international"),
    [
        ("1 800 865 9408", "US", "+18008659408", "US", "toll_free", False),
        ("800-865-9408", "GU", "+18008659408", "US", "toll_free", False),
        ("0800 589 2330", "DE", "+498005892330", "DE", "toll_free", False),
        ("069 380 789 305", "DE", "+4969380789305", "DE", "fixed_line", False),
        ("+49 69 380 789 305", None, "+4969380789305", "DE", "fixed_line", True),
        ("(86) 400-089-0365", "CN", "+864000890365", "CN", "shared_cost", True),
        ("(86) 400-089-0365", None, "+864000890365", "CN", "shared_cost", True),
        ("+86 4000 890 365", None, "+864000890365", "CN", "shared_cost", True),
        ("800 988 0365", "CN", "+868009880365", "CN", "toll_free", False),
        ("400 920 0365", "CN", "+864009200365", "CN", "shared_cost", False),
        ("020 160 5899", "SE", "+46201605899", "SE", "toll_free", False),
        ("08 5176 1966", "SE", "+46851761966", "SE", "fixed_line", False),
        ("0120 996 680", "JP", "+81120996680", "JP", "toll_free", False),
        ("03 4332 5493", "JP", "+81343325493", "JP", "fixed_line", False),
        ("+1 312 843 5151", "SH", "+13128435151", "US", "fixed_line_or_mobile", True),
        ("1800 197 503", "AU", "+611800197503", "AU", "toll_free", False),
        ("0800 032 6417", "GB", "+448000326417", "GB", "toll_free", False),
        ("0203 450 6455", "GB", "+442034506455", "GB", "fixed_line", False),
        ("0800 111", "MO", "+8530800111", "MO", "toll_free", False),
        ("3 071 3055", "HK", "+85230713055", "HK", "uan", False),
        ("0 850 3902777", "TR", "+908503902777", "TR", "voip", False),
        ("55 4738 6567", "MX", "+525547386567", "MX", "fixed_line_or_mobile", False),
        # Russia's "8 10" is an international prefix: this is a UIFN +800 number.
        ("8 10 800 2548 1044", "RU", "+80025481044", None, "toll_free", True),
        ("00800 4414 2831", "GR", "+80044142831", None, "toll_free", True),
        # Belize's "00" prefix dials a US number.
        ("001 212 497 6305", "BZ", "+12124976305", "US", "fixed_line_or_mobile", True),
        ("+1877 857 3235", "BD", "+18778573235", "US", "toll_free", True),
        ("007 803 011 0882", "ID", "+620078030110882", "ID", "toll_free", False),
    ],
)
def test_parse_phone(text, region, e164, number_region, number_type, international):
    assert parse_phone(text, region) == PhoneNumber(
        e164=e164,
        region=number_region,
        toll_free=number_type == "toll_free",
        number_type=number_type,
        international=international,
        valid=True,
        text=text,
    )


def test_unicode_spaces_are_separators():
    # "0800&nbsp;589&nbsp;2330" in the it-IT/sv-SE side-by-side segments.
    phone = parse_phone("0800\u00a0589\u00a02330", "DE")
    assert (phone.e164, phone.text) == ("+498005892330", "0800\u00a0589\u00a02330")
    assert parse_phone("+49\u202f69\u2009380 789 305", None).e164 == "+4969380789305"


@pytest.mark.parametrize(
    ("text", "region", "e164", "number_region"),
    [
        ("+8 800 555 1349", "KZ", "+8805551349", "BD"),  # stray "+": 8 800 is KZ/RU domestic
        ("+8 641 744 0010", "UZ", "+86417440010", "CN"),  # stray "+" on Uzbekistan's 8 641
        ("+1 377 302 1308", "CW", "+13773021308", None),  # 377 is no NANP area code
        ("022 306 05 17", "PL", "+480223060517", "PL"),  # Poland dropped the trunk 0
        ("157 0011", "BD", "+8801570011", "BD"),  # AT&T access codes, not E.164 numbers
        ("18 800 000", "JO", "+96218800000", "JO"),
    ],
)
def test_possible_but_not_valid_is_reported(text, region, e164, number_region):
    phone = parse_phone(text, region)
    assert (phone.e164, phone.region, phone.valid, phone.number_type) == (
        e164,
        number_region,
        False,
        "unknown",
    )


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("00800 118 4446", "BG"),  # 7 digits after +800; UIFN needs 8
        ("+225 20 24 24 90", "CM"),  # Côte d'Ivoire moved to 10 digits in 2021
        ("01 912 5070", "NG"),
        ("800 1111 673", "BN"),
        ("877 860 4596", "FJ"),  # a US number, dialled after an access code
        ("000 411 002 7131", "UY"),  # national-only: +598 and 13 digits exceed E.164
        ("+02 6943 0746", "IT"),  # it-IT italy.md's localized alternative number
        ("400-089-0365", None),  # a national number needs a region
        ("Not available by phone", "NP"),
    ],
)
def test_parse_phone_rejects(text, region):
    with pytest.raises(ExtractError, match=re.escape(repr(text))):
        parse_phone(text, region)


@pytest.mark.parametrize(
    ("sentence", "region", "expected"),
    [
        ("In the United States, call 1 800 865 9408.", "US", [("+18008659408", None)]),
        ("**In Australia, call 1 800 197 503.**", "AU", [("+611800197503", None)]),
        ("I Sverige ringer du 020 160 5899.", "SE", [("+46201605899", None)]),
        (
            "Alternative Phone Number: 069 380 789 305 (Local call charges apply)",
            "DE",
            [("+4969380789305", "Local call charges apply")],
        ),
        ("0120 996 680 (Office 365 Enterprise)", "JP", [("+81120996680", "Office 365 Enterprise")]),
        (
            "0120 628 860 (Other Plans) (Example : Microsoft 365 Business Basic, Standard, "
            "Premium etc)",
            "JP",
            [
                (
                    "+81120628860",
                    "Other Plans (Example : Microsoft 365 Business Basic, Standard, Premium etc)",
                )
            ],
        ),
        (
            "Alternative Phone Number: 400 920 0365 (Mobile)",
            "CN",
            [("+864009200365", "Mobile")],
        ),
        ("Numero Telefono alternativo: 400 920 0365 (mobile)", "CN", [("+864009200365", "mobile")]),
        (
            "Call support. If you encounter any problem with online request, phone support is "
            "available at (86) 400-089-0365.",
            None,
            [("+864000890365", None)],
        ),
        ("1800 1441 0625 (PLDT)", "PH", [("+63180014410625", "PLDT")]),
        ("0800 047 4958 / 11 4700 1999", "BR", [("+558000474958", None), ("+551147001999", None)]),
        ("Select option 9", "AL", []),
        ("Enter code 7700", "AL", []),
        ("Telephone support not available; only online support.", "NP", []),
    ],
)
def test_find_phones(sentence, region, expected):
    assert [(p.e164, note) for p, note in find_phones(sentence, region)] == expected


def test_find_phones_never_truncates_a_number():
    # The matcher alone reads only "4446" from Bulgaria's number.
    with pytest.raises(ExtractError, match="00800 118 4446"):
        find_phones("00800 118 4446", "BG")


def _pages() -> list[tuple[str, str | None, list[str]]]:
    """(slug, ISO code, body lines) for every page of the dropdown list."""
    pages = []
    dropdown = (ADMIN / "includes" / "country-region-support-dropdown-list.md").read_text()
    for name, slug in re.findall(r"> - \[(.+)\]\(\.\./support/(.+)\.md\)", dropdown):
        body = (ADMIN / "support" / f"{slug}.md").read_text(encoding="utf-8").split("---", 2)[2]
        pages.append((slug, country_from_page(slug, name).code, body.splitlines()))
    return pages


def _phone_lines(lines: list[str]) -> list[tuple[str, bool]]:
    """Lines that state numbers: (line, dialled after an access code)."""
    found, after_access_code = [], False
    for line in (line.strip() for line in lines):
        if line.startswith("After dialing, enter"):
            after_access_code = True
        if re.search(r"\d{3}", line) and re.match(r"(\+|\(?\d|Alternative|After)", line):
            found.append((line, after_access_code))
    return found


# Corpus numbers that are not possible numbers under current numbering plans.
UNREADABLE = {
    ("bulgaria", "00800 118 4446"),
    ("cameroon", "+225 20 24 24 90"),
    ("congo", "225 20 24 24 90"),
    ("cote-divoire", "020 24 24 90"),
    ("rwanda", "+225 20 24 24 90"),
    ("ghana", "+234 1 271 0156"),
    ("nigeria", "01 912 5070"),
    ("costa-rica", "0800 012 1447"),
    ("panama", "00800 051 0398"),
    ("paraguay", "009 800 441 0088"),
    ("thailand", "001 800 441 2619"),
    ("honduras", "800 0123"),
    ("brunei", "800 1111 673"),
    ("uruguay", "000 411 002 7131"),  # valid nationally, but 16 digits: no E.164 form
}
NOT_VALID = {
    ("bangladesh", "157 0011"),
    ("bolivia", "800 110 263"),
    ("curacao", "+1 377 302 1308"),
    ("fiji", "004 890 1001"),
    ("jordan", "18 800 000"),
    ("kazakhstan", "+8 800 555 1349"),
    ("poland", "Alternative Phone Number: 022 306 05 17"),
    ("sri-lanka", "2423 254"),
    ("uzbekistan", "+8 641 744 0010"),
    ("vietnam", "120 852 137"),
}


def test_every_phone_line_of_every_country_page():
    unreadable, not_valid, count = set(), set(), 0
    for slug, code, lines in _pages():
        for line, after_access_code in _phone_lines(lines):
            # After an access code the caller is on the US network.
            region = "US" if after_access_code else code
            try:
                phones = find_phones(line, region)
            except ExtractError:
                unreadable.add((slug, line))
                continue
            assert phones, (slug, line)
            count += len(phones)
            not_valid |= {(slug, line) for phone, _ in phones if not phone.valid}
            assert all(re.fullmatch(r"\+[1-9]\d{6,14}", p.e164) for p, _ in phones)
    assert unreadable == UNREADABLE
    assert not_valid == NOT_VALID
    assert count == 278


@pytest.mark.parametrize(
    ("text", "region", "e164", "correction"),
    [
        ("+8 800 555 1349", "KZ", "+78005551349", "stray '+'"),  # kazakhstan.md
        ("022 306 05 17", "PL", "+48223060517", "trunk '0'"),  # poland.md's alternative
    ],
)
def test_corrected_phone_reads_a_slip_the_way_the_country_dials(text, region, e164, correction):
    phone, how = corrected_phone(text, region)
    assert (phone.e164, phone.valid, phone.text) == (e164, True, text)
    assert correction in how


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("+8 641 744 0010", "UZ"),  # an access number: still not valid without the "+"
        ("+1 377 302 1308", "CW"),  # 377 is no NANP area code: not guessed
        ("157 0011", "BD"),
        ("800 110 263", "BO"),
        ("02 6943 0746", "IT"),  # valid as stated: Italy keeps its leading 0
    ],
)
def test_corrected_phone_guesses_nothing_else(text, region):
    assert corrected_phone(text, region) is None


def test_find_phones_answers_a_sentence_again_the_same_and_fails_again() -> None:
    sentence = "Call 0800 589 2330 (free) or +49 69 380 789 305."
    first = find_phones(sentence, "DE")
    again = find_phones(sentence, "DE")
    assert [(p.e164, note) for p, note in first] == [
        ("+498005892330", "free"),
        ("+4969380789305", None),
    ]
    assert again == first and again is not first  # a list of its own for each caller
    again.clear()
    assert find_phones(sentence, "DE") == first
    for _ in range(2):  # an error is not remembered as an answer
        with pytest.raises(ExtractError, match="is not a possible phone number"):
            find_phones("Call 00800 118 4446 12", "DE")
