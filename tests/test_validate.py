"""SHACL validation: the real graph conforms, and each shape catches the defect it is for.

The real dataset is built once. For every shape there is one mutation: a
copy of a real entity (same triples, its own IRI ``…/mutant/SHAPE``) with
one defect, e.g. a telephone ``+12``. All mutants go into one copy of the
merged view, validated once (pyshacl takes seconds per run); each test then
asserts that its mutant, and only its mutant's shape, fails, with the
message of that shape. Mutants are independent: nothing refers to a copy.
``test_a_real_contact_point_with_a_bad_number_fails_only_that_shape`` also
mutates a real node in place and validates that graph alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS

from supportgraph.build import build_dataset_from
from supportgraph.cli import main
from supportgraph.graph.vocabulary import SCHEMA, SG
from supportgraph.publish import union_graph
from supportgraph.validate import (
    SGSH,
    SHAPES_FILE,
    ValidationReport,
    corpus_languages,
    load_shapes,
    summary,
    validate,
)

# rdflib's XSD namespace object warns when pytest inspects the module's names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture(scope="module")
def merged() -> Graph:
    """The merged view (default graph) of the real dataset, built once."""
    dataset, _ = build_dataset_from([CORPUS])
    return union_graph(dataset)


@pytest.fixture(scope="module")
def baseline(merged: Graph) -> ValidationReport:
    return validate(merged)


# --------------------------------------------------------------- selectors


def _first(graph: Graph, where: str) -> URIRef:
    query = f"SELECT ?node WHERE {{ {where} }} ORDER BY ?node LIMIT 1"
    namespaces = {"schema": SCHEMA, "sg": SG, "skos": SKOS, "rdfs": RDFS}
    rows = list(graph.query(query, initNs=namespaces))
    assert rows, f"the real graph has no node matching: {where}"
    return rows[0][0]


def cloud(g: Graph) -> URIRef:
    return _first(g, '?node sg:moniker "o365-worldwide"')


def phone(g: Graph) -> URIRef:
    return _first(
        g,
        "?node a schema:ContactPoint ; sg:channelType sg:PhoneChannel ; schema:telephone ?t ; "
        "schema:hoursAvailable ?h ; schema:areaServed ?a ; schema:availableLanguage ?l ; "
        "sg:audience ?r ; sg:supportType ?s ; rdfs:label ?x "
        "FILTER NOT EXISTS { ?node rdfs:label ?y FILTER (?y != ?x && LANG(?y) = LANG(?x)) } "
        'FILTER NOT EXISTS { ?node sg:statedNumber ?n } FILTER (LANG(?x) = "en")',
    )


def online(g: Graph) -> URIRef:
    return _first(g, "?node a schema:ContactPoint ; schema:url ?u")


def hours(g: Graph) -> URIRef:
    return _first(
        g,
        "?node a schema:OpeningHoursSpecification ; schema:opens ?o ; schema:closes ?c ; "
        'sg:timeZone ?z FILTER (STR(?o) = "09:00:00" && STR(?c) = "17:00:00")',
    )


def severity(g: Graph) -> URIRef:
    return _first(g, "?node a sg:SeverityLevel ; sg:initialResponse ?d ; schema:hoursAvailable ?h")


def severity_days(g: Graph) -> URIRef:
    return _first(
        g,
        "?node a sg:SeverityLevel ; sg:initialResponseBusinessDays ?d "
        "FILTER NOT EXISTS { ?node sg:initialResponse ?r }",
    )


def role(g: Graph) -> URIRef:
    return _first(g, "?node a sg:Role ; rdfs:label ?l")


def duty(g: Graph) -> URIRef:
    return _first(g, "?node a sg:Responsibility ; schema:position ?p")


def document(g: Graph) -> URIRef:
    return _first(g, "?node a sg:SourceDocument ; sg:msDate ?d ; sg:lastHandoff ?h")


def country(g: Graph) -> URIRef:
    return _first(
        g,
        '?node a schema:Country ; sg:countryCode "SE" ; rdfs:label ?it, ?sv '
        'FILTER (LANG(?it) = "it" && LANG(?sv) = "sv")',
    )


def organization(g: Graph) -> URIRef:
    return _first(g, "?node a schema:Organization")


def offering(g: Graph) -> URIRef:
    return _first(g, "?node a sg:SupportOffering")


def category(g: Graph) -> URIRef:
    return _first(g, "?node a sg:SupportCategory")


def step(g: Graph) -> URIRef:
    return _first(g, "?node a schema:HowToStep")


def divergence(g: Graph) -> URIRef:
    return _first(g, "?node a sg:Divergence ; sg:fact ?f ; sg:localizedValue ?v")


# --------------------------------------------------------------- mutations


def _set(g: Graph, node: URIRef, prop: URIRef, *values: object) -> None:
    g.remove((node, prop, None))
    for value in values:
        g.add((node, prop, value if isinstance(value, URIRef | Literal) else Literal(value)))


def _drop(g: Graph, node: URIRef, prop: URIRef) -> None:
    g.remove((node, prop, None))


def _drop_lang(g: Graph, node: URIRef, prop: URIRef, lang: str) -> None:
    for value in list(g.objects(node, prop)):
        if isinstance(value, Literal) and value.language == lang:
            g.remove((node, prop, value))


def _another(g: Graph, node: URIRef, prop: URIRef, cls: URIRef) -> URIRef:
    """An instance of ``cls`` that is not yet a value of ``prop`` on ``node``."""
    taken = set(g.objects(node, prop))
    return sorted(set(g.subjects(RDF.type, cls)) - taken)[0]


@dataclass(frozen=True)
class Mutation:
    """One defect in a copy of a real entity, and the shape that must report it."""

    shape: str
    select: Callable[[Graph], URIRef]
    mutate: Callable[[Graph, URIRef], None]
    message: str
    severity: str = "Violation"


MUTATIONS = [
    Mutation("NamedNodeShape", cloud, lambda g, n: None, "never a blank node"),
    Mutation(
        "Cloud-moniker",
        cloud,
        lambda g, n: _set(g, n, SG.moniker, "Office 365 China"),
        "exactly one sg:moniker",
    ),
    Mutation(
        "Cloud-label",
        cloud,
        lambda g, n: _drop_lang(g, n, RDFS.label, "en"),
        "rdfs:label in English",
    ),
    Mutation(
        "Cloud-provider",
        cloud,
        lambda g, n: g.add(
            (n, SCHEMA.provider, _another(g, n, SCHEMA.provider, SCHEMA.Organization))
        ),
        "schema:provider",
    ),
    Mutation("ContactPoint-cloud", phone, lambda g, n: _drop(g, n, SG.cloud), "exactly one cloud"),
    Mutation(
        "ContactPoint-channelType",
        phone,
        lambda g, n: g.add((n, SG.channelType, SG.OnlineChannel)),
        "exactly one sg:channelType",
    ),
    Mutation(
        "ContactPoint-supportType",
        phone,
        lambda g, n: _set(g, n, SG.supportType, SG.PhoneChannel),
        "sg:SupportTypes",
    ),
    Mutation(
        "ContactPoint-telephone", phone, lambda g, n: _set(g, n, SCHEMA.telephone, "+12"), "E.164"
    ),
    Mutation(
        "ContactPoint-areaServed",
        phone,
        lambda g, n: _set(g, n, SCHEMA.areaServed, cloud(g)),
        "schema:Country or a region",
    ),
    Mutation(
        "ContactPoint-availableLanguage",
        phone,
        lambda g, n: _set(g, n, SCHEMA.availableLanguage, "English"),
        "BCP 47",
    ),
    Mutation(
        "ContactPoint-hoursAvailable",
        phone,
        lambda g, n: _set(g, n, SCHEMA.hoursAvailable, country(g)),
        "schema:OpeningHoursSpecification",
    ),
    Mutation(
        "ContactPoint-conditionalHours",
        phone,
        lambda g, n: g.add((n, SG.conditionalHours, country(g))),
        "sg:conditionalHours",
    ),
    Mutation(
        "ContactPoint-mergedFrom",
        phone,
        lambda g, n: g.add((n, SG.mergedFrom, country(g))),
        "sg:mergedFrom",
    ),
    Mutation(
        "ContactPoint-audience", phone, lambda g, n: _set(g, n, SG.audience, cloud(g)), "sg:Role"
    ),
    Mutation(
        "ContactPoint-url",
        online,
        lambda g, n: _set(g, n, SCHEMA.url, Literal("ftp://example.org", datatype=XSD.anyURI)),
        "http(s) URL",
    ),
    Mutation(
        "ContactPoint-label",
        phone,
        lambda g, n: _set(g, n, RDFS.label, "no language tag"),
        "language tag",
    ),
    Mutation(
        "PhoneLineShape",
        phone,
        lambda g, n: _drop(g, n, SCHEMA.telephone),
        "channel type phone has a schema:telephone",
    ),
    Mutation(
        "OpeningHours-dayOfWeek",
        hours,
        lambda g, n: _drop(g, n, SCHEMA.dayOfWeek),
        "schema:dayOfWeek",
    ),
    Mutation(
        "OpeningHours-opens",
        hours,
        lambda g, n: _set(g, n, SCHEMA.opens, Literal("09:00:00+01:00", datatype=XSD.time)),
        "24-hour clock without offset",
    ),
    Mutation(
        "OpeningHours-closes",
        hours,
        lambda g, n: g.add((n, SCHEMA.closes, Literal("18:00:00", datatype=XSD.time))),
        "schema:closes is one xsd:time",
    ),
    Mutation(
        "OpeningHours-timeZone",
        hours,
        lambda g, n: _set(g, n, SG.timeZone, "CET+1"),
        "IANA time zone",
    ),
    Mutation(
        "OpeningHours-timeZoneInferred",
        hours,
        lambda g, n: _set(g, n, SG.timeZoneInferred, "yes"),
        "xsd:boolean",
    ),
    Mutation(
        "OpeningHours-closedOnPublicHolidays",
        hours,
        lambda g, n: _set(g, n, SG.closedOnPublicHolidays, "yes"),
        "xsd:boolean",
    ),
    Mutation(
        "OpeningHoursSpanShape",
        hours,
        lambda g, n: _drop(g, n, SCHEMA.closes),
        "both schema:opens and schema:closes",
    ),
    Mutation(
        "OpensBeforeClosesShape",
        hours,
        lambda g, n: _set(g, n, SCHEMA.closes, Literal("08:00:00", datatype=XSD.time)),
        "schema:opens 09:00:00 is not before schema:closes 08:00:00",
    ),
    Mutation(
        "SeverityLevel-notation",
        severity,
        lambda g, n: _set(g, n, SKOS.notation, "D"),
        '"A", "B" or "C"',
    ),
    Mutation(
        "SeverityLevel-cloud", severity, lambda g, n: _drop(g, n, SG.cloud), "exactly one cloud"
    ),
    Mutation(
        "SeverityLevel-prefLabel",
        severity,
        lambda g, n: _drop(g, n, SKOS.prefLabel),
        "skos:prefLabel",
    ),
    Mutation(
        "SeverityLevel-initialResponse",
        severity,
        lambda g, n: _set(g, n, SG.initialResponse, "1 hour"),
        "xsd:duration",
    ),
    Mutation(
        "SeverityLevel-initialResponseBusinessDays",
        severity_days,
        lambda g, n: _set(g, n, SG.initialResponseBusinessDays, 0),
        "positive xsd:integer",
    ),
    Mutation(
        "SeverityLevel-supportType",
        severity,
        lambda g, n: g.add((n, SG.supportType, SG.PhoneChannel)),
        "sg:SupportTypes",
    ),
    Mutation(
        "SeverityLevel-hoursAvailable",
        severity,
        lambda g, n: _set(g, n, SCHEMA.hoursAvailable, country(g)),
        "schema:OpeningHoursSpecification",
    ),
    Mutation(
        "SeverityLevel-inScheme", severity, lambda g, n: _drop(g, n, SKOS.inScheme), "skos:inScheme"
    ),
    Mutation(
        "SeverityResponseTargetShape",
        severity_days,
        lambda g, n: _drop(g, n, SG.initialResponseBusinessDays),
        "response target",
    ),
    Mutation(
        "Concept-prefLabel",
        severity,
        lambda g, n: g.add((n, SKOS.prefLabel, Literal("Allvarlighetsnivå X", lang="sv"))),
        "at most one skos:prefLabel per language",
    ),
    Mutation("Role-cloud", role, lambda g, n: _drop(g, n, SG.cloud), "exactly one cloud"),
    Mutation(
        "Role-roleName",
        role,
        lambda g, n: _set(g, n, SG.roleName, "admin"),
        '"administrator", "customer" or "provider"',
    ),
    Mutation(
        "Role-label", role, lambda g, n: g.add((n, RDFS.label, Literal("Admin"))), "language tags"
    ),
    Mutation("Responsibility-role", duty, lambda g, n: _drop(g, n, SG.role), "exactly one sg:role"),
    Mutation(
        "Responsibility-cloud",
        duty,
        lambda g, n: g.add((n, SG.cloud, _another(g, n, SG.cloud, SG.Cloud))),
        "exactly one cloud",
    ),
    Mutation(
        "Responsibility-kind",
        duty,
        lambda g, n: _set(g, n, SG.kind, "task"),
        '"attribute" or "duty"',
    ),
    Mutation("Responsibility-label", duty, lambda g, n: _drop(g, n, RDFS.label), "rdfs:label"),
    Mutation(
        "Responsibility-position",
        duty,
        lambda g, n: _set(g, n, SCHEMA.position, 0),
        "positive xsd:integer",
    ),
    Mutation(
        "Responsibility-severity",
        duty,
        lambda g, n: g.add((n, SG.severity, role(g))),
        "sg:SeverityLevel",
    ),
    Mutation(
        "SourceDocument-language",
        document,
        lambda g, n: _drop(g, n, DCTERMS.language),
        "dcterms:language",
    ),
    Mutation(
        "SourceDocument-path", document, lambda g, n: _drop(g, n, SG.path), "exactly one sg:path"
    ),
    Mutation(
        "SourceDocument-locale",
        document,
        lambda g, n: g.add((n, SG.locale, Literal("xx"))),
        "at most one sg:locale",
    ),
    Mutation(
        "SourceDocument-translationType",
        document,
        lambda g, n: _set(g, n, SG.translationType, "human"),
        '"HT", "MT" or "source"',
    ),
    Mutation(
        "SourceDocument-family",
        document,
        lambda g, n: _drop(g, n, SG.family),
        "exactly one sg:family",
    ),
    Mutation(
        "SourceDocument-msDate",
        document,
        lambda g, n: _set(g, n, SG.msDate, "July 2020"),
        "sg:msDate is one xsd:date",
        "Warning",
    ),
    Mutation(
        "SourceDocument-lastHandoff",
        document,
        lambda g, n: _set(g, n, SG.lastHandoff, "last week"),
        "sg:lastHandoff",
        "Warning",
    ),
    Mutation(
        "Country-countryCode",
        country,
        lambda g, n: _set(g, n, SG.countryCode, "SWE"),
        "ISO 3166-1 alpha-2",
    ),
    Mutation(
        "CountryCodeShape",
        country,
        lambda g, n: _drop(g, n, SG.countryCode),
        "no sg:countryCode",
        "Warning",
    ),
    Mutation("Area-label", country, lambda g, n: _set(g, n, RDFS.label, "Sverige"), "language tag"),
    Mutation(
        "Organization-name", organization, lambda g, n: _drop(g, n, SCHEMA.name), "schema:name"
    ),
    Mutation(
        "SupportOffering-cloud", offering, lambda g, n: _drop(g, n, SG.cloud), "exactly one cloud"
    ),
    Mutation(
        "SupportOffering-supportType",
        offering,
        lambda g, n: _drop(g, n, SG.supportType),
        "exactly one sg:supportType",
    ),
    Mutation(
        "SupportCategory-cloud", category, lambda g, n: _drop(g, n, SG.cloud), "exactly one cloud"
    ),
    Mutation(
        "HowToStep-position",
        step,
        lambda g, n: _set(g, n, SCHEMA.position, "first"),
        "schema:position",
    ),
    Mutation(
        "HowToStep-text",
        step,
        lambda g, n: _set(g, n, SCHEMA.text, "Go to the store"),
        "language tag",
    ),
    Mutation(
        "Divergence-document",
        divergence,
        lambda g, n: _set(g, n, SG.document, country(g)),
        "sg:document",
    ),
    Mutation("Divergence-fact", divergence, lambda g, n: _drop(g, n, SG.fact), "sg:fact"),
    Mutation(
        "Divergence-values",
        divergence,
        lambda g, n: _drop(g, n, SG.localizedValue),
        "sg:localizedValue",
    ),
    Mutation(
        "Provenance-wasDerivedFrom",
        phone,
        lambda g, n: _drop(g, n, PROV.wasDerivedFrom),
        "prov:wasDerivedFrom",
    ),
    Mutation(
        "LanguageTagShape",
        phone,
        lambda g, n: g.add((n, RDFS.label, Literal("Ring", lang="e"))),
        'The language tag "e"',
    ),
    Mutation(
        "Label-uniqueLang",
        country,
        lambda g, n: g.add((n, RDFS.label, Literal("Svezia (Regno di)", lang="it"))),
        "More than one rdfs:label in one language",
        "Warning",
    ),
    Mutation(
        "CorpusLanguages-label-it",
        country,
        lambda g, n: _drop_lang(g, n, RDFS.label, "it"),
        'No rdfs:label in "it"',
        "Warning",
    ),
    Mutation(
        "CorpusLanguages-prefLabel-sv",
        severity,
        lambda g, n: _drop_lang(g, n, SKOS.prefLabel, "sv"),
        'No skos:prefLabel in "sv"',
        "Warning",
    ),
]


def _mutant(graph: Graph, mutation: Mutation) -> URIRef | BNode:
    """Copy the selected real entity under a new name, then give the copy its defect."""
    original = mutation.select(graph)
    copy: URIRef | BNode = URIRef(f"{original}/mutant/{mutation.shape}")
    if mutation.shape == "NamedNodeShape":
        copy = BNode()
    for p, o in list(graph.predicate_objects(original)):
        graph.add((copy, p, o))
    mutation.mutate(graph, copy)
    return copy


@pytest.fixture(scope="module")
def mutated(merged: Graph) -> tuple[dict[str, URIRef | BNode], ValidationReport]:
    graph = Graph()
    for triple in merged:
        graph.add(triple)
    mutants = {m.shape: _mutant(graph, m) for m in MUTATIONS}
    return mutants, validate(graph)


def _shapes_at(report: ValidationReport, focus: object, severity: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for result in report.results:
        if result.focus == focus and result.severity == severity:
            found.setdefault(str(result.shape).removeprefix(SGSH), []).append(result.message)
    return found


def test_the_bundled_corpus_has_no_violations(baseline: ValidationReport, merged: Graph) -> None:
    assert baseline.conforms, summary(baseline)
    assert baseline.violations == ()
    assert len(merged) == len(union_graph(build_dataset_from([CORPUS])[0]))  # left as it was


def test_the_corpus_languages_come_from_the_source_documents(merged: Graph) -> None:
    assert corpus_languages(merged) == ["en", "it", "sv"]


def test_every_shape_has_a_message_and_a_mutation_test() -> None:
    shapes = load_shapes()
    named = {
        str(s).removeprefix(SGSH)
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
    }
    assert all(shapes.value(URIRef(SGSH + name), SH.message) for name in named)
    with_constraints = {
        name
        for name in named
        if set(shapes.predicates(URIRef(SGSH + name)))
        - {RDF.type, SH.message, SH.targetClass, SH.property, SH.severity, SH.target}
    }
    covered = {m.shape for m in MUTATIONS}
    assert with_constraints - covered == set()


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.shape for m in MUTATIONS])
def test_a_defect_fails_exactly_its_shape(
    mutation: Mutation,
    mutated: tuple[dict[str, URIRef | BNode], ValidationReport],
    merged: Graph,
    baseline: ValidationReport,
) -> None:
    mutants, report = mutated
    found = _shapes_at(report, mutants[mutation.shape], mutation.severity)
    if mutation.severity == "Warning":  # the copy keeps the original's warnings
        for shape in _shapes_at(baseline, mutation.select(merged), "Warning"):
            found.pop(shape, None)
    assert set(found) == {mutation.shape}, found
    assert any(mutation.message in message for message in found[mutation.shape]), found


def test_a_real_contact_point_with_a_bad_number_fails_only_that_shape(merged: Graph) -> None:
    graph = Graph()
    for triple in merged:
        graph.add(triple)
    line = phone(graph)
    _set(graph, line, SCHEMA.telephone, "+12")
    report = validate(graph)
    assert [(r.focus, r.shape, r.path, r.value) for r in report.violations] == [
        (line, URIRef(SGSH + "ContactPoint-telephone"), SCHEMA.telephone, Literal("+12"))
    ]
    assert "E.164" in report.violations[0].message
    text = summary(report)
    assert f"Violation: <{line}>" in text
    assert "path:    schema:telephone" in text
    assert 'value:   "+12"' in text


def test_the_report_names_every_result_by_iri(baseline: ValidationReport) -> None:
    graph = Graph().parse(data=baseline.turtle(), format="turtle")
    assert not any(isinstance(t, BNode) for triple in graph for t in triple)
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == Literal(True)
    assert len(set(graph.objects(report, SH.result))) == len(baseline.results)


def test_validate_command_exit_status(tmp_path: Path, merged: Graph, capsys) -> None:
    ontology = Path(__file__).parents[1] / "ontology" / "supportgraph.ttl"
    report = tmp_path / "report.ttl"
    assert main(["validate", str(ontology), "--report", str(report)]) == 0
    assert "0 violations" in capsys.readouterr().out
    assert list(Graph().parse(report).objects(None, SH.conforms)) == [Literal(True)]

    # One opening-hours node of the real graph, its source document, and a defect.
    node = hours(merged)
    bad = Graph()
    for triple in merged.triples((node, None, None)):
        bad.add(triple)
    for doc in merged.objects(node, PROV.wasDerivedFrom):
        for triple in merged.triples((doc, None, None)):
            bad.add(triple)
    _set(bad, node, SCHEMA.closes, Literal("08:00:00", datatype=XSD.time))
    bad.serialize(tmp_path / "bad.nt", format="nt", encoding="utf-8")
    assert main(["validate", str(tmp_path / "bad.nt"), "--shapes", str(SHAPES_FILE)]) == 1
    printed = capsys.readouterr()
    assert "1 violations" in printed.out and "sgsh:OpensBeforeClosesShape" in printed.out
    assert f"Violation: <{node}>" in printed.out
    assert "Traceback" not in printed.err

    assert main(["validate", str(tmp_path / "missing.ttl")]) == 2
    assert "no such file" in capsys.readouterr().err
