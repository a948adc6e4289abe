"""The framed document of a cloud built in one pass (see :mod:`supportgraph.framing`).

:class:`_Framer` embeds the nodes of the fixed frame itself and asks PyLD's
own compaction functions for every key, ``@id``, ``@type`` and value form,
once per shape of value; :func:`_used_context` trims the context to what a
document uses.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, ClassVar

from pyld import jsonld
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from supportgraph.canonical import sorted_items

__all__ = ["Nodes", "Properties", "_Framer", "_used_context", "node_map"]

# A value in a node map: ("@id", IRI, None) or ("@value", lexical form, shape).
Value = tuple[str, str, Any]
Properties = dict[str, list[Value]]
# Subject IRI → (types, property → values).
Nodes = dict[str, tuple[list[str], Properties]]


# Term definition keys under which a value's compaction would depend on more
# than its shape (scoped contexts, containers...): such a context goes to PyLD.
_UNSUPPORTED_TERM_KEYS = {"@context", "@container", "@reverse", "@nest", "@index", "@direction"}
_MARK = "\x00supportgraph-value\x00"
_RDF_TYPE, _RDF_NIL, _XSD_STRING = RDF.type, RDF.nil, XSD.string


def _literal_shape(literal: Literal) -> tuple[str, str] | bool | None:
    """The form PyLD's ``from_rdf`` then ``expand`` give a literal, but its text.

    ``None`` for a plain string; ``False`` for ``rdf:JSON``, which PyLD reads as JSON.
    """
    if literal.language:
        return ("@language", literal.language.lower())
    if literal.datatype == RDF.JSON:
        return False
    if literal.datatype is None or literal.datatype == _XSD_STRING:
        return None
    return ("@type", str(literal.datatype))


class _Framer:
    """PyLD's frame of an organization with its contact points, in one pass over the triples.

    PyLD's ``frame`` spends seconds per cloud and language: it re-expands its
    input, builds and merges node maps, checks each embedded value against
    the ones before it (quadratic in the ~800 contact points of the
    worldwide cloud) and compacts the result value by value. The frame here
    is fixed, so its result is known: the organization with every property;
    under ``contactPoint`` the nodes typed ``ContactPoint``; under any other
    property every node embedded with all its properties (``@embed:
    @always``), except an ancestor of its parent, which stays a reference
    (PyLD's check for circular embeds). What stays PyLD's is compaction:
    every key, ``@id``, ``@type`` and value is what PyLD's own
    ``_compact_iri``/``_compact_value`` return for it, asked once per shape
    of value (property, datatype, language; property and whether the node's
    IRI is a term) and remembered, since PyLD's answer depends on nothing
    else. ``tests/test_jsonld_speed.py`` checks the result against PyLD's
    ``frame`` on the bundled corpus and on hand-made graphs.
    """

    def __init__(self, ctx: dict[str, Any]) -> None:
        self.supported = all(
            not (isinstance(d, dict) and _UNSUPPORTED_TERM_KEYS & set(d)) for d in ctx.values()
        )
        self.processor = jsonld.JsonLdProcessor()
        self.options: dict[str, Any] = {"base": "", "processingMode": "json-ld-1.1"}
        initial = self.processor._get_initial_context(self.options)
        self.active = self.processor.process_context(initial, ctx, self.options)
        self.organization = self.processor._expand_iri(self.active, "Organization", vocab=True)
        self.contact_point = self.processor._expand_iri(self.active, "ContactPoint", vocab=True)
        self.contact_point_property = self.processor._expand_iri(
            self.active, "contactPoint", vocab=True
        )
        self.id_key = self.processor._compact_iri(self.active, "@id")
        self.type_key = self.processor._compact_iri(self.active, "@type")
        self.graph_key = self.processor._compact_iri(self.active, "@graph")
        self.inverse = self.processor._get_inverse_context(self.active)
        self._ids = self._id_memo(self.active)
        self._vocab: dict[str, str] = {}
        self._is_term: dict[str, bool] = {}
        self._keys: dict[tuple[str, Any, Any], str] = {}
        # (property, shape) → (key, value template, the template's strings)
        self._literal_plans: dict[tuple[str, Any], tuple[str, Any, set[str]]] = {}
        self._references: dict[tuple[str, str], Any] = {}

    # ----------------------------------------------------- the node map

    def frame(self, triples: Iterable[tuple[Node, Node, Node]]) -> dict[str, Any] | None:
        """The framed document without its ``@context``; ``None`` where PyLD must do it."""
        if not self.supported:
            return None
        nodes = node_map(triples)
        if nodes is None:
            return None
        return self.frame_nodes(nodes)

    def frame_nodes(
        self,
        nodes: Nodes,
        extra: dict[str, Properties] | None = None,
        used: set[str] | None = None,
    ) -> dict[str, Any] | None:
        """:meth:`frame` of a :func:`node_map`, with the values of ``extra`` added to its nodes.

        ``extra`` (subject IRI → property → values) holds what differs
        between the languages of a page (the text in one language), so that
        the node map of the rest is made once for all of them. The result is
        in canonical order (sorted keys, arrays as ``sorted_items`` orders
        them), as ``json.loads(canonical_json(...))`` would give it. Every
        key and string of the result is added to ``used`` (see
        :func:`_used_context`), while it is made.
        """
        if not self.supported:
            return None
        extra = extra or {}
        used = set() if used is None else used
        roots = sorted(i for i, (types, _) in nodes.items() if self.organization in types)
        if not roots:
            return None
        framed = []
        for root in roots:
            points = [
                *nodes[root][1].get(self.contact_point_property, ()),
                *extra.get(root, {}).get(self.contact_point_property, ()),
            ]
            if not points or not all(
                kind == "@id" and self.contact_point in nodes[value][0] for kind, value, _ in points
            ):
                return None  # PyLD would drop some or add a default: leave it to PyLD
            framed.append(self._node(nodes, extra, root, [root], used))
        if len(framed) == 1:
            return framed[0]
        used.add(self.graph_key)
        return {self.graph_key: sorted_items(framed)}

    def _node(
        self,
        nodes: Nodes,
        extra: dict[str, Properties],
        iri: str,
        stack: list[str],
        used: set[str],
    ) -> dict[str, Any]:
        """One node, compacted, its node values embedded (``stack``: it and its ancestors).

        Its values are made in canonical order first, so the node is put in
        canonical order here, without a second walk over the document.
        """
        types, properties = nodes[iri]
        identifier = self._id(iri)
        output: dict[str, Any] = {self.id_key: identifier}
        used.add(identifier)
        if types:
            compacted = [self._type(t) for t in types]
            output[self.type_key] = compacted[0] if len(compacted) == 1 else compacted
            used.update(compacted)
        more = extra.get(iri)
        groups = properties.items() if more is None else [*properties.items(), *more.items()]
        literals = self._literal_plans
        for prop, values in groups:
            for kind, value, shape in values:
                if kind == "@value":
                    plan = literals.get((prop, shape))
                    if plan is None:
                        key = self._literal_key(prop, shape)
                        template = self._template(key, shape)
                        strings: set[str] = set()
                        _collect_strings(template, strings)
                        strings.discard(_MARK)
                        plan = literals[(prop, shape)] = (key, template, strings)
                    key, template, strings = plan
                    used.add(value)
                    if template is _MARK:
                        item = value
                    else:
                        item = {k: value if v is _MARK else v for k, v in template.items()}
                        used.update(strings)
                else:
                    key = self._node_key(prop, value)
                    target = nodes[value]
                    # PyLD leaves a node as a reference where embedding it would
                    # repeat an ancestor of its parent (not the parent itself).
                    if not (target[0] or target[1] or value in extra) or value in stack[:-1]:
                        item = self._reference(key, value)
                        _collect_strings(item, used)
                    else:
                        item = self._node(nodes, extra, value, [*stack, value], used)
                present = output.get(key)
                if present is None:
                    output[key] = item
                elif isinstance(present, list):
                    present.append(item)
                else:
                    output[key] = [present, item]
        used.update(output)
        return {
            key: sorted_items(value) if value.__class__ is list else value
            for key, value in sorted(output.items())
        }

    # ------------------------------------------- PyLD's answers, remembered

    # Memos of compacted @ids, by the term definitions and base they depend on.
    _id_memos: ClassVar[list[tuple[dict[str, Any], Any, dict[str, str]]]] = []

    @classmethod
    def _id_memo(cls, active: dict[str, Any]) -> dict[str, str]:
        """The memo of compacted ``@id`` s for an active context, shared with any equal one.

        PyLD compacts an ``@id`` (not as vocabulary) from the term definitions
        and ``@base`` alone: the framers of the page languages, whose
        contexts differ in their default language only, share the answers
        for the cloud's thousands of nodes instead of asking PyLD again.
        """
        for mappings, base, memo in cls._id_memos:
            if mappings == active["mappings"] and base == active.get("@base"):
                return memo
        memo: dict[str, str] = {}
        cls._id_memos.append((copy.deepcopy(active["mappings"]), active.get("@base"), memo))
        return memo

    def _id(self, iri: str) -> str:
        compacted = self._ids.get(iri)
        if compacted is None:
            compacted = self._ids[iri] = self.processor._compact_iri(
                self.active, iri, vocab=False, base=""
            )
        return compacted

    def _type(self, iri: str) -> str:
        compacted = self._vocab.get(iri)
        if compacted is None:
            compacted = self._vocab[iri] = self.processor._compact_iri(self.active, iri, vocab=True)
        return compacted

    def _literal_key(self, prop: str, shape: Any) -> str:
        memo = (prop, "@value", shape)
        key = self._keys.get(memo)
        if key is None:
            key = self._keys[memo] = self.processor._compact_iri(
                self.active, prop, value=self._sample(_MARK, shape), vocab=True
            )
        return key

    def _template(self, key: str, shape: Any) -> Any:
        """PyLD's compacted form of a value of this shape under ``key``: ``_MARK`` for its text."""
        template = self.processor._compact_value(
            self.active, key, self._sample(_MARK, shape), self.options
        )
        if template == _MARK:
            return _MARK
        # In sorted order: the values made from it are then in canonical order.
        return {name: _MARK if part == _MARK else part for name, part in sorted(template.items())}

    @staticmethod
    def _sample(lexical: str, shape: Any) -> dict[str, str]:
        return {"@value": lexical} if shape is None else {"@value": lexical, shape[0]: shape[1]}

    def _node_key(self, prop: str, iri: str) -> str:
        # PyLD's term selection for a node looks at its @id only to ask whether
        # it compacts to a term of the same IRI (then @vocab terms come first).
        is_term = self._is_term.get(iri)
        if is_term is None:
            if iri not in self.inverse:
                # Every IRI a term maps to is in PyLD's inverse context: any
                # other compacts to no term of its own (and asking costs a walk
                # over the context's terms, for each node).
                is_term = self._is_term[iri] = False
            else:
                term = self._type(iri)
                mapping = self.active["mappings"].get(term)
                is_term = self._is_term[iri] = bool(mapping) and mapping["@id"] == iri
        memo = (prop, "@id", is_term)
        key = self._keys.get(memo)
        if key is None:
            key = self._keys[memo] = self.processor._compact_iri(
                self.active, prop, value={"@id": iri}, vocab=True
            )
        return key

    def _reference(self, key: str, iri: str) -> Any:
        memo = (key, iri)
        compacted = self._references.get(memo)
        if compacted is None:
            compacted = self.processor._compact_value(self.active, key, {"@id": iri}, self.options)
            if isinstance(compacted, dict):
                compacted = dict(sorted(compacted.items()))  # canonical order
            self._references[memo] = compacted
        # A copy (the document must not share it), but of a string: most are.
        return compacted if compacted.__class__ is str else copy.copy(compacted)


def node_map(triples: Iterable[tuple[Node, Node, Node]]) -> Nodes | None:
    """Subject IRI → (types, property → values), as PyLD's ``from_rdf`` reads the triples.

    A value is ``("@id", iri, None)`` or ``("@value", lexical form, shape)``,
    the shape ``None`` (a plain string), ``("@language", tag)`` or
    ``("@type", datatype)``. Every IRI object is a node too, as in PyLD's
    node map.
    """
    nodes: dict[str, tuple[list[str], dict[str, list[Any]]]] = {}
    shapes: dict[tuple[Any, Any], Any] = {}
    for s, p, o in triples:
        # Blank nodes (their labels, lists) and rdf:nil (an empty list) are
        # PyLD's business; so is rdf:JSON.
        if s.__class__ is not URIRef and isinstance(s, BNode):
            return None
        subject = str(s)
        entry = nodes.get(subject)
        if entry is None:
            entry = nodes[subject] = ([], {})
        if isinstance(o, Literal):
            key = (o.datatype, o.language)
            shape = shapes.get(key, False)
            if shape is False:
                shape = shapes[key] = _literal_shape(o)
                if shape is False:
                    return None
            entry[1].setdefault(str(p), []).append(("@value", str(o), shape))
        elif isinstance(o, BNode) or o == _RDF_NIL:
            return None
        else:
            target = str(o)
            if target not in nodes:
                nodes[target] = ([], {})
            if p == _RDF_TYPE:
                entry[0].append(target)
            else:
                entry[1].setdefault(str(p), []).append(("@id", target, None))
    return nodes


def _used_context(
    ctx: dict[str, Any], document: Any, used: set[str] | None = None
) -> dict[str, Any]:
    """The context without the terms a compacted document does not use (prefixes stay).

    A term is used where it is a key, or a string value (``"PhoneChannel"``
    under a ``@vocab``-typed key). Unused terms change nothing in the
    document's meaning, and a snippet for a web page stays short. ``used``:
    the document's keys and strings where the caller has them already (it
    is added to).
    """
    if used is None:
        used = set()
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
