"""The JSON-LD dump's compaction: rdflib's JSON-LD writer's steps, each triple once.

:func:`supportgraph.jsonld.dataset_jsonld` uses :class:`_DumpWriter` and
falls back to rdflib's writer itself where it raises :class:`_Unsupported`.
``tests/test_jsonld_speed.py`` checks the output against that writer.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, XSD
from rdflib.plugins.shared.jsonld.context import UNDEF
from rdflib.plugins.shared.jsonld.context import Context as _JsonLdContext
from rdflib.term import Node

__all__ = ["_DumpWriter", "_Unsupported"]

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
    the store's triples read once, with rdflib's own :class:`Context`
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

    def _graphs(self, dataset: Dataset) -> list[Any]:
        """Converter.convert: the default graph's object first, then each named graph's."""
        if not isinstance(dataset, Dataset):
            raise _Unsupported
        if dataset.default_graph.identifier != DATASET_DEFAULT_GRAPH_ID:
            raise _Unsupported
        for pattern in ((None, RDF.first, None, None), (None, None, RDF.nil, None)):
            if next(iter(dataset.quads(pattern)), None) is not None:
                raise _Unsupported  # rdflib's writer writes lists
        objs: list[dict[str, Any]] = []
        for name, nodes in self._node_maps(dataset).items():
            obj: dict[str, Any] = {}
            graph_name = None
            if name is not None:
                graph_name = self._shrink(name)
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

    def _node_maps(self, dataset: Dataset) -> dict[str | None, list[dict[str, Any]]]:
        """Graph name (``None``: the default graph, first) → its node objects (``from_graph``).

        The store gives each triple once with all the graphs holding it (53k
        triples for the 181k quads of 1,000 documents): four times faster
        than reading graph by graph, and a triple's key and value are worked
        out once for all its graphs.
        """
        graphs: dict[Any, dict[Node, dict[str, Any]]] = {None: {}}
        names: dict[Any, Any] = {None: None, DATASET_DEFAULT_GRAPH_ID: None}
        plans = self._plans
        # The store gives each triple once with the graphs holding it.
        for (s, p, o), contexts in dataset.store.triples((None, None, None), None):
            if s.__class__ is not URIRef and (isinstance(s, BNode) or not isinstance(s, URIRef)):
                raise _Unsupported  # blank nodes: rdflib's writer may embed them
            if isinstance(o, Literal):
                signature: tuple[Any, ...] = (p, o.datatype, o.language)
            else:
                if o.__class__ is not URIRef and isinstance(o, BNode):
                    raise _Unsupported
                signature = (p,)
            plan = plans.get(signature)
            if plan is None:
                plan = plans[signature] = self._plan(p, o)
            key = plan[0]
            value = self._value(o, plan[1], plan[2])
            for graph in contexts:
                g = getattr(graph, "identifier", graph)
                nodes = graphs.get(names.get(g, g))
                if nodes is None:
                    if not isinstance(g, URIRef):
                        raise _Unsupported  # rdflib's writer merges it into the default graph
                    nodes = graphs[g] = {}
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
        maps: dict[Any, list[dict[str, Any]]] = {}
        for name, nodes in graphs.items():
            nodemap: dict[str, dict[str, Any]] = {}
            for s, node in nodes.items():
                node_id = self._shrink(s)
                if node_id in nodemap:
                    raise _Unsupported  # two subjects, one id: rdflib keeps either
                nodemap[node_id] = {self.id_key: node_id, **node}
            maps[name] = list(nodemap.values())
        return maps

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
        iri = str(iri)
        shrunk = self._shrunk.get(iri)
        if shrunk is None:
            shrunk = self._shrunk[iri] = self.context.shrink_iri(iri)
        return shrunk

    def _symbol(self, iri: str) -> Any:
        iri = str(iri)
        symbol = self._symbols.get(iri)
        if symbol is None:
            symbol = self._symbols[iri] = self.context.to_symbol(iri)
        return symbol
