"""What a killed build leaves in OUT (its staged files) is removed by the next build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from supportgraph.build import build
from supportgraph.files import remove_stale, stage

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PAGES = (
    "en-US/microsoft-365/admin/contact-support-for-business-products.md",
    "en-US/microsoft-365/admin/includes/country-region-support-dropdown-list.md",
    "en-US/microsoft-365/admin/support/australia.md",
)


def killed_while_staging(folder: Path) -> Path:
    """Stage a file from a process that is then killed (SIGKILL: no handler runs)."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from supportgraph.files import stage
        staged = stage(Path({str(folder)!r}), b"half of an output")
        print(staged.path, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert child.returncode == -9
    return Path(child.stdout.strip())


def test_a_temporary_name_says_which_process_writes_it(tmp_path: Path) -> None:
    staged = stage(tmp_path, b"x")
    assert staged.path.name.startswith(f".supportgraph-{os.getpid()}-")
    assert staged.path.suffix == ".tmp"


def test_only_the_files_of_processes_no_longer_running_are_removed(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    dead = killed_while_staging(tmp_path / "site")
    running = stage(tmp_path, b"a running build's file").path
    foreign = tmp_path / ".supportgraph-notapid.tmp"
    foreign.write_bytes(b"not named by supportgraph")
    assert dead.read_bytes() == b"half of an output"
    assert remove_stale(tmp_path) == [dead]
    assert not dead.exists() and running.exists() and foreign.exists()


def test_the_next_build_removes_what_a_killed_build_left(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for page in PAGES:
        (corpus / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / page, corpus / page)
    out = tmp_path / "dist"
    build([corpus], out, jobs=1)
    left = [killed_while_staging(out), killed_while_staging(out / "site")]
    assert all(path.exists() for path in left)
    build([corpus], out, jobs=1)  # up to date: writes nothing, still removes them
    assert not any(path.exists() for path in left)
    assert not list(out.rglob("*.tmp"))
