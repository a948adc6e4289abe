"""Ingest: every corpus page becomes a Document of aligned segments."""

from __future__ import annotations

from pathlib import Path

import pytest

from supportgraph.ingest import Link, discover, ingest_file

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
MAIN = "microsoft-365/admin/contact-support-for-business-products.md"
CLOUDS = ("o365-worldwide", "o365-21vianet", "o365-germany")
LEFTOVER_MARKUP = ("<span", "**", "&nbsp;", "\\*", "<br", "<sup", "<ul", "<li", "\\>")


@pytest.fixture(scope="module")
def documents():
    return {(d.locale, d.relpath): d for d in map(ingest_file, discover(CORPUS))}


def segments_by_id(document):
    return {s.id: s for s in document.segments}


def test_every_corpus_file_ingests(documents):
    assert len(documents) == 272
    assert {locale for locale, _ in documents} == {"en-US", "it-IT", "sv-SE"}


def test_the_italian_page_has_158_segments_and_the_swedish_209(documents):
    assert len(documents["it-IT", MAIN].segments) == 158
    assert len(documents["sv-SE", MAIN].segments) == 209


def test_each_segment_id_appears_once_with_its_own_source(documents):
    for key in (("it-IT", MAIN), ("sv-SE", MAIN)):
        segments = documents[key].segments
        ids = [s.id for s in segments]
        assert len(ids) == len(set(ids))
        assert all(s.source and s.localized for s in segments)


def test_the_swedish_page_substitutes_the_swedish_number(documents):
    segment = segments_by_id(documents["sv-SE", MAIN])["25b66-126"]
    assert segment.localized == "I Sverige ringer du 020 160 5899."
    assert segment.source == "In the United States, call 1 800 865 9408."
    assert (segment.cloud, segment.section) == ("o365-worldwide", "phone-support")


def test_an_italian_21vianet_segment_knows_its_cloud_and_section(documents):
    segment = segments_by_id(documents["it-IT", MAIN])["f6cd7-227"]
    assert segment.cloud == "o365-21vianet"
    assert segment.section == "technical-support-working-hours"
    assert segment.source == "Severity A: 24*7 continuous service"
    assert segment.line == 160


def test_no_segment_text_contains_markup(documents):
    for document in documents.values():
        for segment in document.segments:
            for text in (segment.localized, segment.source or ""):
                assert not any(m in text for m in LEFTOVER_MARKUP), (document.path, segment.id)
                assert text == text.strip() and "  " not in text


def test_the_three_clouds_are_found_in_every_version_of_the_main_page(documents):
    for locale in ("en-US", "it-IT", "sv-SE"):
        assert documents[locale, MAIN].clouds == CLOUDS


def test_every_segment_of_the_main_pages_knows_its_cloud_and_section(documents):
    for locale in ("en-US", "it-IT", "sv-SE"):
        document = documents[locale, MAIN]
        title, *rest = document.segments
        # Only the page title stands outside the moniker blocks.
        assert title.cloud is None and title.section == document.sections[0].key
        assert all(s.cloud in CLOUDS and s.section for s in rest)


def test_section_keys_are_the_same_in_every_locale(documents):
    keys = {
        locale: [(s.cloud, s.key) for s in documents[locale, MAIN].sections if s.level > 1]
        for locale in ("en-US", "it-IT")
    }
    assert keys["en-US"] == keys["it-IT"]


def test_tabs_of_the_italian_page(documents):
    sections = {s.key: s for s in documents["it-IT", MAIN].sections}
    assert sections["online-support"].tab == "online"
    assert sections["phone-support"].tab == "phone"
    assert sections["in-store-support"].tab == "instore"
    assert sections["community-and-self-service-support-options"].tab is None


def test_a_hard_line_break_cuts_a_paragraph_into_parts(documents):
    segments = segments_by_id(documents["sv-SE", MAIN])
    assert segments["25b66-120"].source == (
        "Billing support is provided in English from 9 AM-5 PM (9 AM-6 PM in Australia), "
        "Monday-Friday."
    )
    # The break after 120 sits inside its source span, so 120 and 121 share a part.
    assert [segments[f"25b66-{n}"].address for n in (120, 121, 122)] == ["b1.1", "b1.1", "b1.2"]


def test_an_english_source_page_pairs_each_text_with_itself(documents):
    document = documents["en-US", MAIN]
    phone = [s for s in document.segments if s.section == "phone-support" and s.address == "b2.i1"]
    assert [(s.id, s.localized, s.source) for s in phone] == [
        (
            "o365-worldwide/phone-support/b2.i1",
            "In the United States, call 1 800 865 9408.",
            "In the United States, call 1 800 865 9408.",
        )
    ]


def test_a_plain_translation_gets_structural_ids_and_no_source(documents):
    document = documents["sv-SE", "microsoft-365/admin/support/sweden.md"]
    assert not document.segmented and document.translation_type == "MT"
    rows = [(s.id, s.localized, s.source) for s in document.segments]
    assert ("*/phone-number/b1", "020 160 5899", None) in rows
    assert ("*/technical-support/b2", "Alternativt telefonnummer: 08 5176 1966", None) in rows
    english = documents["en-US", "microsoft-365/admin/support/sweden.md"]
    assert {s.id for s in english.segments} == {s.id for s in document.segments}


def test_table_cells_with_lists_become_one_segment_per_item(documents):
    document = documents["sv-SE", MAIN]
    cell = [s for s in document.segments if s.address.startswith("b2.r1.c3.")]
    assert [s.address for s in cell][:2] == ["b2.r1.c3.1", "b2.r1.c3.2"]
    assert cell[0].source == "Widespread problems sending or receiving mail."


def test_footnote_marks_are_kept_beside_the_text(documents):
    segments = segments_by_id(documents["sv-SE", MAIN])
    assert segments["25b66-213"].source == "Sev A (Critical)"
    assert segments["25b66-213"].notes == ("2",)
    assert segments["25b66-222"].notes == ("1",)
    assert segments["25b66-222"].source.startswith("If the customer cannot provide")


def test_links_are_kept_as_text_and_target(documents):
    segments = segments_by_id(documents["sv-SE", MAIN])
    assert segments["25b66-105"].links == (
        Link("den här supportsidan", "https://support.microsoft.com/help/contactus"),
    )
    assert segments["25b66-105"].source_links == (
        Link("this support page", "https://support.microsoft.com/help/contactus"),
    )
    assert segments["25b66-107"].links == (
        Link(
            "Instrumentpanel för tjänststatus", "https://go.microsoft.com/fwlink/p/?linkid=842900"
        ),
    )


def test_alerts_are_marked_and_their_marker_is_not_text(documents):
    blocks = [b for b in documents["sv-SE", MAIN].blocks if b.alert]
    assert {b.alert for b in blocks} == {"IMPORTANT", "NOTE"}
    assert not any("[!" in b.text for b in blocks)
    important = next(b for b in blocks if b.alert == "IMPORTANT")
    assert [s.id for s in important.segments] == ["25b66-104", "25b66-105"]


def test_the_dropdown_include_resolves_inside_the_corpus(documents):
    (include,) = documents["it-IT", MAIN].includes
    assert include.name == "country-region-support-dropdown-list"
    assert include.target == "includes/country-region-support-dropdown-list.md"
    assert include.resolved == (
        CORPUS / "it-IT/microsoft-365/admin/includes/country-region-support-dropdown-list.md"
    )
    assert (include.cloud, include.section) == ("o365-worldwide", "phone-support")


def test_the_dropdown_is_a_selector_list_of_links(documents):
    document = documents[
        "it-IT", "microsoft-365/admin/includes/country-region-support-dropdown-list.md"
    ]
    items = [b for b in document.blocks if b.kind == "list_item"]
    assert len(items) == 247  # the prompt and 246 countries
    assert items[2].links == (Link("Isole Åland", "../support/aland-islands.md"),)
    assert {b.alert for b in items} == {"DIV"}


def test_front_matter_and_locale(documents):
    document = documents["sv-SE", MAIN]
    assert document.locale == "sv-SE" and document.translation_type == "HT"
    assert document.front_matter["ms.lasthandoff"] == "08/29/2020"
    assert document.front_matter["ms.locfileid"] == "47307367"
    english = documents["en-US", MAIN]
    assert english.locale == "en-US" and english.translation_type is None and english.is_source


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("corpus/sv-SE/microsoft-365/admin/support/sweden.md", "sv-SE"),
        ("x/zh-Hant-TW/microsoft-365/admin/page.md", "zh-Hant-TW"),
        ("bench/en-x-ps0001/microsoft-365/admin/page.md", "en-x-ps0001"),
        ("somewhere/page.md", None),
    ],
)
def test_the_locale_folder_of_a_page(path, expected):
    from supportgraph.ingest import locale_of_path

    locale, relpath = locale_of_path(Path(path))
    assert locale == expected
    assert relpath == (path.split(f"{expected}/", 1)[1] if expected else "page.md")
