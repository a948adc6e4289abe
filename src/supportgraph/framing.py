"""Framed JSON-LD per cloud: an organization with its contact points, as schema.org reads it.

The graph states ``sg:cloud`` from each contact point's side; a cloud's
subgraph (:func:`cloud_graph`) adds ``schema:contactPoint`` from the
provider organization, so that PyLD's framing nests the contact points,
each with its number, contact type, area served, languages and hours. A
page in language L gets the text in L (English where there is none).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from supportgraph.errors import SupportGraphError
from supportgraph.graph.vocabulary import SCHEMA, SG
from supportgraph.jsonld import canonical_json, context, expanded

__all__ = [
    "cloud_graph",
    "frame_cloud",
    "frame_organization",
    "framed_documents",
    "in_language",
    "monikers",
]

# What the framed document of a cloud says about each kind of node.
CONTACT_POINT_PROPERTIES = (
    SCHEMA.telephone,
    SCHEMA.contactType,
    SCHEMA.availableLanguage,
    SCHEMA.contactOption,
    SCHEMA.url,
    SCHEMA.description,
    SCHEMA.areaServed,
    SCHEMA.hoursAvailable,
    SG.channelType,
    SG.supportType,
)
AREA_PROPERTIES = (RDF.type, SCHEMA.name, SG.countryCode)
HOURS_PROPERTIES = (
    RDF.type,
    SCHEMA.dayOfWeek,
    SCHEMA.opens,
    SCHEMA.closes,
    SG.timeZone,
    SG.closedOnPublicHolidays,
)


def monikers(graph: Graph) -> list[str]:
    """The monikers of the clouds in a graph, sorted."""
    return sorted(str(m) for m in graph.objects(None, SG.moniker))


def cloud_graph(graph: Graph, moniker: str) -> Graph:
    """What a schema.org consumer reads about one cloud, as a graph of its own.

    The provider organization with ``schema:contactPoint`` links to the
    cloud's contact points (the graph states ``sg:cloud`` from the contact
    point's side), each with its number, contact type, area served,
    languages and opening hours; ``rdfs:label`` becomes ``schema:name``.
    """
    cloud = next(graph.subjects(SG.moniker, Literal(moniker)), None)
    if cloud is None:
        known = ", ".join(monikers(graph)) or "none"
        raise SupportGraphError(f"no cloud with moniker {moniker!r}; the graph has: {known}")
    result = Graph()
    for org in graph.objects(cloud, SCHEMA.provider):
        result.add((org, RDF.type, SCHEMA.Organization))
        _copy(graph, result, org, (SCHEMA.name,))
        for cp in graph.subjects(SG.cloud, cloud):
            if (cp, RDF.type, SCHEMA.ContactPoint) not in graph:
                continue
            result.add((org, SCHEMA.contactPoint, cp))
            result.add((cp, RDF.type, SCHEMA.ContactPoint))
            _copy(graph, result, cp, CONTACT_POINT_PROPERTIES)
            for label in graph.objects(cp, RDFS.label):
                result.add((cp, SCHEMA.name, label))
            for area in graph.objects(cp, SCHEMA.areaServed):
                _copy(graph, result, area, AREA_PROPERTIES)
            for hours in graph.objects(cp, SCHEMA.hoursAvailable):
                _copy(graph, result, hours, HOURS_PROPERTIES)
    return result


def _copy(source: Graph, target: Graph, subject: Node, properties: Sequence[URIRef]) -> None:
    for prop in properties:
        for value in source.objects(subject, prop):
            target.add((subject, prop, value))


def in_language(graph: Graph, lang: str, fallback: str = "en") -> Graph:
    """The graph with the language-tagged text of one language only.

    For each subject and property, literals in ``lang`` are kept; where there
    are none, those in ``fallback``; where there are neither, all of them.
    Untagged literals (numbers, times, codes) are always kept.
    """
    result = Graph()
    for triple in _in_language(graph, lang, fallback):
        result.add(triple)
    return result


def _in_language(graph: Graph, lang: str, fallback: str = "en") -> list[tuple[Node, Node, Node]]:
    """The triples of :func:`in_language`, without building a graph of them."""
    tagged: dict[tuple[Node, Node], list[Literal]] = {}
    result: list[tuple[Node, Node, Node]] = []
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            tagged.setdefault((s, p), []).append(o)
        else:
            result.append((s, p, o))
    for (s, p), literals in tagged.items():
        keep = [o for o in literals if _matches(o.language, lang)] or [
            o for o in literals if _matches(o.language, fallback)
        ]
        result.extend((s, p, o) for o in keep or literals)
    return result


def _matches(tag: str | None, lang: str) -> bool:
    tag, lang = (tag or "").lower(), lang.lower()
    return tag == lang or tag.startswith(lang + "-")


def frame_cloud(graph: Graph, moniker: str, lang: str | None = None) -> dict[str, Any]:
    """The framed JSON-LD of one cloud: an organization with its ``contactPoint``s embedded.

    With ``lang``, text is in that language (English where it has none) and
    the context sets it as the default language, so labels are plain strings.
    """
    return frame_organization(cloud_graph(graph, moniker), lang)


def framed_documents(
    graph: Graph, languages: Sequence[str | None]
) -> dict[tuple[str, str | None], dict[str, Any]]:
    """The framed document of every cloud in each language (``None``: all languages at once)."""
    documents: dict[tuple[str, str | None], dict[str, Any]] = {}
    for moniker in monikers(graph):
        subgraph = cloud_graph(graph, moniker)
        for lang in languages:
            documents[(moniker, lang)] = frame_organization(subgraph, lang)
    return documents


def frame_organization(subgraph: Graph, lang: str | None = None) -> dict[str, Any]:
    """Frame a :func:`cloud_graph` as a ``schema:Organization`` with its contact points."""
    ctx = context()
    triples: Graph | list[tuple[Node, Node, Node]] = subgraph
    if lang is not None:
        triples = _in_language(subgraph, lang)
        ctx = {**ctx, "@language": lang}
    frame = {
        "@context": ctx,
        "@type": "Organization",
        "contactPoint": {"@type": "ContactPoint", "@embed": "@always"},
    }
    framed = jsonld.frame(expanded(triples), frame, {"embed": "@always", "omitGraph": True})
    framed["@context"] = _used_context(ctx, framed)
    return json.loads(canonical_json(framed))


def _used_context(ctx: dict[str, Any], document: Any) -> dict[str, Any]:
    """The context without the terms a compacted document does not use (prefixes stay).

    A term is used where it is a key, or a string value (``"PhoneChannel"``
    under a ``@vocab``-typed key). Unused terms change nothing in the
    document's meaning, and a snippet for a web page stays short.
    """
    used: set[str] = set()
    _collect_strings(document, used)
    terms = {
        name: definition
        for name, definition in ctx.items()
        if name.startswith("@") or (name in used and not _is_prefix(definition))
    }
    _collect_strings(terms, used)
    prefixes = {value.partition(":")[0] for value in used if ":" in value}
    terms.update({name: ctx[name] for name in prefixes if name in ctx})
    return terms


def _is_prefix(definition: Any) -> bool:
    return isinstance(definition, str) and definition.endswith(("/", "#"))


def _collect_strings(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "@context":
                found.add(key)
                _collect_strings(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect_strings(item, found)
    elif isinstance(value, str):
        found.add(value)
