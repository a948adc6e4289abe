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
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS, NamespaceManager
from rdflib.term import BNode, Node

from supportgraph.errors import SupportGraphError, ValidationError
from supportgraph.graph.vocabulary import DEFAULT_BASE, PREFIXES, PROJECT_ROOT, SG
from supportgraph.validate_parallel import TARGET_PREDICATES, run_shared

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
SGSH = "https://w3id.org/supportgraph/shapes#"
# The node shapes whose property shapes language_shapes makes, and their path.
LANGUAGE_NODE_SHAPES = (
    (URIRef(SGSH + "CorpusLanguagesShape"), RDFS.label),
    (URIRef(SGSH + "CorpusConceptLanguagesShape"), SKOS.prefLabel),
)
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


def language_shapes(shapes: Graph, languages: Iterable[str]) -> Graph:
    """Add, per corpus language, the warning that an entity has no label in it.

    The node shapes ``sgsh:CorpusLanguagesShape`` (``rdfs:label``) and
    ``sgsh:CorpusConceptLanguagesShape`` (``skos:prefLabel``) are in the shapes
    file; their property shapes are made here, one per language of *this*
    graph (``sgsh:CorpusLanguages-label-it`` ...): SHACL Core, no per-node query.
    """
    result = Graph()
    for triple in shapes:
        result.add(triple)
    for prefix, namespace in shapes.namespaces():
        result.bind(prefix, namespace)
    for node_shape, path in LANGUAGE_NODE_SHAPES:
        if (node_shape, RDF.type, SH.NodeShape) not in shapes:
            continue
        name = "prefLabel" if path == SKOS.prefLabel else "label"
        for lang in languages:
            shape = URIRef(f"{SGSH}CorpusLanguages-{name}-{lang}")
            # Named and with a message, though pyshacl drops its results (most
            # labels fail it): a blank node and a made-up message cost more to write.
            qualified = URIRef(f"{shape}-value")
            tags = BNode()
            Collection(result, tags, [Literal(lang)])
            result.add((node_shape, SH.property, shape))
            result.add((shape, RDF.type, SH.PropertyShape))
            result.add((shape, SH.path, path))
            result.add((shape, SH.qualifiedValueShape, qualified))
            result.add((qualified, SH.languageIn, tags))
            result.add((qualified, SH.message, Literal(f'A value in "{lang}".', lang="en")))
            result.add((shape, SH.qualifiedMinCount, Literal(1)))
            result.add((shape, SH.severity, SH.Warning))
            message = (
                f'No {"skos:prefLabel" if name == "prefLabel" else "rdfs:label"} in "{lang}", '
                "a language of the corpus: readers in that language see another language's label."
            )
            result.add((shape, SH.message, Literal(message, lang="en")))
    return result


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


def focused_shapes(shapes: Graph, graph: Graph, languages: Iterable[str] = ()) -> Graph:
    """``shapes`` (changed in place) with targets that give pyshacl less to do, same results.

    * The SPARQL target of ``sgsh:LanguageTagShape`` becomes the ``sh:targetNode``
      list it selects, found in one pass over the triples: rdflib's SPARQL
      engine evaluates its FILTER triple by triple, seconds for a big graph.
    * The per-language label warnings of :func:`language_shapes` are targeted
      (``sh:targetNode``) at the focus nodes of their node shape that have no
      label in exactly that language: a node with one conforms, so pyshacl need
      not check each of its labels against each language. The node shape no
      longer lists them as ``sh:property``; a property shape reports the same
      results either way (its focus node, its path, itself as source shape).
    """
    for shape in list(shapes.subjects(SH.target, None)):
        _resolve_language_tag_target(shapes, shape, graph)
    for node_shape, path in LANGUAGE_NODE_SHAPES:
        focus = explicit_focus(shapes, node_shape, graph)
        if focus is None:
            continue
        name = "prefLabel" if path == SKOS.prefLabel else "label"
        generated: dict[str, URIRef] = {}
        for lang in languages:
            shape = URIRef(f"{SGSH}CorpusLanguages-{name}-{lang}")
            if (node_shape, SH.property, shape) in shapes:
                shapes.remove((node_shape, SH.property, shape))
                generated[lang] = shape
        for node in focus:
            # sh:languageIn ( lang ) holds for a literal tagged exactly lang (any case).
            tags = {
                value.language.lower()
                for value in graph.objects(node, path)
                if isinstance(value, Literal) and value.language
            }
            for lang, shape in generated.items():
                if lang.lower() not in tags:
                    shapes.add((shape, SH.targetNode, node))
    return shapes


# The SPARQL target of sgsh:LanguageTagShape, comment lines dropped and white
# space collapsed, with its pattern as the group: only a query of exactly this
# form is evaluated in Python (any other one is left to pyshacl).
_LANGUAGE_TAG_TARGET = re.compile(
    r"SELECT DISTINCT \?this WHERE \{ \?this \?path \?value \. "
    r'FILTER \(!REGEX\(LANG\(\?value\), "([^"\\]*)"\)\) \}'
)


def _resolve_language_tag_target(shapes: Graph, shape: Node, graph: Graph) -> None:
    for target in list(shapes.objects(shape, SH.target)):
        select = shapes.value(target, SH.select)
        if select is None or set(shapes.objects(target, RDF.type)) != {SH.SPARQLTarget}:
            continue
        lines = (line for line in str(select).splitlines() if not line.strip().startswith("#"))
        match = _LANGUAGE_TAG_TARGET.fullmatch(" ".join(" ".join(lines).split()))
        if match is None:
            continue
        # As rdflib evaluates it: LANG of a non-literal is an error (no row),
        # LANG of a plain literal is "", REGEX is re.search.
        pattern = re.compile(match.group(1))
        selected = {
            s
            for s, _, o in graph
            if isinstance(o, Literal) and not pattern.search(o.language or "")
        }
        shapes.remove((shape, SH.target, target))
        for node in selected:
            shapes.add((shape, SH.targetNode, node))


def explicit_focus(shapes: Graph, shape: Node, graph: Graph) -> set[Node] | None:
    """The focus nodes of a shape targeted only by ``sh:targetClass`` and ``sh:targetNode``.

    None for a shape with other targets (or typed other than a node or
    property shape, e.g. an rdfs:Class: an implicit class target). The
    instances of a class are its SHACL instances, ``rdf:type/rdfs:subClassOf*``
    in the data graph, as pyshacl finds them.
    """
    if not set(shapes.objects(shape, RDF.type)) <= {SH.NodeShape, SH.PropertyShape}:
        return None
    if any((shape, p, None) in shapes for p in TARGET_PREDICATES[2:]):
        return None
    nodes: set[Node] = set(shapes.objects(shape, SH.targetNode))
    for target_class in shapes.objects(shape, SH.targetClass):
        for cls in graph.transitive_subjects(RDFS.subClassOf, target_class):
            nodes.update(graph.subjects(RDF.type, cls))
    return nodes


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
