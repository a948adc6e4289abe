"""What makes the embedded queries fast must not change their answers (no timings here).

Queries that name no graph run on a store of the default graph alone; the dataset file is
reloaded when it changes; a query text's analysis is cached but its bindings are not.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Literal

from supportgraph.build import build
from supportgraph.errors import QueryError
from supportgraph.query import _identity, _store, bind, load_query, query, query_names
from supportgraph.sparql import bind_query, uses_named_graphs

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
