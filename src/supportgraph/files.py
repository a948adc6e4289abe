"""Files written whole or not at all: a temporary file in the target folder, then a rename.

A reader never sees half a file, and a build that stops leaves the previous
files as they were. Workers can *stage* an output (write it under a
temporary name) and leave the rename to the process that decides whether
the build is published. A temporary name says which process writes it
(``.supportgraph-<pid>-….tmp``), so that the files of a build that was
killed, which no handler could remove, are removed by the next build
(:func:`remove_stale`).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["Staged", "atomic_write", "discard", "remove_stale", "stage", "staged_file"]

TEMPORARY = re.compile(r"\.supportgraph-(\d+)-[^/]*\.tmp")


@dataclass(frozen=True)
class Staged:
    """An output file already written, under a temporary name, in the output folder.

    Workers write the big files themselves instead of sending their bytes
    back (hundreds of MB at 10,000 documents); :func:`write_files` renames
    them into place with the rest, and :func:`discard` removes them when
    the build stops first.
    """

    path: Path


@contextmanager
def staged_file(folder: Path) -> Iterator[tuple[BinaryIO, Staged]]:
    """A new temporary file in ``folder``, open for writing (removed if the block fails).

    For outputs too big to be held whole: the writer streams into it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".supportgraph-{os.getpid()}-", suffix=".tmp", dir=folder)
    staged = Staged(Path(tmp))
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle, staged
        os.chmod(tmp, 0o666 & ~_UMASK)  # published files are readable, not mkstemp's 0600
    except BaseException:
        staged.path.unlink(missing_ok=True)
        raise


def stage(folder: Path, data: bytes) -> Staged:
    """Write ``data`` to a new temporary file in ``folder`` (mode as published)."""
    with staged_file(folder) as (handle, staged):
        handle.write(data)
    return staged


def atomic_write(path: Path, data: bytes | Staged) -> Path:
    """Write ``data`` (or move a staged file) to ``path`` via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = data if isinstance(data, Staged) else stage(path.parent, data)
    try:
        os.replace(staged.path, path)
    except BaseException:
        staged.path.unlink(missing_ok=True)
        raise
    return path


def discard(files: Iterable[bytes | Staged]) -> None:
    """Remove the temporary files of staged outputs that were not written."""
    for data in files:
        if isinstance(data, Staged):
            data.path.unlink(missing_ok=True)


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary files, in ``folder`` and below, of processes no longer running.

    What a killed build left (up to the size of every output); a running
    build's files are left alone. Returns the files removed.
    """
    removed = []
    for path in sorted(Path(folder).rglob(".supportgraph-*.tmp")):
        match = TEMPORARY.fullmatch(path.name)
        if match is None or _running(int(match.group(1))):
            continue
        try:
            path.unlink()
        except FileNotFoundError:  # its build renamed or removed it meanwhile
            continue
        removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's process, or not a pid
        return True
    return True


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()
