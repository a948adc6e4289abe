"""``build()``: the whole pipeline, ingest → extract → graph → validate → publish.

The public entry point a user imports; ``supportgraph build`` is a thin
wrapper around it. The merged view is validated against the SHACL shapes
before anything is published: ``OUT/validation-report.ttl`` is written
either way, but on a violation nothing else in ``OUT`` changes and
:class:`~supportgraph.validate.ShapeViolations` is raised.
"""

from __future__ import annotations

import gc
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from supportgraph.build_state import BuildState, build_fingerprint, page_keys, unchanged
from supportgraph.errors import IngestError
from supportgraph.extract import extract
from supportgraph.extract.records import Divergence, Extraction
from supportgraph.extract.versions import consistency
from supportgraph.files import remove_stale
from supportgraph.graph import DEFAULT_BASE, build_dataset, build_graphs, graph_triples
from supportgraph.graph.vocabulary import ONTOLOGY_GRAPH, PROJECT_ROOT
from supportgraph.ingest import Document, discover
from supportgraph.ingest.cache import CACHE_DIR, cached, ingest_cached
from supportgraph.parallel import pool, submit
from supportgraph.publish import REPORT_FILE, atomic_write, rendering, write_files
from supportgraph.validate import ShapeViolations, ValidationReport, validate
from supportgraph.workers import default_jobs, frozen_gc, paused_gc

__all__ = [
    "STAGES",
    "BuildReport",
    "build",
    "build_dataset_from",
    "build_graphs_from",
    "default_corpus",
]

# The stages a build reports to its ``progress`` callback, in order.
STAGES = ("ingest", "extract", "graph", "validate", "publish", "done")


def default_corpus() -> Path:
    """The bundled corpus: ``$SUPPORTGRAPH_CORPUS``, else ``./corpus``, else the project's."""
    if env := os.environ.get("SUPPORTGRAPH_CORPUS"):
        return Path(env)
    local = Path("corpus")
    if local.is_dir():
        return local
    return PROJECT_ROOT / "corpus"


@dataclass(frozen=True)
class BuildReport:
    """What a build read, made and noticed.

    ``problems``: per page, what it could not give (a section no rule reads, a
    country page without a usable number and why). ``failed``: per page, lines
    no parser understood (the pages counted as failed). ``consistency``: the
    main page's phone tab checked against the country pages, one "agree: ..."
    or "disagree: ..." line per country and page.
    """

    documents: int
    triples: int
    graphs: int
    entities: dict[str, int]
    divergences: tuple[Divergence, ...]
    unaligned: dict[str, tuple[str, ...]]
    problems: dict[str, tuple[str, ...]]
    outputs: tuple[Path, ...] = field(default=())
    consistency: tuple[str, ...] = ()
    failed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    validation: ValidationReport | None = None
    up_to_date: bool = False


def corpus_pages(corpora: Iterable[Path]) -> list[Path]:
    """Every Markdown page of one or more corpus folders, sorted (so order never matters)."""
    paths: list[Path] = []
    for corpus in corpora:
        paths.extend(discover(Path(corpus)))
    if not paths:
        raise IngestError("no Markdown pages found; expected a corpus folder of <locale>/... pages")
    return sorted(set(paths))


def ingest_corpus(
    corpora: Iterable[Path], *, cache: Path | None = None, jobs: int | None = 1
) -> list[Document]:
    """Ingest every page of one or more corpus folders (sorted, so order never matters).

    ``cache``: a folder of ingested pages keyed by content (see
    :mod:`supportgraph.ingest.cache`); ``jobs``: worker processes (``None``:
    one per core), the documents always coming back in path order.
    """
    return ingest_pages(corpus_pages(corpora), cache=cache, jobs=jobs)


def ingest_pages(
    ordered: Sequence[Path],
    *,
    cache: Path | None = None,
    jobs: int | None = 1,
    keys: Mapping[str, str] | None = None,
) -> list[Document]:
    """Ingest pages (in the order given: :func:`corpus_pages` sorts them); see ``ingest_corpus``.

    ``keys``: the pages' cache keys by path, when the caller has just computed them
    (:func:`~supportgraph.build_state.page_keys`), so that no page is read and hashed twice.
    """
    jobs = default_jobs() if jobs is None else jobs
    keys = keys or {}
    with paused_gc():
        # Cached pages are loaded here: sending them back from a worker cost more.
        documents: list[Document | None] = [
            cached(p, cache, keys.get(str(p))) if cache else None for p in ordered
        ]
        missing = [path for path, document in zip(ordered, documents, strict=True) if not document]
        # A few runs of pages per worker, not one task per page: the round trip of a task
        # cost more than ingesting its page.
        size = max(1, min(256, -(-len(missing) // (4 * max(jobs, 1)))))
        runs = [missing[i : i + size] for i in range(0, len(missing), size)]
        with pool(jobs if len(runs) > 1 else 1) as executor:
            pending = [submit(executor, _ingest_run, run, cache) for run in runs]
            ingested = iter(document for result in pending for document in result())
            documents = [document or next(ingested) for document in documents]
    seen: dict[tuple[str, str], Path] = {}
    for document in documents:
        key = (document.locale, document.relpath)
        if key in seen:
            raise IngestError(
                f"the same page ({document.locale}/{document.relpath}) is also at {seen[key]}; "
                "expected each page once",
                path=document.path,
            )
        seen[key] = document.path
    return documents


def _ingest_run(paths: Sequence[Path], cache: Path | None) -> list[Document]:
    """Ingest some pages in order (the first that cannot be read raises)."""
    return [ingest_cached(path, cache) for path in paths]


def build_dataset_from(
    corpora: Sequence[Path], base: str = DEFAULT_BASE
) -> tuple[Dataset, list[Extraction]]:
    """Ingest, extract and build the dataset of some corpus folders, without writing anything."""
    extractions = extract(ingest_corpus(corpora))
    return build_dataset(extractions, base), extractions


def build_graphs_from(
    corpora: Sequence[Path],
    base: str = DEFAULT_BASE,
    *,
    jobs: int | None = None,
    cache: Path | None = None,
) -> tuple[list[Extraction], Dataset, Graph]:
    """Ingest, extract and build as :func:`build` does, without validating or writing.

    Returns the extractions, the dataset (each graph a plain set: see
    :func:`~supportgraph.graph.build_graphs`) and the merged view (indexed).
    """
    return _graphs_of(ingest_pages(corpus_pages(corpora), cache=cache, jobs=jobs), base)


def _graphs_of(
    documents: Sequence[Document], base: str, step: Callable[[str], None] = lambda stage: None
) -> tuple[list[Extraction], Dataset, Graph]:
    """Extract and build, with no garbage collection meanwhile.

    What these stages make lives to the end of a build, and every collection walked
    all of it (at 10,000 documents a quarter of the graph stage's time); they make
    next to no cycles (156 objects at 1,000 documents).
    """
    with paused_gc():
        step("extract")
        extractions = extract(documents)
        step("graph")
        return (extractions, *build_graphs(extractions, base))


def build(
    corpora: Sequence[Path] | None = None,
    out: Path = Path("dist"),
    *,
    base: str = DEFAULT_BASE,
    jobs: int | None = None,
    cache: Path | bool = True,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the graph of some corpus folders (default: the bundled corpus) into ``out``.

    ``jobs`` worker processes (default: one per core) ingest the pages and
    serialize the outputs while the graph is validated; ``cache`` is the
    folder of ingested pages and of the state of the last build into
    ``out`` (``True``: ``.supportgraph-cache`` beside ``out``; ``False``:
    none). With a cache, a build whose pages all ingest to what the last
    build into ``out`` read, and whose outputs are as that build left them,
    writes nothing and returns that build's report with ``up_to_date`` set.
    The outputs are the same bytes whatever
    ``jobs`` and ``cache`` are. ``progress`` is called with the name of each stage as it
    starts (``STAGES``). Raises :class:`~supportgraph.validate.ShapeViolations`
    (after writing only ``out/validation-report.ttl``) when the graph
    violates the shapes.
    """
    step = progress or (lambda stage: None)
    corpora = list(corpora) if corpora else [default_corpus()]
    if Path(out).is_dir():
        remove_stale(Path(out))  # what a killed build into OUT left
    if cache is True:
        cache = Path(out).absolute().parent / CACHE_DIR
    step("ingest")
    pages = corpus_pages(corpora)
    if cache:
        fingerprint, keys = build_fingerprint(base), page_keys(pages)
        state = BuildState.load(cache, out)
        if state is not None and unchanged(state, fingerprint, keys, cache):
            if any(state.pages[name][0] != key for name, key in keys.items()):
                state.rekeyed(keys).save(cache, out)  # same pages, new bytes: skip their ingest
            step("done")
            return replace(state.report, up_to_date=True)
    documents = ingest_pages(pages, cache=cache or None, jobs=jobs, keys=keys if cache else None)
    with frozen_gc():
        extractions, dataset, merged = _graphs_of(documents, base, step)
        gc.freeze()  # what they made lives to the end of the build: out of the collector's way
        with rendering(dataset, jobs, staging=Path(out), merged=merged) as finish:
            step("validate")
            validation = validate(merged, base=base)
            if not validation.conforms:
                atomic_write(Path(out) / REPORT_FILE, validation.turtle())
                raise ShapeViolations(validation, report_file=Path(out) / REPORT_FILE)
            step("publish")
            divergences = tuple(d for e in extractions for d in e.divergences)
            outputs = write_files(finish(divergences, validation), Path(out))
        result = report(dataset, extractions, outputs, validation)
    if cache:
        # A page edited while it was read is recorded without a key: the next build reads it.
        keys = {name: k if k == keys.get(name) else "" for name, k in page_keys(pages).items()}
        BuildState.of(fingerprint, documents, keys, outputs, result, state).save(cache, out)
    step("done")
    return result


def report(
    dataset: Dataset,
    extractions: Sequence[Extraction],
    outputs: Sequence[Path] = (),
    validation: ValidationReport | None = None,
) -> BuildReport:
    """Count what a dataset holds (entities per class over all document graphs)."""
    entities: Counter[str] = Counter()
    subjects_by_class: dict[Node, set[Node]] = {}
    # Each graph's own triples (graph_triples): asking the store for a pattern across
    # graphs works out every triple's graphs, and scans an unindexed store.
    graphs = [g for g in dataset.graphs() if g.identifier != ONTOLOGY_GRAPH]
    is_type = str(RDF.type).__eq__  # str's own comparison: rdflib's is Python code
    for graph in graphs:
        for subject, predicate, rdf_type in graph_triples(dataset.store, graph):
            if is_type(predicate):
                subjects_by_class.setdefault(rdf_type, set()).add(subject)
    for rdf_type, subjects in subjects_by_class.items():
        entities[dataset.namespace_manager.normalizeUri(rdf_type)] += len(subjects)
    return BuildReport(
        documents=len(extractions),
        triples=sum(len(g) for g in dataset.graphs()),
        graphs=sum(1 for g in dataset.graphs() if len(g)),
        entities=dict(sorted(entities.items())),
        divergences=tuple(d for e in extractions for d in e.divergences),
        unaligned={e.document.path: e.unaligned for e in extractions if e.unaligned},
        problems={e.document.path: e.problems for e in extractions if e.problems},
        consistency=consistency(extractions),
        failed={e.document.path: e.failures for e in extractions if e.failures},
        outputs=tuple(outputs),
        validation=validation,
    )
