"""The shapes a validation runs: the bundled shapes, plus what this graph's data makes.

:func:`language_shapes` adds, per language of the corpus, the warning that
an entity has no label in it; :func:`focused_shapes` then narrows targets
whose outcome is known beforehand, so pyshacl does less with the same
results; :func:`explicit_focus` lists a shape's focus nodes where they
can be known without pyshacl (used to share the work among workers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import BNode, Node

from supportgraph.validate_parallel import TARGET_PREDICATES

__all__ = [
    "LANGUAGE_NODE_SHAPES",
    "SGSH",
    "explicit_focus",
    "focused_shapes",
    "language_shapes",
]

SGSH = "https://w3id.org/supportgraph/shapes#"
# The node shapes whose property shapes language_shapes makes, and their path.
LANGUAGE_NODE_SHAPES = (
    (URIRef(SGSH + "CorpusLanguagesShape"), RDFS.label),
    (URIRef(SGSH + "CorpusConceptLanguagesShape"), SKOS.prefLabel),
)


def language_shapes(shapes: Graph, languages: Iterable[str]) -> Graph:
    """Add, per corpus language, the warning that an entity has no label in it.

    The node shapes ``sgsh:CorpusLanguagesShape`` (``rdfs:label``) and
    ``sgsh:CorpusConceptLanguagesShape`` (``skos:prefLabel``) are in the shapes
    file; their property shapes are made here, one per language of *this*
    graph (``sgsh:CorpusLanguages-label-it`` ...): SHACL Core, no per-node query.
    """
    result = Graph()
    for triple in shapes:
        result.add(triple)
    for prefix, namespace in shapes.namespaces():
        result.bind(prefix, namespace)
    for node_shape, path in LANGUAGE_NODE_SHAPES:
        if (node_shape, RDF.type, SH.NodeShape) not in shapes:
            continue
        name = "prefLabel" if path == SKOS.prefLabel else "label"
        for lang in languages:
            shape = URIRef(f"{SGSH}CorpusLanguages-{name}-{lang}")
            # Named and with a message, though pyshacl drops its results (most
            # labels fail it): a blank node and a made-up message cost more to write.
            qualified = URIRef(f"{shape}-value")
            tags = BNode()
            Collection(result, tags, [Literal(lang)])
            result.add((node_shape, SH.property, shape))
            result.add((shape, RDF.type, SH.PropertyShape))
            result.add((shape, SH.path, path))
            result.add((shape, SH.qualifiedValueShape, qualified))
            result.add((qualified, SH.languageIn, tags))
            result.add((qualified, SH.message, Literal(f'A value in "{lang}".', lang="en")))
            result.add((shape, SH.qualifiedMinCount, Literal(1)))
            result.add((shape, SH.severity, SH.Warning))
            message = (
                f'No {"skos:prefLabel" if name == "prefLabel" else "rdfs:label"} in "{lang}", '
                "a language of the corpus: readers in that language see another language's label."
            )
            result.add((shape, SH.message, Literal(message, lang="en")))
    return result


def focused_shapes(shapes: Graph, graph: Graph, languages: Iterable[str] = ()) -> Graph:
    """``shapes`` (changed in place) with targets that give pyshacl less to do, same results.

    * The SPARQL target of ``sgsh:LanguageTagShape`` becomes the ``sh:targetNode``
      list it selects, found in one pass over the triples: rdflib's SPARQL
      engine evaluates its FILTER triple by triple, seconds for a big graph.
    * The per-language label warnings of :func:`language_shapes` are targeted
      (``sh:targetNode``) at the focus nodes of their node shape that have no
      label in exactly that language: a node with one conforms, so pyshacl need
      not check each of its labels against each language. The node shape no
      longer lists them as ``sh:property``; a property shape reports the same
      results either way (its focus node, its path, itself as source shape).
    """
    for shape in list(shapes.subjects(SH.target, None)):
        _resolve_language_tag_target(shapes, shape, graph)
    for node_shape, path in LANGUAGE_NODE_SHAPES:
        focus = explicit_focus(shapes, node_shape, graph)
        if focus is None:
            continue
        name = "prefLabel" if path == SKOS.prefLabel else "label"
        generated: dict[str, URIRef] = {}
        for lang in languages:
            shape = URIRef(f"{SGSH}CorpusLanguages-{name}-{lang}")
            if (node_shape, SH.property, shape) in shapes:
                shapes.remove((node_shape, SH.property, shape))
                generated[lang] = shape
        for node in focus:
            # sh:languageIn ( lang ) holds for a literal tagged exactly lang (any case).
            tags = {
                value.language.lower()
                for value in graph.objects(node, path)
                if isinstance(value, Literal) and value.language
            }
            for lang, shape in generated.items():
                if lang.lower() not in tags:
                    shapes.add((shape, SH.targetNode, node))
    return shapes


# The SPARQL target of sgsh:LanguageTagShape, comment lines dropped and white
# space collapsed, with its pattern as the group: only a query of exactly this
# form is evaluated in Python (any other one is left to pyshacl).
_LANGUAGE_TAG_TARGET = re.compile(
    r"SELECT DISTINCT \?this WHERE \{ \?this \?path \?value \. "
    r'FILTER \(!REGEX\(LANG\(\?value\), "([^"\\]*)"\)\) \}'
)


def _resolve_language_tag_target(shapes: Graph, shape: Node, graph: Graph) -> None:
    for target in list(shapes.objects(shape, SH.target)):
        select = shapes.value(target, SH.select)
        if select is None or set(shapes.objects(target, RDF.type)) != {SH.SPARQLTarget}:
            continue
        lines = (line for line in str(select).splitlines() if not line.strip().startswith("#"))
        match = _LANGUAGE_TAG_TARGET.fullmatch(" ".join(" ".join(lines).split()))
        if match is None:
            continue
        # As rdflib evaluates it: LANG of a non-literal is an error (no row),
        # LANG of a plain literal is "", REGEX is re.search.
        pattern = re.compile(match.group(1))
        selected = {
            s
            for s, _, o in graph
            if isinstance(o, Literal) and not pattern.search(o.language or "")
        }
        shapes.remove((shape, SH.target, target))
        for node in selected:
            shapes.add((shape, SH.targetNode, node))


def explicit_focus(shapes: Graph, shape: Node, graph: Graph) -> set[Node] | None:
    """The focus nodes of a shape targeted only by ``sh:targetClass`` and ``sh:targetNode``.

    None for a shape with other targets (or typed other than a node or
    property shape, e.g. an rdfs:Class: an implicit class target). The
    instances of a class are its SHACL instances, ``rdf:type/rdfs:subClassOf*``
    in the data graph, as pyshacl finds them.
    """
    if not set(shapes.objects(shape, RDF.type)) <= {SH.NodeShape, SH.PropertyShape}:
        return None
    if any((shape, p, None) in shapes for p in TARGET_PREDICATES[2:]):
        return None
    nodes: set[Node] = set(shapes.objects(shape, SH.targetNode))
    for target_class in shapes.objects(shape, SH.targetClass):
        for cls in graph.transitive_subjects(RDFS.subClassOf, target_class):
            nodes.update(graph.subjects(RDF.type, cls))
    return nodes
