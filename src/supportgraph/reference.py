"""``ontology/REFERENCE.md``: a reference of the vocabulary, generated from the ontology file.

Run ``python -m supportgraph.reference`` to regenerate it after editing
``ontology/supportgraph.ttl``; a test fails while the two disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, NamespaceManager

from supportgraph.graph.vocabulary import ONTOLOGY_FILE, PREFIXES, PROJECT_ROOT, SG
from supportgraph.jsonld import context

__all__ = ["REFERENCE_FILE", "reference_markdown"]

REFERENCE_FILE = PROJECT_ROOT / "ontology" / "REFERENCE.md"


def reference_markdown(ontology: Path = ONTOLOGY_FILE) -> str:
    """The Markdown reference: classes, properties and concept schemes, with their JSON-LD keys."""
    graph = Graph().parse(ontology, format="turtle")
    nm = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        nm.bind(prefix, namespace)
    nm.bind("owl", OWL)
    keys = {_expand(value, nm): key for key, value in context(ontology).items()}
    ontology_iri = next(graph.subjects(RDF.type, OWL.Ontology))
    lines = [
        f"# {graph.value(ontology_iri, RDFS.label)} — reference",
        "",
        "<!-- Generated from ontology/supportgraph.ttl by `python -m supportgraph.reference`;"
        " do not edit. -->",
        "",
        str(graph.value(ontology_iri, RDFS.comment) or ""),
        "",
        f"Namespace `sg:` = `{SG}` · version {graph.value(ontology_iri, OWL.versionInfo)} · "
        f"licence <{graph.value(ontology_iri, URIRef('http://purl.org/dc/terms/license'))}>. "
        "The JSON-LD key is the term's short name in `context.jsonld`.",
        "",
    ]
    sections = (
        ("Classes", OWL.Class, ("subclass of", RDFS.subClassOf)),
        ("Object properties", OWL.ObjectProperty, ("domain", RDFS.domain)),
        ("Datatype properties", OWL.DatatypeProperty, ("domain", RDFS.domain)),
    )
    for title, kind, (column, prop) in sections:
        lines += [f"## {title}", ""]
        extra = " range |" if kind != OWL.Class else ""
        lines.append(f"| term | JSON-LD key | label | {column} |{extra} description |")
        lines.append("|---|---|---|---|" + ("---|" if extra else "") + "---|")
        for term in sorted(graph.subjects(RDF.type, kind), key=str):
            cells = [
                f"`{nm.normalizeUri(term)}`",
                f"`{keys.get(str(term), '')}`" if keys.get(str(term)) else "",
                _text(graph.value(term, RDFS.label)),
                _terms(graph, term, prop, nm),
            ]
            if extra:
                cells.append(_terms(graph, term, RDFS.range, nm))
            cells.append(_text(graph.value(term, RDFS.comment)))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["## Concept schemes", ""]
    for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        lines += [f"### `{nm.normalizeUri(scheme)}` — {graph.value(scheme, RDFS.label)}", ""]
        lines += ["| concept | JSON-LD key | skos:notation | label |", "|---|---|---|---|"]
        for concept in sorted(graph.subjects(SKOS.inScheme, scheme), key=str):
            lines.append(
                f"| `{nm.normalizeUri(concept)}` | `{keys.get(str(concept), '')}` | "
                f"`{graph.value(concept, SKOS.notation)}` | "
                f"{_text(graph.value(concept, RDFS.label))} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _expand(value: object, nm: NamespaceManager) -> str:
    iri = value.get("@id", "") if isinstance(value, dict) else str(value)
    prefix, _, name = str(iri).partition(":")
    namespace = dict(nm.namespaces()).get(prefix)
    return f"{namespace}{name}" if namespace is not None and not name.startswith("//") else iri


def _terms(graph: Graph, subject: URIRef, prop: URIRef, nm: NamespaceManager) -> str:
    return ", ".join(f"`{nm.normalizeUri(o)}`" for o in sorted(graph.objects(subject, prop)))


def _text(value: object) -> str:
    return str(value or "").replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE_FILE
    target.write_text(reference_markdown(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
