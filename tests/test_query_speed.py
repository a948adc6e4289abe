"""What makes the embedded queries fast must not change their answers (no timings here).

Queries that name no graph run on a store of the default graph alone, narrowed to the
statements with the predicates their patterns can match; the dataset file is reloaded when it
changes; a query text's analysis is cached but its bindings are not.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Literal

from supportgraph.build import build
from supportgraph.errors import QueryError
from supportgraph.query import (
    _identity,
    _predicate_store,
    _query_store,
    _store,
    bind,
    load_query,
    query,
    query_names,
)
from supportgraph.sparql import bind_query, matched_predicates, uses_named_graphs

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

# Parameters for every bundled query that has required ones.
PARAMS = {
    "phones": {"cloud": "o365-germany", "country": "DE", "support_type": "billing", "lang": "de"},
    "hours": {"cloud": "o365-germany", "country": "DE", "support_type": "billing"},
    "open-now": {
        "cloud": "o365-germany",
        "country": "DE",
        "support_type": "billing",
        "at": "2026-11-23T09:30:00Z",
    },
    "severities": {"cloud": "o365-21vianet", "lang": "en"},
    "customer-duties": {"cloud": "o365-21vianet", "severity": "A", "lang": "it"},
    "responsibilities": {"cloud": "o365-21vianet", "lang": "sv"},
    "channels": {"cloud": "o365-worldwide", "lang": "it"},
    "label": {"notation": "A", "lang": "sv"},
    "provenance": {"telephone": "+18008659408"},
}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build([CORPUS], out)
    return out / "supportgraph.trig"


def test_only_queries_naming_a_graph_need_the_named_graphs():
    assert uses_named_graphs(load_query("provenance").text)
    assert uses_named_graphs("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }")
    assert uses_named_graphs("select * { graph ?g { ?s ?p ?o } }")
    for name in set(query_names()) - {"provenance"}:
        assert not uses_named_graphs(load_query(name).text), name
    # Words inside IRIs, strings and comments do not count.
    assert not uses_named_graphs('SELECT * WHERE { <urn:GRAPH> ?p "FROM" } # GRAPH')


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_the_default_graph_store_gives_the_full_store_s_answers_in_its_order(dataset, name):
    named = load_query(name)
    bound = bind_query(named.text, bind(named, PARAMS[name]))
    full = _store(*_identity(dataset), True)
    default_only = _store(*_identity(dataset), False)
    assert len(default_only) < len(full)
    if uses_named_graphs(named.text):
        return
    expected = [list(solution) for solution in full.query(bound)]
    assert expected, f"{name} has no answer to compare"
    assert [list(solution) for solution in default_only.query(bound)] == expected


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_the_predicate_store_gives_the_whole_store_s_answers_in_its_order(dataset, name):
    named = load_query(name)
    named_graphs = uses_named_graphs(named.text)
    predicates = matched_predicates(named.text)
    assert predicates, f"{name}: every bundled query's patterns have known predicates"
    narrowed = _predicate_store(_identity(dataset), named_graphs, predicates)
    whole = _store(*_identity(dataset), named_graphs)
    assert _query_store(named.text, _identity(dataset)) is narrowed
    assert len(narrowed) < len(whole)
    bound = bind_query(named.text, bind(named, PARAMS[name]))
    expected = [list(solution) for solution in whole.query(bound)]
    assert expected, f"{name} has no answer to compare"
    assert [list(solution) for solution in narrowed.query(bound)] == expected


def test_the_predicate_store_keeps_every_named_graph(tmp_path):
    dataset = tmp_path / "data.trig"
    dataset.write_text(
        "@prefix ex: <https://example.org/> .\n"
        + "".join(
            f'ex:g{i} {{ ex:a ex:{"label" if i % 3 else "other"} "in g{i}" . }}\n'
            for i in range(12)
        ),
        encoding="utf-8",
    )
    every_graph = tmp_path / "graphs.rq"
    every_graph.write_text("SELECT ?g WHERE { GRAPH ?g { } }", encoding="utf-8")
    labelled = tmp_path / "labelled.rq"
    labelled.write_text(
        "PREFIX ex: <https://example.org/> SELECT ?g WHERE { GRAPH ?g { ?s ex:label ?l } }",
        encoding="utf-8",
    )
    graphs = {str(row["g"]) for row in query(every_graph, dataset=dataset).rows}
    assert graphs == {f"https://example.org/g{i}" for i in range(12)}  # (in no set order)
    assert len(query(labelled, dataset=dataset).rows) == 8


def test_the_predicates_a_query_can_match():
    assert matched_predicates(
        "PREFIX ex: <urn:ex:> SELECT * WHERE { ?s a ex:T ; ex:a/^ex:b|ex:c+ ?o "
        "FILTER EXISTS { ?o ex:e ?z } MINUS { ?s ex:m ?q } "
        "OPTIONAL { SELECT ?s WHERE { ?s ex:sub ?y } } }"
    ) == {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        *(f"urn:ex:{name}" for name in ("a", "b", "c", "e", "m", "sub")),
    }
    assert matched_predicates("ASK {}") == frozenset()


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o }",  # any predicate
        "SELECT * WHERE { ?s <urn:a> ?o FILTER NOT EXISTS { ?o ?p ?s } }",
        "SELECT * WHERE { ?s !<urn:a> ?o }",  # any other predicate
        "SELECT * WHERE { ?s <urn:a>* ?o }",  # every node, with itself
        "SELECT * WHERE { ?s <urn:a>? ?o }",
        "DESCRIBE <urn:x>",  # every statement about it
        "SELECT * WHERE { SERVICE <urn:s> { ?s <urn:a> ?o } }",
        "SELECT * WHERE { ?s <urn:a> ?o",  # rdflib cannot read it
        "SELECT * WHERE { ?s <a> ?o }",  # a relative IRI (and no base): an error
    ],
)
def test_a_query_that_may_match_any_statement_runs_on_the_whole_default_graph(text):
    assert matched_predicates(text) is None


def test_a_query_with_a_relative_predicate_is_still_a_query_error(tmp_path):
    dataset = tmp_path / "data.trig"
    dataset.write_text(TRIG.format(label="first"), encoding="utf-8")
    relative = tmp_path / "relative.rq"
    relative.write_text("SELECT * WHERE { ?s <label> ?o }", encoding="utf-8")
    with pytest.raises(QueryError, match="invalid SPARQL"):
        query(relative, dataset=dataset)


def test_a_query_that_may_match_any_predicate_gets_the_same_answer(tmp_path):
    dataset = tmp_path / "data.trig"
    dataset.write_text(TRIG.format(label="first"), encoding="utf-8")
    any_predicate = tmp_path / "any.rq"
    any_predicate.write_text("SELECT ?p ?o WHERE { ?s ?p ?o }", encoding="utf-8")
    zero_length = tmp_path / "zero.rq"
    zero_length.write_text(
        "SELECT ?s WHERE { ?s <https://example.org/other>* ?s } ORDER BY ?s", encoding="utf-8"
    )
    rows = query(any_predicate, dataset=dataset).rows
    assert [(str(row["p"]), str(row["o"])) for row in rows] == [
        ("https://example.org/label", "first")
    ]
    # A zero-length path matches every subject and object, whatever its predicates.
    assert [str(row["s"]) for row in query(zero_length, dataset=dataset).rows] == [
        "https://example.org/a",
        "first",
    ]


TRIG = """@prefix ex: <https://example.org/> .
ex:a ex:label "{label}"@en .
<https://example.org/g> {{ ex:a ex:label "only in a named graph"@en . }}
"""
LABEL = """# param lang: string  a language
PREFIX ex: <https://example.org/>
SELECT ?label WHERE {{ ?thing ex:label ?label . FILTER(LANGMATCHES(LANG(?label), ?lang)) }}
"""
GRAPH_LABEL = """# param lang: string  a language
PREFIX ex: <https://example.org/>
SELECT ?label WHERE {{
  GRAPH ?g {{ ?thing ex:label ?label }}
  FILTER(LANGMATCHES(LANG(?label), ?lang))
}}
"""


def _labels(path: Path, dataset: Path) -> list[str]:
    return [str(row["label"]) for row in query(path, {"lang": "en"}, dataset=dataset).rows]


def test_a_changed_dataset_file_is_read_again(tmp_path):
    dataset = tmp_path / "data.trig"
    plain, graph = tmp_path / "label.rq", tmp_path / "graph-label.rq"
    plain.write_text(LABEL.format(), encoding="utf-8")
    graph.write_text(GRAPH_LABEL.format(), encoding="utf-8")
    dataset.write_text(TRIG.format(label="first"), encoding="utf-8")
    assert _labels(plain, dataset) == ["first"]
    assert _labels(graph, dataset) == ["only in a named graph"]
    # Same modification time, another size: still read again.
    stat = dataset.stat()
    dataset.write_text(TRIG.format(label="the second"), encoding="utf-8")
    os.utime(dataset, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _labels(plain, dataset) == ["the second"]


def test_a_missing_dataset_is_an_error(tmp_path):
    with pytest.raises(QueryError, match="no dataset"):
        query("label", {"notation": "A", "lang": "en"}, dataset=tmp_path / "none.trig")


def test_a_cached_query_text_is_bound_afresh_each_time():
    text = load_query("label").text
    first = bind_query(text, {"lang": Literal("sv")})
    second = bind_query(text, {"lang": Literal("it")})
    assert '"sv"' in first and '"it"' not in first
    assert '"it"' in second and '"sv"' not in second
    with pytest.raises(QueryError, match="no variable"):
        bind_query(text, {"nothing": Literal("x")})
