"""``query()``: run a competency query, bound to typed parameters, on the dataset or an endpoint.

Queries live in ``queries/*.rq``. Their header declares their parameters::

    # param country: string  ISO 3166-1 alpha-2 code, e.g. "SE"
    # param at: dateTime     an instant, e.g. 2026-11-21T03:00:00Z

A parameter value becomes an RDF term of its declared type and is *bound*
to the query variable of the same name by a ``VALUES`` block of that term,
written by :mod:`supportgraph.sparql`'s escaping, the same locally and on a
remote endpoint (pyoxigraph's substitutions would not reach the FILTERs) —
the value's text is never pasted into the query. A parameter that is not
given leaves its variable free.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from supportgraph.errors import QueryError
from supportgraph.graph.vocabulary import PROJECT_ROOT
from supportgraph.sparql import bind_query, matched_predicates, uses_named_graphs
from supportgraph.store import QueryResult, query_endpoint

__all__ = ["NamedQuery", "Parameter", "bind", "load_query", "query", "query_names"]

QUERY_DIR = PROJECT_ROOT / "queries"
PARAM = re.compile(r"^#\s*param\s+(?P<name>\w+)\s*:\s*(?P<type>\w+)\s*(?P<help>.*)$")
TYPES = ("string", "iri", "dateTime", "integer", "date", "lang")


@dataclass(frozen=True)
class Parameter:
    """A declared query parameter."""

    name: str
    type: str
    help: str


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its declared parameters."""

    name: str
    path: Path
    text: str
    parameters: dict[str, Parameter]
    description: str


def query_names() -> list[str]:
    """The bundled competency queries, by name."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


def load_query(name_or_path: str | Path) -> NamedQuery:
    """A bundled query by name (``phones``) or any ``.rq`` file by path."""
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        path = QUERY_DIR / f"{name_or_path}.rq"
    try:
        status = path.stat()
    except OSError:
        status = None
    if status is None or not S_ISREG(status.st_mode):
        raise QueryError(
            f"no query {str(name_or_path)!r}; expected a .rq file or one of: "
            + ", ".join(query_names())
        )
    return _parse_query(path, status.st_mtime_ns, status.st_size)


# A query file is read once until it changes (its mtime and size are in the key).
@lru_cache(maxsize=64)
def _parse_query(path: Path, mtime: int, size: int) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"cannot read query: {error}", path=path) from None
    parameters: dict[str, Parameter] = {}
    description: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = PARAM.match(line)
        if match:
            if match["type"] not in TYPES:
                raise QueryError(
                    f"parameter {match['name']} has type {match['type']!r}; expected one of "
                    + ", ".join(TYPES),
                    path=path,
                    line=number,
                )
            parameters[match["name"]] = Parameter(
                match["name"], match["type"], match["help"].strip()
            )
        elif line.startswith("#") and not parameters:
            description.append(line.lstrip("# ").rstrip())
    return NamedQuery(path.stem, path, text, parameters, " ".join(d for d in description if d))


def bind(named: NamedQuery, values: Mapping[str, str]) -> dict[str, Identifier]:
    """Typed RDF terms for raw parameter values; unknown names and bad values are errors."""
    terms: dict[str, Identifier] = {}
    for name, raw in values.items():
        parameter = named.parameters.get(name)
        if parameter is None:
            known = ", ".join(named.parameters) or "none"
            raise QueryError(
                f"query {named.name} has no parameter {name!r}; its parameters: {known}"
            )
        terms[name] = _term(parameter, raw)
    return terms


@lru_cache(maxsize=1024)  # terms are immutable; rdflib's Literal() is slow to make
def _term(parameter: Parameter, raw: str) -> Identifier:
    kind = parameter.type
    try:
        if kind == "iri":
            if not re.fullmatch(r"[a-zA-Z][\w+.-]*:[^\s<>\"{}|\\^`]*", raw):
                raise ValueError("not an absolute IRI")
            return URIRef(raw)
        if kind == "dateTime":
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                raise ValueError("no time zone (add Z or +hh:mm)")
            return Literal(moment.isoformat(), datatype=XSD.dateTime)
        if kind == "date":
            return Literal(datetime.strptime(raw, "%Y-%m-%d").date().isoformat(), datatype=XSD.date)
        if kind == "integer":
            return Literal(int(raw))
    except ValueError as error:
        raise QueryError(
            f"parameter {parameter.name}={raw!r} is not a valid {kind} ({error})"
        ) from None
    return Literal(raw)


def query(
    name_or_path: str | Path,
    params: Mapping[str, str] | None = None,
    *,
    dataset: Path = Path("dist/supportgraph.trig"),
    endpoint: str | None = None,
) -> QueryResult:
    """Run a query with bound parameters on the built dataset or on a SPARQL endpoint."""
    named = load_query(name_or_path)
    raw = dict(params or {})
    bindings = bind(named, raw)
    if endpoint:
        result = query_endpoint(named.text, endpoint, bindings)
    else:
        result = run_embedded(named.text, bindings, dataset)
    post = POSTPROCESSORS.get(named.name)
    return post(result, bindings) if post else result


def run_embedded(text: str, bindings: Mapping[str, Identifier], dataset: Path) -> QueryResult:
    """Run a query on a dataset file with pyoxigraph (its default graph is the merged view).

    Values are bound by a ``VALUES`` block of escaped RDF terms, as on a remote
    endpoint, so both give the same answers.
    """
    # The same VALUES binding as on a remote endpoint, so both give the same answers
    # (pyoxigraph's substitutions only bind projected variables, not FILTERs).
    bound = bind_query(text, bindings)
    store = _query_store(text, _identity(dataset))
    try:
        result = store.query(bound)
    except SyntaxError as error:
        raise QueryError(f"invalid SPARQL: {error}") from None
    if isinstance(result, bool):
        return QueryResult(ask=result)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        # A solution iterates over its values in the order of ``variables``: zip
        # them rather than look each variable up by name (twice).
        rows = [
            {
                name: _from_ox(term)
                for name, term in zip(variables, solution, strict=True)
                if term is not None
            }
            for solution in result
        ]
        return QueryResult(variables=variables, rows=rows)
    raise QueryError("only SELECT and ASK queries can be run here")


def _identity(dataset: Path) -> tuple[str, int, int, int, int]:
    """The dataset file's absolute path, inode and mtime and size: a changed file is reloaded."""
    path = os.path.abspath(dataset)
    try:
        status = os.stat(path)
    except OSError:
        return path, 0, 0, 0, 0
    return path, status.st_dev, status.st_ino, status.st_mtime_ns, status.st_size


def _query_store(text: str, identity: tuple[str, int, int, int, int]) -> ox.Store:
    """The store to run ``text`` on: the smallest of those that give its full answer.

    A query naming a graph gets every graph, any other the default graph alone; one
    whose patterns match only some predicates gets only the statements with those
    predicates (:func:`_predicate_store`).
    """
    named_graphs = uses_named_graphs(text)
    predicates = matched_predicates(text)
    if predicates is None:
        return _store(*identity, named_graphs)
    return _predicate_store(identity, named_graphs, predicates)


@lru_cache(maxsize=4)
def _store(
    path: str, device: int, inode: int, mtime: int, size: int, named_graphs: bool
) -> ox.Store:
    """The dataset file loaded into an in-memory store; one version per identity.

    Without ``named_graphs`` only the default graph (the merged view) is loaded.
    A query that names no graph (no ``GRAPH``, no ``FROM``) sees nothing else,
    and the store's lookups walk every quad that shares a bound term, in all
    graphs: without the per-document graphs they walk about a third as many.
    Quads keep their order in the file, so answers come in the same order.
    """
    if not os.path.isfile(path):
        raise QueryError(f"no dataset at {path}; run 'supportgraph build' first or pass --dataset")
    suffix = os.path.splitext(path)[1]
    fmt = ox.RdfFormat.TRIG if suffix == ".trig" else ox.RdfFormat.N_QUADS
    if suffix == ".ttl":
        fmt = ox.RdfFormat.TURTLE
    store = ox.Store()
    if named_graphs:
        store.bulk_load(path=path, format=fmt)
    else:
        default = ox.DefaultGraph()
        store.bulk_extend(
            quad for quad in ox.parse(path=path, format=fmt) if quad.graph_name == default
        )
    return store


@lru_cache(maxsize=16)
def _predicate_store(
    identity: tuple[str, int, int, int, int], named_graphs: bool, predicates: frozenset[str]
) -> ox.Store:
    """The statements of :func:`_store` whose predicate is one of ``predicates``.

    A query whose every pattern has one of these predicates gets the same answer here,
    in the same order, and faster: a lookup walks every statement sharing its bound
    subject, predicate or object (the fewest of them), and a contact point's labels,
    notes and provenance in 41 languages are most of its statements. The statements
    kept are inserted in the order they were loaded (a lookup lists its matches newest
    first: the same matches in the same order). Every named graph is kept, even one
    left empty: ``GRAPH ?g {}`` lists them all (in no set order, in any store).
    """
    whole = _store(*identity, named_graphs)
    store = ox.Store()
    for name in whole.named_graphs():
        store.add_graph(name)
    # Listed newest first; inserted in the file's order, a subject's statements,
    # written together, also stay together in memory (by predicate, they would not).
    graph = None if named_graphs else ox.DefaultGraph()
    kept = [
        quad
        for quad in whole.quads_for_pattern(None, None, None, graph)
        if quad.predicate.value in predicates
    ]
    kept.reverse()
    store.bulk_extend(kept)
    return store


@lru_cache(maxsize=1 << 16)  # rdflib's Literal() parses its value: a result's terms repeat
def _from_ox(term: object) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise QueryError(f"unexpected result term {term!r}")


def _open_now(result: QueryResult, bindings: Mapping[str, Identifier]) -> QueryResult:
    from supportgraph.opening import open_lines

    return open_lines(result, bindings)


# Queries whose answer needs more than SPARQL 1.1 can compute (time zones, holidays).
POSTPROCESSORS: dict[str, Callable[[QueryResult, Mapping[str, Identifier]], QueryResult]] = {
    "open-now": _open_now,
}
