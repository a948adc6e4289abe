"""Language names and docs locales → BCP 47 (supportgraph.values.language)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from supportgraph.errors import ExtractError
from supportgraph.values import (
    label_tags,
    language_tag,
    locale_language_tag,
    split_language_labels,
    split_language_line,
    split_languages,
)

SUPPORT = Path(__file__).parents[2] / "corpus" / "en-US" / "microsoft-365" / "admin" / "support"

# Every language name used on an hours line of the 246 English pages.
CORPUS_LANGUAGES = {
    "Arabic": "ar",
    "Bahasa Indonesia": "id",
    "Cantonese": "yue",
    "Chinese": "zh",
    "Chinese (Mandarin)": "zh",
    "Czech": "cs",
    "Dutch": "nl",
    "English": "en",
    "French": "fr",
    "German": "de",
    "Hebrew": "he",
    "Hungarian": "hu",
    "Italian": "it",
    "Japanese": "ja",
    "Korean": "ko",
    "Mandarin": "zh",
    "Polish": "pl",
    "Portuguese": "pt",
    "Russian": "ru",
    "Spanish": "es",
    "Thai": "th",
    "Turkish": "tr",
}


@pytest.mark.parametrize(
    ("name", "tag"),
    [
        *CORPUS_LANGUAGES.items(),
        ("Bahasa Malaysia", "ms"),
        ("Bahasa Melayu", "ms"),
        ("Portuguese (Brazil)", "pt-BR"),
        ("Brazilian Portuguese", "pt-BR"),
        ("Chinese (Traditional)", "zh-Hant"),
        ("Chinese (Simplified)", "zh-Hans"),
        ("Serbian (Latin)", "sr-Latn"),
        ("  English ", "en"),
    ],
)
def test_language_tag(name, tag):
    assert language_tag(name) == tag


@pytest.mark.parametrize(
    "name",
    # langcodes.find() would answer "zh", "tlh", "en": a name that merely starts
    # with a language name is not one.
    ["Chinese and English", "Klingonish", "English phone support", "Chinese (Foo)", "Mon-Fri", ""],
)
def test_language_tag_rejects(name):
    with pytest.raises(ExtractError, match="unknown language name"):
        language_tag(name)


def test_every_language_name_in_the_country_pages_is_known():
    names = set()
    for page in SUPPORT.glob("*.md"):
        for line in page.read_text(encoding="utf-8").splitlines():
            if re.match(r"[A-Z][\w ()]*:? (Mon|Sun|\d+ (AM|hours))", line):
                names.update(split_language_line(line).languages)
    assert {name: language_tag(name) for name in names} == CORPUS_LANGUAGES


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Chinese and English", ("Chinese", "English")),
        ("German and English", ("German", "English")),
        ("English, French", ("English", "French")),
        ("English, French, and German", ("English", "French", "German")),
        ("Chinese (Mandarin) and English", ("Chinese (Mandarin)", "English")),
        ("Bahasa Indonesia", ("Bahasa Indonesia",)),
    ],
)
def test_split_languages(text, names):
    assert split_languages(text) == names


def test_split_languages_rejects_empty_names():
    with pytest.raises(ExtractError, match="empty language name"):
        split_languages("English, ")


@pytest.mark.parametrize(
    ("locale", "tag"),
    [
        ("sv-SE", "sv"),
        ("it-IT", "it"),
        ("en-US", "en"),
        ("pt-BR", "pt"),
        ("zh-CN", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("sr-Latn-RS", "sr-Latn"),
    ],
)
def test_locale_language_tag(locale, tag):
    assert locale_language_tag(locale) == tag


@pytest.mark.parametrize(
    ("locales", "tags"),
    [
        (["en-US", "it-IT", "sv-SE"], {"en-US": "en", "it-IT": "it", "sv-SE": "sv"}),
        (["zh-CN", "zh-TW"], {"zh-CN": "zh-Hans", "zh-TW": "zh-Hant"}),
        (["pt-BR", "pt-PT"], {"pt-BR": "pt-BR", "pt-PT": "pt-PT"}),
        (
            ["zh-TW", "zh-HK", "en-US"],
            {"zh-TW": "zh-Hant-TW", "zh-HK": "zh-Hant-HK", "en-US": "en"},
        ),
        (["pt-BR"], {"pt-BR": "pt"}),
    ],
)
def test_label_tags(locales, tags):
    assert label_tags(locales) == tags


@pytest.mark.parametrize("locales", [["xx-YY"], ["not a locale"]])
def test_label_tags_rejects_invalid_locales(locales):
    with pytest.raises(ExtractError, match="not a valid BCP 47 locale"):
        label_tags(locales)


# The Office 365 Germany table cells of the en-US main page, flattened on one line.
GERMANY_CELL = (
    "Billing Support:  German: Mon-Fri 9-5 Berlin English: Mon-Fri 9-5 Berlin  Technical "
    "Support:  German: 24 hours a day, 7 days a week English: 24 hours a day, 7 days a week  "
    "Alternative Phone Number: 069 380 789 305 (Local call charges apply)"
)
EEA_BILLING = "German: Mon-Fri 9-5 Berlin(UTC+1) English: Mon-Fri 9-5 Berlin (UTC +1)"


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        (
            GERMANY_CELL,
            (
                "Billing Support:",
                "German: Mon-Fri 9-5 Berlin",
                "English: Mon-Fri 9-5 Berlin Technical Support:",
                "German: 24 hours a day, 7 days a week",
                "English: 24 hours a day, 7 days a week Alternative Phone Number: 069 380 789 305 "
                "(Local call charges apply)",
            ),
        ),
        (
            EEA_BILLING,
            ("German: Mon-Fri 9-5 Berlin(UTC+1)", "English: Mon-Fri 9-5 Berlin (UTC +1)"),
        ),
        (
            "Chinese (Mandarin): Mon-Fri 9 AM-6 PM English: Mon-Fri 9:00-17:00",
            ("Chinese (Mandarin): Mon-Fri 9 AM-6 PM", "English: Mon-Fri 9:00-17:00"),
        ),
        ("Local call charges apply", ("Local call charges apply",)),
    ],
)
def test_split_language_labels(text, pieces):
    assert split_language_labels(text) == pieces


def test_pseudo_locales_keep_their_private_use_part():
    assert label_tags(["en-US", "en-x-ps0001", "en-x-ps0002", "sv-SE"]) == {
        "en-US": "en",
        "en-x-ps0001": "en-x-ps0001",
        "en-x-ps0002": "en-x-ps0002",
        "sv-SE": "sv",
    }
