"""supportgraph.store against a real Oxigraph server (fixtures in tests/oxigraph_server.py).

Requests that must fail go through a scripted proxy on 127.0.0.1 in front of the server.
"""

from __future__ import annotations

import base64
import logging
import socket
import threading
import traceback
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.sparql import prepareQuery

from oxigraph_server import Hang, Reply
from supportgraph.errors import QueryError, StoreError
from supportgraph.sparql import literal
from supportgraph.store import (
    DEFAULT_GRAPH,
    LoadError,
    QueryResult,
    bind_query,
    count_triples_per_graph,
    load,
    query_endpoint,
)
from supportgraph.store_data import SKOLEM_BASE

EX = Namespace("https://example.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # not rdflib's: pytest's probing warns
G1, G2, G3 = (f"https://example.org/graph/{name}" for name in ("one", "two", "three"))
SPECIAL = [
    Literal('SE" } ; DROP ALL ; #'),
    Literal("back\\slash \\u0022 {braces} \\n"),
    Literal("line 1\nline 2\r\nline 3", lang="sv"),
    Literal('"""triple""" and \'single\''),
    Literal("tab\there, ünïcødé ☎", lang="it"),
    Literal("x> } DROP ALL #"),
    Literal("42", datatype=XSD.integer),
]
PASSWORD = "s3cret-PASSword"
TOKEN = "tok-0123456789-secret"
BATCH = 7
# rdflib's own serializers and parsers use its deprecated ConjunctiveGraph API internally
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credential from the environment or the real ~/.netrc leaks into a test."""
    for name in ("USER", "PASSWORD", "TOKEN"):
        monkeypatch.delenv(f"SUPPORTGRAPH_ENDPOINT_{name}", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


def make_dataset(version: int) -> Dataset:
    """Three graphs whose sizes differ between versions: G1, G3 larger than a batch, G2 not."""
    dataset = Dataset()
    one = dataset.graph(URIRef(G1))
    for i in range(15 + 3 * version):
        one.add((EX[f"s{i}"], EX.label, Literal(f"item {i}, version {version}", lang="en")))
    for i, value in enumerate(SPECIAL):
        one.add((EX.special, EX[f"p{i}"], value))
    hours = BNode()
    one.add((EX.s0, EX.hours, hours))
    one.add((hours, EX.opens, Literal("09:00:00", datatype=XSD.time)))
    two = dataset.graph(URIRef(G2))
    contact = BNode()
    two.add((EX.se, EX.code, Literal("SE")))
    two.add((EX.se, EX.contact, contact))
    two.add((contact, EX.phone, Literal("+46201605899")))
    for i in range(version):
        two.add((EX.se, EX.note, Literal(f"note {i}", lang="sv")))
    three = dataset.graph(URIRef(G3))
    for i in range(15 - 3 * version):
        three.add((EX[f"t{i}"], EX.value, Literal(i)))
    return dataset


def write(dataset: Dataset, path: Path) -> Path:
    if path.suffix == ".trig":  # pyoxigraph's TriG writer, from rdflib's N-Quads
        quads = pyoxigraph.parse(dataset.serialize(format="nquads"), pyoxigraph.RdfFormat.N_QUADS)
        pyoxigraph.serialize(quads, path, pyoxigraph.RdfFormat.TRIG)
    else:
        path.write_text(dataset.serialize(format="nquads"), encoding="utf-8")
    return path


def local_graphs(path: Path) -> dict[str, Graph]:
    """The file as rdflib reads it (another parser than the loader's)."""
    dataset = Dataset()
    dataset.parse(path, format="trig" if path.suffix == ".trig" else "nquads")
    graphs = {}
    for graph in dataset.graphs():
        if len(graph):
            graphs[str(graph.identifier)] = Graph() + graph
    return graphs


def server_graph(server, name: str) -> Graph:
    """A graph fetched by Graph Store GET (not through the code under test), with skolem
    IRIs turned back into blank nodes."""
    url = f"{server.store}?graph={urllib.parse.quote(name, safe='')}"
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=10) as response:
        data = response.read().decode()
    graph = Graph()
    graph.parse(data=data, format="nt")
    back = Graph()
    for triple in graph:
        back.add(
            tuple(BNode(t[len(SKOLEM_BASE) :]) if t.startswith(SKOLEM_BASE) else t for t in triple)
        )
    return back


def assert_store_holds(server, expected: dict[str, Graph]) -> None:
    assert count_triples_per_graph(server.query) == {g: len(t) for g, t in expected.items()}
    for name, graph in expected.items():
        assert isomorphic(server_graph(server, name), graph), name


def one_line_without_secrets(error: BaseException, *secrets: str) -> None:
    text = str(error)
    assert "\n" not in text and "Traceback" not in text
    shown = text + repr(error) + "".join(traceback.format_exception(error))
    for secret in secrets:
        assert secret not in shown


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    return write(make_dataset(1), tmp_path / "v1.trig")


@pytest.fixture
def v2(tmp_path: Path) -> Path:
    return write(make_dataset(2), tmp_path / "v2.trig")


# --- loading -----------------------------------------------------------------------------------


def test_load_matches_the_file_and_reloading_changes_nothing(oxigraph, v1: Path) -> None:
    calls: list[tuple[int, int]] = []
    report = load(
        v1,
        oxigraph.query,
        update_endpoint=oxigraph.update,
        batch_triples=BATCH,
        progress=lambda done, total: calls.append((done, total)),
    )
    expected = local_graphs(v1)
    assert_store_holds(oxigraph, expected)
    assert set(report.graphs) == {G1, G2, G3}
    assert dict(report.triples_per_graph) == {g: len(t) for g, t in expected.items()}
    assert report.total_triples == sum(map(len, expected.values()))
    # G1 (26 triples) in 4 batches, G3 (12) in 2, G2 (4) in 1
    assert report.batches == 7
    assert calls[0] == (0, report.total_triples) and calls[-1] == (report.total_triples,) * 2
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    load(v1, oxigraph.query, update_endpoint=oxigraph.update, batch_triples=BATCH)
    assert_store_holds(oxigraph, expected)


def test_blank_nodes_kept_in_one_batch_and_skolemized_across_batches(oxigraph, v1) -> None:
    load(v1, oxigraph.query, update_endpoint=oxigraph.update, batch_triples=BATCH)
    small = query_endpoint(
        "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER isBlank(?o) } }",
        oxigraph.query,
        {"g": URIRef(G2)},
    )
    assert len(small.rows) == 1
    split = query_endpoint(
        "SELECT ?o WHERE { GRAPH ?g { <https://example.org/s0> ?p ?o } }",
        oxigraph.query,
        {"g": URIRef(G1)},
    )
    skolem = [row["o"] for row in split if str(row["o"]).startswith(SKOLEM_BASE)]
    assert len(skolem) == 1
    opens = query_endpoint(
        "ASK { GRAPH ?g { ?h <https://example.org/opens> ?t } }",
        oxigraph.query,
        {"g": URIRef(G1), "h": skolem[0]},
    )
    assert opens.ask is True
    load(v1, oxigraph.query, update_endpoint=oxigraph.update, batch_triples=BATCH)
    again = query_endpoint(
        "SELECT ?o WHERE { GRAPH ?g { <https://example.org/s0> ?p ?o } }",
        oxigraph.query,
        {"g": URIRef(G1)},
    )
    assert skolem[0] in {row["o"] for row in again}  # the same file gives the same IRIs


def test_nquads_graph_store_and_one_big_batch_give_the_same_store(oxigraph, tmp_path, v1):
    expected = local_graphs(v1)
    nquads = write(make_dataset(1), tmp_path / "v1.nq")
    load(nquads, oxigraph.query, update_endpoint=oxigraph.update, batch_triples=BATCH)
    assert_store_holds(oxigraph, expected)
    oxigraph.post_update("DROP ALL")
    load(
        v1,
        oxigraph.query,
        update_endpoint=oxigraph.update,
        graph_store=oxigraph.store,
        batch_triples=BATCH,
    )
    assert_store_holds(oxigraph, expected)
    oxigraph.post_update("DROP ALL")
    report = load(v1, oxigraph.query, update_endpoint=oxigraph.update)
    assert report.batches == 1
    assert_store_holds(oxigraph, expected)


def test_turtle_goes_to_the_default_graph_or_under_the_prefix(oxigraph, tmp_path, v1) -> None:
    turtle = tmp_path / "merged.ttl"
    turtle.write_text('<https://example.org/a> <https://example.org/b> "c\\"d" .\n')
    report = load(turtle, oxigraph.query, update_endpoint=oxigraph.update)
    assert report.graphs == (DEFAULT_GRAPH,)
    default = query_endpoint("SELECT ?o WHERE { ?s ?p ?o }", oxigraph.query)
    assert [row["o"] for row in default] == [Literal('c"d')]
    prefix = "https://example.org/copy/"
    report = load(v1, oxigraph.query, update_endpoint=oxigraph.update, graph_prefix=prefix)
    renamed = {prefix + urllib.parse.quote(g, safe="") for g in (G1, G2, G3)}
    assert set(report.graphs) == renamed == set(count_triples_per_graph(oxigraph.query))
    load(turtle, oxigraph.query, update_endpoint=oxigraph.update, graph_prefix=prefix)
    assert count_triples_per_graph(oxigraph.query)[prefix + "default"] == 1


def test_bad_files_and_options(tmp_path: Path, v1: Path) -> None:
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(StoreError, match=r"x\.json: cannot tell the RDF format"):
        load(tmp_path / "x.json", "http://127.0.0.1:9/query")
    broken = tmp_path / "broken.trig"
    broken.write_text('<https://e/g> {\n<https://e/s> <https://e/p> "unterminated .\n}\n')
    with pytest.raises(StoreError, match=r"broken\.trig:2: not valid TriG"):
        load(broken, "http://127.0.0.1:9/query")
    with pytest.raises(StoreError, match="batch_triples"):
        load(v1, "http://127.0.0.1:9/query", batch_triples=0)
    with pytest.raises(StoreError, match="graph_prefix"):
        load(v1, "http://127.0.0.1:9/query", graph_prefix="not an iri/")


# --- atomicity ---------------------------------------------------------------------------------


def test_a_load_failing_at_any_request_leaves_each_graph_old_or_new(oxigraph, make_proxy, v1, v2):
    old, new = local_graphs(v1), local_graphs(v2)
    counter = make_proxy()
    load(v2, counter.url + "/query", update_endpoint=counter.url + "/update", batch_triples=BATCH)
    requests = len(counter.seen)
    assert requests > 8
    for failing in range(1, requests + 1):
        oxigraph.post_update("DROP ALL")
        load(v1, oxigraph.query, update_endpoint=oxigraph.update, batch_triples=BATCH)
        proxy = make_proxy(lambda seen, n=failing: Reply(500) if seen.number == n else None)
        with pytest.raises(LoadError) as caught:
            load(
                v2,
                proxy.url + "/query",
                update_endpoint=proxy.url + "/update",
                batch_triples=BATCH,
                retries=0,
            )
        error = caught.value
        one_line_without_secrets(error)
        assert "HTTP 500" in str(error) and "graphs not loaded" in str(error)
        assert set(error.loaded) | set(error.not_loaded) == {G1, G2, G3}
        for name in error.not_loaded:
            assert f"<{name}>" in str(error)
        expected = {g: (new if g in error.loaded else old)[g] for g in (G1, G2, G3)}
        assert_store_holds(oxigraph, expected)  # also: no staging or probe graph left


def test_readers_never_see_a_partial_graph(oxigraph, make_proxy, v1, v2) -> None:
    sizes = {g: {len(local_graphs(v1)[g]), len(local_graphs(v2)[g])} for g in (G1, G2, G3)}
    observed: list[dict[str, int]] = []
    lock = threading.Lock()

    def sample(_seen=None) -> None:
        counts = count_triples_per_graph(oxigraph.query)
        with lock:
            observed.append(counts)

    stop = threading.Event()

    def reader() -> None:
        for _ in range(10_000):
            if stop.is_set():
                return
            sample()

    load(v1, oxigraph.query, update_endpoint=oxigraph.update)
    proxy = make_proxy(after=sample)  # a sample after every request, between the batches
    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        for version in (v2, v1, v2):
            load(
                version,
                proxy.url + "/query",
                update_endpoint=proxy.url + "/update",
                batch_triples=BATCH,
            )
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    staging_seen = False
    for counts in observed:
        assert set(sizes) <= set(counts)  # no graph ever went missing
        for name, count in counts.items():
            if name in sizes:
                assert count in sizes[name], (name, count)
            else:
                assert name.startswith("urn:supportgraph:staging:")
                staging_seen = True
    assert staging_seen  # the samples did fall between the batches of a staged graph


def test_a_commit_whose_answer_is_lost_is_not_sent_again(oxigraph, make_proxy, v1, v2) -> None:
    load(v1, oxigraph.query, update_endpoint=oxigraph.update)
    lost: list[int] = []

    def rule(seen):
        if "MOVE GRAPH" in seen.text and not lost:
            lost.append(seen.number)
            return Reply(502, b"gateway lost it", after_forward=True)
        return None

    for retries in (2, 0):
        lost.clear()
        proxy = make_proxy(rule)
        load(
            v2,
            proxy.url + "/query",
            update_endpoint=proxy.url + "/update",
            batch_triples=BATCH,
            retries=retries,
            backoff=0.01,
        )
        moves = [seen for seen in proxy.seen if seen.text.count("MOVE GRAPH")]
        assert len(moves) == 2  # G1's commit once (answer lost), G3's once
        assert_store_holds(oxigraph, local_graphs(v2))
        load(v1, oxigraph.query, update_endpoint=oxigraph.update)


# --- retries, timeouts and unusable endpoints --------------------------------------------------


def test_503_is_retried_then_the_load_succeeds(oxigraph, make_proxy, v1) -> None:
    answered: list[int] = []

    def rule(seen):
        if seen.path == "/update" and len(answered) < 2:
            answered.append(seen.number)
            return Reply(503, b"busy")
        return None

    proxy = make_proxy(rule)
    load(
        v1,
        proxy.url + "/query",
        update_endpoint=proxy.url + "/update",
        batch_triples=BATCH,
        backoff=0.01,
    )
    assert len(answered) == 2
    assert_store_holds(oxigraph, local_graphs(v1))


def test_400_is_not_retried(oxigraph, make_proxy, v1) -> None:
    def rule(seen):
        return Reply(400, b"you sent\nnonsense") if "GRAPH <https://example" in seen.text else None

    proxy = make_proxy(rule)
    with pytest.raises(LoadError) as caught:
        load(v1, proxy.url + "/query", update_endpoint=proxy.url + "/update", backoff=0.01)
    one_line_without_secrets(caught.value)
    assert "rejected the request (HTTP 400): you sent nonsense" in str(caught.value)
    assert sum("GRAPH <https://example" in seen.text for seen in proxy.seen) == 1
    assert count_triples_per_graph(oxigraph.query) == {}


def test_unreachable_endpoint(v1: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/query"
    with pytest.raises(StoreError) as caught:
        load(v1, url, retries=1, backoff=0.01)
    one_line_without_secrets(caught.value)
    assert str(caught.value).startswith(f"cannot reach {url} (connection refused) (after 2")
    with pytest.raises(StoreError, match="connection refused"):
        query_endpoint("ASK {}", url, retries=0)


def test_no_answer_within_the_timeout(make_proxy, v1) -> None:
    proxy = make_proxy(lambda seen: Hang(10))
    with pytest.raises(StoreError, match=r"/query: no answer within 0\.3 s"):
        load(v1, proxy.url + "/query", timeout=0.3, retries=0)


@pytest.mark.parametrize(
    ("reply", "said"),
    [
        (Reply(200, b"<html><body>Welcome</body></html>", "text/html"), "(answered text/html)"),
        (Reply(404, b"<html>Not found</html>", "text/html"), "(HTTP 404)"),
        (Reply(200, b'{"hello": "world"}', "application/json"), "not SPARQL results"),
    ],
)
def test_not_a_sparql_endpoint(make_proxy, v1, reply, said) -> None:
    proxy = make_proxy(lambda seen: reply)
    for call in (
        lambda: load(v1, proxy.url + "/query", retries=0),
        lambda: query_endpoint("SELECT * WHERE { ?s ?p ?o }", proxy.url + "/query"),
    ):
        with pytest.raises(StoreError) as caught:
            call()
        one_line_without_secrets(caught.value)
        assert f"{proxy.url}/query is not a SPARQL endpoint" in str(caught.value)
        assert said in str(caught.value)


def test_update_endpoints_that_do_not_update(oxigraph, make_proxy, v1) -> None:
    with pytest.raises(LoadError, match=r"does not accept SPARQL updates \(HTTP 415\); pass"):
        load(v1, oxigraph.query)  # Oxigraph's /query refuses updates
    swallow = make_proxy(lambda seen: Reply(204) if seen.path != "/query" else None)
    with pytest.raises(LoadError, match="does not show; check update_endpoint"):
        load(v1, swallow.url + "/query", update_endpoint=swallow.url + "/update")
    assert count_triples_per_graph(oxigraph.query) == {}
    with pytest.raises(LoadError, match="does not show; check graph_store") as caught:
        load(
            v1,
            oxigraph.query,
            update_endpoint=oxigraph.update,
            batch_triples=BATCH,
            graph_store=swallow.url + "/store",
        )
    assert {G1, G3} <= set(caught.value.not_loaded)  # G2, packed, loads if it comes first
    assert set(count_triples_per_graph(oxigraph.query)) == set(caught.value.loaded) <= {G2}


# --- credentials -------------------------------------------------------------------------------


def requiring(expected: str):
    def rule(seen):
        if seen.headers.get("Authorization") == expected:
            return None
        return Reply(401, b"who are you", headers={"WWW-Authenticate": 'Basic realm="x"'})

    return rule


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_credentials_from_environment_netrc_url_and_token(
    oxigraph, make_proxy, v1, tmp_path, monkeypatch
) -> None:
    proxy = make_proxy(requiring(basic("admin", PASSWORD)))
    query, update = proxy.url + "/query", proxy.url + "/update"
    monkeypatch.setenv("SUPPORTGRAPH_ENDPOINT_USER", "admin")
    monkeypatch.setenv("SUPPORTGRAPH_ENDPOINT_PASSWORD", PASSWORD)
    load(v1, query, update_endpoint=update, batch_triples=BATCH)
    assert query_endpoint("ASK { GRAPH ?g { ?s ?p ?o } }", query).ask is True
    monkeypatch.delenv("SUPPORTGRAPH_ENDPOINT_USER")
    monkeypatch.delenv("SUPPORTGRAPH_ENDPOINT_PASSWORD")
    netrc = tmp_path / ".netrc"
    netrc.write_text(f"machine 127.0.0.1 login admin password {PASSWORD}\n")
    netrc.chmod(0o600)
    load(v1, query, update_endpoint=update, batch_triples=BATCH)
    netrc.unlink()
    with_userinfo = query.replace("http://", f"http://admin:{PASSWORD}@")
    load(v1, with_userinfo, update_endpoint=update.replace("http://", f"http://admin:{PASSWORD}@"))
    bearer = make_proxy(requiring(f"Bearer {TOKEN}"))
    monkeypatch.setenv("SUPPORTGRAPH_ENDPOINT_TOKEN", TOKEN)
    load(v1, bearer.url + "/query", update_endpoint=bearer.url + "/update")
    assert_store_holds(oxigraph, local_graphs(v1))


def test_wrong_credentials_are_reported_without_the_secret(
    make_proxy, v1, monkeypatch, capsys, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    proxy = make_proxy(requiring(basic("admin", PASSWORD)))
    query, update = proxy.url + "/query", proxy.url + "/update"
    with pytest.raises(StoreError) as caught:
        load(v1, query, update_endpoint=update)
    assert "authentication failed (HTTP 401); set SUPPORTGRAPH_ENDPOINT_USER" in str(caught.value)
    wrong = "wrong-" + PASSWORD
    monkeypatch.setenv("SUPPORTGRAPH_ENDPOINT_USER", "admin")
    monkeypatch.setenv("SUPPORTGRAPH_ENDPOINT_PASSWORD", wrong)
    errors = []
    for call in (
        lambda: load(v1, query, update_endpoint=update),
        lambda: query_endpoint("ASK {}", query),
        lambda: count_triples_per_graph(query),
    ):
        with pytest.raises(StoreError) as caught:
            call()
        errors.append(caught.value)
    monkeypatch.delenv("SUPPORTGRAPH_ENDPOINT_USER")
    with_userinfo = query.replace("http://", f"http://admin:{wrong}@")
    with pytest.raises(StoreError) as caught:
        load(v1, with_userinfo, update_endpoint=update)
    errors.append(caught.value)
    assert str(caught.value).startswith("http://***@127.0.0.1")
    monkeypatch.setenv("SUPPORTGRAPH_ENDPOINT_TOKEN", TOKEN)
    with pytest.raises(StoreError) as caught:
        query_endpoint("ASK {}", query)
    errors.append(caught.value)
    secrets = (wrong, PASSWORD, TOKEN, base64.b64encode(f"admin:{wrong}".encode()).decode())
    for error in errors:
        one_line_without_secrets(error, *secrets)
        assert "authentication failed (HTTP 401) with the credentials from" in str(error)
    captured = capsys.readouterr()
    for secret in secrets:
        assert secret not in captured.out + captured.err + caplog.text


# --- queries and bound parameters --------------------------------------------------------------

FIND_CODE = "SELECT ?s WHERE { GRAPH ?g { ?s <https://example.org/code> ?code } }"


def test_select_ask_construct_results(oxigraph, v1) -> None:
    load(v1, oxigraph.query, update_endpoint=oxigraph.update)
    found = query_endpoint(FIND_CODE, oxigraph.query, {"code": Literal("SE")})
    assert found.variables == ["s"] and found.rows == [{"s": EX.se}]
    assert list(found) == found.rows
    optional = query_endpoint(
        "SELECT ?s ?x WHERE { GRAPH ?g { ?s ?p ?o OPTIONAL { ?s <urn:none> ?x } } } LIMIT 1",
        oxigraph.query,
    )
    assert list(optional.rows[0]) == ["s"]  # unbound variables are left out
    assert query_endpoint("ASK { GRAPH ?g { ?s ?p ?o } }", oxigraph.query).ask is True
    graph = query_endpoint(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", oxigraph.query, {"g": URIRef(G3)}
    ).graph
    assert graph is not None and isomorphic(graph, local_graphs(v1)[G3])
    local = QueryResult.from_rdflib(local_graphs(v1)[G2].query(FIND_CODE.replace("GRAPH ?g", "")))
    assert local.rows == [{"s": EX.se}]


def test_bound_values_are_escaped_and_cannot_inject(oxigraph, v1) -> None:
    load(v1, oxigraph.query, update_endpoint=oxigraph.update)
    before = count_triples_per_graph(oxigraph.query)
    for value in (
        Literal('SE" } ; DROP ALL ; #'),
        Literal("SE\n} DROP ALL #"),
        Literal("SE'\n"),
        Literal("SE\\"),
        Literal("SE", lang="sv"),
    ):
        assert query_endpoint(FIND_CODE, oxigraph.query, {"code": value}).rows == []
    for index, value in enumerate(SPECIAL):  # values with quotes, newlines, … round-trip
        rows = query_endpoint(
            "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?v } }",
            oxigraph.query,
            {"v": value, "p": EX[f"p{index}"]},
        ).rows
        assert rows == [{"s": EX.special}], value
    for bad in (URIRef("x> } DROP ALL #"), URIRef("https://e/a b"), URIRef("https://e/\n")):
        with pytest.raises(QueryError, match="not an absolute IRI"):
            query_endpoint(FIND_CODE, oxigraph.query, {"code": bad})
    with pytest.raises(QueryError, match="cannot be bound"):
        query_endpoint(FIND_CODE, oxigraph.query, {"code": BNode()})
    with pytest.raises(QueryError, match=r"no variable \?nope"):
        query_endpoint(FIND_CODE, oxigraph.query, {"nope": Literal("x")})
    with pytest.raises(ValueError, match="not a language tag"):  # rdflib checks tags too
        literal("x", language="en } ;")
    for update in ("DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "CLEAR DEFAULT"):
        with pytest.raises(QueryError, match="not a SPARQL query"):
            query_endpoint(update, oxigraph.query)
    assert count_triples_per_graph(oxigraph.query) == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(max_size=30),
    lang=st.sampled_from([None, "en", "sv-SE", "zh-Hant"]),
)
def test_any_text_round_trips_through_a_binding(oxigraph_server, text: str, lang: str | None):
    value = Literal(text, lang=lang)
    result = query_endpoint(
        "SELECT ?x WHERE { BIND(?v AS ?x) }", oxigraph_server.query, {"v": value}
    )
    assert result.rows == [{"x": value}]


@pytest.mark.parametrize(
    ("query", "checks"),
    [
        ("SELECT ?s WHERE { ?s ?p ?v }", ["WHERE { VALUES (?v)"]),
        (
            "# a { comment WHERE\nPREFIX e: <https://e/#x>\nselect * { ?s e:p '{ WHERE' , $v }",
            ["select * { VALUES (?v)", "'{ WHERE'"],
        ),
        ("SELECT (EXISTS { ?s ?p ?o } AS ?e) ?v WHERE { ?s ?p ?v }", ["WHERE { VALUES (?v)"]),
        (
            "SELECT * WHERE { SELECT ?v WHERE { ?s ?p ?v } }",
            ["WHERE { VALUES (?v)", "} { SELECT ?v WHERE { ?s ?p ?v } }}"],
        ),
        ("CONSTRUCT { ?s ?p ?v } WHERE { ?s ?p ?v }", ["} WHERE { VALUES (?v)"]),
        ("CONSTRUCT WHERE { ?s ?p ?v }", ["CONSTRUCT { ?s ?p ?v } WHERE { VALUES (?v)"]),
        ('ASK { ?s ?p ?v FILTER(?v != """}""") }', ["ASK { VALUES (?v)"]),
        (
            "PREFIX select: <https://e/> CONSTRUCT { ?s select:p ?v } WHERE { ?s ?p ?v }",
            ["} WHERE { VALUES (?v)"],
        ),
        ("DESCRIBE ?v WHERE { ?v ?p ?o }", ["WHERE { VALUES (?v)"]),
    ],
)
def test_values_block_goes_into_the_outermost_where(oxigraph_server, query, checks) -> None:
    bound = bind_query(query, {"v": Literal('a"} b')})
    for check in checks:
        assert check in " ".join(bound.split()), bound
    prepareQuery(bound)  # rdflib's SPARQL parser accepts it
    query_endpoint(bound, oxigraph_server.query)  # and so does Oxigraph


def test_a_query_without_a_where_clause_cannot_be_bound() -> None:
    with pytest.raises(QueryError, match="no WHERE clause"):
        bind_query("DESCRIBE ?v", {"v": EX.x})
