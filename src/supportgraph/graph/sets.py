"""``GraphSets``: an rdflib store keeping each graph's triples as one plain set, unindexed.

rdflib's :class:`~rdflib.plugins.stores.memory.Memory` store indexes every
statement three ways and records, per triple, the graphs holding it; a
build spent most of its graph stage there (about 12 µs a quad) and most of
its memory (1.5 GiB at 10,000 documents). The documents' named graphs are
only ever read whole, by the writers of the dataset files, so a build keeps
them here, one set per graph (a quad costs one ``set.add``), and queries
only the merged view, which it indexes apart (:func:`supportgraph.graph.build_graphs`).

:func:`graph_triples` reads a graph's own set of triples, here or in rdflib's
memory store. A pattern is matched by scanning: fine for reading a graph whole or for a
rare lookup, slow for a query engine (pyshacl, SPARQL), which should be
given an indexed graph instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import Graph
from rdflib.plugins.stores.memory import Memory, SimpleMemory
from rdflib.store import Store
from rdflib.term import Node, URIRef

__all__ = ["GraphSets", "add_set", "graph_triples"]

Triple = tuple[Node, Node, Node]


class GraphSets(Store):
    """A context-aware store of one set of triples per graph (no index, no events).

    Unlike :class:`~rdflib.store.Store`, adding a statement dispatches no
    ``TripleAddedEvent``: nothing in supportgraph subscribes, and making
    the event cost more than keeping the statement.
    """

    context_aware = True
    graph_aware = True
    formula_aware = False
    transaction_aware = False

    def __init__(self, configuration: str | None = None, identifier: URIRef | None = None):
        super().__init__(configuration, identifier)
        self._sets: dict[Node, set[Triple]] = {}
        self._graphs: dict[Node, Graph] = {}  # each graph as first seen, for contexts()
        # Every predicate and object, found when a pattern across graphs first names one
        # (rdflib's JSON-LD writer asks for rdf:first and rdf:nil): others match at once.
        self._terms: tuple[set[Node], set[Node]] | None = None
        self._prefixes = SimpleMemory()  # rdflib's own prefix bookkeeping

    def graph_set(self, name: Node) -> set[Triple] | tuple[()]:
        """The triples of the graph named ``name`` (the store's own set: do not change it)."""
        return self._sets.get(name, ())

    def _set(self, graph: Graph) -> set[Triple]:
        name = graph.identifier
        found = self._sets.get(name)
        if found is None:
            found = self._sets[name] = set()
            self._graphs[name] = graph
        return found

    def add(self, triple: Triple, context: Graph, quoted: bool = False) -> None:  # type: ignore[override]
        """Add a statement to the graph ``context``."""
        if quoted:
            raise TypeError("GraphSets holds no formulae (quoted statements)")
        self._set(context).add(triple)
        self._terms = None

    def addN(self, quads: Iterable[tuple[Node, Node, Node, Graph]]) -> None:
        """Add statements, each to its graph (runs of one graph are the usual case)."""
        graph: Graph | None = None
        target: set[Triple] = set()
        self._terms = None
        for s, p, o, context in quads:
            if context is not graph:
                graph, target = context, self._set(context)
            target.add((s, p, o))

    def update(self, graph: Graph, triples: set[Triple]) -> None:
        """Add a set of statements to ``graph``; a new graph takes the set itself, uncopied
        (the caller must not change it after)."""
        self._terms = None
        if self._sets.get(graph.identifier):
            self._sets[graph.identifier] |= triples  # a set's own hashes: no term is hashed
        else:
            self._sets[graph.identifier] = triples
            self._graphs.setdefault(graph.identifier, graph)

    def remove(self, triple: Any, context: Graph | None = None) -> None:  # type: ignore[override]
        """Remove the statements matching a pattern, from ``context`` or from every graph."""
        self._terms = None
        for name in self._names(context):
            found = self._sets[name]
            found.difference_update([t for t in _matching(found, triple)])

    def triples(  # type: ignore[override]
        self, triple_pattern: Any, context: Graph | None = None
    ) -> Iterator[tuple[Triple, Iterator[Graph]]]:
        """Each statement matching the pattern once, with the graphs holding it."""
        _, p, o = triple_pattern
        if context is None and (p is not None or o is not None):
            predicates, objects = self._known_terms()
            if (p is not None and p not in predicates) or (o is not None and o not in objects):
                return
        names = self._names(context)
        if len(names) == 1:
            graph = self._graphs[names[0]]
            for triple in _matching(self._sets[names[0]], triple_pattern):
                yield triple, iter((graph,))
            return
        holders: dict[Triple, list[Graph]] = {}
        for name in names:
            graph = self._graphs[name]
            for triple in _matching(self._sets[name], triple_pattern):
                holders.setdefault(triple, []).append(graph)
        for triple, graphs in holders.items():
            yield triple, iter(graphs)

    def __len__(self, context: Graph | None = None) -> int:  # type: ignore[override]
        """The statements of ``context``, or the distinct statements of every graph."""
        names = self._names(context)
        if len(names) == 1:
            return len(self._sets[names[0]])
        return len(set().union(*(self._sets[name] for name in names)))

    def contexts(self, triple: Triple | None = None) -> Iterator[Graph]:  # type: ignore[override]
        """The graphs (those holding ``triple``, if given)."""
        if triple is None:
            return iter(list(self._graphs.values()))
        return iter([self._graphs[n] for n, found in self._sets.items() if triple in found])

    def add_graph(self, graph: Graph) -> None:
        """Make an empty graph (or keep the one of that name)."""
        self._set(graph)

    def remove_graph(self, graph: Graph) -> None:
        """Drop a graph and its statements."""
        self._sets.pop(graph.identifier, None)
        self._graphs.pop(graph.identifier, None)

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        """Bind a prefix (as rdflib's memory stores do)."""
        self._prefixes.bind(prefix, namespace, override=override)

    def namespace(self, prefix: str) -> URIRef | None:
        """The namespace of a prefix."""
        return self._prefixes.namespace(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        """The prefix of a namespace."""
        return self._prefixes.prefix(namespace)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        """Every (prefix, namespace) bound."""
        return self._prefixes.namespaces()

    def _known_terms(self) -> tuple[set[Node], set[Node]]:
        if self._terms is None:
            predicates: set[Node] = set()
            objects: set[Node] = set()
            for triples in self._sets.values():
                for _, p, o in triples:
                    predicates.add(p)
                    objects.add(o)
            self._terms = (predicates, objects)
        return self._terms

    def _names(self, context: Graph | None) -> list[Node]:
        if context is None:
            return list(self._sets)
        name = getattr(context, "identifier", context)
        return [name] if name in self._sets else []


def add_set(store: Store, graph: Graph, triples: set[Triple]) -> None:
    """Add a set of statements the build made to ``graph`` of ``store``.

    A :class:`GraphSets` takes the set itself (no term hashed again); any other
    store gets them through its own ``addN`` (``Graph.addN`` would check each
    term again, and the build made them).
    """
    if isinstance(store, GraphSets):
        store.update(graph, triples)
    else:
        store.addN((s, p, o, graph) for s, p, o in triples)


def graph_triples(store: Store, graph: Graph) -> Iterable[tuple[Node, Node, Node]]:
    """The triples of one graph of a dataset's store: the store's own set of them.

    ``store.triples`` works out, for every triple it yields, the list of
    graphs holding it: ten times the time of reading the set a
    :class:`GraphSets` or rdflib's memory store keeps per graph, which is
    read here for those two (rdflib is bounded below version 8 in
    ``pyproject.toml``).
    """
    if isinstance(store, GraphSets):
        return store.graph_set(graph.identifier)
    by_graph = getattr(store, "_Memory__contextTriples", None)
    if type(store) is not Memory or not isinstance(by_graph, dict):
        return (triple for triple, _ in store.triples((None, None, None), graph))
    name = graph.identifier
    return by_graph.get(f"{name.__class__.__name__}:{name}", ())  # Memory.__ctx_to_str's key


def _matching(triples: set[Triple] | tuple[()], pattern: Any) -> Iterator[Triple]:
    s, p, o = pattern
    if s is None and p is None and o is None:
        return iter(list(triples))
    return (
        t
        for t in list(triples)
        if (s is None or t[0] == s) and (p is None or t[1] == p) and (o is None or t[2] == o)
    )
