"""``build()``: the whole pipeline, ingest → extract → graph → validate → publish.

The public entry point a user imports; ``supportgraph build`` is a thin
wrapper around it. The merged view is validated against the SHACL shapes
before anything is published: ``OUT/validation-report.ttl`` is written
either way, but on a violation nothing else in ``OUT`` changes and
:class:`~supportgraph.validate.ShapeViolations` is raised.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset
from rdflib.namespace import RDF

from supportgraph.errors import IngestError
from supportgraph.extract import extract
from supportgraph.extract.records import Divergence, Extraction
from supportgraph.extract.versions import consistency
from supportgraph.graph import DEFAULT_BASE, build_dataset
from supportgraph.graph.vocabulary import ONTOLOGY_GRAPH, PROJECT_ROOT
from supportgraph.ingest import Document, discover, ingest_file
from supportgraph.publish import REPORT_FILE, atomic_write, write_outputs
from supportgraph.validate import ShapeViolations, ValidationReport, validate

__all__ = ["BuildReport", "build", "build_dataset_from", "default_corpus"]


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


def ingest_corpus(corpora: Iterable[Path]) -> list[Document]:
    """Ingest every page of one or more corpus folders (sorted, so order never matters)."""
    paths: list[Path] = []
    for corpus in corpora:
        paths.extend(discover(Path(corpus)))
    if not paths:
        raise IngestError("no Markdown pages found; expected a corpus folder of <locale>/... pages")
    documents = [ingest_file(p) for p in sorted(set(paths))]
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


def build_dataset_from(
    corpora: Sequence[Path], base: str = DEFAULT_BASE
) -> tuple[Dataset, list[Extraction]]:
    """Ingest, extract and build the dataset of some corpus folders, without writing anything."""
    extractions = extract(ingest_corpus(corpora))
    return build_dataset(extractions, base), extractions


def build(
    corpora: Sequence[Path] | None = None,
    out: Path = Path("dist"),
    *,
    base: str = DEFAULT_BASE,
) -> BuildReport:
    """Build the graph of some corpus folders (default: the bundled corpus) into ``out``.

    Raises :class:`~supportgraph.validate.ShapeViolations` (after writing only
    ``out/validation-report.ttl``) when the graph violates the shapes.
    """
    corpora = list(corpora) if corpora else [default_corpus()]
    dataset, extractions = build_dataset_from(corpora, base)
    validation = validate(dataset, base=base)
    if not validation.conforms:
        atomic_write(Path(out) / REPORT_FILE, validation.turtle())
        raise ShapeViolations(validation, report_file=Path(out) / REPORT_FILE)
    divergences = tuple(d for e in extractions for d in e.divergences)
    outputs = write_outputs(dataset, divergences, Path(out), validation=validation)
    return report(dataset, extractions, outputs, validation)


def report(
    dataset: Dataset,
    extractions: Sequence[Extraction],
    outputs: Sequence[Path] = (),
    validation: ValidationReport | None = None,
) -> BuildReport:
    """Count what a dataset holds (entities per class over all document graphs)."""
    entities: Counter[str] = Counter()
    subjects_by_class: dict[str, set] = {}
    for graph in dataset.graphs():
        if graph.identifier == ONTOLOGY_GRAPH:
            continue
        for subject, rdf_type in graph.subject_objects(RDF.type):
            name = dataset.namespace_manager.normalizeUri(rdf_type)
            subjects_by_class.setdefault(name, set()).add(subject)
    for name, subjects in subjects_by_class.items():
        entities[name] = len(subjects)
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
