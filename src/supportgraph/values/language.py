"""Language names and docs locales → BCP 47 tags, via langcodes (CLDR data).

Decisions:

* "Chinese (Mandarin)" and "Mandarin" → ``zh``. Mandarin is the default spoken
  form of ``zh``, CLDR aliases ``cmn`` to ``zh``, and consumers query
  ``availableLanguage "zh"``; both spellings in the corpus name the same service.
  "Cantonese" stays ``yue`` (a different language, not the default ``zh``).
* Labels: Chinese always keeps its script (``zh-Hans`` / ``zh-Hant``) because
  ``zh`` alone does not say which writing system a label uses; a script the
  locale states explicitly (``sr-Latn-RS``) is kept too. A region is kept only
  where two locales of one language meet (``pt-BR`` / ``pt-PT``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import langcodes
from language_data.names import load_trie, normalize_name
from language_data.util import data_filename

from supportgraph.errors import ExtractError

if TYPE_CHECKING:
    import marisa_trie  # language_data's trie type

__all__ = [
    "LanguageHours",
    "label_tags",
    "language_tag",
    "locale_language_tag",
    "split_language_labels",
    "split_language_line",
    "split_languages",
]

# English names CLDR does not know; everything else is resolved from CLDR's names.
_ALIASES = {"bahasa melayu": "ms"}
_QUALIFIED = re.compile(r"(?P<base>[^()]+?)\s*\((?P<qualifier>[^()]+)\)")
# "Chinese and English", "English, French", "English, French, and German".
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


@cache
def _names(category: str) -> marisa_trie.BytesTrie:
    """language_data's name → code table (names in every CLDR language)."""
    return load_trie(data_filename(f"trie/und/name_to_{category}.marisa"))


def _exact(category: str, name: str) -> langcodes.Language | None:
    """Look a name up exactly.

    langcodes.find() also accepts any name that merely *starts* with a known
    name ("Chinese and English" → zh, "Klingonish" → tlh), which would be a
    silent guess; so the name must be a key of the table itself.
    """
    alias = _ALIASES.get(name.casefold()) if category == "language" else None
    if alias:
        return langcodes.Language.get(alias)
    key = normalize_name(name)
    if key not in _names(category):
        return None
    return langcodes.find_name(category, name)


def _resolve(name: str) -> langcodes.Language | None:
    found = _exact("language", name)
    qualified = _QUALIFIED.fullmatch(name)
    if found is not None or qualified is None:
        return found
    base = _exact("language", qualified["base"])
    qualifier = qualified["qualifier"]
    if base is None:
        return None
    # "(Traditional)" is a script, "(Brazil)" a territory, "(Mandarin)" a variety;
    # a variety is the more precise name of the language.
    for category in ("script", "territory"):
        if (part := _exact(category, qualifier)) is not None:
            return base.update_dict({category: getattr(part, category)})
    return _exact("language", qualifier)


def language_tag(name: str) -> str:
    """The BCP 47 tag for an English language name ("German" → "de").

    Handles the corpus's forms "Chinese (Mandarin)" / "Mandarin" → "zh",
    "Cantonese" → "yue", "Bahasa Indonesia" → "id", "Bahasa Malaysia" /
    "Bahasa Melayu" → "ms", "Portuguese (Brazil)" / "Brazilian Portuguese" →
    "pt-BR", "Chinese (Traditional)" → "zh-Hant". Raises ExtractError for a
    name that is not a language.
    """
    language = _resolve(" ".join(name.split()))
    if language is None:
        raise ExtractError(
            f"unknown language name {name!r}; expected an English language name such as "
            "'German', 'Bahasa Indonesia' or 'Chinese (Mandarin)'"
        )
    # macro=True folds encompassed languages into their macrolanguage (cmn → zh).
    tag = langcodes.standardize_tag(language.to_tag(), macro=True)
    if not langcodes.tag_is_valid(tag):
        raise ExtractError(f"language name {name!r} gave the invalid BCP 47 tag {tag!r}")
    return tag


def split_languages(text: str) -> tuple[str, ...]:
    """Split "Chinese and English" / "English, French" into language names.

    Separators inside parentheses are left alone. Raises ExtractError on an
    empty name ("English, ").
    """
    parts: list[str] = []
    start = 0
    clean = " ".join(text.split())
    for match in _LIST_SEPARATOR.finditer(clean):
        depth = clean.count("(", 0, match.start()) - clean.count(")", 0, match.start())
        if depth == 0:
            parts.append(clean[start : match.start()])
            start = match.end()
    parts.append(clean[start:])
    names = tuple(part.strip() for part in parts)
    if not all(names):
        raise ExtractError(f"empty language name in {text!r}; expected 'X and Y' or 'X, Y'")
    return names


@dataclass(frozen=True)
class LanguageHours:
    """A "German: Mon-Fri 9 AM-5 PM" line: English language names, a qualifier
    between them and the colon ("phone support"), and the hours text."""

    languages: tuple[str, ...]
    qualifier: str | None
    hours: str


def _names_languages(words: list[str]) -> bool:
    try:
        return all(language_tag(name) for name in split_languages(" ".join(words)))
    except ExtractError:
        return False


def _language_prefix(words: list[str]) -> int:
    """How many leading words name languages ("Chinese and English phone ..." → 3)."""
    return next((size for size in range(len(words), 0, -1) if _names_languages(words[:size])), 0)


def split_language_labels(text: str) -> tuple[str, ...]:
    """Cut a flattened run before each "Language:" label.

    The en-US Office 365 Germany table cell has "German: Mon-Fri 9-5 Berlin
    English: Mon-Fri 9-5 Berlin" on one line → ("German: Mon-Fri 9-5 Berlin",
    "English: Mon-Fri 9-5 Berlin"). Other labels ("Technical Support:") are not
    cut; text before the first language label is kept as the first piece.
    """
    clean = " ".join(text.split())
    cuts = []
    for colon in re.finditer(r"(?<!\d):(?!\d)", clean):
        words = clean[: colon.start()].split(" ")
        size = next(
            (n for n in range(min(len(words), 6), 0, -1) if _names_languages(words[-n:])), 0
        )
        if size:
            cuts.append(len(" ".join(words[:-size])))
    bounds = zip([0, *cuts], [*cuts, len(clean)], strict=True)
    return tuple(piece for start, end in bounds if (piece := clean[start:end].strip()))


def split_language_line(line: str) -> LanguageHours:
    """Split "Chinese and English phone support: Mon-Fri 9 AM-9 PM" into
    (("Chinese", "English"), "phone support", "Mon-Fri 9 AM-9 PM"). A missing
    colon ("French Mon-Fri 6 AM-noon") is accepted. Raises ExtractError if the
    line does not start with language names or has no hours text."""
    clean = " ".join(line.split())
    colon = re.search(r"(?<!\d):(?!\d)", clean)
    head, hours = (clean[: colon.start()], clean[colon.end() :]) if colon else (clean, "")
    words = head.split()
    size = _language_prefix(words if colon else words[:-1])
    rest = " ".join(words[size:])
    qualifier, hours = (rest or None, hours.strip()) if colon else (None, rest)
    if not size or not hours:
        raise ExtractError(
            f"cannot split {line!r} into languages and hours; expected 'German: Mon-Fri 9 AM-5 PM'"
        )
    return LanguageHours(split_languages(" ".join(words[:size])), qualifier, hours)


def _parse_locale(locale: str) -> langcodes.Language:
    if not langcodes.tag_is_valid(locale):
        raise ExtractError(
            f"{locale!r} is not a valid BCP 47 locale; expected a docs folder name like 'sv-SE'"
        )
    return langcodes.Language.get(locale)


def locale_language_tag(locale: str) -> str:
    """The label tag for a docs locale folder on its own ("sv-SE" → "sv").

    Chinese keeps its script ("zh-CN" → "zh-Hans", "zh-TW" → "zh-Hant"); a script
    written in the locale is kept ("sr-Latn-RS" → "sr-Latn"). Use label_tags()
    when several locales are labelled together, so that colliding variants keep
    their region.
    """
    language = _parse_locale(locale)
    script = language.script
    if script is None and language.language == "zh":
        script = language.maximize().script
    tag = langcodes.standardize_tag(
        langcodes.Language.make(language=language.language, script=script).to_tag()
    )
    # A private-use part ("en-x-ps0001", a pseudo-locale) is what tells the locale apart.
    private = _private_use(locale)
    return f"{tag}-x-{private}" if private else tag


def _private_use(locale: str) -> str | None:
    parts = locale.lower().split("-x-", 1)
    return parts[1] if len(parts) == 2 else None


def label_tags(locales: Iterable[str]) -> dict[str, str]:
    """Label tags for a set of locales, keeping the region only where needed.

    {"sv-SE", "it-IT"} → {"sv-SE": "sv", "it-IT": "it"}; {"pt-BR", "pt-PT"} →
    {"pt-BR": "pt-BR", "pt-PT": "pt-PT"}; {"zh-CN", "zh-TW"} → "zh-Hans" / "zh-Hant".
    """
    groups: dict[str, set[str]] = defaultdict(set)
    for locale in locales:
        groups[locale_language_tag(locale)].add(locale)
    tags: dict[str, str] = {}
    for base, members in groups.items():
        for locale in members:
            if len(members) == 1:
                tags[locale] = base
                continue
            territory = _parse_locale(locale).territory
            tags[locale] = langcodes.standardize_tag(f"{base}-{territory}" if territory else base)
    if len(set(tags.values())) != len(tags):
        raise ExtractError(f"locales {sorted(tags)} do not give distinct label tags: {tags}")
    return tags
