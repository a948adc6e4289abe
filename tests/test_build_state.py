"""A build that reads the pages the last build into OUT read writes nothing (early cutoff).

Each test builds a corpus of five pages of the bundled one (the main page, the
country list, three country pages) with the cache, changes something, and
builds again: only a change that reaches what a page ingests to, or a changed
output, code or option, runs the build again.
"""

from __future__ import annotations

import filecmp
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from supportgraph import build_state
from supportgraph.build import build
from supportgraph.build_state import BuildState

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PAGES = (
    "en-US/microsoft-365/admin/contact-support-for-business-products.md",
    "en-US/microsoft-365/admin/includes/country-region-support-dropdown-list.md",
    "en-US/microsoft-365/admin/support/sweden.md",
    "en-US/microsoft-365/admin/support/australia.md",
    "sv-SE/microsoft-365/admin/support/australia.md",
)
EDITED = "sv-SE/microsoft-365/admin/support/australia.md"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for page in PAGES:
        (root / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / page, root / page)
    return root


def built_then_edited(corpus: Path, out: Path, edit: Callable[[bytes], bytes]) -> Path:
    """Build ``corpus`` into ``out`` (with the cache), then edit the page ``EDITED``."""
    build([corpus], out, jobs=1)
    page = corpus / EDITED
    page.write_bytes(edit(page.read_bytes()))
    return page


def stamps(out: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in sorted(out.rglob("*")) if p.is_file()}


def same_files(left: Path, right: Path) -> bool:
    names = sorted(str(p.relative_to(left)) for p in left.rglob("*") if p.is_file())
    theirs = sorted(str(p.relative_to(right)) for p in right.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(left, right, names, shallow=False)
    return names == theirs and not mismatch and not errors


def test_a_second_build_of_the_same_pages_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    first = build([corpus], out, jobs=1)
    before = stamps(out)
    second = build([corpus], out, jobs=1)
    assert not first.up_to_date and second.up_to_date
    assert stamps(out) == before
    # The report is the one of the build that wrote the files.
    assert (second.documents, second.triples, second.entities, second.outputs) == (
        first.documents,
        first.triples,
        first.entities,
        first.outputs,
    )
    assert second.validation.results == first.validation.results


def test_bytes_that_ingest_to_the_same_page_write_nothing(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    page = built_then_edited(corpus, out, lambda data: data + b"\n\n")
    assert build([corpus], out, jobs=1).up_to_date
    # The state now knows the new bytes: the third build reads no page again.
    state = BuildState.load(out.parent / ".supportgraph-cache", out)
    assert state is not None
    assert state.pages[str(page)][0] == build_state.page_keys([page])[str(page)]


def test_an_edited_page_is_built_again_like_a_build_without_cache(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    edit = "Kontakta support för".encode(), "Kontakta supporten för".encode()
    built_then_edited(corpus, out, lambda data: data.replace(*edit))
    assert not build([corpus], out, jobs=1).up_to_date
    plain = tmp_path / "plain"
    build([corpus], plain, jobs=1, cache=False)
    assert same_files(out, plain)
    assert "Kontakta supporten för Australien" in (out / "supportgraph.trig").read_text("utf-8")


@pytest.mark.parametrize(
    "change",
    ["edit an output", "remove an output", "add a page", "remove a page", "other base"],
)
def test_what_else_runs_the_build_again(corpus: Path, tmp_path: Path, change: str) -> None:
    out = tmp_path / "dist"
    build([corpus], out, jobs=1)
    base = "https://w3id.org/supportgraph/id/"
    if change == "edit an output":
        (out / "supportgraph.ttl").write_bytes(b"# edited\n")
    elif change == "remove an output":
        (out / "site" / "index.html").unlink()
    elif change == "add a page":
        page = "en-US/microsoft-365/admin/support/austria.md"
        shutil.copyfile(CORPUS / page, corpus / page)
    elif change == "remove a page":
        (corpus / "en-US/microsoft-365/admin/support/sweden.md").unlink()
    else:
        base = "https://example.org/support/"
    again = build([corpus], out, jobs=1, base=base)
    assert not again.up_to_date
    plain = tmp_path / "plain"
    build([corpus], plain, jobs=1, cache=False, base=base)
    assert same_files(out, plain)


def test_other_code_runs_the_build_again(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "dist"
    build([corpus], out, jobs=1)
    monkeypatch.setattr(build_state, "_code_digest", lambda: "another version of the code")
    assert not build([corpus], out, jobs=1).up_to_date


def test_without_cache_every_build_runs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build([corpus], out, jobs=1, cache=False)
    assert not build([corpus], out, jobs=1, cache=False).up_to_date
    assert not (tmp_path / ".supportgraph-cache").exists()


def test_an_unreadable_state_runs_the_build_and_is_recorded_anew(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    cache = tmp_path / ".supportgraph-cache"
    build([corpus], out, jobs=1)
    state_file = BuildState.file(cache, out)
    state_file.write_bytes(b"not a pickle")
    assert not build([corpus], out, jobs=1).up_to_date
    with state_file.open("rb") as handle:
        assert isinstance(pickle.load(handle), BuildState)
    assert build([corpus], out, jobs=1).up_to_date


def test_a_page_that_no_longer_ingests_is_reported_not_skipped(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    page = built_then_edited(corpus, out, lambda data: data.replace(b"---\n", b"---\n: [\n", 1))
    command = [sys.executable, "-m", "supportgraph.cli", "build", str(corpus), "-o", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0
    assert str(page) in result.stderr and "Traceback" not in result.stderr


def test_the_cli_says_the_outputs_are_up_to_date(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "supportgraph.cli", "build", str(corpus), "-o", str(out)]
    first = subprocess.run(command, capture_output=True, text=True, check=True, cwd=tmp_path)
    second = subprocess.run(command, capture_output=True, text=True, check=True, cwd=tmp_path)
    assert f"wrote {out}/supportgraph.trig" in first.stderr
    assert "\nwrote " not in second.stderr
    assert second.stderr.splitlines()[-1] == (
        f"up to date: every page reads as in the last build into {out}; wrote nothing"
    )
    # Everything else the summary says is the first build's.
    said = [line for line in first.stderr.splitlines() if not line.startswith("wrote ")]
    assert said == second.stderr.splitlines()[:-1]


def test_a_rebuild_works_out_only_the_edited_pages_digest(
    corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "dist"
    edit = "Kontakta support för".encode(), "Kontakta supporten för".encode()
    page = built_then_edited(corpus, out, lambda data: data.replace(*edit))
    digested = []
    real = build_state.document_digest
    monkeypatch.setattr(build_state, "document_digest", lambda d: digested.append(d) or real(d))
    assert not build([corpus], out, jobs=1).up_to_date
    # Once by the up-to-date check, once for the new state; the other pages keep theirs.
    assert {str(d.path) for d in digested} == {str(page)}
    state = BuildState.load(out.parent / ".supportgraph-cache", out)
    assert state is not None and state.pages[str(page)][1] == real(digested[0])
