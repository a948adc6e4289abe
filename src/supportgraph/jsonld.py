"""JSON-LD: the published ``@context``, the compacted dump, and JSON-LD inside HTML.

Graphs become expanded JSON-LD by PyLD's ``from_rdf`` (see
:mod:`supportgraph.framing` for the framed documents). The dump is what
rdflib's JSON-LD writer gives compacting against :func:`context`, but with
:func:`canonical_json` that took 4.5 s of CPU for the 181k quads of 1,000
documents (1.2 s for the bundled corpus), the writer asking the store again
for every node and value. :class:`_DumpWriter` runs the writer's steps over
the store's triples read once, with rdflib's own
:class:`~rdflib.plugins.shared.jsonld.context.Context` choosing every key
and IRI form (asked once per property and value shape, remembered), and
:func:`canonical_json` writes the text itself: 0.9 s (0.3 s), the same
bytes (``tests/test_jsonld_speed.py`` checks them against the writer).
What it does not cover (blank nodes, lists, values whose outcome depends on
the writer's iteration order) goes to the writer itself. The output is
canonical (object keys sorted; arrays, which carry no order in our data,
sorted too), so identical graphs give byte-identical files.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pyld import jsonld
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.plugins.shared.jsonld.context import UNDEF
from rdflib.plugins.shared.jsonld.context import Context as _JsonLdContext
from rdflib.term import Node

from supportgraph.canonical import canonical_json
from supportgraph.errors import SupportGraphError
from supportgraph.graph.vocabulary import ONTOLOGY_FILE, PREFIXES, SCHEMA, SG

__all__ = [
    "CONTEXT_FILE",
    "canonical_json",
    "context",
    "context_document",
    "dataset_jsonld",
    "expanded",
    "local_loader",
    "script_element",
    "script_json",
]

CONTEXT_FILE = "context.jsonld"


def _term(iri: str, **options: Any) -> dict[str, Any]:
    return {"@id": iri, **options}


_ID = {"@type": "@id"}
_VOCAB = {"@type": "@vocab"}
_PLAIN = {"@language": None}
# The terms of other vocabularies that supportgraph uses; schema.org terms not
# listed here still get their short names from "@vocab".
_STATIC_TERMS: dict[str, Any] = {
    "areaServed": _term("schema:areaServed", **_ID),
    "contactPoint": _term("schema:contactPoint", **_ID),
    "hoursAvailable": _term("schema:hoursAvailable", **_ID),
    "provider": _term("schema:provider", **_ID),
    "contactOption": _term("schema:contactOption", **_VOCAB),
    "dayOfWeek": _term("schema:dayOfWeek", **_VOCAB),
    "opens": _term("schema:opens", **{"@type": "xsd:time"}),
    "closes": _term("schema:closes", **{"@type": "xsd:time"}),
    "position": _term("schema:position", **{"@type": "xsd:integer"}),
    "url": _term("schema:url", **{"@type": "xsd:anyURI"}),
    "telephone": _term("schema:telephone", **_PLAIN),
    "availableLanguage": _term("schema:availableLanguage", **_PLAIN),
    "label": "rdfs:label",
    "comment": "rdfs:comment",
    "Concept": "skos:Concept",
    "ConceptScheme": "skos:ConceptScheme",
    "prefLabel": "skos:prefLabel",
    "altLabel": "skos:altLabel",
    "definition": "skos:definition",
    "example": "skos:example",
    "notation": _term("skos:notation", **_PLAIN),
    "inScheme": _term("skos:inScheme", **_ID),
    "hasTopConcept": _term("skos:hasTopConcept", **_ID),
    "wasDerivedFrom": _term("prov:wasDerivedFrom", **_ID),
    "Entity": "prov:Entity",
    "language": _term("dcterms:language", **_PLAIN),
    "title": "dcterms:title",
    "license": _term("dcterms:license", **_ID),
}
# rdflib's JSON-LD writer: the literals it writes as JSON numbers, booleans
# and strings, and the coercions it tries for an IRI value.
_PLAIN_LITERAL_TYPES = {XSD.boolean, XSD.integer, XSD.double, XSD.string}
_ID, _VOCAB_KEY = "@id", "@vocab"
_XSD_TYPES = {XSD.integer, XSD.boolean, XSD.duration, XSD.date, XSD.time, XSD.anyURI}


def context(ontology: Path = ONTOLOGY_FILE) -> dict[str, Any]:
    """The ``@context`` object (a fresh copy): see :func:`_context`."""
    return copy.deepcopy(_context(ontology))


@functools.cache
def _context(ontology: Path) -> dict[str, Any]:
    """The ``@context`` object: prefixes, schema.org by ``@vocab``, and a short key per sg: term.

    The sg: terms come from the ontology file, so a term added there is
    published without touching this module: classes and concepts by their
    local name, object properties as ``@id`` (``@vocab`` when their range is
    ``skos:Concept``), datatype properties typed by their ``rdfs:range``.
    """
    graph = Graph().parse(ontology, format="turtle")
    terms: dict[str, Any] = {"@vocab": str(SCHEMA), "owl": str(OWL)}
    terms.update({prefix: str(ns) for prefix, ns in PREFIXES.items()})
    terms.update(_STATIC_TERMS)
    for term in sorted(set(graph.subjects()), key=str):
        if not isinstance(term, URIRef) or not term.startswith(str(SG)):
            continue
        name = term[len(SG) :]
        if not name:
            continue
        definition: dict[str, Any] = {"@id": f"sg:{name}"}
        kinds = set(graph.objects(term, RDF.type))
        ranges = set(graph.objects(term, RDFS.range))
        if OWL.ObjectProperty in kinds:
            definition["@type"] = "@vocab" if SKOS.Concept in ranges else "@id"
        elif OWL.DatatypeProperty in kinds:
            for rng in ranges & _XSD_TYPES:
                definition["@type"] = f"xsd:{rng[len(str(XSD)) :]}"
            if XSD.string in ranges:
                definition["@language"] = None
        terms[name] = definition if len(definition) > 1 else definition["@id"]
    return terms


def context_document(ontology: Path = ONTOLOGY_FILE) -> bytes:
    """``context.jsonld``: the context as a JSON-LD document of its own."""
    return canonical_json({"@context": context(ontology)})


def expanded(graph: Graph | Dataset | Iterable[tuple[Node, Node, Node]]) -> list[Any]:
    """Expanded JSON-LD of a graph (or its triples) or of every graph of a dataset, by PyLD.

    rdflib's own JSON-LD writer puts a dataset's default graph in a graph
    object without ``@id``, which other processors read as a blank-node named
    graph; PyLD's ``from_rdf`` follows the spec.
    """
    quads: dict[str, list[dict[str, Any]]] = {}
    if isinstance(graph, Dataset):
        for s, p, o, g in graph.quads((None, None, None, None)):
            name = getattr(g, "identifier", g)
            key = "@default" if name in (None, DATASET_DEFAULT_GRAPH_ID) else str(name)
            quads.setdefault(key, []).append(_quad(s, p, o))
    else:
        quads["@default"] = [_quad(s, p, o) for s, p, o in graph]
    return jsonld.from_rdf(quads, {})


def _quad(s: Node, p: Node, o: Node) -> dict[str, Any]:
    return {"subject": _pyld_term(s), "predicate": _pyld_term(p), "object": _pyld_term(o)}


def _pyld_term(term: Node) -> dict[str, Any]:
    """A term in PyLD's RDF dataset form."""
    if isinstance(term, BNode):
        return {"type": "blank node", "value": f"_:{term}"}
    if isinstance(term, Literal):
        datatype = str(RDF.langString) if term.language else str(term.datatype or XSD.string)
        result = {"type": "literal", "value": str(term), "datatype": datatype}
        if term.language:
            result["language"] = term.language
        return result
    return {"type": "IRI", "value": str(term)}


def dataset_jsonld(dataset: Dataset, context_url: str = CONTEXT_FILE) -> bytes:
    """The whole dataset, compacted: ``supportgraph.jsonld``.

    The top-level ``@graph`` holds the default graph's nodes (the merged
    view) and one graph object per source document (its ``@id``, its named
    graph under ``@graph``). The document refers to the published context by
    ``context_url`` (by default the ``context.jsonld`` beside it).

    The compaction is rdflib's JSON-LD writer's (see :class:`_DumpWriter`).
    """
    compacted = _DumpWriter(context()).convert(dataset)
    if compacted is None:
        compacted = _rdflib_compacted(dataset)
    # rdflib wraps the default graph in a graph object without "@id", which
    # JSON-LD processors read as a blank-node named graph: unwrap it.
    items: list[Any] = []
    for item in compacted.get("@graph", []):
        if set(item) == {"@graph"}:
            items.extend(item["@graph"])
        else:
            items.append(item)
    compacted["@graph"] = items
    compacted["@context"] = context_url
    return canonical_json(compacted)


def _rdflib_compacted(dataset: Dataset) -> dict[str, Any]:
    """The dataset by rdflib's JSON-LD writer against :func:`context`."""
    return json.loads(dataset.serialize(format="json-ld", context=context(), auto_compact=True))


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


def local_loader(directory: Path) -> Callable[..., dict[str, Any]]:
    """A PyLD document loader serving ``context.jsonld`` from ``directory``; never the network."""
    path = Path(directory) / CONTEXT_FILE

    def load(url: str, options: dict | None = None) -> dict[str, Any]:
        if not url.endswith(CONTEXT_FILE):
            raise SupportGraphError(f"refusing to fetch {url}: only the local context is served")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads(path.read_text(encoding="utf-8")),
        }

    return load


# Inside <script>, only "</script" (any case) and "<!--" can end or change the
# element; JSON allows escaping every "<", ">" and "&" in strings, which also
# keeps HTML parsers that are not browsers on the safe side.
_SCRIPT_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def script_json(document: dict[str, Any]) -> str:
    """The JSON text of a document, safe to place inside an HTML ``<script>`` element."""
    text = canonical_json(document).decode("utf-8").rstrip("\n")
    return text.translate(_SCRIPT_ESCAPES)


def script_element(document: dict[str, Any]) -> str:
    """``<script type="application/ld+json">…</script>`` embedding a JSON-LD document."""
    return f'<script type="application/ld+json">\n{script_json(document)}\n</script>'
