"""The graph stage: labels in every language, provenance, stable IRIs, any locale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from supportgraph.build import build_dataset_from
from supportgraph.graph.vocabulary import (
    DEFAULT_BASE,
    ONTOLOGY_GRAPH,
    SCHEMA,
    SG,
    Terms,
    mint,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ID = "https://w3id.org/supportgraph/id/"
MAIN = "microsoft-365/admin/contact-support-for-business-products.md"
TEXT = (
    RDFS.label,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.definition,
    SKOS.example,
    SCHEMA.description,
    SCHEMA.text,
    SCHEMA.name,
    SG.note,
    SG.chargeNote,
)
MARKUP = ("<span", "**", "&nbsp;", "\\*", "<br", "<sup", "</")


@pytest.fixture(scope="module")
def built():
    return build_dataset_from([CORPUS])


def document_graphs(dataset):
    for graph in dataset.graphs():
        language = dataset.value(graph.identifier, DCTERMS.language)
        if language is not None:
            yield graph, str(language)


def test_every_text_literal_has_a_language_tag_and_no_markup(built):
    dataset, _ = built
    for graph in dataset.graphs():
        for prop in TEXT:
            for literal in graph.objects(None, prop):
                if graph.identifier == ONTOLOGY_GRAPH:
                    continue
                assert isinstance(literal, Literal) and literal.language, (prop, literal)
                assert not any(m in literal for m in MARKUP), literal


def test_every_entity_a_document_describes_is_labelled_in_its_language_and_english(built):
    dataset, _ = built
    union = dataset.default_graph
    checked = 0
    for graph, language in document_graphs(dataset):
        for subject in set(graph.subjects(PROV.wasDerivedFrom, graph.identifier)):
            if {SCHEMA.Organization, SG.Cloud} & set(graph.objects(subject, RDF.type)):
                continue  # named by the family mapping (in English), not by the document
            texts = [o for p in TEXT for o in graph.objects(subject, p)]
            if not texts:
                continue
            checked += 1
            assert language in {t.language for t in texts}, (graph.identifier, subject)
            everywhere = {o.language for p in TEXT for o in union.objects(subject, p)}
            assert "en" in everywhere, subject
    assert checked > 300


def test_severity_a_is_labelled_in_english_italian_and_swedish(built):
    dataset, _ = built
    severity = URIRef(ID + "severity/o365-21vianet/a")
    labels = set(dataset.default_graph.objects(severity, SKOS.prefLabel))
    assert labels == {
        Literal("Sev A (Critical)", lang="en"),
        Literal("Gravità A (critico)", lang="it"),
        Literal("Allvarlighetsnivå A (kritisk)", lang="sv"),
    }


def test_each_document_is_a_named_graph_describing_itself(built):
    dataset, extractions = built
    graphs = {g.identifier for g, _ in document_graphs(dataset)}
    assert len(graphs) == len(extractions) == 272
    doc = URIRef(ID + "document/sv-SE/microsoft-365/admin/contact-support-for-business-products")
    graph = dataset.graph(doc)
    assert (doc, RDF.type, SG.SourceDocument) in graph
    assert graph.value(doc, DCTERMS.language) == Literal("sv")
    assert graph.value(doc, SG.translationType) == Literal("HT")
    assert graph.value(doc, SG.locFileId) == Literal("47307367")
    assert str(graph.value(doc, SG.lastHandoff)) == "2020-08-29"
    assert str(graph.value(doc, SG.msDate)) == "2020-07-28"


def test_entities_stated_by_several_documents_are_one_node_derived_from_each(built):
    dataset, _ = built
    cloud = URIRef(ID + "cloud/o365-21vianet")
    sources = {
        str(d).split("/document/")[1].split("/")[0]
        for d in dataset.default_graph.objects(cloud, PROV.wasDerivedFrom)
    }
    assert sources == {"en-US", "it-IT", "sv-SE"}


def test_the_localized_fact_lives_only_in_the_graph_of_the_document_that_states_it(built):
    dataset, _ = built
    line = URIRef(ID + "contact-point/o365-worldwide/phone/sweden/technical/en/46201605899")
    holders = {
        str(g.identifier)
        for g in dataset.graphs()
        if (line, SCHEMA.telephone, Literal("+46201605899")) in g
    }
    main = ID + "document/{}/microsoft-365/admin/contact-support-for-business-products"
    assert main.format("sv-SE") in holders
    assert not holders & {main.format("en-US"), main.format("it-IT")}


def quads(dataset) -> set:
    return {(s, p, o, g.identifier) for g in dataset.graphs() for s, p, o in g}


def test_iris_and_triples_do_not_depend_on_the_order_of_the_corpus_folders(built):
    dataset, _ = built
    reordered, _ = build_dataset_from([CORPUS / "sv-SE", CORPUS / "it-IT", CORPUS / "en-US"])
    assert quads(reordered) == quads(dataset)


def test_the_same_code_serves_a_locale_it_has_never_seen(tmp_path):
    # A French "translation" (the Swedish page relabelled) next to the English pages.
    for relpath in (MAIN, "microsoft-365/admin/includes/country-region-support-dropdown-list.md"):
        target = tmp_path / "en-US" / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / "en-US" / relpath, target)
    french = tmp_path / "fr-FR" / MAIN
    french.parent.mkdir(parents=True)
    text = (CORPUS / "sv-SE" / MAIN).read_text(encoding="utf-8")
    french.write_text(text.replace("ms.contentlocale: sv-SE", "ms.contentlocale: fr-FR"), "utf-8")
    dataset, extractions = build_dataset_from([tmp_path])
    severity = URIRef(ID + "severity/o365-21vianet/a")
    assert Literal("Allvarlighetsnivå A (kritisk)", lang="fr") in set(
        dataset.default_graph.objects(severity, SKOS.prefLabel)
    )
    assert {e.document.lang for e in extractions} == {"en", "fr"}


def test_a_different_iri_base(tmp_path):
    dataset, _ = build_dataset_from([CORPUS / "en-US"], base="https://example.org/sg")
    subjects = {str(s) for s in dataset.default_graph.subjects(RDF.type, SG.Cloud)}
    assert subjects == {
        f"https://example.org/sg/cloud/{m}"
        for m in ("o365-worldwide", "o365-21vianet", "o365-germany")
    }


def test_namespace_terms_are_made_once_and_stay_rdflib_terms() -> None:
    assert SG.Cloud is SG.Cloud and SCHEMA.name is SCHEMA.name
    assert SG.Cloud == URIRef("https://w3id.org/supportgraph/ontology#Cloud")
    assert isinstance(SG.Cloud, URIRef) and isinstance(SG, Namespace)
    assert SG["title"] == URIRef("https://w3id.org/supportgraph/ontology#title")  # a str method
    assert str(SCHEMA) == "https://schema.org/"
    rdf = Terms(RDF)
    assert rdf.type is rdf.type and rdf.type == RDF.type
    with pytest.raises(AttributeError):
        SG.__wrapped__  # noqa: B018 (dunder names are not terms)
    assert mint(DEFAULT_BASE, ("area", "New Zealand")) is mint(
        DEFAULT_BASE, ("area", "New Zealand")
    )
    assert mint(DEFAULT_BASE, ("area", " New  Zealand ")) == URIRef(
        DEFAULT_BASE + "area/New-Zealand"
    )
