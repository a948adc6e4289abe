"""supportgraph load / query --endpoint against a real Oxigraph server, through the CLI."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from rdflib import Dataset

from oxigraph_server import Reply
from supportgraph.build import build
from supportgraph.cli import main
from supportgraph.query import query
from supportgraph.store import count_triples_per_graph

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PASSWORD = "hunter2-Very-Secret"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# Every competency query with the parameters a user would give it.
QUESTIONS = [
    ("phones", {"cloud": "o365-worldwide", "country": "CA", "support_type": "technical"}),
    ("phones", {"cloud": "o365-germany", "country": "DE", "support_type": "billing"}),
    ("hours", {"cloud": "o365-germany", "country": "DE", "support_type": "technical"}),
    (
        "open-now",
        {
            "cloud": "o365-germany",
            "country": "DE",
            "support_type": "billing",
            "at": "2026-11-23T09:30:00Z",
        },
    ),
    ("severities", {"cloud": "o365-21vianet", "support_type": "billing", "lang": "sv"}),
    ("customer-duties", {"cloud": "o365-21vianet", "severity": "A", "lang": "it"}),
    ("responsibilities", {"cloud": "o365-21vianet", "lang": "en"}),
    ("channels", {"cloud": "o365-21vianet", "lang": "en"}),
    ("label", {"notation": "A", "lang": "sv"}),
    ("provenance", {"telephone": "+18008659408"}),
]


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch, tmp_path):
    for name in (
        "SUPPORTGRAPH_ENDPOINT_USER",
        "SUPPORTGRAPH_ENDPOINT_PASSWORD",
        "SUPPORTGRAPH_ENDPOINT_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.netrc


@pytest.fixture(scope="module")
def trig(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build([CORPUS], out)
    return out / "supportgraph.trig"


def local_counts(trig: Path) -> dict[str, int]:
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    return {
        str(g.identifier): len(g)
        for g in dataset.graphs()
        if len(g) and g.identifier != dataset.default_graph.identifier
    }


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return status, captured.out, captured.err


def load_into(server, trig: Path, capsys) -> tuple[int, str, str]:
    """``supportgraph load`` of the built dataset into a server (or a proxy in front of one)."""
    base = getattr(server, "base", None) or server.url
    return run(capsys, "load", str(trig), "--endpoint", f"{base}/query",
               "--update-endpoint", f"{base}/update", "--quiet")  # fmt: skip


def test_load_replaces_each_graph_and_loading_twice_changes_nothing(oxigraph, trig, capsys):
    expected = local_counts(trig)
    for _ in range(2):
        status, _, err = load_into(oxigraph, trig, capsys)
        assert status == 0
        assert err.startswith(f"loaded {len(expected) + 1} graphs, ")
        assert count_triples_per_graph(oxigraph.query) == expected


def test_every_competency_query_answers_the_same_on_the_server(oxigraph, trig, capsys):
    load_into(oxigraph, trig, capsys)
    for name, params in QUESTIONS:
        embedded = query(name, params, dataset=trig)
        served = query(name, params, endpoint=oxigraph.query)
        assert embedded.rows, name
        assert served.rows == embedded.rows, name


def test_hostile_parameter_values_return_nothing_and_change_nothing(oxigraph, trig, capsys):
    load_into(oxigraph, trig, capsys)
    before = count_triples_per_graph(oxigraph.query)
    for hostile in ('SE" } ; DROP ALL ; #', "SE' } DROP ALL #", 'SE"\n} ; CLEAR ALL ; #'):
        status, out, _ = run(
            capsys,
            "query",
            "phones",
            "--endpoint",
            oxigraph.query,
            "-p",
            "cloud=o365-worldwide",
            "-p",
            f"country={hostile}",
            "-p",
            "support_type=technical",
            "--format",
            "csv",
        )
        assert status == 0
        assert out.splitlines()[1:] == []
    assert count_triples_per_graph(oxigraph.query) == before


def test_wrong_credentials_are_one_line_without_the_password(make_proxy, trig, capsys, monkeypatch):
    expected = "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode()
    proxy = make_proxy(
        lambda seen: (
            None
            if seen.headers.get("Authorization") == expected
            else Reply(401, b"no", headers={"WWW-Authenticate": 'Basic realm="x"'})
        )
    )
    monkeypatch.setenv("SUPPORTGRAPH_ENDPOINT_USER", "admin")
    monkeypatch.setenv("SUPPORTGRAPH_ENDPOINT_PASSWORD", "wrong-" + PASSWORD)
    status, out, err = load_into(proxy, trig, capsys)
    assert status == 2
    assert err.count("\n") == 1 and "authentication failed (HTTP 401)" in err
    assert PASSWORD not in out + err
    monkeypatch.setenv("SUPPORTGRAPH_ENDPOINT_PASSWORD", PASSWORD)
    status, _, err = load_into(proxy, trig, capsys)
    assert status == 0, err


def test_an_unreachable_endpoint_is_one_line(trig, capsys):
    status, _, err = run(
        capsys, "query", "phones", "--endpoint", "http://127.0.0.1:9/query", "-p", "country=CA"
    )
    assert status == 2
    assert err.startswith("supportgraph: error: cannot reach http://127.0.0.1:9/query")
    assert err.count("\n") == 1


def test_a_url_that_is_not_a_sparql_endpoint_is_one_line(make_proxy, trig, capsys):
    proxy = make_proxy(lambda seen: Reply(200, b"<html><body>hello</body></html>", "text/html"))
    status, _, err = run(capsys, "load", str(trig), "--endpoint", proxy.url + "/", "--quiet")
    assert status == 2
    assert "is not a SPARQL endpoint" in err
    assert err.count("\n") == 1


def test_a_query_parameter_the_query_does_not_declare(trig, capsys):
    status, _, err = run(capsys, "query", "phones", "--dataset", str(trig), "-p", "colour=red")
    assert status == 2
    assert err == (
        "supportgraph: error: query phones has no parameter 'colour'; its parameters: "
        "cloud, country, support_type, lang\n"
    )


def test_a_badly_typed_parameter(trig, capsys):
    status, _, err = run(
        capsys, "query", "open-now", "--dataset", str(trig), "-p", "at=next tuesday"
    )
    assert status == 2
    assert err.startswith(
        "supportgraph: error: parameter at='next tuesday' is not a valid dateTime"
    )
