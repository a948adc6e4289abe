"""What a cloud's pages read of the merged graph, read once: :class:`CloudIndex`.

The merged view answers each pattern lookup after checking the graphs of
the triple, and a page made thousands of lookups: most of its time. A
cloud's pages in every language share one index; its answers are the
merged graph's, so pages stay byte-identical. The HTML is
:mod:`supportgraph.site`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from supportgraph.errors import SupportGraphError
from supportgraph.graph.vocabulary import CHANNEL_TYPES, DAYS, SCHEMA, SG

__all__ = ["CloudIndex", "cloud_index", "hours_parts", "text_in"]


def text_in(graph: Graph, subject: Node, prop: URIRef, lang: str) -> str:
    """The text of ``prop`` in ``lang``, else in English, else any; the first in sort order."""
    values = sorted(o for o in graph.objects(subject, prop) if isinstance(o, Literal))
    return _text(values, lang)


def _text(values: Sequence[Literal], lang: str, tags: Sequence[str] | None = None) -> str:
    """The text of :func:`text_in` among ``values``, sorted literals (``tags``: their
    language tags in lower case, where the caller has them)."""
    if tags is None:
        tags = [(value.language or "").lower() for value in values]
    for wanted in (lang, "en"):
        wanted = wanted.lower()
        prefix = wanted + "-"
        for tag, value in zip(tags, values, strict=True):
            if tag == wanted or tag.startswith(prefix):
                return str(value)
    return str(values[0]) if values else ""


_PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


class CloudIndex:
    """What a cloud's pages read of the merged graph, in dicts: built once, for every language.

    The merged view answers each pattern lookup after checking the triple's
    graphs, and a page made thousands of them (labels, hours, types of every
    contact point): most of a page's time. The index holds every triple of
    the nodes a page reads: the cloud, the subjects stating ``sg:cloud`` it,
    the responsibilities of its roles, the channel concepts, and every node
    those point to (areas, hours, support types, source documents). Its
    answers are the merged graph's, so pages stay byte-identical; sorted
    texts and least values are remembered, being the same for every language.
    """

    def __init__(self, graph: Graph, moniker: str) -> None:
        self.moniker = moniker
        cloud = next(graph.subjects(SG.moniker, Literal(moniker)), None)
        if cloud is None:
            known = ", ".join(sorted(str(m) for m in graph.objects(None, SG.moniker))) or "none"
            raise SupportGraphError(f"no cloud with moniker {moniker!r}; the graph has: {known}")
        self.cloud = cloud
        self._objects: dict[Node, dict[Node, list[Node]]] = {}
        self.members = list(graph.subjects(SG.cloud, self.cloud))
        first = [self.cloud, *self.members, *CHANNEL_TYPES.values()]
        for node in first:
            self._load(graph, node)
        self.duties = {
            role: list(graph.subjects(SG.role, role))
            for role in self.members
            if self.has(role, RDF.type, SG.Role)
        }
        for duties in self.duties.values():
            for duty in duties:
                self._load(graph, duty)
        # The nodes pointed to: areas, hours, support types, documents...
        pointed = {
            value
            for properties in list(self._objects.values())
            for values in properties.values()
            for value in values
            if not isinstance(value, Literal)
        }
        for node in pointed:
            self._load(graph, node)
        self._texts: dict[tuple[Node, Node], tuple[list[Literal], list[str]]] = {}
        self._sources: list[str] | None = None
        self._channels: list[tuple[Node, list[Node]]] | None = None
        # What the pages make of a node the same in every language, by the pages' own key.
        self.remembered: dict[Any, Any] = {}
        self._least: dict[tuple[Node, Node], Node | None] = {}
        self._labels: dict[tuple[Node, str], str] = {}
        self._sorted: dict[tuple[Node, Node], list[Node]] = {}
        self._hours: dict[Node, tuple[list[list[int]], str, bool]] = {}

    def _load(self, graph: Graph, node: Node) -> None:
        if node in self._objects:
            return
        properties: dict[Node, list[Node]] = {}
        for prop, value in graph.predicate_objects(node):
            properties.setdefault(prop, []).append(value)
        self._objects[node] = properties

    def values(self, node: Node) -> dict[Node, list[Node]]:
        """A node's values by property, in the merged graph's order (for a node of the index)."""
        return self._objects[node]

    def objects(self, subject: Node, prop: URIRef) -> list[Node]:
        """``graph.objects(subject, prop)`` (for a node of the index), as a list."""
        return self._objects[subject].get(prop, [])

    def has(self, subject: Node, prop: URIRef, value: Node) -> bool:
        """``(subject, prop, value) in graph``, for a node of the index."""
        return value in self.objects(subject, prop)

    def one(self, subject: Node, prop: URIRef) -> Node | None:
        """The least value of a property (``Graph.value`` picks any one: pages must not vary)."""
        key = (subject, prop)
        if key not in self._least:
            self._least[key] = min(self.objects(subject, prop), default=None)
        return self._least[key]

    def text(self, subject: Node, prop: URIRef, lang: str) -> str:
        """:func:`text_in` of the merged graph."""
        key = (subject, prop)
        texts = self._texts.get(key)
        if texts is None:
            values = sorted(o for o in self.objects(subject, prop) if isinstance(o, Literal))
            tags = [(value.language or "").lower() for value in values]
            texts = self._texts[key] = (values, tags)
        return _text(texts[0], lang, texts[1])

    def sorted_objects(self, subject: Node, prop: URIRef) -> list[Node]:
        """``sorted(graph.objects(subject, prop))``, remembered."""
        key = (subject, prop)
        values = self._sorted.get(key)
        if values is None:
            values = self._sorted[key] = sorted(self.objects(subject, prop))
        return values

    def hours_parts(self, hours: Node) -> tuple[list[list[int]], str, bool]:
        """What an opening hours node says in every language (:func:`hours_parts`), remembered."""
        parts = self._hours.get(hours)
        if parts is None:
            parts = self._hours[hours] = hours_parts(self, hours)
        return parts

    def channels(self) -> list[tuple[Node, list[Node]]]:
        """Each channel type with contact points, and its contact points (in graph order)."""
        if self._channels is None:
            points = [cp for cp in self.members if self.has(cp, RDF.type, SCHEMA.ContactPoint)]
            self._channels = []
            for channel in CHANNEL_TYPES.values():
                members = [cp for cp in points if self.has(cp, SG.channelType, channel)]
                if members:
                    self._channels.append((channel, members))
        return self._channels

    def sources(self) -> list[str]:
        """The paths of the cloud's source documents, sorted (the same in every language)."""
        if self._sources is None:
            documents = {doc for s in self.members for doc in self.objects(s, _PROV_DERIVED)}
            self._sources = sorted(str(self.one(doc, SG.path) or doc) for doc in documents)
        return self._sources

    def label(self, node: Node, lang: str) -> str:
        """A node's ``skos:prefLabel``, else ``rdfs:label``, else ``schema:name`` in ``lang``."""
        key = (node, lang)
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = (
                self.text(node, SKOS.prefLabel, lang)
                or self.text(node, RDFS.label, lang)
                or self.text(node, SCHEMA.name, lang)
            )
        return label


def cloud_index(graph: Graph, moniker: str) -> CloudIndex:
    """The :class:`CloudIndex` of one cloud of the merged graph (:class:`SupportGraphError`
    if the graph has no cloud of that moniker)."""
    return CloudIndex(graph, moniker)


# The IRIs of the days, made once: a Namespace makes a new URIRef per lookup.
_DAY_IRIS = tuple(SCHEMA[day] for day in DAYS)


def hours_parts(index: CloudIndex, hours: Node) -> tuple[list[list[int]], str, bool]:
    """What an opening hours line says in every language: runs of days, times and zone,
    and whether closed on public holidays."""
    on = index.objects(hours, SCHEMA.dayOfWeek)
    runs: list[list[int]] = []
    for day, iri in enumerate(_DAY_IRIS):
        if iri not in on:
            continue
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    text = ""
    opens, closes = index.one(hours, SCHEMA.opens), index.one(hours, SCHEMA.closes)
    if opens is not None and closes is not None:
        text += f" {str(opens)[:5]}–{str(closes)[:5]}"
    zone = index.one(hours, SG.timeZone)
    if zone is not None:
        text += f" ({zone})"
    return runs, text, bool(index.one(hours, SG.closedOnPublicHolidays))
