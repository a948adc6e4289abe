"""``GraphSets`` (one unindexed set per graph) and ``build_graphs``, which a build uses.

The store must answer what rdflib's Dataset and the writers ask exactly as
rdflib's memory store does; a build's dataset must hold the statements of
``build_dataset`` and give the same output files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS

from supportgraph.build import build_dataset_from, build_graphs_from, ingest_corpus, report
from supportgraph.extract import extract
from supportgraph.graph import build_dataset, build_graphs, graph_triples
from supportgraph.graph.sets import GraphSets
from supportgraph.publish import render_outputs
from supportgraph.validate import validate

EX = "https://example.org/"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
A, B, C = URIRef(EX + "a"), URIRef(EX + "b"), URIRef(EX + "c")
G1, G2 = URIRef(EX + "g1"), URIRef(EX + "g2")


def filled(store_factory) -> Dataset:
    dataset = Dataset(store=store_factory())
    dataset.bind("ex", EX)
    dataset.graph(G1).add((A, RDFS.label, Literal("a", lang="en")))
    dataset.graph(G1).add((A, RDF.type, B))
    dataset.graph(G2).add((A, RDF.type, B))
    dataset.graph(G2).add((B, RDFS.label, Literal("b")))
    dataset.default_graph.add((C, RDFS.seeAlso, A))
    dataset.graph(URIRef(EX + "empty"))
    return dataset


@pytest.fixture(params=["GraphSets", "Memory"])
def dataset(request) -> Dataset:
    return filled(GraphSets if request.param == "GraphSets" else lambda: "Memory")


def test_patterns_graphs_and_lengths_are_answered_as_by_rdflibs_memory_store(
    dataset: Dataset,
) -> None:
    quads = sorted(dataset.quads((None, None, None, None)))
    assert quads == [
        (A, RDF.type, B, G1),
        (A, RDF.type, B, G2),
        (A, RDFS.label, Literal("a", lang="en"), G1),
        (B, RDFS.label, Literal("b"), G2),
        (C, RDFS.seeAlso, A, DATASET_DEFAULT_GRAPH_ID),
    ]
    assert sorted(dataset.quads((A, RDF.type, None, None))) == [
        (A, RDF.type, B, G1),
        (A, RDF.type, B, G2),
    ]
    assert list(dataset.quads((None, RDF.first, None, None))) == []
    assert list(dataset.graph(G2).triples((None, RDFS.label, None))) == [
        (B, RDFS.label, Literal("b"))
    ]
    assert len(dataset.graph(G1)) == 2 and len(dataset.graph(URIRef(EX + "empty"))) == 0
    assert len(dataset.store) == 4  # distinct statements of every graph
    names = sorted(str(g.identifier) for g in dataset.graphs())
    assert names == sorted([EX + "empty", str(G1), str(G2), str(DATASET_DEFAULT_GRAPH_ID)])
    holding = sorted(str(g.identifier) for g in dataset.store.contexts((A, RDF.type, B)))
    assert holding == [str(G1), str(G2)]
    assert dataset.namespace_manager.store.namespace("ex") == URIRef(EX)
    assert set(graph_triples(dataset.store, dataset.graph(G2))) == {
        (A, RDF.type, B),
        (B, RDFS.label, Literal("b")),
    }


def test_statements_are_removed_from_one_graph_or_from_every_graph(dataset: Dataset) -> None:
    dataset.graph(G1).remove((A, RDF.type, None))
    assert (A, RDF.type, B) not in dataset.graph(G1)
    assert (A, RDF.type, B) in dataset.graph(G2)
    dataset.remove((A, None, None))
    assert not list(dataset.quads((A, None, None, None)))


def test_a_graph_sets_dataset_serializes_like_a_memory_one() -> None:
    sets, memory = filled(GraphSets), filled(lambda: "Memory")
    # rdflib writes in the store's order, which for both is the order of a set.
    lines = sets.serialize(format="nquads").splitlines()
    assert sorted(lines) == sorted(memory.serialize(format="nquads").splitlines())
    assert len(lines) == 6  # five statements and the blank line rdflib ends with
    trig = Dataset().parse(data=sets.serialize(format="trig"), format="trig")
    assert sorted(trig.quads()) == sorted(memory.quads())


def test_quoted_statements_are_refused() -> None:
    with pytest.raises(TypeError, match="no formulae"):
        GraphSets().add((A, RDF.type, B), Graph(identifier=G1), quoted=True)


@pytest.fixture(scope="module")
def extractions():
    return extract(ingest_corpus([CORPUS], jobs=1))


def test_a_builds_dataset_holds_the_statements_of_build_dataset(extractions) -> None:
    indexed = build_dataset(extractions)
    sets, merged = build_graphs(extractions)
    names = {g.identifier for g in indexed.graphs() if len(g)}
    assert names == {g.identifier for g in sets.graphs() if len(g)}
    for name in names:
        expected = set(graph_triples(indexed.store, indexed.graph(name)))
        assert set(graph_triples(sets.store, sets.graph(name))) == expected, name
    assert set(merged) == set(indexed.default_graph)
    assert dict(merged.namespaces()) == dict(indexed.namespaces())
    assert report(sets, extractions) == report(indexed, extractions)


def test_a_builds_dataset_gives_the_same_files_as_build_dataset(extractions) -> None:
    indexed, _ = build_dataset_from([CORPUS])
    sets, merged = build_graphs(extractions)
    validation = validate(merged)
    assert validation.results == validate(indexed).results
    from_sets = render_outputs(sets, validation=validation, merged=merged)
    from_indexed = render_outputs(indexed, validation=validation)
    assert from_sets.keys() == from_indexed.keys()
    for name, data in from_indexed.items():
        assert from_sets[name] == data, name


def test_a_set_of_statements_is_taken_whole_by_a_new_graph_and_added_to_an_old_one() -> None:
    dataset = Dataset(store=GraphSets())
    store = dataset.store
    first = {(A, RDF.type, B)}
    store.update(dataset.graph(G1), first)  # dataset.graph made it, empty
    assert store.graph_set(G1) is first
    store.update(dataset.graph(G1), {(B, RDF.type, C)})
    assert store.graph_set(G1) == {(A, RDF.type, B), (B, RDF.type, C)}
    assert list(dataset.quads((None, None, C, None))) == [(B, RDF.type, C, G1)]


def test_build_graphs_from_runs_the_builds_own_stages(extractions) -> None:
    made, sets, merged = build_graphs_from([CORPUS], jobs=1)
    assert made == extractions
    assert set(merged) == set(build_graphs(extractions)[1])
    assert sum(len(g) for g in sets.graphs()) == report(sets, made).triples
