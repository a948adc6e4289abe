"""Reading a dataset file into graphs and writing their triples as SPARQL Update data."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from supportgraph.errors import StoreError
from supportgraph.sparql import iri, literal

DEFAULT_GRAPH = "DEFAULT"
"""How a load report names the store's default graph."""
_FORMATS = {
    ".trig": (ox.RdfFormat.TRIG, "TriG"),
    ".nq": (ox.RdfFormat.N_QUADS, "N-Quads"),
    ".ttl": (ox.RdfFormat.TURTLE, "Turtle"),
    ".nt": (ox.RdfFormat.N_TRIPLES, "N-Triples"),
}
SKOLEM_BASE = "https://w3id.org/supportgraph/.well-known/genid/"


class NTriplesWriter:
    """N-Triples lines (also valid inside ``INSERT DATA``) for pyoxigraph triples."""

    def __init__(self) -> None:
        self.iris: dict[str, str] = {}

    def term(self, term: object, bnodes: dict[ox.BlankNode, str], pattern: str) -> str:
        if isinstance(term, ox.NamedNode):
            text = self.iris.get(term.value)
            if text is None:
                text = self.iris[term.value] = iri(term.value)
            return text
        if isinstance(term, ox.Literal):
            if term.direction:
                raise StoreError("literals with a base direction (RDF 1.2) are not supported")
            return literal(term.value, term.language, term.datatype.value)
        if isinstance(term, ox.BlankNode):
            if term not in bnodes:
                bnodes[term] = pattern.format(len(bnodes))
            return bnodes[term]
        raise StoreError("triple terms (RDF 1.2) are not supported")

    def lines(self, triples: list[ox.Triple], label: str, skolem_graph: str | None) -> list[str]:
        """One line per triple. Blank nodes become ``_:<label>b<n>``, or with
        ``skolem_graph`` IRIs ``SKOLEM_BASE<hash of skolem_graph>-<n>`` (n in order of
        appearance, so the same file always gives the same IRIs)."""
        bnodes: dict[ox.BlankNode, str] = {}
        pattern = f"_:{label}b{{}}"
        if skolem_graph is not None:
            digest = hashlib.sha256(skolem_graph.encode()).hexdigest()[:16]
            pattern = f"<{SKOLEM_BASE}{digest}-{{}}>"
        term = self.term
        return [
            f"{term(t.subject, bnodes, pattern)} {term(t.predicate, bnodes, pattern)} "
            f"{term(t.object, bnodes, pattern)} ."
            for t in triples
        ]


# --- reading the file --------------------------------------------------------------------------


@dataclass
class GraphData:
    """One graph of the file: its IRI in the store (``None``: default graph), its triples."""

    target: str | None
    triples: list[ox.Triple]

    @property
    def name(self) -> str:
        return DEFAULT_GRAPH if self.target is None else self.target


def read_graphs(path: Path, graph_prefix: str | None) -> list[GraphData]:
    """The file's graphs, each with its distinct triples, in file order (pyoxigraph parser);
    with ``graph_prefix``, graph ``G`` is renamed ``graph_prefix + percent-encoded G`` and
    the default graph ``graph_prefix + "default"``."""
    if path.suffix.lower() not in _FORMATS:
        raise StoreError("cannot tell the RDF format: expected .trig, .nq, .ttl or .nt", path=path)
    rdf_format, label = _FORMATS[path.suffix.lower()]
    graphs: dict[str | None, dict[ox.Triple, None]] = {}
    try:
        for quad in ox.parse(path=path, format=rdf_format):
            if isinstance(quad.graph_name, ox.BlankNode):
                raise StoreError("a graph named by a blank node cannot be loaded", path=path)
            key = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            graphs.setdefault(key, {})[quad.triple] = None
    except SyntaxError as exc:
        raise StoreError(f"not valid {label}: {exc.msg}", path=path, line=exc.lineno) from None
    except OSError as exc:
        raise StoreError(f"cannot be read ({exc.strerror or exc})", path=path) from None
    result = []
    for key, triples in graphs.items():
        target = key
        if graph_prefix is not None:
            target = graph_prefix + ("default" if key is None else quote(key, safe=""))
            try:
                iri(target)
            except ValueError as exc:
                raise StoreError(f"graph_prefix gives a bad graph name: {exc}") from None
        result.append(GraphData(target, list(triples)))
    return result


def insert_data(target: str | None, lines: list[str]) -> str:
    """``INSERT DATA`` of N-Triples ``lines`` into ``target`` (``None``: default graph)."""
    body = "\n".join(lines)
    if target is None:
        return f"INSERT DATA {{\n{body}\n}}"
    return f"INSERT DATA {{ GRAPH {iri(target)} {{\n{body}\n}} }}"


def graph_ref(target: str | None) -> str:
    """``GRAPH <target>``, or ``DEFAULT`` for the default graph (for DROP and MOVE)."""
    return "DEFAULT" if target is None else f"GRAPH {iri(target)}"
