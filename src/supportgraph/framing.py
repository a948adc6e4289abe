"""Framed JSON-LD per cloud: an organization with its contact points, as schema.org reads it.

The graph states ``sg:cloud`` from each contact point's side; a cloud's
subgraph (:func:`cloud_graph`) adds ``schema:contactPoint`` from the
provider organization, so that framing nests the contact points, each with
its number, contact type, area served, languages and hours. A page in
language L gets the text in L (English where there is none).

The framed document is PyLD's ``frame`` of the subgraph with a fixed frame
(:func:`_frame_with_pyld`), but PyLD took 1.3–2 s of CPU per language for
the worldwide cloud (~800 contact points; a build frames every cloud in
every corpus language). Since the frame is fixed, :class:`_Framer` does the
embedding itself in one pass over the triples and leaves every compaction
choice (key, ``@id``, ``@type``, value form) to PyLD's own compaction
functions, asked once per shape of value and remembered: 0.1–0.2 s, the
same bytes. Graphs outside what it covers (blank
nodes, lists, no organization, contact points PyLD would drop) go to PyLD.
``tests/test_jsonld_speed.py`` compares both on the bundled corpus and on
hand-made edge cases.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from supportgraph.canonical import canonical_json, sorted_items
from supportgraph.errors import SupportGraphError
from supportgraph.framing_fast import _Framer, _used_context
from supportgraph.graph.vocabulary import SCHEMA, SG
from supportgraph.jsonld import context, expanded

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
    """Frame a :func:`cloud_graph` as a ``schema:Organization`` with its contact points.

    The result is what PyLD's ``frame`` gives (see :func:`_frame_with_pyld`),
    built in linear time by :class:`_Framer`; graphs outside the shapes it
    covers (blank nodes, lists, no or several organizations...) go to PyLD.
    """
    ctx = context()
    triples: Graph | list[tuple[Node, Node, Node]] = subgraph
    if lang is not None:
        triples = _in_language(subgraph, lang)
        ctx = {**ctx, "@language": lang}
    framed = _framer(lang).frame(triples)
    if framed is None:
        return _frame_with_pyld(triples, ctx)
    framed = {"@context": _used_context(ctx, framed), **framed}
    return _canonical(framed)


def _frame_with_pyld(
    triples: Graph | list[tuple[Node, Node, Node]], ctx: dict[str, Any]
) -> dict[str, Any]:
    """The framed document by PyLD: expand, frame with the fixed frame, compact."""
    frame = {
        "@context": ctx,
        "@type": "Organization",
        "contactPoint": {"@type": "ContactPoint", "@embed": "@always"},
    }
    framed = jsonld.frame(expanded(triples), frame, {"embed": "@always", "omitGraph": True})
    framed["@context"] = _used_context(ctx, framed)
    return json.loads(canonical_json(framed))


def _canonical(value: Any) -> Any:
    """``json.loads(canonical_json(value))`` for JSON values, without the text in between."""
    if isinstance(value, dict):
        return {key: _canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return sorted_items([_canonical(item) for item in value])
    return value


@functools.cache
def _framer(lang: str | None) -> _Framer:
    """One framer per page language: its memo of PyLD's answers serves every cloud."""
    ctx = context()
    return _Framer({**ctx, "@language": lang} if lang is not None else ctx)
