"""The country pages: every dropdown entry an area, every page its numbers and hours.

Graph-level statements about the bundled corpus (the merged view and the named
graphs), and properties that hold over all 246 English country pages.
"""

from __future__ import annotations

import re
import shutil
from datetime import time
from pathlib import Path

import phonenumbers
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from supportgraph.build import build_dataset_from, report
from supportgraph.extract.records import ContactPoint
from supportgraph.graph.vocabulary import SCHEMA, SG
from supportgraph.values import country_time_zone

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ADMIN = "microsoft-365/admin"
DROPDOWN = f"{ADMIN}/includes/country-region-support-dropdown-list.md"
ID = "https://w3id.org/supportgraph/id/"
SUPPORT = CORPUS / "en-US" / ADMIN / "support"

# Pages that give no usable E.164 number, and why (the corpus, not the parser).
NO_E164 = {
    "bolivia": "'800 110 263' is not a valid number in BO",
    "bulgaria": "'00800 118 4446' is not a possible phone number in BG",
    "cameroon": "'+225 20 24 24 90' is not a possible phone number in CM",
    "congo": "'225 20 24 24 90' is not a possible phone number in CG",
    "costa-rica": "'0800 012 1447' is not a possible phone number in CR",
    "cote-divoire": "'020 24 24 90' is not a possible phone number in CI",
    "curacao": "'+1 377 302 1308' is not a valid number in CW",
    "ghana": "'+234 1 271 0156' is not a possible phone number in GH",
    "nigeria": "'01 912 5070' is not a possible phone number in NG",
    "panama": "'00800 051 0398' is not a possible phone number in PA",
    "paraguay": "'009 800 441 0088' is not a possible phone number in PY",
    "rwanda": "'+225 20 24 24 90' is not a possible phone number in RW",
    "sri-lanka": "'2423 254' is not a valid number in LK",
    "thailand": "'001 800 441 2619' is not a possible phone number in TH",
    "uruguay": "'000 411 002 7131' is not a possible phone number in UY",
    "vietnam": "'120 852 137' is not a valid number in VN",
}


@pytest.fixture(scope="module")
def built():
    dataset, extractions = build_dataset_from([CORPUS])
    return dataset, extractions, report(dataset, extractions)


@pytest.fixture(scope="module")
def merged(built):
    return built[0].default_graph


def area(slug: str) -> URIRef:
    return URIRef(f"{ID}area/{slug}")


def line(*parts: str) -> URIRef:
    return URIRef(ID + "contact-point/" + "/".join(parts))


def document(locale: str, slug: str) -> URIRef:
    return URIRef(f"{ID}document/{locale}/{ADMIN}/support/{slug}")


def country_lines(extractions, locale="en-US"):
    """(slug, contact point) for every line of the country pages of one locale."""
    for extraction in extractions:
        doc = extraction.document
        if doc.family == "country-page" and doc.locale == locale:
            slug = doc.relpath.rsplit("/", 1)[-1].removesuffix(".md")
            for record in extraction.records:
                if isinstance(record, ContactPoint):
                    yield slug, record


# The country list -------------------------------------------------------------------------------


def test_every_dropdown_entry_is_a_country_or_region_with_an_english_label(merged):
    entries = re.findall(
        r"\[(.+)\]\(\.\./support/(.+)\.md\)", (CORPUS / "en-US" / DROPDOWN).read_text()
    )
    assert len(entries) == 246
    for name, slug in entries:
        node = area(slug)
        assert (node, RDF.type, SCHEMA.Country) in merged, slug
        assert Literal(name.replace("&amp;", "&"), lang="en") in set(
            merged.objects(node, RDFS.label)
        ) or Literal(name, lang="en") in set(merged.objects(node, RDFS.label)), slug
    codes = {slug: merged.value(area(slug), SG.countryCode) for _, slug in entries}
    assert sum(code is not None for code in codes.values()) == 245
    assert (codes["sweden"], codes["germany"], codes["china-prc"]) == (
        Literal("SE"),
        Literal("DE"),
        Literal("CN"),
    )


def test_the_areas_without_a_code_of_their_own_say_why(merged):
    assert merged.value(area("kosovo"), SG.countryCode) is None
    assert "no ISO 3166-1 code" in str(merged.value(area("kosovo"), SG.countryCodeNote))
    assert merged.value(area("ascension"), SG.countryCode) == Literal("SH")
    assert merged.value(area("ascension"), SG.subdivisionCode) == Literal("SH-AC")
    note = str(merged.value(area("ascension"), SG.countryCodeNote))
    assert "st-helena" in note and "tristan-da-cunha" in note


def test_country_names_in_every_corpus_language_come_from_the_dropdowns(merged):
    labels = {(str(t), t.language) for t in merged.objects(area("germany"), RDFS.label)}
    assert labels == {("Germany", "en"), ("Germania", "it"), ("Tyskland", "sv")}


def test_languages_without_a_dropdown_get_pycountry_names_in_a_graph_of_their_own(tmp_path):
    for locale, relpath in (("en-US", DROPDOWN), ("en-US", f"{ADMIN}/support/germany.md")):
        target = tmp_path / locale / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / locale / relpath, target)
    french = tmp_path / "fr-FR" / ADMIN / "support" / "germany.md"
    french.parent.mkdir(parents=True)
    text = (CORPUS / "it-IT" / ADMIN / "support" / "germany.md").read_text(encoding="utf-8")
    french.write_text(text.replace("ms.contentlocale: it-IT", "ms.contentlocale: fr-FR"), "utf-8")
    dataset, _ = build_dataset_from([tmp_path])
    reference = URIRef(ID + "reference/pycountry/iso3166-1")
    graph = dataset.graph(reference)
    assert (area("germany"), RDFS.label, Literal("Allemagne", lang="fr")) in graph
    assert graph.value(reference, SG.family) == Literal("reference-data")
    assert graph.value(reference, DCTERMS.language) == Literal("fr")
    assert Literal("Allemagne", lang="fr") in set(
        dataset.default_graph.objects(area("germany"), RDFS.label)
    )


# Every page gives numbers and hours, or says why not ---------------------------------------------


def test_every_english_country_page_yields_an_e164_number_with_hours_or_says_why(built):
    _, extractions, summary = built
    pages = {p.stem for p in SUPPORT.glob("*.md")}
    assert len(pages) == 246
    served = {
        slug
        for slug, cp in country_lines(extractions)
        if cp.telephone is not None and cp.hours and cp.cloud == "o365-worldwide"
    }
    problems = {
        Path(path).stem: reasons
        for path, reasons in summary.problems.items()
        if path.startswith(f"en-US/{ADMIN}/support/")
    }
    assert pages - served == set(NO_E164) | {"nepal"}
    for slug, reason in NO_E164.items():
        assert problems[slug] == (f"no E.164 number: {reason} (kept as stated)",)
    assert problems["nepal"] == (
        "no phone number: the page states 'Telephone support not available; only online support.'",
    )
    assert summary.failed == {}


def test_a_line_that_names_no_days_is_reported_not_guessed(built):
    _, _, summary = built
    (reason,) = summary.problems[f"en-US/{ADMIN}/support/guinea-bissau.md"]
    assert "'8 AM-9 PM' names no days" in reason


def test_every_number_is_valid_for_its_country_or_stated_as_international(built):
    _, extractions, _ = built
    checked = 0
    for slug, cp in country_lines(extractions):
        if cp.channel != "phone":
            continue
        if cp.telephone is None:
            assert cp.stated_number and cp.number_issue, (slug, cp.key)
            continue
        number = phonenumbers.parse(cp.telephone.e164)
        assert phonenumbers.is_valid_number(number), (slug, cp.telephone)
        code = cp.area.code if cp.area else None
        home = code and phonenumbers.country_code_for_region(code) == number.country_code
        assert home or cp.telephone.international or cp.access_number, (slug, cp.telephone)
        checked += 1
    assert checked >= 800


def test_every_opening_hours_node_opens_before_it_closes(built):
    dataset, _, _ = built
    nodes = 0
    for graph in dataset.graphs():
        for node in set(graph.subjects(RDF.type, SCHEMA.OpeningHoursSpecification)):
            opens, closes = graph.value(node, SCHEMA.opens), graph.value(node, SCHEMA.closes)
            if opens is None and closes is None:  # whole days (the main page's offerings)
                continue
            assert time.fromisoformat(str(opens)) < time.fromisoformat(str(closes)), node
            assert set(graph.objects(node, SCHEMA.dayOfWeek)), node
            nodes += 1
    assert nodes > 1900


def test_hours_without_a_zone_take_the_country_s_and_say_it_was_inferred(merged):
    for node in set(merged.subjects(RDF.type, SCHEMA.OpeningHoursSpecification)):
        if "/phone/bangladesh/" in str(node):
            assert merged.value(node, SG.timeZone) == Literal(country_time_zone("BD"))
            assert merged.value(node, SG.timeZoneInferred) == Literal(True)
    moscow = line("o365-worldwide", "phone", "kazakhstan", "billing", "ru", "78005551349")
    (hours,) = merged.objects(moscow, SCHEMA.hoursAvailable)
    assert merged.value(hours, SG.timeZone) == Literal("Europe/Moscow")
    assert merged.value(hours, SG.timeZoneInferred) is None


def test_toll_free_numbers_say_so(merged):
    toll_free = line("o365-worldwide", "phone", "germany", "technical", "de", "498005892332")
    local = line("o365-worldwide", "phone", "germany", "technical", "de", "4969380789508")
    assert (toll_free, SCHEMA.contactOption, SCHEMA.TollFree) in merged
    assert (local, SCHEMA.contactOption, SCHEMA.TollFree) not in merged


# Shapes of the pages ----------------------------------------------------------------------------


def test_language_names_become_bcp47_tags(merged):
    def languages(slug: str) -> set[str]:
        return {
            str(o)
            for s in merged.subjects(SCHEMA.areaServed, area(slug))
            for o in merged.objects(s, SCHEMA.availableLanguage)
        }

    assert languages("macau-sar") == {"yue", "zh", "en"}  # Cantonese, Mandarin, English
    assert languages("indonesia") == {"id", "en"}  # Bahasa Indonesia
    assert languages("china-prc") == {"zh", "en"}  # Chinese (Mandarin)


def test_one_international_number_serves_several_countries(merged):
    number = Literal("+13128435147")
    served = {
        str(merged.value(s, SCHEMA.areaServed)).rsplit("/", 1)[-1]
        for s in merged.subjects(SCHEMA.telephone, number)
    }
    assert {"guadeloupe", "martinique", "comoros"} <= served
    for s in merged.subjects(SCHEMA.telephone, number):
        if "/guadeloupe/" not in s and "/martinique/" not in s:
            continue  # comoros.md states no charge
        assert Literal("International call charges apply", lang="en") in set(
            merged.objects(s, SG.chargeNote)
        )


def test_a_number_read_after_correcting_a_slip_keeps_what_the_page_says(merged):
    cp = line("o365-worldwide", "phone", "kazakhstan", "billing", "ru", "78005551349")
    assert merged.value(cp, SG.statedNumber) == Literal("+8 800 555 1349")
    assert "stray '+'" in str(merged.value(cp, SG.numberIssue))


def test_nepal_has_only_online_support(merged):
    online = line("o365-worldwide", "online", "nepal", "technical")
    assert (online, SG.channelType, SG.OnlineChannel) in merged
    assert Literal("Telephone support not available; only online support.", lang="en") in set(
        merged.objects(online, SG.note)
    )
    assert not set(merged.subjects(SCHEMA.areaServed, area("nepal"))) - {
        online,
        line("o365-worldwide", "online", "nepal", "billing"),
    }


def test_the_china_page_s_21vianet_section_belongs_to_the_21vianet_cloud(merged):
    phone = line("o365-21vianet", "phone", "china-prc", "technical", "zh", "864000890365")
    online = line("o365-21vianet", "online", "china-prc", "technical", "zh")
    for node in (phone, online):
        assert merged.value(node, SG.cloud) == URIRef(ID + "cloud/o365-21vianet")
        assert merged.value(node, SCHEMA.areaServed) == area("china-prc")
    (hours,) = merged.objects(online, SCHEMA.hoursAvailable)
    assert (str(merged.value(hours, SCHEMA.opens)), str(merged.value(hours, SCHEMA.closes))) == (
        "00:00:00",
        "23:59:59",
    )
    wechat = line("o365-worldwide", "wechat", "china-prc")
    assert (wechat, SG.channelType, SG.WeChatChannel) in merged


# Versions: each document's statement in its graph, the newest in the merged view ---------------


def test_each_document_keeps_its_statement_and_the_merged_view_the_newest(built):
    dataset, _, _ = built
    german = line("o365-worldwide", "phone", "germany", "technical", "de", "498005892332")

    def closes(graph) -> set[str]:
        return {
            str(graph.value(h, SCHEMA.closes)) for h in graph.objects(german, SCHEMA.hoursAvailable)
        }

    assert closes(dataset.graph(document("en-US", "germany"))) == {"21:00:00"}
    assert closes(dataset.graph(document("sv-SE", "germany"))) == {"19:00:00"}
    assert closes(dataset.graph(document("it-IT", "germany"))) == {"21:00:00"}
    merged = dataset.default_graph
    assert closes(merged) == {"21:00:00"}
    assert merged.value(german, SG.mergedFrom) == document("en-US", "germany")
    # The Swedish label of the line stays in the merged view.
    assert Literal("Tyska: Mon-Fri 08:00–19:00", lang="sv") in set(
        merged.objects(german, RDFS.label)
    )


def test_versions_that_disagree_are_divergences(built):
    _, extractions, _ = built
    found = {
        (d.document.split("/")[0], Path(d.document).stem, d.fact, d.kind)
        for e in extractions
        for d in e.divergences
        if "/support/" in d.document
    }
    assert found == {
        ("sv-SE", "germany", "hours", "version"),
        ("sv-SE", "france", "hours", "version"),
        ("sv-SE", "france", "hours", "translation"),
        ("sv-SE", "italy", "hours", "version"),
        ("sv-SE", "china-prc", "hours", "version"),
        ("it-IT", "italy", "telephone", "translation"),  # "+02 6943 0746": no number at all
    }
