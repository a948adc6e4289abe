"""What the last build into an output folder read and wrote, so a rebuild can stop early.

A build with a cache records, per output folder, the digest of every
ingested page, the size and modification time of every file it wrote, and
its report. The next build into the same folder reads every page's bytes;
pages whose bytes are unchanged keep their recorded digest, changed pages
are ingested again (through the ingest cache). When every page ingests to
the same :class:`~supportgraph.ingest.Document` as before (a touched file,
trailing whitespace, a re-checkout) and the outputs are as the last build
left them, nothing downstream can change: the build returns the recorded
report and writes nothing ("early cutoff"). Anything else (a page whose
content changed, a page added or removed, other code, shapes, ontology,
library versions or ``base``, an output edited or removed) runs the whole
build, which records its state anew.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from supportgraph import __version__
from supportgraph.graph.vocabulary import ONTOLOGY_FILE, PROJECT_ROOT
from supportgraph.ingest import Document
from supportgraph.ingest.cache import cache_key, ingest_cached, store_pickle
from supportgraph.workers import paused_gc

__all__ = ["BuildState", "build_fingerprint", "document_digest", "page_keys", "unchanged"]

# The libraries whose behaviour shapes the outputs (parsing, values, RDF, JSON-LD).
LIBRARIES = (
    "markdown-it-py",
    "mdit-py-plugins",
    "PyYAML",
    "phonenumbers",
    "langcodes",
    "pycountry",
    "tzdata",
    "rdflib",
    "pyshacl",
    "pyoxigraph",
    "PyLD",
)
STATE_FORMAT = 1


@functools.cache
def _code_digest() -> str:
    """A digest of supportgraph's sources, mappings, shapes and ontology, and library versions."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{STATE_FORMAT}".encode())
    package = Path(__file__).parent
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files += [*sorted((PROJECT_ROOT / "shapes").glob("*.ttl")), ONTOLOGY_FILE]
    for source in sorted(files):
        name = source.relative_to(package) if source.is_relative_to(package) else source.name
        digest.update(f"{name}\0".encode() + source.read_bytes())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={version(library)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{library}=\0".encode())
    return digest.hexdigest()


def build_fingerprint(base: str) -> str:
    """What, besides the pages, decides a build's outputs: the code, its data, ``base``."""
    return hashlib.sha256(f"{_code_digest()}\0{base}".encode()).hexdigest()


def document_digest(document: Document) -> str:
    """A digest of an ingested page (its pickle: two equal digests mean the same page)."""
    return hashlib.sha256(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def page_keys(paths: Iterable[Path]) -> dict[str, str]:
    """Each page's ingest-cache key (its path, bytes and the ingest code), by path.

    A page that cannot be read gets no key: the build proper reports it.
    """
    keys = {}
    for path in paths:
        try:
            keys[str(path)] = cache_key(path, path.read_bytes())
        except OSError:
            continue
    return keys


@dataclass(frozen=True)
class BuildState:
    """One successful build into one folder: its fingerprint, pages, outputs and report."""

    fingerprint: str
    pages: dict[str, tuple[str, str]]  # path → (ingest-cache key, document digest)
    outputs: dict[str, tuple[int, int]]  # path → (size, mtime in ns) as written
    report: Any  # the BuildReport (typed loosely: build imports this module)

    @staticmethod
    def file(cache: Path, out: Path) -> Path:
        """Where the state of the builds into ``out`` is kept in the cache folder."""
        name = hashlib.sha256(str(Path(out).absolute()).encode()).hexdigest()[:32]
        return Path(cache) / "builds" / f"{name}.pickle"

    @classmethod
    def load(cls, cache: Path, out: Path) -> BuildState | None:
        """The recorded state of ``out``, or ``None`` (none, unreadable, or of another format)."""
        try:
            with cls.file(cache, out).open("rb") as handle, paused_gc():
                state = pickle.load(handle)  # many objects, no garbage: no collection
        except Exception:  # missing, truncated or foreign: a full build records it anew
            return None
        return state if isinstance(state, cls) else None

    def save(self, cache: Path, out: Path) -> None:
        """Record this state (written whole or not at all; a read-only cache is skipped)."""
        store_pickle(self.file(cache, out), self)

    def rekeyed(self, keys: dict[str, str]) -> BuildState:
        """This state with the pages' new keys (their bytes changed, their documents did not)."""
        pages = {name: (keys[name], digest) for name, (_, digest) in self.pages.items()}
        return BuildState(self.fingerprint, pages, self.outputs, self.report)

    @classmethod
    def of(
        cls,
        fingerprint: str,
        documents: Iterable[Document],
        keys: dict[str, str],
        outputs: Iterable[Path],
        report: Any,
        previous: BuildState | None = None,
    ) -> BuildState:
        """The state of a build that has just written ``outputs``.

        A page whose key ``previous`` recorded keeps its digest (the same bytes and
        code ingest to the same document); the others' are worked out.
        """
        known = previous.pages if previous and previous.fingerprint == fingerprint else {}
        pages = {}
        for document in documents:
            name = str(document.path)
            if name not in keys:
                continue
            key = keys[name]
            if key and known.get(name, ("", ""))[0] == key:
                pages[name] = known[name]
            else:
                pages[name] = (key, document_digest(document))
        written = {}
        for path in outputs:
            stat = path.stat()
            written[str(path)] = (stat.st_size, stat.st_mtime_ns)
        return cls(fingerprint, pages, written, report)


def unchanged(
    state: BuildState | None, fingerprint: str, keys: dict[str, str], cache: Path
) -> bool:
    """True when a build with ``fingerprint`` of the pages ``keys`` would write what ``state`` did.

    Pages whose key changed are ingested (through the ingest cache, so the
    build that follows does not ingest them again) and compared by digest.
    """
    if state is None or state.fingerprint != fingerprint or state.pages.keys() != keys.keys():
        return False
    for name, (size, mtime) in state.outputs.items():
        try:
            stat = os.stat(name)
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
            return False
    for name, key in keys.items():
        recorded_key, digest = state.pages[name]
        if key == recorded_key:
            continue
        try:
            document = ingest_cached(Path(name), cache)
        except Exception:  # the build proper reports the page's error
            return False
        if document_digest(document) != digest:
            return False
    return True
