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
import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from supportgraph.errors import SupportGraphError
from supportgraph.extract.records import Divergence
from supportgraph.files import Staged, atomic_write, discard, stage, staged_file
from supportgraph.graph import graph_triples
from supportgraph.graph.vocabulary import PREFIXES
from supportgraph.jsonld import (
    CONTEXT_FILE,
    context_document,
    write_dataset_jsonld,
)
from supportgraph.parallel import pool, start_rendering
from supportgraph.site import site_files
from supportgraph.validate import ValidationReport, corpus_languages, default_graph

__all__ = [
    "Staged",
    "atomic_write",
    "discard",
    "jsonld_files",
    "nquads",
    "rdf_files",
    "read_merged_view",
    "render_outputs",
    "rendering",
    "sorted_graphs",
    "stage",
    "trig",
    "turtle",
    "union_graph",
    "write_files",
    "write_outputs",
    "write_rdf",
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


def sorted_graphs(dataset: Dataset) -> Iterator[tuple[ox.DefaultGraph | ox.NamedNode, bytes]]:
    """Each non-empty graph (the default graph first, then by name) as sorted N-Triples.

    rdflib's writers spend most of a build in prefix lookups; pyoxigraph
    writes the same statements tens of times faster, in the order it is
    given them, so each graph's lines are sorted (by their N-Triples form)
    and the files are byte-identical from run to run. Each graph's triples
    are read from the store's own set (:func:`~supportgraph.graph.graph_triples`:
    asking the store which graphs hold each triple cost more than the
    writing); a triple the merged view shares with its documents is
    converted once, and the lines are made one graph at a time.
    """
    graphs = {g.identifier: g for g in dataset.graphs()}
    graphs.setdefault(DATASET_DEFAULT_GRAPH_ID, dataset.default_graph)
    order = sorted(graphs, key=lambda name: (name != DATASET_DEFAULT_GRAPH_ID, str(name)))
    converted: dict[tuple[Node, Node, Node], ox.Triple] = {}
    iris: dict[Node, ox.NamedNode] = {}  # subjects and predicates recur: each converted once
    for name in order:
        triples = []
        for triple in graph_triples(dataset.store, graphs[name]):
            made = converted.get(triple)
            if made is None:
                s, p, o = triple
                subject = iris.get(s)
                if subject is None:
                    subject = iris[s] = _ox_term(s)
                predicate = iris.get(p)
                if predicate is None:
                    predicate = iris[p] = _ox_term(p)
                made = converted[triple] = ox.Triple(subject, predicate, _ox_term(o))
            triples.append(made)
        if not triples:
            continue
        lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines(keepends=True)
        lines.sort()
        graph_name = ox.DefaultGraph() if name == DATASET_DEFAULT_GRAPH_ID else ox.NamedNode(name)
        yield graph_name, b"".join(lines)


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
RDF_FILES = ("supportgraph.trig", "supportgraph.ttl", "supportgraph.nq")


def write_rdf(dataset: Dataset, trig: BinaryIO, ttl: BinaryIO, nq: BinaryIO) -> None:
    """Stream TriG (every graph), Turtle (the merged view) and N-Quads into three files.

    N-Quads: the default graph's lines, then each named graph's (by name),
    sorted within each graph.
    """
    merged = b""

    def graphs() -> Iterator[Iterator[ox.Quad]]:
        nonlocal merged
        for name, lines in sorted_graphs(dataset):
            if isinstance(name, ox.DefaultGraph):
                merged = quads = lines
            else:
                suffix = f" {name} .\n".encode()
                # An N-Triples line ends " .\n"; the graph's name goes before it.
                quads = b"".join(line[:-3] + suffix for line in lines.splitlines(keepends=True))
            nq.write(quads)
            # pyoxigraph reads the lines back as the quads of the TriG: no Python
            # object is made here per quad.
            yield ox.parse(quads, format=ox.RdfFormat.N_QUADS)

    ox.serialize(
        itertools.chain.from_iterable(graphs()), trig, format=ox.RdfFormat.TRIG, prefixes=_PREFIXES
    )
    default = ox.parse(merged, format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(default, ttl, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)


def rdf_files(
    dataset: Dataset, merged: Graph | None = None, staging: Path | None = None
) -> dict[str, bytes | Staged]:
    """TriG, Turtle and N-Quads: bytes, or with ``staging`` files written there (streamed)."""
    return _streamed(RDF_FILES, lambda *handles: write_rdf(dataset, *handles), staging)


def _streamed(
    names: Sequence[str], write: Callable[..., None], staging: Path | None
) -> dict[str, bytes | Staged]:
    """Files ``write`` streams into one handle per name: in memory, or staged in ``staging``."""
    if staging is None:
        buffers = [io.BytesIO() for _ in names]
        write(*buffers)
        return {name: buffer.getvalue() for name, buffer in zip(names, buffers, strict=True)}
    with ExitStack() as stack:
        opened = [stack.enter_context(staged_file(staging)) for _ in names]
        write(*(handle for handle, _ in opened))
    return {name: staged for name, (_, staged) in zip(names, opened, strict=True)}


def trig(dataset: Dataset) -> bytes:
    """TriG of every graph: graphs, subjects, predicates and objects in N-Triples order."""
    return rdf_files(dataset)["supportgraph.trig"]


def turtle(dataset: Dataset) -> bytes:
    """Turtle of the merged view (the default graph), in N-Triples order."""
    return rdf_files(dataset)["supportgraph.ttl"]


def nquads(dataset: Dataset) -> bytes:
    """N-Quads of every graph: the default graph, then each named graph, each sorted."""
    return rdf_files(dataset)["supportgraph.nq"]


def jsonld_files(dataset: Dataset, staging: Path | None = None) -> dict[str, bytes | Staged]:
    """``supportgraph.jsonld``: bytes, or with ``staging`` a file written there (streamed)."""
    return _streamed(
        ("supportgraph.jsonld",), lambda handle: write_dataset_jsonld(dataset, handle), staging
    )


# The serializing tasks, each giving some output files from the dataset and its merged view.
SERIALIZERS: dict[str, Callable[[Dataset, Graph, Path | None], dict[str, bytes | Staged]]] = {
    "jsonld": lambda dataset, merged, staging: jsonld_files(dataset, staging),
    "rdf": rdf_files,
}

Output = bytes | Staged
Finish = Callable[[Sequence[Divergence], ValidationReport | None], dict[str, Output]]


@contextmanager
def rendering(
    dataset: Dataset,
    jobs: int | None = 1,
    *,
    staging: Path | None = None,
    merged: Graph | None = None,
) -> Iterator[Finish]:
    """Start serializing every output of ``dataset`` on ``jobs`` workers (``None``: one per core).

    Yields ``finish(divergences, validation)``, which waits for the results
    and returns every output file (path below ``OUT`` → bytes), always in
    the same order and with the same bytes whatever ``jobs`` is. Between the
    two the caller is free to do other work (the build validates). With
    ``staging`` (the output folder), the workers write the files they make
    there under temporary names and return :class:`Staged` instead of bytes;
    they are removed if the block is left by an exception. ``merged``: the
    merged view, indexed, where the dataset's store is not (see
    :func:`~supportgraph.graph.build_graphs`); by default the dataset's default graph.
    """
    if merged is None:
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
    merged: Graph | None = None,
) -> dict[str, bytes]:
    """Every output file (path below ``OUT`` → bytes), serialized in memory by ``jobs`` workers.

    ``merged``: the merged view, indexed, as :func:`rendering` takes it.
    """
    with rendering(dataset, jobs, merged=merged) as finish:
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
