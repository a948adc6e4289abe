"""Reading a dataset file into graphs and writing their triples as N-Triples for a request.

The triples are written by pyoxigraph's N-Triples serializer (Rust, an order of magnitude
faster than writing terms from Python); its output is also valid inside SPARQL
``INSERT DATA``, since every IRI was checked by the parser and every literal is escaped.
Only a graph whose text shows a blank node or an RDF 1.2 term goes through the slow path
that inspects each triple.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from supportgraph.errors import StoreError
from supportgraph.sparql import iri

DEFAULT_GRAPH = "DEFAULT"
"""How a load report names the store's default graph."""
_FORMATS = {
    ".trig": (ox.RdfFormat.TRIG, "TriG"),
    ".nq": (ox.RdfFormat.N_QUADS, "N-Quads"),
    ".ttl": (ox.RdfFormat.TURTLE, "Turtle"),
    ".nt": (ox.RdfFormat.N_TRIPLES, "N-Triples"),
}
SKOLEM_BASE = "https://w3id.org/supportgraph/.well-known/genid/"
# What the serializer writes for a triple term (<<( … )>>) or a directional literal (@en--ltr);
# a hit may be a false alarm inside a literal, so it only sends the graph down the slow path.
_RDF12_MARKS = (b"<<", b"--ltr", b"--rtl")


def _check_rdf11(triples: list[ox.Triple]) -> None:
    for triple in triples:
        value = triple.object
        if isinstance(value, ox.Triple):
            raise StoreError("triple terms (RDF 1.2) are not supported")
        if isinstance(value, ox.Literal) and value.direction:
            raise StoreError("literals with a base direction (RDF 1.2) are not supported")


def _rename_blank_nodes(triples: list[ox.Triple], make) -> list[ox.Triple]:
    """``triples`` with the n-th blank node (in order of appearance) replaced by ``make(n)``."""
    names: dict[ox.BlankNode, ox.BlankNode | ox.NamedNode] = {}

    def term(value):
        if isinstance(value, ox.BlankNode):
            name = names.get(value)
            if name is None:
                name = names[value] = make(len(names))
            return name
        return value

    return [ox.Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]


def ntriples(triples: list[ox.Triple], label: str, skolem_graph: str | None = None) -> bytes:
    """The triples as N-Triples, one line each. Blank nodes become ``_:<label>b<n>``, or
    with ``skolem_graph`` IRIs ``SKOLEM_BASE<hash of skolem_graph>-<n>`` (n in order of
    appearance, so the same file always gives the same names). :class:`StoreError` for a
    triple term or a directional literal (RDF 1.2), which SPARQL 1.1 stores do not take."""
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    if any(mark in data for mark in _RDF12_MARKS):
        _check_rdf11(triples)
    if b"_:" not in data:  # no blank node (a false alarm inside a literal costs little)
        return data
    if skolem_graph is None:
        renamed = _rename_blank_nodes(triples, lambda n: ox.BlankNode(f"{label}b{n}"))
    else:
        digest = hashlib.sha256(skolem_graph.encode()).hexdigest()[:16]
        renamed = _rename_blank_nodes(triples, lambda n: ox.NamedNode(f"{SKOLEM_BASE}{digest}-{n}"))
    return ox.serialize(renamed, format=ox.RdfFormat.N_TRIPLES)


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
    # Keyed by the graph name object, not its string: one dict lookup per quad is the cost.
    graphs: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, dict[ox.Triple, None]] = {}
    try:
        for quad in ox.parse(path=path, format=rdf_format):
            name = quad.graph_name
            triples = graphs.get(name)
            if triples is None:
                if isinstance(name, ox.BlankNode):
                    raise StoreError("a graph named by a blank node cannot be loaded", path=path)
                triples = graphs[name] = {}
            triples[quad.triple] = None
    except SyntaxError as exc:
        raise StoreError(f"not valid {label}: {exc.msg}", path=path, line=exc.lineno) from None
    except OSError as exc:
        raise StoreError(f"cannot be read ({exc.strerror or exc})", path=path) from None
    result = []
    for name, triples in graphs.items():
        key = None if isinstance(name, ox.DefaultGraph) else name.value
        target = key
        if graph_prefix is not None:
            target = graph_prefix + ("default" if key is None else quote(key, safe=""))
            try:
                iri(target)
            except ValueError as exc:
                raise StoreError(f"graph_prefix gives a bad graph name: {exc}") from None
        result.append(GraphData(target, list(triples)))
    return result


def graph_ref(target: str | None) -> str:
    """``GRAPH <target>``, or ``DEFAULT`` for the default graph (for DROP and MOVE)."""
    return "DEFAULT" if target is None else f"GRAPH {iri(target)}"


def clear_graphs(targets: list[str | None]) -> bytes:
    """Update operations (each ending ``;``) that empty ``targets`` (``None``: default graph).

    Named graphs are emptied by one ``DELETE … WHERE { VALUES ?g { … } … }``, not one
    ``DROP`` each: measured on Oxigraph 0.5, a thousand DROPs (even of absent graphs) made
    the inserts that follow in the same transaction about twice as slow; this does not.
    """
    named = " ".join(iri(target) for target in targets if target is not None)
    text = ""
    if named:
        text = (
            "DELETE { GRAPH ?g { ?s ?p ?o } }\n"
            f"WHERE {{ VALUES ?g {{ {named} }} GRAPH ?g {{ ?s ?p ?o }} }} ;\n"
        )
    if None in targets:
        text += "DROP SILENT DEFAULT ;\n"
    return text.encode()


def insert_data(parts: list[tuple[str | None, bytes]]) -> bytes:
    """One ``INSERT DATA`` of N-Triples text per target graph (``None``: default graph)."""
    body = [b"INSERT DATA {\n"]
    for target, data in parts:
        if target is None:
            body.append(data)
        else:
            body += [b"GRAPH ", iri(target).encode(), b" {\n", data, b"}\n"]
    body.append(b"}")
    return b"".join(body)
