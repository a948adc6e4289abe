"""SHACL validation of the merged view, with results a person can act on.

``validate()`` runs pyshacl with the shapes of ``shapes/`` over a graph (for a
dataset: its default graph, the merged view, which also holds the ontology)
and returns a :class:`ValidationReport`: the results as plain records, plus
an RDF report whose nodes have stable IRIs, so the same graph always gives
the same ``validation-report.ttl``. Any ``sh:Violation`` means the graph does
not conform; warnings are reported and let it pass.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH, NamespaceManager
from rdflib.term import Node

from supportgraph.errors import SupportGraphError, ValidationError
from supportgraph.graph.vocabulary import DEFAULT_BASE, PREFIXES, PROJECT_ROOT, SG
from supportgraph.validate_parallel import run_shared
from supportgraph.validate_shapes import SGSH, explicit_focus, focused_shapes, language_shapes

__all__ = [
    "SHAPES_FILE",
    "ShapeViolations",
    "ValidationReport",
    "ValidationResult",
    "corpus_languages",
    "load_shapes",
    "summary",
    "validate",
    "validate_file",
]

SHAPES_FILE = PROJECT_ROOT / "shapes" / "supportgraph.shacl.ttl"
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".n3": "n3",
}


@dataclass(frozen=True, order=True)
class ValidationResult:
    """One SHACL result: which node, which property, what is wrong, how bad."""

    severity: str
    focus: Node
    path: Node | None
    message: str
    shape: Node
    value: Node | None = None
    component: Node | None = None


@dataclass(frozen=True)
class ValidationReport:
    """All results of one validation, and the report as RDF (``sh:ValidationReport``)."""

    results: tuple[ValidationResult, ...]
    graph: Graph = field(compare=False, repr=False)
    seconds: float = field(default=0.0, compare=False)

    @property
    def conforms(self) -> bool:
        """True when no result is a violation (warnings do not count)."""
        return not self.violations

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        """The ``sh:Violation`` results."""
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        """The ``sh:Warning`` and ``sh:Info`` results."""
        return tuple(r for r in self.results if r.severity != "Violation")

    def turtle(self) -> bytes:
        """The report as Turtle (deterministic: every node has an IRI)."""
        return self.graph.serialize(format="turtle", encoding="utf-8")


class ShapeViolations(ValidationError):
    """A graph with SHACL violations; ``report`` has them all."""

    def __init__(self, report: ValidationReport, *, report_file: Path | None = None):
        self.report = report
        count = len(report.violations)
        message = f"{count} SHACL violation{'s' * (count != 1)}"
        if report_file is not None:
            message += f"; nothing else was published (the SHACL report is {report_file})"
        super().__init__(message)


def default_graph(dataset: Dataset) -> Graph:
    """A dataset's default graph (rdflib ≥ 7.1 calls it ``default_graph``)."""
    if hasattr(dataset, "default_graph"):
        return dataset.default_graph
    return dataset.default_context


def load_shapes(path: Path | None = None) -> Graph:
    """The shapes graph (``shapes/supportgraph.shacl.ttl`` unless ``path`` is given)."""
    path = Path(path) if path is not None else SHAPES_FILE
    try:
        return Graph().parse(path, format=_format(path))
    except (OSError, SyntaxError, ValueError) as error:
        raise SupportGraphError(f"cannot read the shapes: {error}", path=path) from None


def corpus_languages(graph: Graph) -> list[str]:
    """The languages of the corpus: the ``dcterms:language`` of its source documents, sorted."""
    return sorted(
        {
            str(lang)
            for doc in graph.subjects(RDF.type, SG.SourceDocument)
            for lang in graph.objects(doc, DCTERMS.language)
        }
    )


def validate(
    data: Graph | Dataset,
    shapes: Path | Graph | None = None,
    *,
    base: str = DEFAULT_BASE,
    jobs: int | None = 1,
) -> ValidationReport:
    """Validate a graph (a dataset: its default graph) against the supportgraph shapes.

    The results are those of one pyshacl run with the shapes and the
    :func:`language_shapes` of the graph, whatever ``jobs`` is:
    :func:`focused_shapes` only spares pyshacl work whose outcome is known
    beforehand, and with ``jobs`` > 1 (None: one per core) the shapes and
    their focus nodes are shared among that many forked worker processes
    (:mod:`supportgraph.validate_parallel`; in-process where fork is not available).
    """
    graph = default_graph(data) if isinstance(data, Dataset) else data
    shapes_graph = shapes if isinstance(shapes, Graph) else load_shapes(shapes)
    started = time.perf_counter()
    languages = corpus_languages(graph)
    shapes_graph = focused_shapes(language_shapes(shapes_graph, languages), graph, languages)
    found = run_shared(graph, shapes_graph, pyshacl_results, jobs, explicit_focus)
    seconds = time.perf_counter() - started
    results = tuple(sorted(set(found), key=_order))
    return ValidationReport(results, _report_graph(results, base), seconds)


def pyshacl_results(graph: Graph, shapes: Graph) -> list[ValidationResult]:
    """The results of one pyshacl run of ``shapes`` over ``graph``, unsorted, maybe repeated."""
    _, report_graph, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        advanced=True,  # SHACL-AF SPARQL targets, see the shapes file
        allow_warnings=True,
        inplace=True,  # no inference and no rules: nothing is added, so no copy is needed
    )
    return list(_results(report_graph))


def validate_file(
    path: Path, shapes: Path | None = None, *, jobs: int | None = 1
) -> ValidationReport:
    """Validate any RDF file; for a dataset format, the union of its graphs.

    ``jobs``: worker processes, as for :func:`validate`.
    """
    path = Path(path)
    if not path.is_file():
        raise SupportGraphError(
            "no such file; expected an RDF file (.ttl, .trig, .nq, ...)", path=path
        )
    fmt = _format(path)
    dataset = Dataset()
    try:
        dataset.parse(path, format=fmt)
    except Exception as error:  # rdflib's parsers raise many types
        raise SupportGraphError(f"cannot parse as RDF: {error}", path=path) from None
    graph = Graph()
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return validate(graph, shapes, jobs=jobs)


def _format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise SupportGraphError(
            f"unknown RDF file type; expected one of {known}", path=path
        ) from None


def _results(report: Graph) -> Iterable[ValidationResult]:
    for node in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(node, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        yield ValidationResult(
            severity=str(severity).rpartition("#")[2] if severity else "Violation",
            focus=report.value(node, SH.focusNode),
            path=report.value(node, SH.resultPath),
            message=" ".join(messages),
            shape=report.value(node, SH.sourceShape),
            value=report.value(node, SH.value),
            component=report.value(node, SH.sourceConstraintComponent),
        )


def _order(result: ValidationResult) -> tuple[int, str, str, str, str]:
    return (
        SEVERITY_ORDER.get(result.severity, 3),
        str(result.focus),
        str(result.path),
        str(result.shape),
        result.message + str(result.value),
    )


def _report_graph(results: Sequence[ValidationResult], base: str) -> Graph:
    """``sh:ValidationReport`` with a content-addressed IRI per result (no blank nodes)."""
    graph = Graph()
    graph.bind("sh", SH)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("sgsh", SGSH)
    report = URIRef(f"{base.rstrip('/')}/validation-report")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(all(r.severity != "Violation" for r in results))))
    for result in results:
        key = "\x1f".join(
            term.n3() if term is not None else ""
            for term in (result.focus, result.path, result.shape, result.value, result.component)
        )
        digest = hashlib.sha256((key + result.message).encode("utf-8")).hexdigest()[:16]
        node = URIRef(f"{report}/result/{digest}")
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.resultSeverity, SH[result.severity]))
        graph.add((node, SH.focusNode, result.focus))
        graph.add((node, SH.resultMessage, Literal(result.message, lang="en")))
        for prop, term in (
            (SH.resultPath, result.path),
            (SH.sourceShape, result.shape),
            (SH.value, result.value),
            (SH.sourceConstraintComponent, result.component),
        ):
            if term is not None:
                graph.add((node, prop, term))
    return graph


def summary(report: ValidationReport, namespaces: NamespaceManager | None = None) -> str:
    """A readable account: every violation, then warnings grouped by rule with a few examples."""
    nm = namespaces or report.graph.namespace_manager
    lines = [
        f"validation: {len(report.violations)} violations, {len(report.warnings)} warnings "
        f"({report.seconds:.1f} s)"
    ]
    for result in report.violations:
        lines.extend(_describe(result, nm))
    groups: Counter[tuple[str, str, str]] = Counter(
        (r.severity, _short(r.shape, nm), r.message) for r in report.warnings
    )
    for (severity, shape, message), count in sorted(groups.items()):
        examples = [r for r in report.warnings if _short(r.shape, nm) == shape][:3]
        lines.append(f"  {severity} ×{count} {shape}: {message}")
        lines.extend(f"      e.g. {_short(r.focus, nm)}" for r in examples)
    return "\n".join(lines) + "\n"


def _describe(result: ValidationResult, nm: NamespaceManager) -> list[str]:
    lines = [f"  {result.severity}: {_short(result.focus, nm)}"]
    if result.path is not None:
        lines.append(f"      path:    {_short(result.path, nm)}")
    if result.value is not None and result.value != result.focus:
        lines.append(f"      value:   {_short(result.value, nm)}")
    lines.append(f"      message: {result.message}")
    lines.append(f"      shape:   {_short(result.shape, nm)}")
    return lines


def _short(term: Node | None, nm: NamespaceManager) -> str:
    if term is None:
        return "-"
    if isinstance(term, URIRef):
        try:
            prefix, _, name = nm.compute_qname(term, generate=False)
            if name and "/" not in name:
                return f"{prefix}:{name}"
        except (KeyError, ValueError):
            pass
        return f"<{term}>"
    return term.n3(nm)
