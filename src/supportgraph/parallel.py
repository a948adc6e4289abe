"""Independent work of a build, spread over worker processes.

A build's slow steps after the graph is made do not depend on each other:
each output file is serialized from the same dataset, and each framed
document from the same cloud subgraph. :func:`start_rendering` hands them to
a pool of ``jobs`` forked worker processes, which inherit the dataset (it is
never pickled), while the calling process goes on (SHACL validation);
the caller collects the results (the callables :func:`start_rendering`
returns) in a fixed order, so the outputs are byte-identical to a serial
build's (see :func:`supportgraph.publish.rendering`). With ``jobs`` 1, or where
``fork`` is not available, every task runs in the calling process when its
result is asked for.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from supportgraph.files import stage
from supportgraph.framing import CloudTriples, cloud_triples, frame_organization, monikers
from supportgraph.jsonld import canonical_json
from supportgraph.site import CloudIndex, cloud_index, cloud_page
from supportgraph.validate import corpus_languages
from supportgraph.workers import can_fork, default_jobs, frozen_gc, paused

__all__ = ["pool", "start_rendering", "submit"]

# The data a forked worker reads: set before the workers are forked.
_SHARED: dict[str, Any] = {}

Pending = Callable[[], Any]


@contextmanager
def pool(jobs: int | None, **shared: Any) -> Iterator[Executor | None]:
    """A pool of ``jobs`` forked workers that see ``shared`` (``None``: run in-process)."""
    jobs = default_jobs() if jobs is None else jobs
    _SHARED.clear()
    _SHARED.update(shared)
    try:
        if jobs <= 1 or not can_fork():
            yield None
            return
        context = multiprocessing.get_context("fork")
        # Frozen objects are never visited by a worker's garbage collector, so the
        # pages holding the shared dataset stay shared instead of being copied.
        with frozen_gc(), ProcessPoolExecutor(max_workers=jobs, mp_context=context) as executor:
            yield executor
    finally:
        _SHARED.clear()


def submit(executor: Executor | None, function: Callable[..., Any], *args: Any) -> Pending:
    """Start ``function(*args)``; returns a callable giving its result (computed then if serial)."""
    if executor is None:
        return lambda: function(*args)
    return executor.submit(function, *args).result


def start_rendering(
    executor: Executor | None,
    dataset: Dataset,
    merged: Graph,
    languages: Sequence[str],
    files: dict[str, Callable[[Dataset, Graph, Path | None], dict[str, Any]]],
) -> tuple[dict[str, Pending], dict[tuple[str, str], Pending]]:
    """Start the serializing tasks ``files`` (name → function giving output files), and
    making the page of every cloud per language (:func:`~supportgraph.site.cloud_page`,
    its framed document included).

    The pool must have been made with ``dataset`` and ``merged`` shared;
    each cloud's page index and subgraph triples are made here, before any
    worker is forked.
    """
    _SHARED["languages"] = list(languages)
    # Each cloud's index and triples, made once for every worker (and before
    # they are forked, so that they share them) instead of once per worker.
    for moniker in monikers(merged):
        _triples(moniker)
    _SHARED["files"] = files
    # The biggest tasks first, so that the workers finish at about the same time.
    names = list(files)
    rendered = {names[0]: submit(executor, _serialize, names[0])}
    clouds = _SHARED.get("triples", {})
    sizes = {moniker: len(triples.triples) for moniker, triples in clouds.items()}
    biggest = sorted(sizes, key=lambda moniker: -sizes[moniker])
    pages = {
        (moniker, lang): submit(executor, _page, moniker, lang)
        for moniker in biggest
        for lang in languages
    }
    rendered.update({name: submit(executor, _serialize, name) for name in names[1:]})
    return rendered, pages


# Serializing and framing make many objects and no cycles (none left at 1,000 documents):
# no collection walks them meanwhile.
@paused
def _serialize(name: str) -> dict[str, Any]:
    serializer = _SHARED["files"][name]
    return _staged(serializer(_SHARED["dataset"], _SHARED["merged"], _SHARED.get("staging")))


@paused
def _page(moniker: str, lang: str) -> dict[str, Any]:
    document = frame_organization(_triples(moniker), lang)
    data = canonical_json(document)
    page = cloud_page(
        None,
        moniker,
        lang,
        document,
        index=_index(moniker),
        languages=_languages(),
        document_json=data,
    )
    return _staged(
        {f"{moniker}/{lang}.jsonld": data, f"{moniker}/{lang}.html": page.encode("utf-8")}
    )


def _languages() -> list[str]:
    """The corpus languages, as :func:`start_rendering` was given them (else read once)."""
    if "languages" not in _SHARED:
        _SHARED["languages"] = corpus_languages(_SHARED["merged"])
    return _SHARED["languages"]


def _triples(moniker: str) -> CloudTriples:
    """The triples of the cloud's subgraph (:func:`~supportgraph.framing.cloud_graph`), made
    from its index once per process: its pages in every language share them."""
    triples = _SHARED.setdefault("triples", {})
    if moniker not in triples:
        index = _index(moniker)
        triples[moniker] = CloudTriples(cloud_triples(index.values, index.cloud, index.members))
    return triples[moniker]


def _index(moniker: str) -> CloudIndex:
    """The cloud's page index, made once per process: its pages in every language share it."""
    indexes = _SHARED.setdefault("indexes", {})
    if moniker not in indexes:
        indexes[moniker] = cloud_index(_SHARED["merged"], moniker)
    return indexes[moniker]


def _staged(files: dict[str, Any]) -> dict[str, Any]:
    """The files, written to the staging folder by this worker if there is one."""
    folder = _SHARED.get("staging")
    if folder is None:
        return files
    return {
        name: stage(folder, data) if isinstance(data, bytes) else data
        for name, data in files.items()
    }
