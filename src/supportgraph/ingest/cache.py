"""A per-document cache of ingested pages, keyed by file content.

A rebuild after one file changed re-ingests only that file: each
:class:`~supportgraph.ingest.model.Document` is stored (pickled) under the
SHA-256 of the page's path, its bytes and a fingerprint of the ingest code
and the supportgraph version, so an edited page or a changed parser never
reads a stale entry. An unreadable entry is ingested again and rewritten.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from supportgraph import __version__
from supportgraph.ingest import Document, ingest_bytes, ingest_file

__all__ = ["CACHE_DIR", "cache_key", "cached", "code_fingerprint", "ingest_cached", "store_pickle"]

CACHE_DIR = ".supportgraph-cache"


@functools.cache
def code_fingerprint() -> str:
    """A digest of the supportgraph version and of every source file of the ingest stage."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    for source in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(source.name.encode("utf-8") + b"\0" + source.read_bytes())
    return digest.hexdigest()


def cache_key(path: Path, data: bytes) -> str:
    """The cache key of a page: its path, its bytes and the code fingerprint."""
    digest = hashlib.sha256(code_fingerprint().encode("ascii"))
    digest.update(str(path).encode("utf-8") + b"\0" + data)
    return digest.hexdigest()


def ingest_cached(path: Path, cache: Path | None) -> Document:
    """Ingest one page, through the cache folder ``cache`` (``None``: no cache)."""
    if cache is None:
        return ingest_file(path)
    try:
        data = Path(path).read_bytes()
    except OSError:
        return ingest_file(path)  # raises the IngestError that names the problem
    entry = Path(cache) / f"{cache_key(path, data)}.pickle"
    document = _load(entry)
    if document is None:
        document = ingest_bytes(data, Path(path))
        store_pickle(entry, document)
    return document


def cached(path: Path, cache: Path, key: str | None = None) -> Document | None:
    """The page as cached for its present bytes, or ``None`` (not cached, or unreadable).

    ``key``: its :func:`cache_key`, when the caller has just read and hashed the page.
    """
    if key is None:
        try:
            key = cache_key(path, Path(path).read_bytes())
        except OSError:
            return None
    return _load(Path(cache) / f"{key}.pickle")


def _load(entry: Path) -> Document | None:
    try:
        with entry.open("rb") as handle:
            document = pickle.load(handle)
    except Exception:  # a missing, truncated or foreign entry: ingest again
        return None
    return document if isinstance(document, Document) else None


def store_pickle(entry: Path, value: object) -> None:
    """Pickle ``value`` into ``entry`` via a temporary file and a rename (concurrent builds
    never see half of it); a cache that cannot be written is skipped (it slows the
    next build down, nothing more)."""
    tmp: str | None = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=entry.parent)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
