"""The merged view: the dataset's default graph, which the queries read.

Every named graph keeps everything its document states. The default graph
holds each statement once however many documents make it, which keeps SPARQL
joins exact on any store, and for the country pages it follows a policy:

* where documents of different versions state one line (cloud, area, support
  type, language, plan; main or alternative number) differently, only the
  statements of the newest document are merged (``ms.date``, else
  ``ms.lasthandoff``; an English source page without ``ms.date`` is the
  current page; see :mod:`supportgraph.extract.versions`). Labels
  (language-tagged texts) of the older documents stay wherever their subject
  is in the merged view, so a line keeps its name in every language;
* every country-page line says which document its merged statement comes from
  (``sg:mergedFrom``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from supportgraph.extract.versions import MergePlan
from supportgraph.graph.sets import add_set
from supportgraph.graph.vocabulary import DEFAULT_BASE, SG, document_iri, mint

__all__ = ["merge_into_default_graph"]

# An opening-hours node's IRI is its line's IRI plus "/hours/..." (graph._Writer.hours).
NODE_OF_LINE = re.compile(r"/(?:conditional-)?hours/")


def merge_into_default_graph(
    dataset: Dataset,
    plan: MergePlan | None = None,
    base: str = DEFAULT_BASE,
    *,
    graphs: Iterable[tuple[Node, Iterable[tuple[Node, Node, Node]]]] | None = None,
) -> Graph:
    """Put the merged view (every named graph's triples once, minus superseded lines) in
    the default graph, and say which document each country-page line is merged from.

    ``graphs``: the named graphs as (name, triples), when the caller has them
    at hand (reading them back from rdflib's store is slow); else the dataset's.
    """
    default = dataset.default_graph
    left_out = {
        document_iri(base, document): {str(mint(base, key)) for key in keys}
        for document, keys in (plan.left_out.items() if plan else ())
    }
    # Collected in a set first: most statements are made by several documents,
    # and adding a triple to rdflib's store costs far more than hashing it.
    merged: set[tuple[Node, Node, Node]] = set()
    labels = []
    if graphs is None:
        graphs = [(g.identifier, g) for g in dataset.graphs() if g.identifier != default.identifier]
    for name, triples in graphs:
        superseded = left_out.get(name)
        if not superseded:
            merged.update(triples)
            continue
        for triple in triples:
            if _line_of(triple[0]) in superseded:
                if isinstance(triple[2], Literal) and triple[2].language:
                    labels.append(triple)
                continue
            merged.add(triple)
    subjects = {s for s, _, _ in merged}
    merged.update(triple for triple in labels if triple[0] in subjects)
    for line, document in plan.merged_from.items() if plan else ():
        merged.add((mint(base, line), SG.mergedFrom, document_iri(base, document)))
    add_set(dataset.store, default, merged)
    return default


def _line_of(subject: object) -> str:
    """The line a subject belongs to: itself, or the line of an opening-hours node."""
    return NODE_OF_LINE.split(str(subject), maxsplit=1)[0] if isinstance(subject, URIRef) else ""
