"""Publishing: every output format round-trips, builds are byte-identical, pages embed JSON-LD.

The bundled corpus is built three times, in subprocesses with PYTHONHASHSEED
0, 1 and 2 (concurrently), each its own way: in parallel through a warm
ingest cache (the default), serially without the cache (``-j 1 --no-cache``:
the plain build), and on two workers through the cache (``-j 2``). The first
build is the one the other tests read.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS, SH

from supportgraph.build import build_dataset_from, ingest_corpus
from supportgraph.cli import main
from supportgraph.framing import frame_cloud
from supportgraph.graph.vocabulary import SCHEMA, SG
from supportgraph.ingest.cache import CACHE_DIR
from supportgraph.jsonld import local_loader, script_element
from supportgraph.publish import atomic_write, union_graph
from supportgraph.reference import REFERENCE_FILE, reference_markdown
from supportgraph.site import cloud_page
from supportgraph.validate import SHAPES_FILE

CORPUS = Path(__file__).parents[1] / "corpus"
SEEDS = ("0", "1", "2")
# How each seed's build runs: parallel and cached (the default), plain, two workers.
BUILD_OPTIONS = {"0": [], "1": ["-j", "1", "--no-cache"], "2": ["-j", "2"]}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``supportgraph build`` of the bundled corpus, once per PYTHONHASHSEED and options."""
    root = tmp_path_factory.mktemp("builds")
    ingest_corpus([CORPUS], cache=root / CACHE_DIR)  # the cache beside OUT, warm
    runs = {}
    for seed in SEEDS:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "supportgraph.cli", "build", str(CORPUS)]
        command += ["-o", str(root / seed), "-q", *BUILD_OPTIONS[seed]]
        runs[seed] = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    for seed, run in runs.items():
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, f"build with PYTHONHASHSEED={seed} failed:\n{err}"
    return {seed: root / seed for seed in SEEDS}


@pytest.fixture(scope="module")
def out(builds: dict[str, Path]) -> Path:
    return builds["0"]


@pytest.fixture(scope="module")
def built() -> Dataset:
    """The dataset as the build makes it, in memory."""
    dataset, _ = build_dataset_from([CORPUS])
    return dataset


def _quads(dataset: Dataset) -> set[tuple]:
    result = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        result.add((s, p, o, None if name in (None, DATASET_DEFAULT_GRAPH_ID) else name))
    return result


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


class _Scripts(HTMLParser):
    """The ``<script>`` elements of an HTML document: (type, text)."""

    def __init__(self, html: str):
        super().__init__()
        self.scripts: list[tuple[str | None, str]] = []
        self._type: str | None = None
        self._inside = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "script":
            self._inside, self._type = True, dict(attrs).get("type")
            self.scripts.append((self._type, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)


def _embedded(html: str) -> list[dict]:
    scripts = _Scripts(html).scripts
    assert all(kind == "application/ld+json" for kind, _ in scripts), scripts
    return [json.loads(text) for _, text in scripts]


def _triples(document: dict) -> Graph:
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    return Graph().parse(data=nquads, format="nt")


# ------------------------------------------------------------ determinism


def test_builds_are_byte_identical_whatever_the_hash_seed_workers_and_cache(
    builds: dict[str, Path],
) -> None:
    first = builds[SEEDS[0]]
    names = _files(first)
    assert "supportgraph.nq" in names and "site/index.html" in names
    for seed in SEEDS[1:]:
        assert _files(builds[seed]) == names
        _, mismatch, errors = filecmp.cmpfiles(first, builds[seed], names, shallow=False)
        assert (mismatch, errors) == ([], []), f"{seed} {BUILD_OPTIONS[seed]} differs"


# ------------------------------------------------------------ round trips


def test_turtle_is_the_merged_view(out: Path, built: Dataset) -> None:
    parsed = Graph().parse(out / "supportgraph.ttl", format="turtle")
    assert isomorphic(parsed, union_graph(built))


@pytest.mark.parametrize(
    "name, fmt", [("supportgraph.trig", "trig"), ("supportgraph.nq", "nquads")]
)
def test_dataset_formats_parse_back_to_the_built_dataset(
    out: Path, built: Dataset, name: str, fmt: str
) -> None:
    parsed = Dataset()
    parsed.parse(out / name, format=fmt)
    assert _quads(parsed) == _quads(built)


def test_jsonld_parses_back_with_rdflib_and_with_pyld(out: Path, built: Dataset) -> None:
    parsed = Dataset()
    parsed.parse(out / "supportgraph.jsonld", format="json-ld")  # finds context.jsonld beside it
    assert _quads(parsed) == _quads(built)

    document = json.loads((out / "supportgraph.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == "context.jsonld"
    options = {
        "format": "application/n-quads",
        "base": (out / "supportgraph.jsonld").as_uri(),
        "documentLoader": local_loader(out),
    }
    by_pyld = Dataset()
    by_pyld.parse(data=jsonld.to_rdf(document, options), format="nquads")
    assert _quads(by_pyld) == _quads(built)


def test_outputs_have_no_blank_nodes(out: Path) -> None:
    for name in ("supportgraph.ttl", "supportgraph.trig", "supportgraph.nq", "supportgraph.jsonld"):
        assert "_:" not in (out / name).read_text(encoding="utf-8"), name


def test_the_context_maps_the_vocabulary_to_short_keys(out: Path) -> None:
    context = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context["@vocab"] == "https://schema.org/"
    assert context["telephone"] == {"@id": "schema:telephone", "@language": None}
    assert context["contactPoint"] == {"@id": "schema:contactPoint", "@type": "@id"}
    assert context["dayOfWeek"] == {"@id": "schema:dayOfWeek", "@type": "@vocab"}
    assert context["channelType"] == {"@id": "sg:channelType", "@type": "@vocab"}
    assert context["PhoneChannel"] == "sg:PhoneChannel"
    assert context["opens"] == {"@id": "schema:opens", "@type": "xsd:time"}
    assert context["initialResponse"] == {"@id": "sg:initialResponse", "@type": "xsd:duration"}


# --------------------------------------------------------- framed documents


def test_a_cloud_page_embeds_its_framed_document(out: Path) -> None:
    for page in sorted((out / "site").glob("*/*.html")):
        framed = json.loads(page.with_suffix(".jsonld").read_text(encoding="utf-8"))
        assert _embedded(page.read_text(encoding="utf-8")) == [framed], page
        assert framed["@type"] == "Organization"
        assert framed["@context"]["@language"] == page.stem
        assert all(cp["@type"] == "ContactPoint" for cp in framed["contactPoint"])


def test_the_swedish_worldwide_page_lists_the_swedish_number_in_swedish(out: Path) -> None:
    framed = json.loads((out / "site/o365-worldwide/sv.jsonld").read_text(encoding="utf-8"))
    assert framed["name"] == {"@value": "Microsoft", "@language": "en"}
    swedish = [
        cp
        for cp in framed["contactPoint"]
        if cp.get("telephone") == "+46201605899" and cp.get("supportType") == "TechnicalSupport"
    ]
    assert swedish, "no technical support line +46201605899"
    line = swedish[0]
    assert line["areaServed"]["name"] == "Sverige"
    assert line["areaServed"]["countryCode"] == "SE"
    assert line["availableLanguage"] == "en"
    assert line["contactType"] == {"@value": "technical support", "@language": "en"}
    hours = line["hoursAvailable"]
    hours = hours if isinstance(hours, list) else [hours]
    assert any(h.get("timeZone") == "Europe/Stockholm" for h in hours)
    page = (out / "site/o365-worldwide/sv.html").read_text(encoding="utf-8")
    assert 'href="tel:+46201605899"' in page and '<html lang="sv">' in page


def test_a_framed_document_is_the_frame_of_the_graph(out: Path, built: Dataset) -> None:
    framed = json.loads((out / "site/o365-21vianet/it.jsonld").read_text(encoding="utf-8"))
    assert framed == frame_cloud(union_graph(built), "o365-21vianet", "it")
    triples = _triples(framed)
    org = URIRef(framed["@id"])
    assert (org, RDF.type, SCHEMA.Organization) in triples
    assert len(set(triples.objects(org, SCHEMA.contactPoint))) == len(framed["contactPoint"])
    assert (None, SCHEMA.telephone, Literal("+864000890365")) in triples


NASTY = 'Call </script><script>alert(1)</script> "now" \\ or\nlater <!-- & \u2028'


def _with_hostile_label(built: Dataset) -> tuple[Graph, str]:
    """The merged view where a 21Vianet phone line's Swedish label is hostile."""
    graph = Graph()
    for triple in union_graph(built):
        graph.add(triple)
    cloud = next(graph.subjects(SG.moniker, Literal("o365-21vianet")))
    line = sorted(
        s for s in graph.subjects(SG.cloud, cloud) if (s, SCHEMA.telephone, None) in graph
    )[0]
    _drop_swedish(graph, line)
    graph.add((line, RDFS.label, Literal(NASTY, lang="sv")))
    return graph, "o365-21vianet"


def _drop_swedish(graph: Graph, node: URIRef) -> None:
    for label in list(graph.objects(node, RDFS.label)):
        if label.language == "sv":
            graph.remove((node, RDFS.label, label))


def test_a_hostile_label_cannot_leave_the_script_element(built: Dataset) -> None:
    graph, moniker = _with_hostile_label(built)
    document = frame_cloud(graph, moniker, "sv")
    html = cloud_page(graph, moniker, "sv", document)
    assert _embedded(html) == [document]
    assert "</script><script>alert(1)" not in html
    names = [cp.get("name") for cp in _embedded(html)[0]["contactPoint"]]
    assert NASTY in names
    snippet = script_element(document)
    assert len(_Scripts(snippet).scripts) == 1 and _embedded(snippet) == [document]


# ------------------------------------------------------------------ browser


def _dump_dom(page: Path, profile: Path) -> str:
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_a_browser_reads_the_same_triples_from_the_page(
    out: Path, built: Dataset, tmp_path: Path
) -> None:
    page = out / "site/o365-21vianet/sv.html"
    framed = json.loads(page.with_suffix(".jsonld").read_text(encoding="utf-8"))
    from_dom = _embedded(_dump_dom(page, tmp_path / "profile"))
    assert len(from_dom) == 1
    assert isomorphic(_triples(from_dom[0]), _triples(framed))

    graph, moniker = _with_hostile_label(built)
    document = frame_cloud(graph, moniker, "sv")
    hostile = tmp_path / "hostile.html"
    hostile.write_text(cloud_page(graph, moniker, "sv", document), encoding="utf-8")
    from_dom = _embedded(_dump_dom(hostile, tmp_path / "profile"))
    assert len(from_dom) == 1
    assert isomorphic(_triples(from_dom[0]), _triples(document))


# ---------------------------------------------------------------- commands


def test_embed_prints_the_snippet_of_a_page(out: Path, capsys) -> None:
    dataset = str(out / "supportgraph.trig")
    assert main(["embed", "--cloud", "o365-21vianet", "--lang", "sv", "--dataset", dataset]) == 0
    snippet = capsys.readouterr().out
    framed = json.loads((out / "site/o365-21vianet/sv.jsonld").read_text(encoding="utf-8"))
    assert snippet.startswith('<script type="application/ld+json">')
    assert _embedded(snippet) == [framed]
    assert snippet.strip() in (out / "site/o365-21vianet/sv.html").read_text(encoding="utf-8")

    assert main(["embed", "--cloud", "o365-mars", "--lang", "sv", "--dataset", dataset]) == 2
    assert "o365-worldwide" in capsys.readouterr().err
    assert main(["embed", "--cloud", "o365-germany", "--lang", "sv", "--dataset", "nope.trig"]) == 2
    assert "supportgraph build" in capsys.readouterr().err


def test_a_violation_stops_the_build_and_keeps_the_outputs(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    previous = tmp_path / "dist"
    shutil.copytree(out, previous)
    strict = tmp_path / "strict.ttl"
    strict.write_text(
        SHAPES_FILE.read_text(encoding="utf-8")
        + "\nsgsh:MarsShape a sh:NodeShape ; sh:targetClass sg:Cloud ;\n"
        '    sh:message "Clouds are on Mars."@en ;\n'
        '    sh:property [ sh:path sg:moniker ; sh:hasValue "o365-mars" ;\n'
        '        sh:message "Every cloud is on Mars."@en ] .\n',
        encoding="utf-8",
    )
    monkeypatch.setattr("supportgraph.validate.SHAPES_FILE", strict)
    before = {name: (previous / name).read_bytes() for name in _files(previous)}

    assert main(["build", str(CORPUS), "-o", str(previous)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "Violation: <https://w3id.org/supportgraph/id/cloud/o365-worldwide>" in err
    assert "Every cloud is on Mars." in err and "3 SHACL violations; nothing else" in err
    after = {name: (previous / name).read_bytes() for name in _files(previous)}
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"validation-report.ttl"} and set(after) == set(before)
    report = Graph().parse(previous / "validation-report.ttl")
    assert list(report.objects(None, SH.conforms)) == [Literal(False)]


def test_published_files_are_readable_by_everyone(out: Path, tmp_path: Path) -> None:
    assert (out / "supportgraph.ttl").stat().st_mode & 0o044 == 0o044
    written = atomic_write(tmp_path / "x" / "y.txt", b"y")
    assert written.read_bytes() == b"y" and written.stat().st_mode & 0o044 == 0o044


def test_the_validation_report_is_published(out: Path) -> None:
    report = Graph().parse(out / "validation-report.ttl")
    assert list(report.objects(None, SH.conforms)) == [Literal(True)]
    assert not any(isinstance(term, BNode) for triple in report for term in triple)


def test_the_site_index_links_every_page(out: Path) -> None:
    index = (out / "site/index.html").read_text(encoding="utf-8")
    for page in sorted((out / "site").glob("*/*.html")):
        assert f'href="{page.parent.name}/{page.name}"' in index


def test_the_vocabulary_reference_is_generated_from_the_ontology() -> None:
    assert REFERENCE_FILE.read_text(encoding="utf-8") == reference_markdown(), (
        "ontology/REFERENCE.md is stale: run `python -m supportgraph.reference`"
    )
