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
A cloud is framed in every corpus language: :class:`CloudTriples` reads its
triples and makes the node map of those without a language tag once, and
each language adds only its text.
``tests/test_jsonld_speed.py`` compares both on the bundled corpus and on
hand-made edge cases.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from supportgraph.canonical import canonical_json, sorted_items
from supportgraph.errors import SupportGraphError
from supportgraph.framing_fast import Nodes, Properties, _Framer, _used_context, node_map
from supportgraph.graph.vocabulary import SCHEMA, SG
from supportgraph.jsonld import context, expanded

Triple = tuple[Node, Node, Node]

__all__ = [
    "CloudTriples",
    "cloud_graph",
    "cloud_triples",
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
    points = list(graph.subjects(SG.cloud, cloud))
    for triple in _cloud_triples(lambda node: _values(graph, node), cloud, points):
        result.add(triple)
    return result


def cloud_triples(
    values: Callable[[Node], Mapping[Node, Sequence[Node]]], cloud: Node, points: Sequence[Node]
) -> list[Triple]:
    """The triples of :func:`cloud_graph`, in its order, from values read already.

    ``values(node)``: a node's values by property, in the graph's order
    (as :class:`supportgraph.site.CloudIndex` holds them); ``points``: the
    subjects stating ``sg:cloud`` the cloud. Spares reading the merged view
    again and building an rdflib graph where only the triples are wanted.
    """
    return list(dict.fromkeys(_cloud_triples(values, cloud, points)))


def _cloud_triples(
    values: Callable[[Node], Mapping[Node, Sequence[Node]]], cloud: Node, points: Sequence[Node]
) -> Iterator[Triple]:
    """The triples of :func:`cloud_graph` in the order it adds them (repeats included)."""
    copied: set[Node] = set()  # areas and hours shared by contact points: copied once
    for org in values(cloud).get(SCHEMA.provider, ()):
        yield (org, RDF.type, SCHEMA.Organization)
        yield from _copy(org, (SCHEMA.name,), values(org))
        for cp in points:
            # One read of the contact point's triples instead of one per property:
            # the merged view checks the graphs of every triple it returns.
            cp_values = values(cp)
            if SCHEMA.ContactPoint not in cp_values.get(RDF.type, ()):
                continue
            yield (org, SCHEMA.contactPoint, cp)
            yield (cp, RDF.type, SCHEMA.ContactPoint)
            yield from _copy(cp, CONTACT_POINT_PROPERTIES, cp_values)
            for label in cp_values.get(RDFS.label, ()):
                yield (cp, SCHEMA.name, label)
            for area in cp_values.get(SCHEMA.areaServed, ()):
                if area not in copied:
                    copied.add(area)
                    yield from _copy(area, AREA_PROPERTIES, values(area))
            for hours in cp_values.get(SCHEMA.hoursAvailable, ()):
                if hours not in copied:
                    copied.add(hours)
                    yield from _copy(hours, HOURS_PROPERTIES, values(hours))


def _values(graph: Graph, subject: Node) -> dict[Node, list[Node]]:
    """A subject's values by property, each in ``graph.objects(subject, prop)`` order."""
    values: dict[Node, list[Node]] = {}
    for prop, value in graph.predicate_objects(subject):
        values.setdefault(prop, []).append(value)
    return values


def _copy(
    subject: Node, properties: Sequence[URIRef], values: Mapping[Node, Sequence[Node]]
) -> Iterator[Triple]:
    for prop in properties:
        for value in values.get(prop, ()):
            yield (subject, prop, value)


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


def _in_language(
    graph: Graph | Iterable[Triple] | CloudTriples, lang: str, fallback: str = "en"
) -> list[Triple]:
    """The triples of :func:`in_language`, without building a graph of them."""
    untagged, tagged = graph.split() if isinstance(graph, CloudTriples) else _split(graph)
    result = list(untagged)
    for (s, p), literals in tagged.items():
        keep = [o for o in literals if _matches(o.language, lang)] or [
            o for o in literals if _matches(o.language, fallback)
        ]
        result.extend((s, p, o) for o in keep or literals)
    return result


def _split(
    triples: Iterable[Triple],
) -> tuple[list[Triple], dict[tuple[Node, Node], list[Literal]]]:
    """The triples without a language tag, and the tagged literals by subject and property."""
    tagged: dict[tuple[Node, Node], list[Literal]] = {}
    untagged: list[Triple] = []
    for s, p, o in triples:
        if isinstance(o, Literal) and o.language:
            tagged.setdefault((s, p), []).append(o)
        else:
            untagged.append((s, p, o))
    return untagged, tagged


class CloudTriples:
    """The triples of a :func:`cloud_graph` (or :func:`cloud_triples`), read once for framing.

    Reading an rdflib graph costs microseconds a triple (its store checks
    each triple's contexts) and making the framer's node map of them as
    much: a cloud's pages in every language share one reading, and one node
    map of the triples without a language tag (:func:`node_map`); only the
    tagged text is chosen per language (:meth:`in_language`).
    """

    def __init__(self, subgraph: Graph | Iterable[Triple]) -> None:
        self.triples: list[Triple] = list(subgraph)
        self._split: tuple[list[Triple], dict[tuple[Node, Node], list[Literal]]] | None = None
        self._nodes: tuple[Nodes | None, list[tuple[str, str, list[Any], int]]] | None = None
        # The distinct tuples of language tags of the text values of a subject
        # and property (most share one: every corpus language), and which of
        # the values a language keeps for each.
        self._tag_sets: dict[tuple[str, ...], int] = {}
        self._kept: dict[tuple[int, str | None, str], tuple[int, ...]] = {}

    def split(self) -> tuple[list[Triple], dict[tuple[Node, Node], list[Literal]]]:
        """:func:`_split` of the triples, made on first use."""
        if self._split is None:
            self._split = _split(self.triples)
        return self._split

    def nodes(self) -> Nodes | None:
        """The node map of the untagged triples, with every subject (``None``: PyLD's work)."""
        return self._node_parts()[0]

    def in_language(self, lang: str | None, fallback: str = "en") -> dict[str, Properties]:
        """The tagged text :func:`_in_language` keeps (all of it for ``None``), as node values.

        Which values a language keeps depends on their tags alone: it is
        found once per distinct tuple of tags, not once per subject.
        """
        extra: dict[str, Properties] = {}
        groups = self._node_parts()[1]
        tag_sets = list(self._tag_sets)
        kept = self._kept
        for subject, prop, values, tags in groups:
            chosen = kept.get((tags, lang, fallback))
            if chosen is None:
                chosen = kept[(tags, lang, fallback)] = _kept(tag_sets[tags], lang, fallback)
            extra.setdefault(subject, {})[prop] = [values[i] for i in chosen]
        return extra

    def _node_parts(self) -> tuple[Nodes | None, list[tuple[str, str, list[Any], int]]]:
        """The node map of the untagged triples, and the text values of each subject and
        property with (the number of) their tuple of language tags."""
        if self._nodes is None:
            untagged, tagged = self.split()
            nodes = node_map(untagged)
            groups: list[tuple[str, str, list[Any], int]] = []
            for (s, p), literals in tagged.items():
                if nodes is None or isinstance(s, BNode):
                    nodes = None  # blank nodes are PyLD's business (see node_map)
                    break
                subject = str(s)
                nodes.setdefault(subject, ([], {}))
                values = [("@value", str(o), ("@language", o.language.lower())) for o in literals]
                tags = tuple(o.language for o in literals)
                number = self._tag_sets.setdefault(tags, len(self._tag_sets))
                groups.append((subject, str(p), values, number))
            self._nodes = (nodes, groups)
        return self._nodes


def _kept(tags: tuple[str, ...], lang: str | None, fallback: str) -> tuple[int, ...]:
    """Which of the values with these tags :func:`_in_language` keeps (all for ``None``)."""
    everything = tuple(range(len(tags)))
    if lang is None:
        return everything
    return (
        tuple(i for i, tag in enumerate(tags) if _matches(tag, lang))
        or tuple(i for i, tag in enumerate(tags) if _matches(tag, fallback))
        or everything
    )


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
        subgraph = CloudTriples(cloud_graph(graph, moniker))
        for lang in languages:
            documents[(moniker, lang)] = frame_organization(subgraph, lang)
    return documents


def frame_organization(subgraph: Graph | CloudTriples, lang: str | None = None) -> dict[str, Any]:
    """Frame a :func:`cloud_graph` as a ``schema:Organization`` with its contact points.

    The result is what PyLD's ``frame`` gives (see :func:`_frame_with_pyld`),
    built in linear time by :class:`_Framer`; graphs outside the shapes it
    covers (blank nodes, lists, no or several organizations...) go to PyLD.
    The pages of a cloud in several languages can share its
    :class:`CloudTriples` instead of reading the graph each time.
    """
    cloud = subgraph if isinstance(subgraph, CloudTriples) else CloudTriples(subgraph)
    ctx = context()
    if lang is not None:
        ctx = {**ctx, "@language": lang}
    nodes = cloud.nodes()
    framed = None
    used: set[str] = set()  # the document's keys and strings, gathered as it is made
    if nodes is not None:
        framed = _framer(lang).frame_nodes(nodes, cloud.in_language(lang), used)
    if framed is None:
        triples = cloud.triples if lang is None else _in_language(cloud, lang)
        return _frame_with_pyld(triples, ctx)
    # The framer's document is in canonical order; its context is put so here.
    framed["@context"] = _canonical(_used_context(ctx, framed, used))
    return {key: framed[key] for key in sorted(framed)}


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
