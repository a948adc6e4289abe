"""JSON-LD: the published ``@context``, the compacted dump, and JSON-LD inside HTML.

Graphs become expanded JSON-LD by PyLD's ``from_rdf`` (see
:mod:`supportgraph.framing` for the framed documents). The dump is what
rdflib's JSON-LD writer gives compacting against :func:`context`, but with
:func:`canonical_json` that took 4.5 s of CPU for the 181k quads of 1,000
documents (1.2 s for the bundled corpus), the writer asking the store again
for every node and value. :class:`_DumpWriter` runs the writer's steps one
graph at a time, with rdflib's own
:class:`~rdflib.plugins.shared.jsonld.context.Context` choosing every key
and IRI form (asked once per property and value shape, remembered), and
streams the text (:func:`write_dataset_jsonld`): 1.2 s and 26 MiB at most
for 1,000 documents, where the whole document and its text held 130 MiB
(1.4 GiB at 10,000), the same bytes (``tests/test_jsonld_speed.py`` checks
them against the writer). What it does not cover (blank nodes, lists,
values whose outcome depends on the writer's iteration order) goes to the
writer itself. The output is
canonical (object keys sorted; arrays, which carry no order in our data,
sorted too), so identical graphs give byte-identical files.
"""

from __future__ import annotations

import copy
import functools
import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

from pyld import jsonld
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from supportgraph.canonical import canonical_json
from supportgraph.errors import SupportGraphError
from supportgraph.graph.vocabulary import ONTOLOGY_FILE, PREFIXES, SCHEMA, SG
from supportgraph.jsonld_dump import _DumpWriter

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
    "write_dataset_jsonld",
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
    """The whole dataset, compacted: ``supportgraph.jsonld`` (see :func:`write_dataset_jsonld`)."""
    buffer = io.BytesIO()
    write_dataset_jsonld(dataset, buffer, context_url)
    return buffer.getvalue()


def write_dataset_jsonld(dataset: Dataset, out: BinaryIO, context_url: str = CONTEXT_FILE) -> None:
    """Write the whole dataset, compacted, into ``out``: ``supportgraph.jsonld``.

    The top-level ``@graph`` holds the default graph's nodes (the merged
    view) and one graph object per source document (its ``@id``, its named
    graph under ``@graph``). The document refers to the published context by
    ``context_url`` (by default the ``context.jsonld`` beside it).

    The compaction is rdflib's JSON-LD writer's (see :class:`_DumpWriter`),
    streamed one graph at a time.
    """
    writer = _DumpWriter(context())
    if writer.write(dataset, out, context_url):
        return
    compacted = writer.convert(dataset)
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
    out.write(canonical_json(compacted))


def _rdflib_compacted(dataset: Dataset) -> dict[str, Any]:
    """The dataset by rdflib's JSON-LD writer against :func:`context`."""
    return json.loads(dataset.serialize(format="json-ld", context=context(), auto_compact=True))


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
_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def _script_safe(text: str) -> str:
    # str.replace per character present: a page's JSON rarely has any, and
    # str.translate walks every character (20 ms of a big page).
    for character, escaped in _SCRIPT_ESCAPES:
        if character in text:
            text = text.replace(character, escaped)
    return text


def script_json(document: dict[str, Any]) -> str:
    """The JSON text of a document, safe to place inside an HTML ``<script>`` element."""
    return _script_safe(canonical_json(document).decode("utf-8").rstrip("\n"))


def script_element(document: dict[str, Any] | bytes) -> str:
    """``<script type="application/ld+json">…</script>`` embedding a JSON-LD document.

    ``document``: the document, or its :func:`canonical_json` already written.
    """
    if isinstance(document, bytes):
        text = _script_safe(document.decode("utf-8").rstrip("\n"))
    else:
        text = script_json(document)
    return f'<script type="application/ld+json">\n{text}\n</script>'
