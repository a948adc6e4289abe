"""Loading a dataset file into a SPARQL 1.1 store: :func:`load` (re-exported by
:mod:`supportgraph.store`, which says which endpoint URLs to pass).

How it keeps every graph whole with SPARQL 1.1 Update alone (so any store works;
one update *request* is one transaction in Oxigraph, Fuseki and GraphDB):

* graphs of at most ``batch_triples`` triples are packed, several to a request, as
  ``DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { VALUES ?g { <G1> … } GRAPH ?g { ?s ?p ?o } } ;
  INSERT DATA { GRAPH <G1> { … } … }`` (with ``DROP SILENT DEFAULT`` for the default graph).
  Not a DROP per graph: in Oxigraph a thousand DROPs make the inserts of the same
  transaction about twice as slow. The next request is written by a worker thread while
  the store runs the current one, and the packs start small (see :func:`_plan`);
* a larger graph is uploaded in batches into a staging graph
  ``urn:supportgraph:staging:<run>:<n>`` (by ``INSERT DATA``, or by Graph Store Protocol
  ``POST`` when ``graph_store`` is given), and the last batch goes in one request with
  ``MOVE GRAPH <staging> TO <G>``, which replaces ``<G>`` in one step. Before re-sending
  that request after a lost answer, the loader checks that the staging graph still exists,
  so a commit is never applied twice. (Graph Store ``PUT`` is not used: Oxigraph runs it as
  two transactions, clear then load, so a reader could see the graph empty.)

Blank nodes stay blank nodes in graphs sent in one request (labels unique per graph: a
blank node shared by two graphs becomes one per graph). In a graph split into batches they
are skolemized to ``https://w3id.org/supportgraph/.well-known/genid/<hash>-<n>`` (hash of
the graph IRI, n in file order), so the batches agree on them and a retried batch adds
nothing. A file's default-graph triples (all of a Turtle or N-Triples file) replace the
store's default graph, or go to ``graph_prefix + "default"`` when ``graph_prefix`` is given;
a named graph ``G`` goes to ``graph_prefix + percent-encoded G`` (injective, unlike the last
path segment).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from supportgraph.errors import StoreError
from supportgraph.sparql import iri
from supportgraph.store_data import (
    DEFAULT_GRAPH,
    GraphData,
    clear_graphs,
    graph_ref,
    insert_data,
    ntriples,
    read_graphs,
)
from supportgraph.store_http import (
    Endpoint,
    parse_ask,
    resolve_endpoint,
    send_graph,
    send_query,
    send_update,
    with_retries,
)

STAGING_BASE = "urn:supportgraph:staging:"
# Triples in the first pack (then 2x, 4x, … up to batch_triples): measured on Oxigraph 0.5,
# the store takes ~10x longer to run a pack than the client to write it.
FIRST_PACK = 4_000


@dataclass(frozen=True)
class LoadReport:
    """What :func:`load` did: the graphs replaced (store IRIs, in file order;
    :data:`DEFAULT_GRAPH` for the default graph), their distinct triples, the number of
    requests that carried triples, and the wall-clock time."""

    graphs: tuple[str, ...]
    triples_per_graph: Mapping[str, int]
    total_triples: int
    batches: int
    seconds: float


class LoadError(StoreError):
    """A load that stopped part-way. Every graph holds its old or its new version, whole:
    ``loaded`` were replaced, ``not_loaded`` were not (but if the connection failed just as
    the server committed, one of those may already hold its new version)."""

    def __init__(self, message: str, loaded: tuple[str, ...], not_loaded: tuple[str, ...]):
        super().__init__(message)
        self.loaded = loaded
        self.not_loaded = not_loaded


def _ask(ep: Endpoint, query: str, timeout: float) -> bool:
    return parse_ask(ep, *send_query(ep, query, False, timeout))


class _Loader:
    """One run of :func:`load`: the requests, what they achieved, what to clean up."""

    def __init__(self, endpoints: tuple[Endpoint, Endpoint, Endpoint | None], **options):
        self.query_ep, self.update_ep, self.gsp_ep = endpoints
        self.timeout: float = options["timeout"]
        self.retry = partial(with_retries, retries=options["retries"], backoff=options["backoff"])
        self.progress: Callable[[int, int], None] | None = options["progress"]
        self.total: int = options["total"]
        self.run = uuid.uuid4().hex
        self.probe = f"{STAGING_BASE}{self.run}:probe"
        self.done = self.batches = self.staged = 0
        self.loaded: list[GraphData] = []
        self.to_drop: list[str] = []  # the probe and staging graphs not moved yet

    def ask(self, query: str, retry: bool = True) -> bool:
        run = partial(_ask, self.query_ep, query, self.timeout)
        return self.retry(run) if retry else with_retries(run, retries=0, backoff=0)

    def update(self, text: str | bytes) -> None:
        self.retry(partial(send_update, self.update_ep, text, self.timeout))

    def advance(self, triples: int, graphs: list[GraphData], carried: bool = True) -> None:
        """Count a successful request that sent ``triples`` and completed ``graphs``."""
        self.done += triples
        self.batches += carried
        self.loaded.extend(graphs)
        if self.progress:
            self.progress(self.done, self.total)

    def preflight(self) -> None:
        """Check that the query endpoint answers and that updates show in queries."""
        self.ask("ASK {}")
        if not self.total:
            return
        probe = iri(self.probe)
        self.update(f'INSERT DATA {{ GRAPH {probe} {{ {probe} {probe} "probe" }} }}')
        self.to_drop.append(self.probe)
        if not self.ask(f"ASK {{ GRAPH {probe} {{ ?s ?p ?o }} }}"):
            raise StoreError(
                f"{self.update_ep.shown} accepted an update that {self.query_ep.shown} "
                "does not show; check update_endpoint"
            )
        # Its own request, so that a load into an empty store deletes nothing in its data
        # requests (inserts after a delete in one Oxigraph transaction measured slower).
        self.update(f"DROP SILENT GRAPH {probe}")
        self.to_drop.remove(self.probe)

    def flush(self, pack: list[GraphData], body: bytes) -> None:
        """Replace the small graphs in ``pack`` by one request, ``body`` (see :func:`_body`)."""
        self.update(body)
        self.advance(sum(len(graph.triples) for graph in pack), pack)

    def stage(self, graph: GraphData, chunks: list[bytes]) -> None:
        """Replace a graph larger than a batch: ``chunks`` (N-Triples, skolemized) into a
        staging graph, then MOVE."""
        staging = f"{STAGING_BASE}{self.run}:{self.staged}"
        self.staged += 1
        self.to_drop.append(staging)
        last = b"" if self.gsp_ep else chunks.pop()
        for chunk in chunks:
            if self.gsp_ep:
                self.retry(partial(send_graph, self.gsp_ep, staging, chunk, self.timeout))
            else:
                self.update(insert_data([(staging, chunk)]))
            self.advance(chunk.count(b"\n"), [])
        staged = f"ASK {{ GRAPH {iri(staging)} {{ ?s ?p ?o }} }}"
        if self.gsp_ep and not self.ask(staged):  # the guard below relies on it being there
            raise StoreError(
                f"{self.gsp_ep.shown} accepted triples that {self.query_ep.shown} "
                "does not show; check graph_store"
            )
        commit = f"MOVE GRAPH {iri(staging)} TO {graph_ref(graph.target)}".encode()
        if last:
            commit = insert_data([(staging, last)]) + b" ;\n" + commit
        sent: list[bool] = []

        def attempt() -> None:
            # No staging graph left means an earlier attempt was applied and only its answer
            # was lost: sending the MOVE again would replace <G> by the last batch alone.
            if sent and not _ask(self.query_ep, staged, self.timeout):
                return
            sent.append(True)
            send_update(self.update_ep, commit, self.timeout)

        try:
            self.retry(attempt)
        except StoreError:
            try:  # the same check once more, to tell the caller the truth
                moved = not self.ask(staged, retry=False)
            except StoreError:
                moved = False
            if not moved:
                raise
        self.to_drop.remove(staging)
        self.advance(last.count(b"\n"), [graph], carried=bool(last))

    def cleanup(self) -> list[str]:
        """After a failure: drop the probe and staging graphs; return those still there."""
        if not self.to_drop:
            return []
        text = " ;\n".join(f"DROP SILENT GRAPH {iri(name)}" for name in self.to_drop)
        send = partial(send_update, self.update_ep, text, min(self.timeout, 10.0))
        try:
            with_retries(send, retries=0, backoff=0)
        except StoreError:
            return list(self.to_drop)
        self.to_drop.clear()
        return []


def _plan(graphs: list[GraphData], batch: int) -> list[list[GraphData]]:
    """The requests, in file order: packs of graphs of at most ``batch`` triples together,
    and (alone in their list) graphs larger than ``batch``, to be staged.

    The packs start small and double up to ``batch`` (a graph of at most ``batch`` triples
    is never split or staged): nothing overlaps the writing of the first request, so a
    small one gets the store working sooner; later ones are written while it works.
    """
    jobs: list[list[GraphData]] = []
    pack: list[GraphData] = []
    size = 0
    limit = min(batch, FIRST_PACK)
    for graph in graphs:
        count = len(graph.triples)
        if count > limit - size and pack:
            jobs.append(pack)
            pack, size = [], 0
            limit = min(batch, limit * 2)
        if count > batch:
            jobs.append([graph])
        else:
            pack.append(graph)
            size += count
    if pack:
        jobs.append(pack)
    return jobs


def _body(job: list[GraphData], batch: int) -> bytes | list[bytes]:
    """What a job sends: for a pack, the update that empties its graphs then inserts their
    triples (one transaction); for a staged graph, its N-Triples in chunks of ``batch``."""
    if len(job) == 1 and len(job[0].triples) > batch:
        graph = job[0]
        lines = ntriples(graph.triples, "", graph.target or "").splitlines(keepends=True)
        return [b"".join(lines[i : i + batch]) for i in range(0, len(lines), batch)]
    parts = [(graph.target, ntriples(graph.triples, f"g{n}")) for n, graph in enumerate(job)]
    return clear_graphs([graph.target for graph in job]) + insert_data(parts)


def _show(name: str) -> str:
    return "the default graph" if name == DEFAULT_GRAPH else f"<{name}>"


def load(
    path: Path,
    endpoint: str,
    *,
    update_endpoint: str | None = None,
    graph_store: str | None = None,
    graph_prefix: str | None = None,
    batch_triples: int = 100_000,
    timeout: float = 60.0,
    retries: int = 4,
    backoff: float = 0.5,
    progress: Callable[[int, int], None] | None = None,
) -> LoadReport:
    """Load a TriG, N-Quads, Turtle or N-Triples file (by extension) into a SPARQL 1.1 store.

    Each graph of the file replaces the graph of the same name in the store, atomically (see
    the module docstring), so loading a file twice leaves the same triples; other graphs are
    left alone (readers may see ``urn:supportgraph:staging:…`` ones meanwhile). ``endpoint`` is
    the query URL; updates go to ``update_endpoint`` (default: ``endpoint``); ``graph_store``,
    if given, receives the staging batches of graphs larger than ``batch_triples``, the most
    triples one request carries (100 000 is ~25 MB of N-Triples; a graph larger than that is
    staged, which Oxigraph's MOVE makes ~3x slower than a direct insert).
    ``graph_prefix`` renames graph ``G`` to ``graph_prefix + percent-encoded G``. Each request
    has ``timeout`` seconds; connection errors, timeouts, HTTP 429 and 5xx are retried
    ``retries`` times after ``backoff``, ``2 * backoff``, … seconds. ``progress(done, total)``
    is called with triple counts at the start and after each request.

    Before any graph is touched, the loader checks that the query endpoint answers ``ASK {}``
    and that a probe triple written through the update endpoint shows in queries. Raises
    :class:`StoreError` for a bad file or option, :class:`LoadError` when a request fails.
    """
    started = time.monotonic()
    if batch_triples < 1 or timeout <= 0 or retries < 0 or backoff < 0:
        raise StoreError("batch_triples must be >= 1, timeout > 0, retries and backoff >= 0")
    graphs = read_graphs(Path(path), graph_prefix)
    endpoints = (
        resolve_endpoint(endpoint),
        resolve_endpoint(update_endpoint or endpoint),
        resolve_endpoint(graph_store) if graph_store else None,
    )
    total = sum(len(graph.triples) for graph in graphs)
    loader = _Loader(
        endpoints,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        progress=progress,
        total=total,
    )
    if progress:
        progress(0, total)
    failure = None
    jobs = _plan(graphs, batch_triples)
    # One worker writes the next request while this thread waits for the store's answer to
    # the current one: the store's work and the client's overlap.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="supportgraph-load")
    try:
        upcoming = pool.submit(_body, jobs[0], batch_triples) if jobs else None
        loader.preflight()
        for number, job in enumerate(jobs):
            body = upcoming.result() if upcoming else b""
            if number + 1 < len(jobs):
                upcoming = pool.submit(_body, jobs[number + 1], batch_triples)
            if isinstance(body, list):
                loader.stage(job[0], body)
            else:
                loader.flush(job, body)
    except StoreError as exc:
        failure = exc.message
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        left = loader.cleanup()  # nothing to do after a success
    if failure is None:
        return LoadReport(
            graphs=tuple(graph.name for graph in graphs),
            triples_per_graph={graph.name: len(graph.triples) for graph in graphs},
            total_triples=total,
            batches=loader.batches,
            seconds=time.monotonic() - started,
        )
    loaded = tuple(graph.name for graph in loader.loaded)
    not_loaded = tuple(graph.name for graph in graphs if graph.name not in loaded)
    names = ", ".join(_show(name) for name in not_loaded[:10])
    if len(not_loaded) > 10:
        names += f", … ({len(not_loaded)} graphs)"
    message = f"{failure}; graphs not loaded: {names}"
    if left:
        message += f"; staging graphs left on the server: {', '.join(map(_show, left))}"
    raise LoadError(message, loaded, not_loaded)
