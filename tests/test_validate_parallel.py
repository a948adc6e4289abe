"""The fast validation gives the results of the plain pyshacl run, whatever ``jobs`` is.

``validate`` narrows targets (:func:`~supportgraph.validate.focused_shapes`)
and can share the shapes and their focus nodes among forked workers
(:mod:`supportgraph.validate_parallel`). The reference here is what
``validate`` did before: one pyshacl run of the shapes and the language
shapes over the whole graph. Compared on the bundled corpus, on the same
graph with one defective copy of an entity per shape (the mutants of
``test_validate``), and on a small graph written out by hand.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS

from supportgraph import validate_parallel
from supportgraph.build import build_dataset_from
from supportgraph.graph.vocabulary import SCHEMA, SG
from supportgraph.publish import union_graph
from supportgraph.validate import (
    SGSH,
    ValidationResult,
    _order,
    _report_graph,
    _results,
    corpus_languages,
    explicit_focus,
    focused_shapes,
    language_shapes,
    load_shapes,
    validate,
)
from supportgraph.validate_parallel import group_shapes, share, targeted, units
from supportgraph.workers import default_jobs
from test_validate import MUTATIONS, _mutant

# rdflib's XSD namespace object warns when pytest inspects the module's names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
CORPUS = Path(__file__).parents[1] / "corpus"
EX = "https://example.org/id/"


def plain_language_shapes(shapes: Graph, languages: list[str]) -> Graph:
    """The language shapes as ``language_shapes`` first made them (blank qualified shapes)."""
    result = Graph()
    for triple in shapes:
        result.add(triple)
    for node_shape, path, name, term in (
        ("CorpusLanguagesShape", RDFS.label, "label", "rdfs:label"),
        ("CorpusConceptLanguagesShape", SKOS.prefLabel, "prefLabel", "skos:prefLabel"),
    ):
        for lang in languages:
            shape, qualified, tags = (
                URIRef(f"{SGSH}CorpusLanguages-{name}-{lang}"),
                BNode(),
                BNode(),
            )
            Collection(result, tags, [Literal(lang)])
            result.add((URIRef(SGSH + node_shape), SH.property, shape))
            result.add((shape, RDF.type, SH.PropertyShape))
            result.add((shape, SH.path, path))
            result.add((shape, SH.qualifiedValueShape, qualified))
            result.add((qualified, SH.languageIn, tags))
            result.add((shape, SH.qualifiedMinCount, Literal(1)))
            result.add((shape, SH.severity, SH.Warning))
            message = (
                f'No {term} in "{lang}", a language of the corpus: '
                "readers in that language see another language's label."
            )
            result.add((shape, SH.message, Literal(message, lang="en")))
    return result


def reference(graph: Graph) -> tuple[ValidationResult, ...]:
    """The results of the plain single-process pyshacl run (``validate`` before it was sped up)."""
    shapes = plain_language_shapes(load_shapes(), corpus_languages(graph))
    _, report, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
    )
    return tuple(sorted(set(_results(report)), key=_order))


@pytest.fixture(scope="module")
def merged() -> Graph:
    dataset, _ = build_dataset_from([CORPUS])
    return union_graph(dataset)


@pytest.fixture(scope="module")
def mutated(merged: Graph) -> Graph:
    graph = Graph()
    for triple in merged:
        graph.add(triple)
    for mutation in MUTATIONS:
        _mutant(graph, mutation)
    return graph


def small() -> Graph:
    """Two source documents (en, sv), and entities with one defect each, by hand."""
    g = Graph()
    doc_en, doc_sv = URIRef(EX + "doc/en"), URIRef(EX + "doc/sv")
    for doc, lang in ((doc_en, "en"), (doc_sv, "sv")):
        g.add((doc, RDF.type, SG.SourceDocument))
        g.add((doc, DCTERMS.language, Literal(lang)))
        g.add((doc, SG.path, Literal(f"{lang}/page.md")))
        g.add((doc, SG.translationType, Literal("source")))
        g.add((doc, SG.family, Literal("phone")))
    cloud = URIRef(EX + "cloud/o365")
    g.add((cloud, RDF.type, SG.Cloud))
    g.add((cloud, SG.moniker, Literal("o365")))
    g.add((cloud, RDFS.label, Literal("Microsoft 365", lang="en")))  # no label in sv: warning
    g.add((cloud, PROV.wasDerivedFrom, doc_en))
    hours = URIRef(EX + "hours/late")
    g.add((hours, RDF.type, SCHEMA.OpeningHoursSpecification))
    g.add((hours, SCHEMA.dayOfWeek, SCHEMA.Monday))
    g.add((hours, SCHEMA.opens, Literal("18:00:00", datatype=XSD.time)))
    g.add((hours, SCHEMA.closes, Literal("09:00:00", datatype=XSD.time)))  # opens ≥ closes
    g.add((hours, PROV.wasDerivedFrom, doc_en))
    for name, telephone, label in (
        ("good", "+18008659408", Literal("Phone", lang="en")),
        ("short", "+12", Literal("Telefon", lang="sv")),  # not E.164; no label in en
        ("tagged", "+46850000000", Literal("Ring", lang="e")),  # malformed language tag
    ):
        line = URIRef(EX + f"contact/{name}")
        g.add((line, RDF.type, SCHEMA.ContactPoint))
        g.add((line, SG.cloud, cloud))
        g.add((line, SG.channelType, SG.PhoneChannel))
        g.add((line, SCHEMA.telephone, Literal(telephone)))
        g.add((line, SCHEMA.hoursAvailable, hours))
        g.add((line, RDFS.label, label))
        g.add((line, PROV.wasDerivedFrom, doc_sv))
    blank = BNode()  # an entity without an IRI
    g.add((blank, RDF.type, SCHEMA.Organization))
    g.add((blank, SCHEMA.name, Literal("Contoso")))
    return g


def test_the_plain_language_shapes_are_those_of_language_shapes_less_names() -> None:
    """The reference's language shapes differ only in the named, messaged qualified shapes."""
    languages = ["en", "sv"]
    plain = plain_language_shapes(load_shapes(), languages)
    made = language_shapes(load_shapes(), languages)
    named = {q for q in made.objects(None, SH.qualifiedValueShape) if isinstance(q, URIRef)}
    assert len(named) == 4
    for q in named:  # back to a blank node without a message
        made.remove((q, SH.message, None))
        blank = BNode()
        for s, p in list(made.subject_predicates(q)):
            made.add((s, p, blank))
        for p, o in list(made.predicate_objects(q)):
            made.add((blank, p, o))
        made.remove((q, None, None))
        made.remove((None, None, q))
    assert isomorphic(plain, made)


def test_small_graph_has_the_defects_it_was_written_with() -> None:
    found = {(str(r.shape).removeprefix(SGSH), r.severity) for r in reference(small())}
    assert {
        ("ContactPoint-telephone", "Violation"),
        ("OpensBeforeClosesShape", "Violation"),
        ("LanguageTagShape", "Violation"),
        ("NamedNodeShape", "Violation"),
        ("CorpusLanguages-label-sv", "Warning"),
        ("CorpusLanguages-label-en", "Warning"),
    } <= found


@pytest.mark.parametrize("jobs", [1, 2, 3, None])
def test_small_graph_gives_the_reference_results(
    jobs: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate_parallel, "MIN_GROUP_COST", 1.0)  # share even this little
    shared: list[int] = []
    real_share = validate_parallel.share

    def spy(found, count):  # counts the groups, made in this process before the fork
        groups = real_share(found, count)
        shared.append(len(groups))
        return groups

    monkeypatch.setattr(validate_parallel, "share", spy)
    graph = small()
    expected = reference(graph)
    report = validate(graph, jobs=jobs)
    assert report.results == expected
    workers = default_jobs() if jobs is None else jobs
    assert bool(shared and shared[0] > 1) == (workers > 1)
    assert report.turtle() == _report_graph(expected, report_base(report)).serialize(
        format="turtle", encoding="utf-8"
    )


def report_base(report) -> str:
    """The ``base`` the report was made with (its IRI less ``/validation-report``)."""
    node = next(report.graph.subjects(RDF.type, SH.ValidationReport))
    return str(node).removesuffix("/validation-report")


@pytest.fixture(scope="module")
def merged_reference(merged: Graph) -> tuple[ValidationResult, ...]:
    return reference(merged)


@pytest.mark.parametrize("jobs", [1, 2])
def test_bundled_corpus_gives_the_reference_results(
    merged: Graph, merged_reference: tuple[ValidationResult, ...], jobs: int
) -> None:
    expected = merged_reference
    report = validate(merged, jobs=jobs)
    assert report.conforms and len(report.warnings) > 1000  # the expected warnings
    assert report.results == expected
    assert report.turtle() == _report_graph(expected, report_base(report)).serialize(
        format="turtle", encoding="utf-8"
    )


def test_every_kind_of_defect_gives_the_reference_results(mutated: Graph) -> None:
    expected = reference(mutated)
    assert len({r.shape for r in expected if r.severity == "Violation"}) > 40
    assert validate(mutated, jobs=1).results == expected
    assert validate(mutated, jobs=2).results == expected


def test_the_language_tag_target_is_found_without_sparql() -> None:
    graph = small()
    shapes = focused_shapes(load_shapes(), graph)
    shape = URIRef(SGSH + "LanguageTagShape")
    assert (shape, SH.target, None) not in shapes  # the shapes file's query has the known form
    assert set(shapes.objects(shape, SH.targetNode)) == {URIRef(EX + "contact/tagged")}


def test_another_sparql_target_is_left_to_pyshacl() -> None:
    shapes = load_shapes()
    target = next(shapes.objects(URIRef(SGSH + "LanguageTagShape"), SH.target))
    query = str(shapes.value(target, SH.select)).replace("!REGEX", "REGEX")
    shapes.set((target, SH.select, Literal(query)))
    focused = focused_shapes(shapes, small())
    assert (URIRef(SGSH + "LanguageTagShape"), SH.target, target) in focused


def test_language_warnings_are_targeted_at_the_nodes_without_the_label() -> None:
    graph = small()
    languages = corpus_languages(graph)
    shapes = focused_shapes(language_shapes(load_shapes(), languages), graph, languages)
    node_shape = URIRef(SGSH + "CorpusLanguagesShape")
    assert not set(shapes.objects(node_shape, SH.property))
    sv = set(shapes.objects(URIRef(SGSH + "CorpusLanguages-label-sv"), SH.targetNode))
    en = set(shapes.objects(URIRef(SGSH + "CorpusLanguages-label-en"), SH.targetNode))
    assert URIRef(EX + "cloud/o365") in sv and URIRef(EX + "contact/good") in sv
    assert en == {URIRef(EX + "contact/short"), URIRef(EX + "contact/tagged")}


def test_the_groups_cover_every_focus_node_once(merged: Graph) -> None:
    languages = corpus_languages(merged)
    shapes = focused_shapes(language_shapes(load_shapes(), languages), merged, languages)
    groups = share(units(shapes, merged, 3, explicit_focus), 6)
    assert len(groups) == 6
    for shape in targeted(shapes):
        focus = explicit_focus(shapes, shape, merged)
        mine = [u for group in groups for u in group if u.shape == shape]
        if focus is None or any(u.focus is None for u in mine):
            assert len(mine) == 1
            continue
        sliced = [node for u in mine for node in u.focus or ()]
        assert sorted(sliced) == sorted(focus)  # each focus node in exactly one slice
    # A worker's shapes: its slices as sh:targetNode, no other shape keeps its targets.
    group = groups[0]
    copy = group_shapes(shapes, group)
    keeping = {s for s in targeted(copy)}
    assert keeping == {u.shape for u in group}
