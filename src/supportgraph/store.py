"""Load the published dataset into a SPARQL 1.1 store, and query a store.

``endpoint`` is always the SPARQL *query* URL; updates go to ``update_endpoint`` when given,
else to ``endpoint`` itself; the Graph Store Protocol URL is used only when given:

* Oxigraph: ``http://h:7878/query``, update ``…/update``, graph store ``…/store``;
* Fuseki: ``http://h:3030/ds/sparql``, update ``…/ds/update``, graph store ``…/ds/data``;
* GraphDB: ``http://h:7200/repositories/R``, update ``…/repositories/R/statements``,
  graph store ``…/repositories/R/rdf-graphs/service``.

Credentials come from the URL's userinfo, else ``SUPPORTGRAPH_ENDPOINT_TOKEN`` (bearer),
else ``SUPPORTGRAPH_ENDPOINT_USER`` / ``SUPPORTGRAPH_ENDPOINT_PASSWORD`` (basic), else
``~/.netrc`` for the endpoint's host; they never appear in a message or a log.

:func:`load` (in :mod:`supportgraph.store_load`) replaces each graph of a file in the store
atomically, with SPARQL 1.1 Update alone; its module docstring says how.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Identifier

from supportgraph.sparql import bind_query, query_form
from supportgraph.store_data import DEFAULT_GRAPH
from supportgraph.store_http import (
    Endpoint,
    parse_answer,
    resolve_endpoint,
    send_query,
    with_retries,
)

# STAGING_BASE stays importable from here, where it used to be defined.
from supportgraph.store_load import STAGING_BASE as STAGING_BASE
from supportgraph.store_load import LoadError, LoadReport, load

__all__ = [
    "DEFAULT_GRAPH",
    "LoadError",
    "LoadReport",
    "QueryResult",
    "bind_query",
    "count_triples_per_graph",
    "load",
    "query_endpoint",
]

_GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query, whoever ran it (a remote endpoint or the embedded store).

    SELECT: ``variables`` and ``rows`` (one dict per solution, variable name → rdflib term,
    unbound variables left out). ASK: ``ask``. CONSTRUCT / DESCRIBE: ``graph``.
    """

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Identifier]] = field(default_factory=list)
    ask: bool | None = None
    graph: Graph | None = None

    def __iter__(self) -> Iterator[dict[str, Identifier]]:
        return iter(self.rows)

    @classmethod
    def from_rdflib(cls, result: Result) -> QueryResult:
        """Convert an rdflib query result (from ``Graph.query`` or ``Result.parse``)."""
        if result.type == "ASK":
            return cls(ask=bool(result.askAnswer))
        if result.type in _GRAPH_FORMS:
            return cls(graph=result.graph)
        rows = [{str(k): v for k, v in row.items() if v is not None} for row in result.bindings]
        return cls(variables=[str(v) for v in result.vars or []], rows=rows)


def _run(ep: Endpoint, query: str, form: str, timeout: float) -> QueryResult:
    answer = parse_answer(ep, form, *send_query(ep, query, form in _GRAPH_FORMS, timeout))
    return (
        QueryResult(graph=answer) if isinstance(answer, Graph) else QueryResult.from_rdflib(answer)
    )


def query_endpoint(
    query: str,
    endpoint: str,
    bindings: Mapping[str, Identifier] | None = None,
    *,
    timeout: float = 60.0,
    retries: int = 2,
    backoff: float = 0.5,
) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query on a remote SPARQL endpoint.

    ``bindings`` (variable name → rdflib IRI or literal) are bound, never spliced: see
    :func:`bind_query`. Raises :class:`~supportgraph.errors.QueryError` for an update, an
    unknown variable or a value that cannot be bound, :class:`StoreError` when the endpoint
    fails (connection errors, timeouts, HTTP 429 and 5xx are retried ``retries`` times).
    """
    text = bind_query(query, bindings)
    form = query_form(text)
    ep = resolve_endpoint(endpoint)
    return with_retries(partial(_run, ep, text, form, timeout), retries=retries, backoff=backoff)


def count_triples_per_graph(
    endpoint: str, *, timeout: float = 60.0, retries: int = 2, backoff: float = 0.5
) -> dict[str, int]:
    """Triples per named graph in the store (graph IRI → count; empty graphs not listed)."""
    result = query_endpoint(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        endpoint,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
    )
    return {str(row["g"]): int(row["n"].toPython()) for row in result.rows}
