"""Country pages → ISO 3166-1 (supportgraph.values.country)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

from supportgraph.errors import ExtractError
from supportgraph.values import (
    COUNTRIES_WITHOUT_ISO_CODE,
    SHARED_CODES,
    CountryRef,
    country_from_page,
    country_name,
)
from supportgraph.values.country import _OVERRIDES, _fold, _index

ADMIN = Path(__file__).parents[2] / "corpus" / "en-US" / "microsoft-365" / "admin"


def _dropdown() -> list[tuple[str, str]]:
    """(slug, English name) for every entry of the English country drop-down."""
    text = (ADMIN / "includes" / "country-region-support-dropdown-list.md").read_text()
    return [
        (slug, name) for name, slug in re.findall(r"> - \[(.+)\]\(\.\./support/(.+)\.md\)", text)
    ]


def test_the_dropdown_lists_every_page():
    assert len(_dropdown()) == 246
    assert {slug for slug, _ in _dropdown()} == {p.stem for p in (ADMIN / "support").glob("*.md")}


@pytest.mark.parametrize(
    ("slug", "name", "expected"),
    [
        ("sweden", "Sweden", CountryRef("SE", "sweden", "Sweden")),
        ("united-states", "United States", CountryRef("US", "united-states", "United States")),
        ("aland-islands", "Aland Islands", CountryRef("AX", "aland-islands", "Aland Islands")),
        ("bahrain", "Bahrain (Kingdom of)", CountryRef("BH", "bahrain", "Bahrain (Kingdom of)")),
        (
            "cape-verde",
            "Cape Verde (Cabo Verde)",
            CountryRef("CV", "cape-verde", "Cape Verde (Cabo Verde)"),
        ),
        ("china-prc", "China (PRC)", CountryRef("CN", "china-prc", "China (PRC)")),
        ("congo-drc", "Congo (DRC)", CountryRef("CD", "congo-drc", "Congo (DRC)")),
        ("congo", "Congo", CountryRef("CG", "congo", "Congo")),
        ("cote-divoire", "Côte d'Ivoire", CountryRef("CI", "cote-divoire", "Côte d'Ivoire")),
        ("curacao", "Curacao", CountryRef("CW", "curacao", "Curacao")),
        ("bonaire", "Bonaire", CountryRef("BQ", "bonaire", "Bonaire", "BQ-BO")),
        (
            "sint-eustatius",
            "Sint Eustatius",
            CountryRef("BQ", "sint-eustatius", "Sint Eustatius", "BQ-SE"),
        ),
        ("saba", "Saba", CountryRef("BQ", "saba", "Saba", "BQ-SA")),
        ("jan-mayen", "Jan Mayen", CountryRef("SJ", "jan-mayen", "Jan Mayen")),
        ("kosovo", "Kosovo", CountryRef(None, "kosovo", "Kosovo")),
        ("ascension", "Ascension", CountryRef("SH", "ascension", "Ascension", "SH-AC")),
        (
            "tristan-da-cunha",
            "Tristan da Cunha",
            CountryRef("SH", "tristan-da-cunha", "Tristan da Cunha", "SH-TA"),
        ),
        ("macau-sar", "Macau SAR", CountryRef("MO", "macau-sar", "Macau SAR")),
        ("hong-kong-sar", "Hong Kong SAR", CountryRef("HK", "hong-kong-sar", "Hong Kong SAR")),
        ("taiwan", "Taiwan", CountryRef("TW", "taiwan", "Taiwan")),
        ("vatican-city", "Vatican City", CountryRef("VA", "vatican-city", "Vatican City")),
        ("korea", "Korea", CountryRef("KR", "korea", "Korea")),
        (
            "st-kitts-nevis",
            "St Kitts &amp; Nevis",
            CountryRef("KN", "st-kitts-nevis", "St Kitts & Nevis"),
        ),
        (
            "united-arab-emirates",
            "UAE (United Arab Emirates)",
            CountryRef("AE", "united-arab-emirates", "UAE (United Arab Emirates)"),
        ),
        (
            "virgin-islands",
            "Virgin Islands, US",
            CountryRef("VI", "virgin-islands", "Virgin Islands, US"),
        ),
        ("turkey", "Turkey", CountryRef("TR", "turkey", "Turkey")),
        ("swaziland", "Swaziland", CountryRef("SZ", "swaziland", "Swaziland")),
    ],
)
def test_country_from_page(slug, name, expected):
    assert country_from_page(slug, name) == expected


def test_all_246_pages_resolve_and_codes_are_unique_unless_shared():
    pages_by_code = defaultdict(set)
    for slug, name in _dropdown():
        ref = country_from_page(slug, name)
        assert ref.slug == slug
        if ref.code is None:
            assert slug in COUNTRIES_WITHOUT_ISO_CODE
            continue
        assert pycountry.countries.get(alpha_2=ref.code) is not None, slug
        if ref.subdivision:
            assert pycountry.subdivisions.get(code=ref.subdivision).country_code == ref.code
        pages_by_code[ref.code].add(slug)
    shared = {code: slugs for code, slugs in pages_by_code.items() if len(slugs) > 1}
    assert shared == SHARED_CODES
    assert len(pages_by_code) == 240  # 246 pages - 5 sharing a code - Kosovo
    assert set(COUNTRIES_WITHOUT_ISO_CODE) == {"kosovo"}


def test_every_override_is_needed():
    # An override must fix a name that exact lookup misses or resolves wrongly.
    names = dict(_dropdown())
    for slug, (code, _subdivision) in _OVERRIDES.items():
        assert _index().get(_fold(names[slug])) != code, slug


def test_an_unknown_name_is_an_error():
    with pytest.raises(ExtractError, match="'Atlantis'"):
        country_from_page("atlantis", "Atlantis")


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("SE", "sv", "Sverige"),
        ("SE", "it", "Svezia"),
        ("SE", "en", "Sweden"),
        ("IT", "sv", "Italien"),
        ("CI", "sv", "Elfenbenskusten"),
        ("CN", "zh-Hans", "中国"),
        ("CN", "zh-Hant", "中國"),
        ("BR", "pt-BR", "Brasil"),
        ("NO", "nb", "Norge"),
        ("BW", "sv", "Botswana"),  # the same in Swedish, and translated as such
        ("SE", "xx", None),  # no catalogue
    ],
)
def test_country_name(code, lang, name):
    assert country_name(code, lang) == name


def test_country_name_rejects_unknown_codes():
    with pytest.raises(ExtractError, match="'XK' is not an ISO 3166-1"):
        country_name("XK", "sv")
