"""The fast JSON-LD writers give the bytes of the library-made ones they replace.

``frame_organization`` builds the fixed frame itself (compaction still by
PyLD's own functions) and ``dataset_jsonld`` runs rdflib's JSON-LD writer's
steps on triples read once; ``canonical_json`` indents without the standard
library's pure-Python encoder. The references below are the implementations
they replaced, copied as they were: PyLD's ``frame``, rdflib's writer and
``json.dumps``. Each new output must equal its reference byte for byte, on
the bundled corpus (every cloud × language, and the whole dump) and on small
hand-made graphs with the edge cases.
"""

from __future__ import annotations

import io
import json
import math
import random
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld as pyld
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.stores.memory import Memory

from supportgraph.build import build_dataset_from
from supportgraph.framing import (
    _framer,
    _in_language,
    _used_context,
    cloud_graph,
    frame_cloud,
    frame_organization,
    framed_documents,
    monikers,
)
from supportgraph.graph.vocabulary import SCHEMA, SG
from supportgraph.jsonld import (
    _DumpWriter,
    canonical_json,
    context,
    dataset_jsonld,
    expanded,
    write_dataset_jsonld,
)
from supportgraph.jsonld_dump import graph_triples
from supportgraph.publish import Staged, jsonld_files, union_graph
from supportgraph.validate import corpus_languages

CORPUS = Path(__file__).parents[1] / "corpus"
ID = "https://w3id.org/supportgraph/id/"
EX = "http://example.org/"  # under no prefix of the context
# rdflib's XSD namespace object warns when pytest inspects the module's names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# ------------------------------------------------------------- references
# The implementations before they were made fast (commit d1aadce), verbatim
# but for their names.


def _reference_canonical_json(document: Any) -> bytes:
    text = json.dumps(_reference_sorted(document), ensure_ascii=False, sort_keys=True, indent=2)
    return (text + "\n").encode("utf-8")


def _reference_sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _reference_sorted(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_reference_sorted(item) for item in value]
        return sorted(items, key=_reference_sort_key)
    return value


def _reference_sort_key(item: Any) -> tuple[str, str]:
    identifier = item.get("@id", "") if isinstance(item, dict) else ""
    return (str(identifier), json.dumps(item, ensure_ascii=False, sort_keys=True))


def _reference_dataset_jsonld(dataset: Dataset, context_url: str = "context.jsonld") -> bytes:
    compacted = json.loads(
        dataset.serialize(format="json-ld", context=context(), auto_compact=True)
    )
    items: list[Any] = []
    for item in compacted.get("@graph", []):
        if set(item) == {"@graph"}:
            items.extend(item["@graph"])
        else:
            items.append(item)
    compacted["@graph"] = items
    compacted["@context"] = context_url
    return _reference_canonical_json(compacted)


def _reference_frame_organization(subgraph: Graph, lang: str | None = None) -> dict[str, Any]:
    ctx = context()
    triples: Any = subgraph
    if lang is not None:
        triples = _in_language(subgraph, lang)
        ctx = {**ctx, "@language": lang}
    frame = {
        "@context": ctx,
        "@type": "Organization",
        "contactPoint": {"@type": "ContactPoint", "@embed": "@always"},
    }
    framed = pyld.frame(expanded(triples), frame, {"embed": "@always", "omitGraph": True})
    framed["@context"] = _used_context(ctx, framed)
    return json.loads(_reference_canonical_json(framed))


def _same_framing(graph: Graph, lang: str | None, fast: bool = True) -> dict[str, Any]:
    """Assert the framed document equals PyLD's, bytes and key order; return it.

    ``fast``: whether the graph is one the framer does itself (else PyLD does).
    """
    triples = graph if lang is None else _in_language(graph, lang)
    assert (_framer(lang).frame(triples) is not None) == fast
    new = frame_organization(graph, lang)
    reference = _reference_frame_organization(graph, lang)
    assert canonical_json(new) == _reference_canonical_json(reference)
    # Same keys in the same order too: pages are rendered from the dict.
    assert json.dumps(new, ensure_ascii=False) == json.dumps(reference, ensure_ascii=False)
    return new


# ---------------------------------------------------------- bundled corpus


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    built, _ = build_dataset_from([CORPUS])
    return built


@pytest.fixture(scope="module")
def merged(dataset: Dataset) -> Graph:
    return union_graph(dataset)


def test_the_dump_is_rdflibs_byte_for_byte(dataset: Dataset) -> None:
    assert dataset_jsonld(dataset) == _reference_dataset_jsonld(dataset)


def test_the_corpus_dump_is_streamed_and_staged_as_rdflibs(
    dataset: Dataset, tmp_path: Path
) -> None:
    streamed = io.BytesIO()
    assert _DumpWriter(context()).write(dataset, streamed, "context.jsonld")  # not left to rdflib
    assert streamed.getvalue() == _reference_dataset_jsonld(dataset)
    staged = jsonld_files(dataset, tmp_path)["supportgraph.jsonld"]
    assert isinstance(staged, Staged) and staged.path.parent == tmp_path
    assert staged.path.read_bytes() == streamed.getvalue()


def test_graph_triples_are_the_stores_own(dataset: Dataset) -> None:
    # rdflib's memory store read directly, and any other store through store.triples.
    other = Graph(store="SimpleMemory")
    assert not isinstance(other.store, Memory)
    for built in (dataset, _small_dataset()):
        graphs = list(built.store.contexts())
        assert len(graphs) > 1
        for graph in graphs:
            expected = {t for t, _ in built.store.triples((None, None, None), graph)}
            assert expected and set(graph_triples(built.store, graph)) == expected
    other.add((URIRef(EX + "s"), SCHEMA.name, Literal("s")))
    assert set(graph_triples(other.store, other)) == {(URIRef(EX + "s"), SCHEMA.name, Literal("s"))}


def test_every_framed_document_is_pylds_byte_for_byte(merged: Graph) -> None:
    languages = [None, *corpus_languages(merged)]
    documents = framed_documents(merged, languages)
    assert len(documents) == len(monikers(merged)) * len(languages) >= 12
    for (moniker, lang), document in documents.items():
        reference = _reference_frame_organization(cloud_graph(merged, moniker), lang)
        assert canonical_json(document) == _reference_canonical_json(reference), (moniker, lang)
        assert json.dumps(document) == json.dumps(reference), (moniker, lang)
    assert documents[("o365-21vianet", "it")] == frame_cloud(merged, "o365-21vianet", "it")


# ------------------------------------------------------ hand-made graphs


def _organization(graph: Graph, name: str = "org") -> URIRef:
    org = URIRef(ID + f"organization/{name}")
    graph.add((org, RDF.type, SCHEMA.Organization))
    graph.add((org, SCHEMA.name, Literal("Contoso", lang="en")))
    return org


def _contact_point(graph: Graph, org: URIRef, name: str) -> URIRef:
    cp = URIRef(ID + f"contact-point/{name}")
    graph.add((org, SCHEMA.contactPoint, cp))
    graph.add((cp, RDF.type, SCHEMA.ContactPoint))
    return cp


def _small_graph() -> Graph:
    """Two contact points sharing one area and one hours node; one without hours."""
    graph = Graph()
    org = _organization(graph)
    area = URIRef(ID + "area/sweden")
    graph.add((area, RDF.type, SCHEMA.Country))
    graph.add((area, SCHEMA.name, Literal("Sweden", lang="en")))
    graph.add((area, SCHEMA.name, Literal("Sverige", lang="sv")))
    graph.add((area, SG.countryCode, Literal("SE")))
    hours = URIRef(ID + "hours/weekdays")
    graph.add((hours, RDF.type, SCHEMA.OpeningHoursSpecification))
    graph.add((hours, SCHEMA.dayOfWeek, SCHEMA.Monday))
    graph.add((hours, SCHEMA.dayOfWeek, SCHEMA.Tuesday))
    graph.add((hours, SCHEMA.opens, Literal("08:00:00", datatype=XSD.time)))
    graph.add((hours, SCHEMA.closes, Literal("17:00:00", datatype=XSD.time)))
    graph.add((hours, SG.timeZone, Literal("Europe/Stockholm")))
    graph.add((hours, SG.closedOnPublicHolidays, Literal(True)))
    for name, phone in (("phone", "+46201605899"), ("billing", "+46201605800")):
        cp = _contact_point(graph, org, name)
        graph.add((cp, SCHEMA.telephone, Literal(phone)))
        graph.add((cp, SCHEMA.areaServed, area))  # the same node under both
        graph.add((cp, SG.channelType, SG.PhoneChannel))  # @vocab-typed
        graph.add((cp, SCHEMA.contactOption, SCHEMA.TollFree))
        graph.add((cp, SCHEMA.availableLanguage, Literal("sv")))
        graph.add((cp, SCHEMA.contactType, Literal("technical support", lang="en")))
        graph.add((cp, SCHEMA.name, Literal(f"{name} line", lang="en")))
        graph.add((cp, SCHEMA.name, Literal(f"{name}linje", lang="sv")))
        graph.add((cp, SCHEMA.url, Literal("https://example.org/", datatype=XSD.anyURI)))
    graph.add((URIRef(ID + "contact-point/phone"), SCHEMA.hoursAvailable, hours))
    return graph


@pytest.mark.parametrize("lang", [None, "en", "sv", "it", "SV", "en-x-ps0001"])
def test_a_node_referenced_twice_is_embedded_twice(lang: str | None) -> None:
    document = _same_framing(_small_graph(), lang)
    areas = [cp["areaServed"] for cp in document["contactPoint"]]
    assert len(areas) == 2 and areas[0] == areas[1] and isinstance(areas[0], dict)
    hours = [cp.get("hoursAvailable") for cp in document["contactPoint"]]
    assert sorted(h is None for h in hours) == [False, True]


def test_text_falls_back_to_english() -> None:
    document = _same_framing(_small_graph(), "it")
    names = sorted(str(cp["name"]) for cp in document["contactPoint"])
    assert "{'@language': 'en', '@value': 'billing line'}" in names
    sv = _same_framing(_small_graph(), "sv")
    assert sorted(cp["name"] for cp in sv["contactPoint"]) == ["billinglinje", "phonelinje"]


@pytest.mark.parametrize("lang", [None, "sv"])
def test_values_the_terms_do_not_coerce_keep_their_form(lang: str | None) -> None:
    """Datatypes, IRIs and languages where the context's term expects another form."""
    graph = _small_graph()
    org = URIRef(ID + "organization/org")
    cp = _contact_point(graph, org, "odd")
    graph.add((cp, SCHEMA.url, URIRef(EX + "page")))  # an IRI, the term says xsd:anyURI
    graph.add((cp, SCHEMA.url, Literal("plain url")))
    graph.add((cp, SCHEMA.telephone, Literal("+1 800", lang="en")))  # the term says no language
    graph.add((cp, SCHEMA.areaServed, Literal("everywhere")))  # the term says @id
    graph.add((cp, SCHEMA.areaServed, URIRef(EX + "area/unknown")))  # no node, no prefix
    graph.add((cp, SG.channelType, Literal("phone")))  # the term says @vocab
    graph.add((cp, SG.supportType, URIRef(EX + "support/other")))  # @vocab, no prefix
    graph.add((cp, SCHEMA.contactOption, SCHEMA.contactPoint))  # an IRI that is a term
    graph.add((cp, SCHEMA.position, Literal(3)))  # xsd:integer as the term says
    graph.add((cp, SCHEMA.position, Literal("4", datatype=XSD.decimal)))
    graph.add((cp, SCHEMA.description, Literal("2026-11-22", datatype=XSD.date)))
    graph.add((cp, SCHEMA.description, Literal("x", datatype=URIRef(EX + "dt"))))
    graph.add((cp, SCHEMA.description, Literal("untagged text")))
    graph.add((cp, URIRef(EX + "property"), Literal("a property under no prefix")))
    graph.add((cp, RDFS.label, Literal("label", lang="sv")))
    graph.add((cp, RDF.type, URIRef(EX + "Type")))
    graph.add((cp, RDF.type, SG.Cloud))
    graph.add((cp, RDF.type, Literal("a literal type")))
    graph.add((cp, SG.moniker, Literal("o365-worldwide", datatype=XSD.string)))
    graph.add((cp, SCHEMA.provider, URIRef(EX + "provider")))
    document = _same_framing(graph, lang)
    odd = next(p for p in document["contactPoint"] if p["@id"].endswith("/odd"))
    assert "schema:url" in odd and "schema:areaServed" in odd  # the forms the terms cannot take


@pytest.mark.parametrize("lang", [None, "sv"])
def test_cycles_are_cut_where_pyld_cuts_them(lang: str | None) -> None:
    graph = _small_graph()
    org = URIRef(ID + "organization/org")
    cp = URIRef(ID + "contact-point/phone")
    area = URIRef(ID + "area/sweden")
    graph.add((area, SCHEMA.provider, org))  # back to the root
    graph.add((area, SCHEMA.containedInPlace, area))  # to itself
    graph.add((cp, SG.alternativeOf, cp))
    graph.add((area, SCHEMA.subjectOf, cp))  # back to its parent
    _same_framing(graph, lang)


@pytest.mark.parametrize("lang", [None, "sv"])
def test_several_organizations_and_the_shapes_left_to_pyld(lang: str | None) -> None:
    graph = _small_graph()
    second = _organization(graph, "second")
    _contact_point(graph, second, "second-line")
    _same_framing(graph, lang)  # two organizations: a top-level @graph
    lonely = Graph()
    _organization(lonely)
    _same_framing(lonely, lang, fast=False)  # no contact point: PyLD adds "contactPoint": null
    untyped = _small_graph()
    untyped.add((URIRef(ID + "organization/org"), SCHEMA.contactPoint, URIRef(EX + "x")))
    _same_framing(untyped, lang, fast=False)  # PyLD drops the contact point that is not one
    blank = _small_graph()
    hours = BNode()
    blank.add((URIRef(ID + "contact-point/billing"), SCHEMA.hoursAvailable, hours))
    blank.add((hours, SCHEMA.opens, Literal("09:00:00", datatype=XSD.time)))
    _same_framing(blank, lang, fast=False)  # blank nodes: PyLD names them
    listed = _small_graph()
    head = BNode()
    Collection(listed, head, [Literal("a"), Literal("b")])
    listed.add((URIRef(ID + "contact-point/billing"), SCHEMA.description, head))
    _same_framing(listed, lang, fast=False)
    empty = _small_graph()
    empty.add((URIRef(ID + "contact-point/billing"), SCHEMA.description, RDF.nil))
    _same_framing(empty, lang, fast=False)
    json_literal = _small_graph()
    json_literal.add(
        (
            URIRef(ID + "contact-point/billing"),
            SCHEMA.description,
            Literal("[1]", datatype=RDF.JSON),
        )
    )
    _same_framing(json_literal, lang, fast=False)
    nothing = Graph()
    nothing.add((URIRef(EX + "a"), SCHEMA.name, Literal("not an organization")))
    _same_framing(nothing, lang, fast=False)


# ------------------------------------------------------------------ dump


def _small_dataset() -> Dataset:
    dataset = Dataset()
    for triple in _small_graph():
        dataset.add(triple)
    doc = URIRef(ID + "document/en-US/a")
    named = dataset.graph(doc)
    named.add((doc, RDF.type, SG.SourceDocument))
    named.add((URIRef(ID + "area/sweden"), SCHEMA.name, Literal("Sweden", lang="en")))
    return dataset


def test_the_dump_of_small_datasets_is_rdflibs() -> None:
    dataset = _small_dataset()
    assert dataset_jsonld(dataset) == _reference_dataset_jsonld(dataset)
    odd = dataset.graph(URIRef(ID + "document/it-IT/b"))
    s = URIRef(EX + "thing")  # under no prefix
    for value in (
        Literal(2.5),
        Literal("1e3", datatype=XSD.double),
        Literal("12", datatype=XSD.integer),
        Literal("not a number", datatype=XSD.integer),
        Literal("2026-11-22", datatype=XSD.date),
        Literal("x", datatype=URIRef(EX + "dt")),
        Literal("plain"),
        Literal("typed", datatype=XSD.string),
        Literal("tagged", lang="sv"),
    ):
        odd.add((s, SCHEMA.description, value))
    odd.add((s, SCHEMA.opens, Literal("9")))  # a term with a type, a value without
    odd.add((s, SCHEMA.opens, URIRef(EX + "nine")))
    odd.add((s, SCHEMA.url, URIRef(EX + "page")))
    odd.add((s, SCHEMA.areaServed, URIRef(ID + "area/sweden")))
    odd.add((s, SCHEMA.areaServed, Literal("everywhere")))
    odd.add((s, SG.channelType, SG.PhoneChannel))
    odd.add((s, SG.channelType, URIRef(EX + "channel")))
    odd.add((s, SG.channelType, Literal("phone")))
    odd.add((s, RDF.type, Literal("a literal type")))
    odd.add((s, RDF.type, URIRef(EX + "Type")))
    odd.add((s, URIRef(EX + "property"), URIRef(EX + "object")))
    odd.add((s, RDFS.label, Literal("label", lang="en")))
    odd.add((s, SCHEMA.position, Literal(3)))
    odd.add((s, SCHEMA.dayOfWeek, Literal(False)))  # falsy, but alone
    odd.add((s, SCHEMA.name, Literal("")))
    odd.add((s, SCHEMA.text, Literal(0)))
    assert _DumpWriter(context()).convert(dataset) is not None  # not left to rdflib
    assert dataset_jsonld(dataset) == _reference_dataset_jsonld(dataset)


@pytest.mark.parametrize("falsy", [Literal(""), Literal(0), Literal(False), Literal(0.0)])
def test_a_falsy_value_among_others_is_left_to_rdflib(falsy: Literal) -> None:
    """rdflib's writer replaces a falsy first value by the next one: it depends on its order."""
    dataset = _small_dataset()
    s = URIRef(EX + "thing")
    dataset.add((s, SCHEMA.description, falsy))
    dataset.add((s, SCHEMA.description, Literal("other")))
    assert _DumpWriter(context()).convert(dataset) is None
    assert dataset_jsonld(dataset) == _reference_dataset_jsonld(dataset)


def test_a_dump_that_cannot_be_streamed_leaves_the_file_as_it_was() -> None:
    single = Dataset()  # a default graph of one node: rdflib's writer gives another shape
    single.add((URIRef(EX + "only"), SCHEMA.name, Literal("only")))
    single.graph(URIRef(EX + "g")).add((URIRef(EX + "x"), SCHEMA.name, Literal("x")))
    blank = _small_dataset()  # a blank node in a named graph, read after others
    blank.graph(URIRef(ID + "document/zz/z")).add((URIRef(EX + "thing"), SCHEMA.name, BNode()))
    for dataset in (single, blank):
        out = io.BytesIO()
        out.write(b"before")
        assert not _DumpWriter(context()).write(dataset, out, "context.jsonld")
        assert out.getvalue() == b"before"
        write_dataset_jsonld(dataset, out)
        assert out.getvalue() == b"before" + _reference_dataset_jsonld(dataset)


def test_the_dump_quirks_of_rdflibs_writer() -> None:
    # A default graph of one node is written as that node, not a graph object.
    single = Dataset()
    single.add((URIRef(EX + "only"), SCHEMA.name, Literal("only")))
    single.graph(URIRef(EX + "g")).add((URIRef(EX + "x"), SCHEMA.name, Literal("x")))
    assert dataset_jsonld(single) == _reference_dataset_jsonld(single)
    # ... and a named graph of the same IRI is merged into it.
    assert _DumpWriter(context()).convert(single) is not None
    same = Dataset()
    same.add((URIRef(EX + "g"), SCHEMA.name, Literal("g")))
    same.graph(URIRef(EX + "g")).add((URIRef(EX + "x"), SCHEMA.name, Literal("x")))
    assert dataset_jsonld(same) == _reference_dataset_jsonld(same)
    only_named = Dataset()
    only_named.graph(URIRef(EX + "g")).add((URIRef(EX + "x"), SCHEMA.name, Literal("x")))
    assert dataset_jsonld(only_named) == _reference_dataset_jsonld(only_named)
    assert dataset_jsonld(Dataset()) == _reference_dataset_jsonld(Dataset())


def test_the_dump_leaves_blank_nodes_and_lists_to_rdflib() -> None:
    blank = _small_dataset()
    node = BNode()
    blank.add((URIRef(EX + "thing"), SCHEMA.hoursAvailable, node))
    blank.add((node, SCHEMA.opens, Literal("09:00:00", datatype=XSD.time)))
    assert dataset_jsonld(blank) == _reference_dataset_jsonld(blank)
    listed = _small_dataset()
    head = BNode()
    Collection(listed.default_graph, head, [Literal("a"), Literal("b")])
    listed.add((URIRef(EX + "thing"), SCHEMA.description, head))
    assert dataset_jsonld(listed) == _reference_dataset_jsonld(listed)
    nil = _small_dataset()
    nil.add((URIRef(EX + "thing"), SCHEMA.description, RDF.nil))
    assert dataset_jsonld(nil) == _reference_dataset_jsonld(nil)


# ---------------------------------------------------------- canonical JSON


KEYS = ["", "a", "ab", "a b", 'a"', "a\\", "@graph", "@type", "@value", "é", "\x00", "v"]


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    strings = ["", "a", "b", "ab", "ab c", "ab!", 'q"uote', "back\\slash", "tab\t", "é", "\u2028"]
    strings += ["<script>", "\x00", "😀", "https://schema.org/name", "@id"]
    kind = rng.randrange(10 if depth < 4 else 6)
    if kind == 0:
        return rng.choice(strings)
    if kind == 1:
        return rng.choice([0, 1, -7, 10**30, True, False, None])
    if kind == 2:
        return rng.choice([0.0, -0.0, 1.5, 1e300, 1e-7, math.inf, -math.inf, math.nan])
    if kind < 6:
        return rng.choice(strings)
    if kind < 8:
        items = [_random_json(rng, depth + 1) for _ in range(rng.randrange(5))]
        for _ in range(rng.randrange(4)):  # objects, some with the same @id, keys alike
            item = {"@id": rng.choice(["x", "y"])} if rng.random() < 0.8 else {}
            for _ in range(rng.randrange(3)):
                item[rng.choice(KEYS)] = _random_json(rng, depth + 1)
            items.append(item)
        return items
    return {rng.choice(strings): _random_json(rng, depth + 1) for _ in range(rng.randrange(5))}


def test_canonical_json_is_the_standard_librarys() -> None:
    rng = random.Random(20261122)
    for _ in range(5000):
        document = _random_json(rng)
        assert canonical_json(document) == _reference_canonical_json(document)
    for document in ({}, [], "", {"a": []}, {"a": {}}, [[], {}], {"@id": 1}, [{"@id": [2, 1]}]):
        assert canonical_json(document) == _reference_canonical_json(document)
    for document in ({1: "a"}, {"a": (2, 1)}, [("b", "a")], {"a": URIRef(EX)}):
        # Not JSON's own types: json.dumps's way.
        assert canonical_json(document) == _reference_canonical_json(document)
    with pytest.raises(TypeError):
        canonical_json({"a": object()})
