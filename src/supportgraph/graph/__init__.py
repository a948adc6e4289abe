"""Stage 3, graph: records → an RDF dataset with one named graph per source document.

Each document's statements go into the named graph whose IRI is the
document's own ``sg:SourceDocument`` IRI; entities get IRIs from their
record keys, so the same entity stated by several documents is one node
with labels in every language, and ``prov:wasDerivedFrom`` each document.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from datetime import time

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from supportgraph.extract.records import (
    Area,
    Cloud,
    Concept,
    ContactPoint,
    Divergence,
    Extraction,
    Responsibility,
    Role,
    Severity,
    SourceDocument,
    SupportCategory,
    SupportOffer,
    Text,
)
from supportgraph.extract.versions import merge_plan
from supportgraph.graph.merge import merge_into_default_graph
from supportgraph.graph.sets import GraphSets, add_set, graph_triples
from supportgraph.graph.vocabulary import (
    CONTACT_TYPES,
    DAYS,
    DEFAULT_BASE,
    ONTOLOGY_FILE,
    ONTOLOGY_GRAPH,
    PREFIXES,
    SCHEMA,
    SG,
    Terms,
    concept,
    document_iri,
    mint,
)
from supportgraph.values import OpeningHours
from supportgraph.values.dates import parse_doc_date

# rdflib's namespaces make a new term at every attribute access: these make each once.
DCTERMS, PROV, RDF, RDFS, SKOS, XSD = (Terms(ns) for ns in (DCTERMS, PROV, RDF, RDFS, SKOS, XSD))

__all__ = [
    "DEFAULT_BASE",
    "build_dataset",
    "build_graphs",
    "graph_triples",
    "load_ontology",
    "merge_into_default_graph",
]


def load_ontology(dataset: Dataset) -> Graph:
    """Load the ontology (classes, properties, concept schemes) into its own named graph."""
    graph = dataset.graph(ONTOLOGY_GRAPH)
    graph.parse(ONTOLOGY_FILE, format="turtle")
    return graph


def build_dataset(extractions: Sequence[Extraction], base: str = DEFAULT_BASE) -> Dataset:
    """The dataset of a set of extractions: the ontology graph plus one graph per document.

    Every graph is in rdflib's memory store, indexed, so any query runs on
    any graph; a build uses :func:`build_graphs` (same statements) instead.
    """
    return _fill(Dataset(), extractions, base)


def build_graphs(
    extractions: Sequence[Extraction], base: str = DEFAULT_BASE
) -> tuple[Dataset, Graph]:
    """The dataset of :func:`build_dataset` as a build needs it: (every graph, the merged view).

    The dataset keeps each graph as a plain set (:class:`~supportgraph.graph.sets.GraphSets`),
    which is what the dataset files are written from; the merged view (its
    default graph) is also put, indexed, in a graph of its own, which
    validation and the pages query. rdflib's memory store then indexes the
    merged view only (53,447 of the 181,237 quads at 1,000 documents).
    """
    dataset = _fill(Dataset(store=GraphSets()), extractions, base)
    merged = Graph(identifier=DATASET_DEFAULT_GRAPH_ID)
    for prefix, namespace in dataset.namespaces():
        merged.bind(prefix, namespace)
    default = dataset.store.graph_set(DATASET_DEFAULT_GRAPH_ID)
    merged.store.addN((s, p, o, merged) for s, p, o in default)
    return dataset, merged


def _fill(dataset: Dataset, extractions: Sequence[Extraction], base: str) -> Dataset:
    """Put the ontology, each extraction's graph and the merged view into ``dataset``."""
    if not base.endswith(("/", "#")):
        base += "/"
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    dataset.bind("owl", OWL)
    ontology = load_ontology(dataset)

    def graphs() -> Iterator[tuple[URIRef, Iterable[tuple[Node, Node, Node]]]]:
        # One document at a time: the merge reads each set as it is made, and
        # the set is dropped before the next document's is written.
        yield ONTOLOGY_GRAPH, ontology
        for extraction in extractions:
            writer = _Writer(base, extraction)
            writer.write()
            graph = dataset.graph(writer.doc)
            add_set(dataset.store, graph, writer.graph)
            yield writer.doc, writer.graph

    merge_into_default_graph(dataset, merge_plan(extractions), base, graphs=graphs())
    return dataset


class _Writer:
    """Writes one extraction's statements (its document's named graph) into a set.

    A set, not rdflib's store: adding to the store costs far more than
    hashing a triple, and the same statement is often made twice; the
    build adds each document's set to its graph once.
    """

    def __init__(self, base: str, extraction: Extraction):
        self.base = base
        self.extraction = extraction
        self.doc = document_iri(base, extraction.document.key)
        self.graph: set[tuple[Node, Node, Node]] = set()

    def iri(self, key: tuple[str, ...]) -> URIRef:
        return mint(self.base, key)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
        if o is not None:
            self.graph.add((s, p, o))

    def texts(self, s: URIRef, p: URIRef, texts: Iterable[Text]) -> None:
        for text in texts:
            self.graph.add((s, p, _text(text.value, text.lang)))

    def entity(self, s: URIRef, rdf_type: URIRef) -> URIRef:
        self.graph.add((s, RDF.type, rdf_type))
        self.graph.add((s, PROV.wasDerivedFrom, self.doc))
        return s

    def write(self) -> None:
        self.document(self.extraction.document)
        for record in self.extraction.records:
            getattr(self, type(record).__name__.lower())(record)
        for divergence in self.extraction.divergences:
            self.divergence(divergence)
        self._drop_alt_labels_equal_to_pref()

    def document(self, d: SourceDocument) -> None:
        s = self.doc
        self.graph.add((s, RDF.type, SG.SourceDocument))
        self.graph.add((s, RDF.type, PROV.Entity))
        for lang in d.languages or ((d.lang,) if d.lang else ()):
            self.add(s, DCTERMS.language, Literal(lang))
        self.add(s, SG.locale, Literal(d.locale) if d.locale else None)
        self.add(s, SG.path, Literal(d.path))
        self.add(s, SG.family, Literal(d.family))
        self.add(s, SG.translationType, Literal(d.translation_type or "source"))
        self.add(s, DCTERMS.title, Literal(d.title, lang=d.lang or "en") if d.title else None)
        self.add(s, SG.msDate, _date(d.date))
        self.add(s, SG.lastHandoff, _date(d.last_handoff))
        self.add(s, SG.locFileId, Literal(d.locfileid) if d.locfileid else None)

    def cloud(self, c: Cloud) -> None:
        s = self.entity(self.iri(c.key), SG.Cloud)
        self.add(s, SG.moniker, Literal(c.moniker))
        self.texts(s, RDFS.label, c.labels)
        self.texts(s, SCHEMA.description, c.descriptions)
        if c.provider:
            provider = self.entity(self.iri(("organization", c.provider)), SCHEMA.Organization)
            self.add(provider, SCHEMA.name, Literal(c.provider_label or c.provider, lang="en"))
            self.add(s, SCHEMA.provider, provider)

    def area(self, a: Area) -> None:
        s = self.entity(
            self.iri(a.key), SCHEMA.Country if a.kind == "country" else SCHEMA.AdministrativeArea
        )
        self.add(s, SG.countryCode, Literal(a.code) if a.code else None)
        self.add(s, SG.subdivisionCode, Literal(a.subdivision) if a.subdivision else None)
        self.add(s, SG.countryCodeNote, Literal(a.code_note, lang="en") if a.code_note else None)
        self.add(s, SG.slug, Literal(a.slug))
        self.texts(s, RDFS.label, a.labels)
        self.texts(s, SCHEMA.name, a.labels)

    def concept(self, c: Concept) -> None:
        s = concept(c.scheme, c.notation)
        self.texts(s, SKOS.prefLabel, c.labels)
        self.add(s, PROV.wasDerivedFrom, self.doc)

    def contactpoint(self, cp: ContactPoint) -> None:
        s = self.entity(self.iri(cp.key), SCHEMA.ContactPoint)
        self.add(s, SG.cloud, self.iri(("cloud", cp.cloud)))
        self.add(s, SG.channelType, concept("channel-type", cp.channel))
        if cp.support_type:
            self.add(s, SG.supportType, concept("support-type", cp.support_type))
            self.add(s, SCHEMA.contactType, Literal(CONTACT_TYPES[cp.support_type], lang="en"))
        if cp.area is not None:
            area = self.iri(cp.area.key)
            self.add(s, SCHEMA.areaServed, area)
            if cp.area.kind == "region":
                self.area(cp.area)
        self.add(s, SCHEMA.availableLanguage, Literal(cp.language) if cp.language else None)
        if cp.telephone is not None:
            self.add(s, SCHEMA.telephone, Literal(cp.telephone.e164))
            self.add(s, SG.numberType, Literal(cp.telephone.number_type))
            if cp.telephone.toll_free:
                self.add(s, SCHEMA.contactOption, SCHEMA.TollFree)
        self.add(s, SG.alternativeOf, self.iri(cp.alternative_of) if cp.alternative_of else None)
        if cp.audience:
            self.add(s, SG.audience, self.iri(("role", cp.cloud, cp.audience)))
        self.add(s, SCHEMA.url, Literal(cp.url, datatype=XSD.anyURI) if cp.url else None)
        self.add(s, SG.plan, Literal(cp.plan) if cp.plan else None)
        self.texts(s, RDFS.label, cp.labels)
        self.texts(s, SCHEMA.description, cp.descriptions)
        self.texts(s, SG.note, cp.notes)
        self.texts(s, SG.chargeNote, cp.charge_notes)
        self.texts(s, SG.instructions, cp.instructions)
        self.texts(s, SG.numberNote, cp.number_notes)
        self.add(s, SG.accessNumber, Literal(cp.access_number) if cp.access_number else None)
        self.add(s, SG.statedNumber, Literal(cp.stated_number) if cp.stated_number else None)
        issue = Literal(cp.number_issue, lang="en") if cp.number_issue else None
        self.add(s, SG.numberIssue, issue)
        for step in cp.steps:
            node = self.entity(URIRef(f"{s}/step/{step.position}"), SCHEMA.HowToStep)
            self.add(node, SCHEMA.position, Literal(step.position))
            self.texts(node, SCHEMA.text, step.labels)
            self.add(s, SG.step, node)
        self.hours(s, cp.hours, cp.inferred_time_zone)
        conditional = (SG.conditionalHours, "conditional-hours")
        for node in self.hours(s, cp.conditional_hours, cp.inferred_time_zone, conditional):
            self.texts(node, SG.condition, cp.conditions)

    def hours(
        self,
        s: URIRef,
        hours: Iterable[OpeningHours],
        inferred: str | None = None,
        link: tuple[URIRef, str] = (SCHEMA.hoursAvailable, "hours"),
    ) -> list[URIRef]:
        """Opening-hours nodes (below the IRI of what they belong to), linked by ``link``."""
        nodes = []
        for h in hours:
            zone = h.time_zone or inferred
            node = URIRef(f"{s}/{link[1]}/{_hours_slug(h, zone)}")
            nodes.append(node)
            self.entity(node, SCHEMA.OpeningHoursSpecification)
            for day in h.days:
                self.add(node, SCHEMA.dayOfWeek, SCHEMA[day])
            self.add(node, SCHEMA.opens, _time(h.opens))
            self.add(node, SCHEMA.closes, _time(h.closes))
            self.add(node, SG.timeZone, Literal(zone) if zone else None)
            if zone and not h.time_zone:
                self.add(node, SG.timeZoneInferred, Literal(True))
            if h.closed_on_public_holidays:
                self.add(node, SG.closedOnPublicHolidays, Literal(True))
            self.add(s, link[0], node)
        return nodes

    def severity(self, sev: Severity) -> None:
        s = self.entity(self.iri(sev.key), SG.SeverityLevel)
        scheme = self.iri(("severity-levels", sev.cloud))
        self.entity(scheme, SKOS.ConceptScheme)
        self.add(scheme, SG.cloud, self.iri(("cloud", sev.cloud)))
        self.add(s, RDF.type, SKOS.Concept)
        self.add(s, SKOS.inScheme, scheme)
        self.add(s, SKOS.notation, Literal(sev.notation))
        self.add(s, SG.cloud, self.iri(("cloud", sev.cloud)))
        self.texts(s, SKOS.prefLabel, sev.pref_labels)
        self.texts(s, SKOS.altLabel, sev.alt_labels)
        self.texts(s, SKOS.definition, sev.definitions)
        self.texts(s, SKOS.example, sev.examples)
        self.texts(s, SG.followUp, sev.follow_up)
        self.texts(s, SKOS.note, sev.notes)
        if sev.response is not None:
            if sev.response.iso_duration:
                self.add(
                    s, SG.initialResponse, Literal(sev.response.iso_duration, datatype=XSD.duration)
                )
            if sev.response.business_days is not None:
                self.add(s, SG.initialResponseBusinessDays, Literal(sev.response.business_days))
        for support_type in sev.support_types:
            self.add(s, SG.supportType, concept("support-type", support_type))
        self.hours(s, sev.hours)

    def role(self, r: Role) -> None:
        s = self.entity(self.iri(r.key), SG.Role)
        self.add(s, SG.cloud, self.iri(("cloud", r.cloud)))
        self.add(s, SG.roleName, Literal(r.role))
        self.texts(s, RDFS.label, r.labels)
        self.texts(s, SCHEMA.description, r.descriptions)

    def responsibility(self, r: Responsibility) -> None:
        s = self.entity(self.iri(r.key), SG.Responsibility)
        self.add(s, SG.role, self.iri(("role", r.cloud, r.role)))
        self.add(s, SG.cloud, self.iri(("cloud", r.cloud)))
        self.add(s, SG.kind, Literal(r.kind))
        self.add(s, SCHEMA.position, Literal(r.position))
        if r.severity:
            self.add(s, SG.severity, self.iri(("severity", r.cloud, r.severity.lower())))
        self.texts(s, RDFS.label, r.labels)

    def supportoffer(self, o: SupportOffer) -> None:
        s = self.entity(self.iri(o.key), SG.SupportOffering)
        self.add(s, SG.cloud, self.iri(("cloud", o.cloud)))
        self.add(s, SG.supportType, concept("support-type", o.support_type))
        self.texts(s, RDFS.label, o.labels)
        self.texts(s, SCHEMA.description, o.descriptions)
        self.texts(s, SKOS.example, o.examples)
        self.hours(s, o.hours)

    def supportcategory(self, c: SupportCategory) -> None:
        s = self.entity(self.iri(c.key), SG.SupportCategory)
        self.add(s, SG.cloud, self.iri(("cloud", c.cloud)))
        self.add(s, SCHEMA.position, Literal(c.position))
        self.texts(s, RDFS.label, c.labels)
        self.texts(s, SG.product, c.products)
        self.texts(s, SKOS.example, c.examples)

    def divergence(self, d: Divergence) -> None:
        s = self.entity(self.iri(("divergence", d.document, d.segment)), SG.Divergence)
        self.add(s, SG.document, self.doc)
        self.add(s, SG.segmentId, Literal(d.segment))
        self.add(s, SG.fact, Literal(d.fact))
        self.add(s, SG.sourceValue, Literal(d.source_value))
        self.add(s, SG.localizedValue, Literal(d.localized_value))
        self.add(s, SG.sourceText, Literal(d.source_text, lang="en"))
        self.add(s, SG.localizedText, Literal(d.localized_text, lang=self.extraction.document.lang))
        self.add(s, SG.divergenceKind, Literal(d.kind))
        if d.compared_with:
            locale, relpath = d.compared_with.split("/", 1)
            other = document_iri(self.base, ("document", locale, relpath.removesuffix(".md")))
            self.add(s, SG.comparedWith, other)

    def _drop_alt_labels_equal_to_pref(self) -> None:
        # SKOS: a concept's prefLabel and altLabel are disjoint.
        for s, p, label in [t for t in self.graph if t[1] == SKOS.altLabel]:
            if (s, SKOS.prefLabel, label) in self.graph:
                self.graph.discard((s, p, label))


@functools.lru_cache(maxsize=1 << 18)  # a label recurs in every page of its locale
def _text(value: str, lang: str) -> Literal:
    """A language-tagged literal (made once: rdflib's Literal checks and normalizes its tag)."""
    return Literal(value, lang=lang)


def _hours_slug(h: OpeningHours, zone: str | None) -> str:
    days = "".join(d[:2].lower() for d in DAYS if d in h.days)
    span = f"{h.opens:%H%M}-{h.closes:%H%M}" if h.opens and h.closes else "days"
    parts = [days or "none", span]
    if zone:
        parts.append(zone.replace("/", "-").lower())
    if h.closed_on_public_holidays:
        parts.append("holidays-closed")
    return "-".join(parts)


def _time(value: time | None) -> Literal | None:
    return Literal(value.strftime("%H:%M:%S"), datatype=XSD.time) if value else None


def _date(value: str | None) -> Literal | None:
    """``ms.date``/``ms.lasthandoff`` (``M/D/YYYY``) as xsd:date; other forms kept as text."""
    if not value:
        return None
    parsed = parse_doc_date(value)
    return Literal(parsed.isoformat(), datatype=XSD.date) if parsed else Literal(value)
