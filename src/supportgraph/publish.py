"""Stage 4, publish: write the dataset in the formats its users read.

``OUT/`` gets the dataset as Turtle (the merged view), TriG and N-Quads (the
named graphs), JSON-LD (compacted against ``context.jsonld``), a framed
JSON-LD document per cloud, the HTML pages of ``site/``, ``divergences.csv``
and ``validation-report.ttl``. Every file is serialized first, then written
to a temporary file beside its target and renamed into place, so a reader
never sees half a file and a failed build leaves the previous outputs as
they were. Identical input gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from supportgraph.errors import SupportGraphError
from supportgraph.extract.records import Divergence
from supportgraph.files import Staged, atomic_write, discard, stage
from supportgraph.graph.vocabulary import PREFIXES
from supportgraph.jsonld import CONTEXT_FILE, context_document, dataset_jsonld
from supportgraph.parallel import pool, start_rendering
from supportgraph.site import site_files
from supportgraph.validate import ValidationReport, corpus_languages, default_graph

__all__ = [
    "SortedQuads",
    "Staged",
    "atomic_write",
    "discard",
    "nquads",
    "read_merged_view",
    "render_outputs",
    "rendering",
    "stage",
    "trig",
    "turtle",
    "union_graph",
    "write_files",
    "write_outputs",
]

REPORT_FILE = "validation-report.ttl"

DIVERGENCE_COLUMNS = (
    "document",
    "segment",
    "fact",
    "source_value",
    "localized_value",
    "source_text",
    "localized_text",
)


def union_graph(dataset: Dataset) -> Graph:
    """The merged view (the dataset's default graph) as a graph of its own."""
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    for triple in default_graph(dataset):
        union.add(triple)
    return union


def read_merged_view(path: Path) -> Graph:
    """The merged view of a published dataset file: a .trig/.nq's default graph, or a .ttl."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".trig", ".nq"):
            dataset = Dataset()
            dataset.parse(path, format="trig" if path.suffix.lower() == ".trig" else "nquads")
            return union_graph(dataset)
        return Graph().parse(path)
    except Exception as error:  # rdflib's parsers raise many types
        raise SupportGraphError(f"cannot read the dataset: {error}", path=path) from None


def divergences_csv(divergences: Sequence[Divergence]) -> bytes:
    """``divergences.csv``: one row per localized segment that states another fact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DIVERGENCE_COLUMNS)
    for d in sorted(divergences, key=lambda d: (d.document, d.segment, d.fact)):
        writer.writerow([getattr(d, column) for column in DIVERGENCE_COLUMNS])
    return buffer.getvalue().encode("utf-8")


class SortedQuads:
    """A dataset's statements as pyoxigraph quads, sorted once for every writer that needs them.

    rdflib's writers spend most of a build in prefix lookups; pyoxigraph
    writes the same statements tens of times faster. Its writers keep the
    order they are given, so sorting here (graph, subject, predicate,
    object, by their N-Triples form; the default graph first) makes the
    files byte-identical from run to run.
    """

    def __init__(self, dataset: Dataset):
        terms: dict[Node, tuple[ox.NamedNode | ox.Literal | ox.BlankNode, str]] = {}

        def term(node: Node) -> tuple[ox.NamedNode | ox.Literal | ox.BlankNode, str]:
            found = terms.get(node)
            if found is None:
                made = _ox_term(node)
                found = terms[node] = (made, str(made))
            return found

        default = ox.DefaultGraph()
        keyed = []
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = getattr(g, "identifier", g)
            graph, graph_key = (
                (default, "") if name in (None, DATASET_DEFAULT_GRAPH_ID) else term(name)
            )
            (s_term, s_key), (p_term, p_key), (o_term, o_key) = term(s), term(p), term(o)
            keyed.append(((graph_key, s_key, p_key, o_key), graph, s_term, p_term, o_term))
        keyed.sort(key=lambda item: item[0])
        self.quads = [ox.Quad(s, p, o, g) for _, g, s, p, o in keyed]

    def default_triples(self) -> list[ox.Triple]:
        """The default graph's triples (the merged view), in order."""
        return [q.triple for q in self.quads if isinstance(q.graph_name, ox.DefaultGraph)]


def _ox_term(node: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if isinstance(node, URIRef):
        return ox.NamedNode(node)
    if isinstance(node, BNode):
        return ox.BlankNode(node)
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(node, language=node.language)
        if node.datatype is not None:
            return ox.Literal(node, datatype=ox.NamedNode(node.datatype))
        return ox.Literal(node)
    raise TypeError(f"not an RDF term: {node!r}")


_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def trig(dataset: Dataset | SortedQuads) -> bytes:
    """TriG of every graph: graphs, subjects, predicates and objects in N-Triples order."""
    quads = dataset if isinstance(dataset, SortedQuads) else SortedQuads(dataset)
    return ox.serialize(quads.quads, format=ox.RdfFormat.TRIG, prefixes=_PREFIXES)


def turtle(dataset: Dataset | SortedQuads) -> bytes:
    """Turtle of the merged view (the default graph), in N-Triples order."""
    quads = dataset if isinstance(dataset, SortedQuads) else SortedQuads(dataset)
    return ox.serialize(quads.default_triples(), format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)


def nquads(dataset: Dataset | SortedQuads) -> bytes:
    """N-Quads of every graph, one statement a line, the lines sorted."""
    quads = dataset if isinstance(dataset, SortedQuads) else SortedQuads(dataset)
    lines = ox.serialize(quads.quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    return b"".join(sorted(set(lines)))


def rdf_files(dataset: Dataset, merged: Graph) -> dict[str, bytes]:
    """TriG, Turtle (the merged view) and N-Quads, from one sorting of the quads."""
    quads = SortedQuads(dataset)
    return {
        "supportgraph.trig": trig(quads),
        "supportgraph.ttl": turtle(quads),
        "supportgraph.nq": nquads(quads),
    }


# The serializing tasks, each giving some output files from the dataset and its merged view.
SERIALIZERS: dict[str, Callable[[Dataset, Graph], dict[str, bytes]]] = {
    "jsonld": lambda dataset, merged: {"supportgraph.jsonld": dataset_jsonld(dataset)},
    "rdf": rdf_files,
}

Output = bytes | Staged
Finish = Callable[[Sequence[Divergence], ValidationReport | None], dict[str, Output]]


@contextmanager
def rendering(
    dataset: Dataset, jobs: int | None = 1, *, staging: Path | None = None
) -> Iterator[Finish]:
    """Start serializing every output of ``dataset`` on ``jobs`` workers (``None``: one per core).

    Yields ``finish(divergences, validation)``, which waits for the results
    and returns every output file (path below ``OUT`` → bytes), always in
    the same order and with the same bytes whatever ``jobs`` is. Between the
    two the caller is free to do other work (the build validates). With
    ``staging`` (the output folder), the workers write the files they make
    there under temporary names and return :class:`Staged` instead of bytes;
    they are removed if the block is left by an exception.
    """
    merged = default_graph(dataset)  # read in place: a copy cost seconds and memory
    languages = corpus_languages(merged)
    with pool(jobs, dataset=dataset, merged=merged, staging=staging) as executor:
        rendered, pages = start_rendering(executor, dataset, merged, languages, SERIALIZERS)

        def finish(
            divergences: Sequence[Divergence], validation: ValidationReport | None
        ) -> dict[str, Output]:
            files: dict[str, Output] = {}
            for result in rendered.values():
                files.update(result())
            files[CONTEXT_FILE] = context_document()
            files["divergences.csv"] = divergences_csv(divergences)
            site = site_files(merged, pages={key: result() for key, result in pages.items()})
            files.update({f"site/{name}": data for name, data in site.items()})
            if validation is not None:
                files[REPORT_FILE] = validation.turtle()
            return files

        try:
            yield finish
        except BaseException:
            for result in [*rendered.values(), *pages.values()]:
                try:
                    discard(result().values())
                except Exception:  # a task that failed staged nothing
                    continue
            raise


def render_outputs(
    dataset: Dataset,
    divergences: Sequence[Divergence] = (),
    validation: ValidationReport | None = None,
    *,
    jobs: int | None = 1,
) -> dict[str, bytes]:
    """Every output file (path below ``OUT`` → bytes), serialized in memory by ``jobs`` workers."""
    with rendering(dataset, jobs) as finish:
        return finish(divergences, validation)


def write_outputs(
    dataset: Dataset,
    divergences: Sequence[Divergence],
    out: Path,
    *,
    validation: ValidationReport | None = None,
    jobs: int | None = 1,
) -> list[Path]:
    """Serialize everything first, then rename each file into ``out``."""
    return write_files(render_outputs(dataset, divergences, validation, jobs=jobs), out)


def write_files(files: dict[str, Output], out: Path) -> list[Path]:
    """Rename each rendered (or staged) file into ``out``, in order."""
    written = []
    items = list(files.items())
    try:
        for name, data in items:
            written.append(atomic_write(out / name, data))
    except BaseException:
        discard(data for _, data in items[len(written) :])
        raise
    return written
