"""Country pages → ISO 3166-1 alpha-2 codes, via pycountry.

A docs name is resolved by exact lookup only (case-, accent- and "&"/"and"-
insensitive); pycountry's fuzzy search is not used because it answers wrongly
for this corpus ("Curacao" → NL, "Kosovo" → RS, "Hong Kong SAR" → CN). Names
exact lookup cannot resolve are listed in ``_OVERRIDES``, keyed by page slug.

Decisions:

* Kosovo → code None: it has no ISO 3166-1 code ("XK" is a user-assigned code
  some registries use, not part of the standard ``sg:countryCode`` promises).
* Pages for parts of one ISO entity share its code and carry their ISO 3166-2
  subdivision where one exists: Ascension / St Helena / Tristan da Cunha → SH
  (SH-AC / SH-HL / SH-TA), Bonaire / Saba / Sint Eustatius → BQ (BQ-BO / BQ-SA /
  BQ-SE), Svalbard / Jan Mayen → SJ (no subdivision codes). See SHARED_CODES.
* "Korea" is the Republic of Korea (KR): its numbers are +82 numbers.
"""

from __future__ import annotations

import gettext
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import langcodes
import pycountry

from supportgraph.errors import ExtractError

__all__ = [
    "COUNTRIES_WITHOUT_ISO_CODE",
    "SHARED_CODES",
    "CountryRef",
    "country_from_page",
    "country_name",
]

# slug → reason, for pages that are not an ISO 3166-1 entity.
COUNTRIES_WITHOUT_ISO_CODE: dict[str, str] = {
    "kosovo": "Kosovo has no ISO 3166-1 code; 'XK' is only a user-assigned code",
}
# code → the page slugs that legitimately share it (parts of one ISO entity).
SHARED_CODES: dict[str, frozenset[str]] = {
    "SH": frozenset({"ascension", "st-helena", "tristan-da-cunha"}),
    "BQ": frozenset({"bonaire", "saba", "sint-eustatius"}),
    "SJ": frozenset({"svalbard", "jan-mayen"}),
}
# slug → (alpha-2, ISO 3166-2 subdivision) for names exact lookup cannot resolve.
_OVERRIDES: dict[str, tuple[str, str | None]] = {
    "ascension": ("SH", "SH-AC"),
    "bahrain": ("BH", None),  # "Bahrain (Kingdom of)"
    "bonaire": ("BQ", "BQ-BO"),
    "brunei": ("BN", None),  # ISO: "Brunei Darussalam"
    "china-prc": ("CN", None),  # "China (PRC)"
    "congo-drc": ("CD", None),  # "Congo (DRC)"; plain "Congo" is CG
    "falkland-islands": ("FK", None),  # ISO: "Falkland Islands (Malvinas)"
    "french-southern-territories": ("TF", None),  # "... (Antarctic Lands)"
    "hong-kong-sar": ("HK", None),
    "jan-mayen": ("SJ", None),
    "korea": ("KR", None),
    "macau-sar": ("MO", None),
    "macedonia": ("MK", None),  # ISO: "North Macedonia"
    "micronesia": ("FM", None),  # ISO: "Micronesia, Federated States of"
    "palestinian-authority": ("PS", None),  # ISO: "Palestine, State of"
    "pitcairn-islands": ("PN", None),  # ISO: "Pitcairn"
    "russia": ("RU", None),  # ISO: "Russian Federation"
    "saba": ("BQ", "BQ-SA"),
    "saint-martin": ("MF", None),  # ISO: "Saint Martin (French part)"
    "sint-eustatius": ("BQ", "BQ-SE"),
    "sint-maarten": ("SX", None),  # ISO: "Sint Maarten (Dutch part)"
    "south-georgia-and-south-sandwich-islands": ("GS", None),  # ISO: "South Georgia and the ..."
    "st-helena": ("SH", "SH-HL"),
    "svalbard": ("SJ", None),
    "swaziland": ("SZ", None),  # ISO: "Eswatini"
    "tristan-da-cunha": ("SH", "SH-TA"),
    "turkey": ("TR", None),  # ISO: "Türkiye"
    "vatican-city": ("VA", None),  # ISO: "Holy See (Vatican City State)"
    "virgin-islands": ("VI", None),  # "Virgin Islands, US"; ISO: "Virgin Islands, U.S."
}
_PARENTHESISED = re.compile(r"[^()]*\((?P<inner>[^()]+)\)\s*")


@dataclass(frozen=True)
class CountryRef:
    """A country or region page: ISO code (None where there is none), slug, name.

    ``subdivision`` is the ISO 3166-2 code of a page that covers only part of
    the entity its ``code`` names (Ascension → "SH-AC"), else None.
    """

    code: str | None
    slug: str
    name: str
    subdivision: str | None = None


def _fold(name: str) -> str:
    """Case, accents, "&amp;", "&" → "and" and "St " → "Saint " do not matter."""
    name = html.unescape(name).replace("&", " and ")
    name = re.sub(r"^St\.? ", "Saint ", name.strip())
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            if value := getattr(country, field, None):
                index.setdefault(_fold(value), country.alpha_2)
    return index


def country_from_page(slug: str, english_name: str) -> CountryRef:
    """Resolve a support page ("sweden", "Sweden") to its ISO 3166-1 alpha-2 code.

    "X (Y)" also resolves when Y is the full name ("UAE (United Arab Emirates)",
    "Cape Verde (Cabo Verde)"). Raises ExtractError for a name that neither
    exact lookup nor the documented overrides resolve.
    """
    name = html.unescape(english_name).strip()
    if slug in COUNTRIES_WITHOUT_ISO_CODE:
        return CountryRef(code=None, slug=slug, name=name)
    if slug in _OVERRIDES:
        code, subdivision = _OVERRIDES[slug]
        return CountryRef(code=code, slug=slug, name=name, subdivision=subdivision)
    candidates = [name]
    if parenthesised := _PARENTHESISED.fullmatch(name):
        candidates.append(parenthesised["inner"])
    for candidate in candidates:
        if code := _index().get(_fold(candidate)):
            return CountryRef(code=code, slug=slug, name=name)
    raise ExtractError(
        f"cannot resolve country page {slug!r} named {english_name!r} to an ISO 3166-1 "
        "code; expected an ISO country name (or add a documented override)"
    )


def _gettext_language(lang: str) -> str:
    """BCP 47 → the gettext catalogue name pycountry ships ("zh-Hant" → "zh_TW")."""
    language = langcodes.Language.get(lang)
    if language.language == "zh" and not language.territory:
        return "zh_TW" if language.script == "Hant" else "zh_CN"
    if language.language == "sr" and language.script == "Latn":
        return "sr@latin"
    if language.territory:
        return f"{language.language}_{language.territory}"
    return language.language or lang


class _Untranslated(gettext.NullTranslations):
    """Fallback that marks a missing msgid instead of echoing the English name."""

    def gettext(self, message: str) -> str:
        return ""


@cache
def _catalogue(lang: str) -> gettext.NullTranslations | None:
    try:
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[_gettext_language(lang)]
        )
    except FileNotFoundError:
        return None
    translation.add_fallback(_Untranslated())
    return translation


def country_name(code: str, lang: str) -> str | None:
    """The name of country ``code`` in language ``lang`` (BCP 47), from pycountry.

    "SE", "sv" → "Sverige". Returns the ISO English name for "en", and None when
    pycountry has no catalogue for the language or no translation of the name.
    """
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        raise ExtractError(f"{code!r} is not an ISO 3166-1 alpha-2 code; expected e.g. 'SE'")
    if langcodes.Language.get(lang).language == "en":
        return country.name
    catalogue = _catalogue(lang)
    translated = catalogue.gettext(country.name) if catalogue else ""
    return translated or None
