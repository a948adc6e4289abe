"""Scale: the ingest cache, worker processes, the build's progress, and the benchmark.

No test here measures time: the benchmark's figures are checked for being
there, never for their values.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import supportgraph.ingest.cache as cache_module
from supportgraph.build import STAGES, build_dataset_from, ingest_corpus
from supportgraph.cli import main
from supportgraph.console import build_progress, working
from supportgraph.ingest import ingest_file
from supportgraph.ingest.cache import cache_key, ingest_cached
from supportgraph.publish import turtle

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "corpus"
PAGE = CORPUS / "sv-SE" / "microsoft-365" / "admin" / "contact-support-for-business-products.md"
FIGURES = {
    "docs",
    "triples",
    "build_vs_parse",
    "serialize_vs_oxigraph",
    "validate_vs_build",
    "load_vs_bulk",
    "query_p50_ms",
    "rebuild_vs_full",
    "peak_rss_mib",
}


def test_a_cached_page_is_the_page_ingested(tmp_path: Path) -> None:
    first = ingest_cached(PAGE, tmp_path)
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    assert ingest_cached(PAGE, tmp_path) == first == ingest_file(PAGE)


def test_a_cached_page_is_not_ingested_again(tmp_path: Path, monkeypatch) -> None:
    expected = ingest_cached(PAGE, tmp_path)

    def fail(*args: object) -> None:
        raise AssertionError("ingested again")

    monkeypatch.setattr(cache_module, "ingest_bytes", fail)
    assert ingest_cached(PAGE, tmp_path) == expected


def test_an_edited_page_is_ingested_again(tmp_path: Path) -> None:
    page = tmp_path / "corpus" / "sv-SE" / "microsoft-365" / "admin" / "page.md"
    page.parent.mkdir(parents=True)
    page.write_bytes(PAGE.read_bytes())
    before = ingest_cached(page, tmp_path / "cache")
    text = PAGE.read_text(encoding="utf-8").replace("# ", "# Edited ", 1)
    page.write_text(text, encoding="utf-8")
    after = ingest_cached(page, tmp_path / "cache")
    assert after != before and after == ingest_file(page)
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 2


def test_the_key_depends_on_the_path_and_the_bytes() -> None:
    keys = {
        cache_key(Path("a.md"), b"x"),
        cache_key(Path("b.md"), b"x"),
        cache_key(Path("a.md"), b"y"),
    }
    assert len(keys) == 3


def test_a_broken_cache_entry_is_replaced(tmp_path: Path) -> None:
    data = PAGE.read_bytes()
    (tmp_path / f"{cache_key(PAGE, data)}.pickle").write_bytes(b"not a pickle")
    assert ingest_cached(PAGE, tmp_path) == ingest_file(PAGE)
    assert ingest_cached(PAGE, tmp_path) == ingest_file(PAGE)


def test_workers_and_the_cache_ingest_the_same_documents(tmp_path: Path) -> None:
    plain = ingest_corpus([CORPUS], jobs=1)
    assert ingest_corpus([CORPUS], jobs=2, cache=tmp_path) == plain
    assert ingest_corpus([CORPUS], jobs=2, cache=tmp_path) == plain


def test_cached_and_ingested_pages_come_back_in_path_order(tmp_path: Path) -> None:
    pages = sorted(CORPUS.rglob("*.md"))
    assert cache_module.cached(pages[5], tmp_path) is None
    for page in pages[::7]:  # some pages cached, the others ingested by the workers
        ingest_cached(page, tmp_path)
    assert cache_module.cached(pages[7], tmp_path) == ingest_file(pages[7])
    assert ingest_corpus([CORPUS], jobs=2, cache=tmp_path) == ingest_corpus([CORPUS], jobs=1)


def test_workers_report_the_first_broken_page_in_path_order(tmp_path: Path) -> None:
    import shutil

    from supportgraph.errors import IngestError

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    pages = sorted(corpus.rglob("*.md"))
    first, later = pages[100], pages[-3]  # in different runs of pages
    for page in (later, first):  # a front matter line YAML cannot read
        page.write_bytes(page.read_bytes().replace(b"\n", b"\n: [\n", 1))
    for jobs in (1, 2):
        try:
            ingest_corpus([corpus], jobs=jobs)
        except IngestError as error:
            assert str(first) in str(error) and str(later) not in str(error)
        else:
            raise AssertionError("the broken pages were ingested")


def test_jobs_must_be_one_or_more(capsys) -> None:
    assert main(["build", "--jobs", "0", "-o", "unused"]) == 2
    assert "--jobs 0" in capsys.readouterr().err


def test_the_progress_bar_follows_every_stage() -> None:
    with build_progress(enabled=True) as advance:
        assert advance is not None
        for stage in STAGES:
            advance(stage)
    with build_progress(enabled=False) as advance:
        assert advance is None
    with working("validating", enabled=True):
        pass


def test_the_benchmark_ends_with_a_json_line_of_every_figure() -> None:
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--docs", "100", "--json"]
    run = subprocess.run(
        [*command, "--rounds", "2"], capture_output=True, text=True, timeout=900, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert set(figures) >= FIGURES
    assert figures["docs"] == 100


def test_validate_prints_the_same_report_with_workers(tmp_path: Path, capsys) -> None:
    merged = tmp_path / "merged.ttl"
    merged.write_bytes(turtle(build_dataset_from([CORPUS])[0]))
    report = {}
    for jobs in ("1", "2"):
        report[jobs] = tmp_path / f"report-{jobs}.ttl"
        assert main(["validate", str(merged), "-j", jobs, "--report", str(report[jobs])]) == 0
    single, parallel = capsys.readouterr().out.split("validation: ")[1:]
    assert single.partition("(")[0] == parallel.partition("(")[0]  # counts, before the seconds
    assert report["1"].read_bytes() == report["2"].read_bytes()
    assert main(["validate", str(merged), "--jobs", "0"]) == 2
    assert "--jobs 0" in capsys.readouterr().err
