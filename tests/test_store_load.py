"""supportgraph.store.load on many graphs per request, against a real Oxigraph server.

The request layout of a pack (one ``DELETE … VALUES ?g``, then one ``INSERT DATA`` for all
its graphs), the N-Triples written by pyoxigraph, the request prepared by a worker thread
while the previous one runs, and ASK answers read without rdflib.
"""

from __future__ import annotations

import re
import threading
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from oxigraph_server import Reply
from supportgraph.errors import StoreError
from supportgraph.store import (
    DEFAULT_GRAPH,
    LoadError,
    count_triples_per_graph,
    load,
    query_endpoint,
)
from supportgraph.store_data import GraphData
from supportgraph.store_load import FIRST_PACK, _plan

EX = "https://example.org/"
GRAPHS = 60


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("USER", "PASSWORD", "TOKEN"):
        monkeypatch.delenv(f"SUPPORTGRAPH_ENDPOINT_{name}", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


def graph(n: int) -> str:
    return f"{EX}graph/{n}"


def sizes(version: int) -> dict[str, int]:
    """Triples per graph: they differ between versions, some graphs grow, some shrink."""
    return {graph(n): 1 + (n * 7 + version * 5) % 23 for n in range(GRAPHS)}


def write_version(path: Path, version: int) -> Path:
    """N-Quads, the graphs interleaved line by line (as in a published dataset), a default
    graph, a duplicate quad, and literals that look like RDF 1.2 or blank nodes."""
    lines = []
    counts = sizes(version)
    for i in range(max(counts.values())):
        for name, count in counts.items():
            if i < count:
                text = f'v{version} {i} <<( not a triple term )>> @en--ltr _:b0 \\" }} ;'
                lines.append(f'<{EX}s{i}> <{EX}p> "{text}" <{name}> .')
    lines.append(lines[0])  # a duplicate: counted once
    for i in range(5 + version):
        lines.append(f"<{EX}s{i}> <{EX}merged> <{EX}o{version}> .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def expected(version: int) -> dict[str, int]:
    return dict(sizes(version))


def default_count(server) -> int:
    result = query_endpoint("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", server.query)
    return int(result.rows[0]["n"])


def test_many_graphs_exact_counts_and_reload(oxigraph, tmp_path: Path) -> None:
    v1, v2 = write_version(tmp_path / "v1.nq", 1), write_version(tmp_path / "v2.nq", 2)
    for path, version in ((v1, 1), (v1, 1), (v2, 2), (v1, 1)):
        report = load(path, oxigraph.query, update_endpoint=oxigraph.update, batch_triples=100)
        assert count_triples_per_graph(oxigraph.query) == expected(version)
        assert default_count(oxigraph) == 5 + version
        assert report.triples_per_graph[DEFAULT_GRAPH] == 5 + version
        assert report.total_triples == sum(expected(version).values()) + 5 + version
        assert report.batches > 5  # several packs, so the worker thread prepared most


def test_a_reader_never_sees_a_partial_graph_of_a_pack(oxigraph, tmp_path: Path) -> None:
    v1, v2 = write_version(tmp_path / "v1.nq", 1), write_version(tmp_path / "v2.nq", 2)
    allowed = {name: {expected(1)[name], expected(2)[name]} for name in expected(1)}
    load(v1, oxigraph.query, update_endpoint=oxigraph.update)
    stop = threading.Event()
    observed: list[dict[str, int]] = []

    def reader() -> None:
        while not stop.is_set() and len(observed) < 5000:
            observed.append(count_triples_per_graph(oxigraph.query))

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        for path in (v2, v1, v2, v1):
            load(path, oxigraph.query, update_endpoint=oxigraph.update, batch_triples=150)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive() and observed
    for counts in observed:
        # the probe graph may show for a moment (documented); the data graphs never go missing
        data = {k: v for k, v in counts.items() if not k.startswith("urn:supportgraph:staging:")}
        assert set(data) == set(allowed)
        for name, count in data.items():
            assert count in allowed[name], (name, count)


def test_a_failed_pack_leaves_its_graphs_as_they_were(oxigraph, make_proxy, tmp_path) -> None:
    v1, v2 = write_version(tmp_path / "v1.nq", 1), write_version(tmp_path / "v2.nq", 2)
    load(v1, oxigraph.query, update_endpoint=oxigraph.update)
    data_requests: list[int] = []

    def rule(seen):
        if "INSERT DATA" in seen.text and "v2 " in seen.text:
            data_requests.append(seen.number)
            if len(data_requests) == 3:  # the third pack fails, the first two went in
                return Reply(500, b"disk full")
        return None

    proxy = make_proxy(rule)
    with pytest.raises(LoadError) as caught:
        load(
            v2,
            proxy.url + "/query",
            update_endpoint=proxy.url + "/update",
            batch_triples=100,
            retries=0,
        )
    error = caught.value
    assert "HTTP 500" in str(error) and "\n" not in str(error)
    assert error.loaded and error.not_loaded
    counts = count_triples_per_graph(oxigraph.query)
    assert set(counts) == set(expected(1))  # and no staging or probe graph left
    for name in expected(1):
        version = 2 if name in error.loaded else 1
        assert counts[name] == expected(version)[name], name
    assert default_count(oxigraph) == (7 if DEFAULT_GRAPH in error.loaded else 6)


def test_blank_nodes_shared_by_two_graphs_become_one_per_graph(oxigraph, tmp_path) -> None:
    path = tmp_path / "shared.nq"
    path.write_text(
        f'_:x <{EX}p> "a" <{graph(1)}> .\n_:x <{EX}p> "a" <{graph(2)}> .\n'
        f'_:x <{EX}q> _:y <{graph(2)}> .\n_:x <{EX}p> "a" .\n',
        encoding="utf-8",
    )
    for _ in range(2):
        load(path, oxigraph.query, update_endpoint=oxigraph.update)
        assert count_triples_per_graph(oxigraph.query) == {graph(1): 1, graph(2): 2}
        shared = query_endpoint(
            "ASK { GRAPH ?a { ?x ?p ?o } GRAPH ?b { ?x ?q ?r } FILTER(?a != ?b) }",
            oxigraph.query,
        )
        assert shared.ask is False
        in_default = query_endpoint(
            "ASK { ?x ?p ?o GRAPH ?g { ?x ?q ?r } }",
            oxigraph.query,
        )
        assert in_default.ask is False


@pytest.mark.parametrize(
    ("quad", "said"),
    [
        (f'<{EX}s> <{EX}p> "x"@en--ltr <{EX}g> .', "base direction (RDF 1.2)"),
        (f"<{EX}s> <{EX}p> <<( <{EX}a> <{EX}b> <{EX}c> )>> <{EX}g> .", "triple terms (RDF 1.2)"),
    ],
)
def test_rdf_1_2_terms_are_refused_and_change_nothing(oxigraph, tmp_path, quad, said):
    path = tmp_path / "rdf12.nq"
    path.write_text(quad + "\n", encoding="utf-8")
    with pytest.raises(StoreError, match=re.escape(said)):
        load(path, oxigraph.query, update_endpoint=oxigraph.update)
    assert count_triples_per_graph(oxigraph.query) == {}


def test_ask_answers_in_xml_and_answers_that_are_not_ask(make_proxy, tmp_path) -> None:
    path = write_version(tmp_path / "v1.nq", 1)
    xml = (
        b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        b"<head/><boolean>true</boolean></sparql>"
    )

    def as_xml(seen):
        query = urllib.parse.unquote_plus(seen.text)
        if seen.path.startswith("/query") and "ASK" in query:
            return Reply(200, xml, "application/sparql-results+xml", after_forward=True)
        return None

    proxy = make_proxy(as_xml)
    load(path, proxy.url + "/query", update_endpoint=proxy.url + "/update")
    assert count_triples_per_graph(proxy.url + "/query") == expected(1)
    select = b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}'
    other = make_proxy(lambda seen: Reply(200, select, "application/sparql-results+json"))
    with pytest.raises(StoreError, match=r"is not a SPARQL endpoint \(.*not an ASK answer\)"):
        load(path, other.url + "/query", retries=0)


def sized(*counts: int) -> list[GraphData]:
    """Graphs of the given sizes (only their lengths matter to the planner)."""
    triple = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("o"))
    return [GraphData(graph(n), [triple] * count) for n, count in enumerate(counts)]


def test_packs_start_small_and_double_up_to_the_batch() -> None:
    assert FIRST_PACK * 16 < 100_000 < FIRST_PACK * 32  # the sizes below
    graphs = sized(*[FIRST_PACK // 4] * 200)
    jobs = _plan(graphs, 100_000)
    sizes_sent = [sum(len(graph.triples) for graph in job) for job in jobs]
    assert sizes_sent[:5] == [FIRST_PACK * 2**k for k in range(5)]
    assert all(size <= 100_000 for size in sizes_sent)
    assert sum(sizes_sent) == FIRST_PACK // 4 * 200
    assert [graph for job in jobs for graph in job] == graphs  # file order, each graph once


def test_a_graph_up_to_the_batch_is_sent_whole_and_a_larger_one_staged() -> None:
    graphs = sized(3, 50_000, 2, 100_001, 1)
    jobs = _plan(graphs, 100_000)
    assert [[graphs.index(graph) for graph in job] for job in jobs] == [[0], [1], [2], [3], [4]]
    small = _plan(sized(*[30] * 10), 100)  # a batch below FIRST_PACK bounds every pack
    assert [len(job) for job in small] == [3, 3, 3, 1]
