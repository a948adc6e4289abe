"""The JSON-LD dump's compaction: rdflib's JSON-LD writer's steps, one graph at a time.

:func:`supportgraph.jsonld.dataset_jsonld` uses :class:`_DumpWriter` and
falls back to rdflib's writer itself where it raises :class:`_Unsupported`.
``tests/test_jsonld_speed.py`` checks the output against that writer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, XSD
from rdflib.plugins.shared.jsonld.context import UNDEF
from rdflib.plugins.shared.jsonld.context import Context as _JsonLdContext
from rdflib.term import Node

from supportgraph.canonical import NotPlain, canonical_text, member_order
from supportgraph.graph import graph_triples

__all__ = ["_DumpWriter", "_Unsupported", "graph_triples"]

# rdflib's JSON-LD writer: the literals it writes as JSON numbers, booleans
# and strings, and the coercions it tries for an IRI value.
_PLAIN_LITERAL_TYPES = {XSD.boolean, XSD.integer, XSD.double, XSD.string}
_ID, _VOCAB_KEY = "@id", "@vocab"


class _Unsupported(Exception):
    """A dataset :class:`_DumpWriter` leaves to rdflib's writer."""


class _DumpWriter:
    """What rdflib's JSON-LD writer (``Converter`` in rdflib.plugins.serializers.jsonld) gives.

    That writer asks the store again per node and value
    (``predicate_objects``, whether the object starts an RDF list, whether a
    blank node is referenced), reads each graph apart (a triple of the
    merged view is in the default graph and in its documents' graphs) and
    looks every term up in the context. This class runs the same steps on
    each graph's triples (:func:`graph_triples`), with rdflib's own :class:`Context`
    (``find_term``, ``shrink_iri``, ``to_symbol``) asked once per property,
    datatype and language, or per IRI, and remembered. Datasets with what
    that writer treats specially (blank nodes, RDF lists, a context with
    containers or a default language, a falsy value among others) go to
    rdflib's writer itself. ``tests/test_jsonld_speed.py`` checks the output
    against it.
    """

    def __init__(self, ctx: dict[str, Any]) -> None:
        self.ctx = ctx
        self.context = _JsonLdContext(ctx)
        c = self.context
        self.supported = c.language is None and all(
            not term.container and not term.language for term in c.terms.values()
        )
        self.id_key, self.type_key, self.graph_key = c.id_key, c.type_key, c.graph_key
        self.value_key, self.lang_key = c.value_key, c.lang_key
        self._plans: dict[tuple[Any, ...], tuple[str, str, Any]] = {}
        self._shrunk: dict[str, str] = {}
        self._symbols: dict[str, Any] = {}

    def convert(self, dataset: Dataset) -> dict[str, Any] | None:
        """``from_rdf`` of rdflib's writer: the compacted document; ``None`` if rdflib must."""
        if not self.supported:
            return None
        try:
            objs = self._graphs(dataset)
        except _Unsupported:
            return None
        result: Any = objs[0] if len(objs) == 1 else objs
        if isinstance(result, list):
            result = {self.graph_key: result}
        result["@context"] = self.ctx
        return result

    def write(self, dataset: Dataset, out: BinaryIO, context_url: str) -> bool:
        """Stream the dump (``@graph`` unwrapped, ``@context`` by URL, canonical) into ``out``.

        One graph's node objects at a time: at 10,000 documents the whole
        compacted document and its text took more than a GiB. The default
        graph's nodes and one object per named graph are the top-level
        items; their order is known from their ``@id`` (and first member)
        before any graph is read. Returns ``False``, with ``out`` as it was,
        for what rdflib's writer gives another shape (a default graph of one
        node, fewer than two top-level objects) or must write itself.
        """
        if not self.supported:
            return False
        start = out.tell()
        try:
            self._write(dataset, out, context_url)
        except (_Unsupported, NotPlain, RecursionError):
            out.seek(start)
            out.truncate()
            return False
        return True

    def _write(self, dataset: Dataset, out: BinaryIO, context_url: str) -> None:
        self._check(dataset)
        default = self._nodes(dataset, dataset.default_graph)
        named = self._named(dataset)
        if len(default) == 1 or len(named) + bool(default) < 2:
            raise _Unsupported  # rdflib's writer gives those another shape
        graph_object = {self.id_key: "", self.graph_key: None}  # the keys of each
        items: list[tuple[tuple[str, str | None], Any]] = [
            (member_order(node), node) for node in default
        ]
        for graph, graph_id in named:
            graph_object[self.id_key] = graph_id
            items.append((member_order(graph_object), graph))
        if len({order for order, _ in items}) != len(items):
            raise _Unsupported  # only their whole JSON would order them
        items.sort(key=lambda item: item[0])
        out.write(f'{{\n  "@context": {canonical_text(context_url, "  ")},\n  "@graph": ['.encode())
        separator = "\n    "
        for (identifier, _), item in items:
            if isinstance(item, Graph):
                item = {self.id_key: identifier, self.graph_key: self._nodes(dataset, item)}
            out.write((separator + canonical_text(item, "    ")).encode("utf-8"))
            separator = ",\n    "
        out.write(b"\n  ]\n}\n")

    def _check(self, dataset: Dataset) -> None:
        """Raise :class:`_Unsupported` for a dataset rdflib's writer treats specially."""
        if not isinstance(dataset, Dataset):
            raise _Unsupported
        if dataset.default_graph.identifier != DATASET_DEFAULT_GRAPH_ID:
            raise _Unsupported
        for pattern in ((None, RDF.first, None, None), (None, None, RDF.nil, None)):
            if next(iter(dataset.quads(pattern)), None) is not None:
                raise _Unsupported  # rdflib's writer writes lists

    def _graphs(self, dataset: Dataset) -> list[Any]:
        """Converter.convert: the default graph's object first, then each named graph's."""
        self._check(dataset)
        objs: list[dict[str, Any]] = []
        graphs = [(None, dataset.default_graph), *((g, g) for g, _ in self._named(dataset))]
        for name, graph in graphs:
            nodes = self._nodes(dataset, graph)
            obj: dict[str, Any] = {}
            graph_name = None
            if name is not None:
                graph_name = self._shrink(name.identifier)
                obj[self.id_key] = graph_name
            if not graph_name and len(nodes) == 1:
                obj.update(nodes[0])
            else:
                if not nodes:
                    continue
                obj[self.graph_key] = nodes
            if objs and objs[0].get(self.id_key) == graph_name:
                objs[0].update(obj)
            else:
                objs.append(obj)
        return objs

    def _named(self, dataset: Dataset) -> list[tuple[Graph, str]]:
        """The named graphs holding statements, each with its ``@id``."""
        named = []
        for graph in dataset.store.contexts():
            name = graph.identifier
            if name == DATASET_DEFAULT_GRAPH_ID or not len(graph):
                continue
            if not isinstance(name, URIRef):
                raise _Unsupported  # rdflib's writer merges it into the default graph
            named.append((graph, self._shrink(name)))
        return named

    def _nodes(self, dataset: Dataset, graph: Graph) -> list[dict[str, Any]]:
        """The node objects of one graph (``Converter.from_graph``), in no particular order."""
        nodes: dict[Node, dict[str, Any]] = {}
        plans = self._plans
        value_of = self._value
        for s, p, o in graph_triples(dataset.store, graph):
            if s.__class__ is not URIRef and (isinstance(s, BNode) or not isinstance(s, URIRef)):
                raise _Unsupported  # blank nodes: rdflib's writer may embed them
            if o.__class__ is Literal or isinstance(o, Literal):
                signature: tuple[Any, ...] = (p, o.datatype, o.language)
            else:
                if o.__class__ is not URIRef and isinstance(o, BNode):
                    raise _Unsupported
                signature = (p,)
            plan = plans.get(signature)
            if plan is None:
                plan = plans[signature] = self._plan(p, o)
            key = plan[0]
            value = value_of(o, plan[1], plan[2])
            node = nodes.get(s)
            if node is None:
                nodes[s] = {key: value}
                continue
            present = node.get(key)
            if present is None:
                node[key] = value
            elif not present or not value:
                # rdflib's writer replaces a falsy first value ("", 0, false)
                # by the next: which one stays depends on its order.
                raise _Unsupported
            elif present.__class__ is list:
                present.append(value)
            else:
                node[key] = [present, value]
        nodemap: dict[str, dict[str, Any]] = {}
        for s, node in nodes.items():
            node_id = self._shrink(s)
            if node_id in nodemap:
                raise _Unsupported  # two subjects, one id: rdflib keeps either
            nodemap[node_id] = {self.id_key: node_id, **node}
        return list(nodemap.values())

    def _plan(self, p: Node, o: Node) -> tuple[str, str, Any]:
        """How Converter.add_to_node writes a value of ``p`` like ``o``: (key, mode, template).

        The same for every value of the same property, datatype and language
        (literals) or of the same property (IRIs): it depends on the value
        only through those.
        """
        context = self.context
        if isinstance(o, Literal):
            datatype = str(o.datatype) if o.datatype else None
            term = context.find_term(str(p), datatype, language=o.language)
        else:
            term = None
            for coercion in (_ID, _VOCAB_KEY, UNDEF):
                term = context.find_term(str(p), coercion, None)
                if term:
                    break
        if term:
            if term.container or term.language:
                raise _Unsupported
            key = term.name
            if term.type == _ID:
                return key, ("id" if isinstance(o, URIRef) else "lexical"), None
            if term.type == _VOCAB_KEY and isinstance(o, URIRef):
                return key, "symbol", None
            if term.type and isinstance(o, Literal) and str(o.datatype) == term.type:
                return key, "lexical", None
        else:
            key = self._symbol(p)
            key_term = context.terms.get(key)
            if key_term and (key_term.type or key_term.container):
                key = str(p)
            if p == RDF.type:
                if isinstance(o, URIRef):
                    return self.type_key, "symbol", None
                key = self.type_key
        # Converter.to_raw_value
        if isinstance(o, URIRef):
            return key, "reference", None
        if o.datatype in _PLAIN_LITERAL_TYPES:
            return key, "native", None
        if o.datatype:
            return key, "typed", self._symbol(o.datatype)
        if o.language and o.language != context.language:
            return key, "tagged", None
        return key, "lexical", None

    def _value(self, o: Any, mode: str, template: Any) -> Any:
        if mode == "lexical":
            return str(o)
        if mode == "id":
            return self._shrink(o)
        if mode == "reference":
            return {self.id_key: self._shrink(o)}
        if mode == "symbol":
            return self._symbol(o)
        if mode == "tagged":
            return {self.lang_key: o.language, self.value_key: str(o)}
        if mode == "typed":
            return {self.type_key: template, self.value_key: str(o)}
        value = o.toPython()  # "native": rdflib writes numbers and booleans as JSON's
        return str(value) if isinstance(value, Literal) else value

    def _shrink(self, iri: str) -> str:
        return _remembered(self._shrunk, str(iri), self.context.shrink_iri)

    def _symbol(self, iri: str) -> Any:
        return _remembered(self._symbols, str(iri), self.context.to_symbol)


def _remembered(answers: dict[str, Any], iri: str, ask: Callable[[str], Any]) -> Any:
    """``ask(iri)``, asked once per IRI (rdflib's Context works it out anew each time)."""
    answer = answers.get(iri)
    if answer is None:
        answer = answers[iri] = ask(iri)
    return answer
