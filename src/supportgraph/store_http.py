"""The HTTP layer under :mod:`supportgraph.store`: requests, failures, retries, answers.

* Endpoints and their credentials are in :mod:`supportgraph.store_endpoint` (re-exported
  here); SPARQL text (term escaping, bound queries) is in :mod:`supportgraph.sparql`,
  reading a dataset file and writing N-Triples in :mod:`supportgraph.store_data`.
* :func:`send_query`, :func:`send_update` and :func:`send_graph` make one request each and
  raise :class:`Failure`; :func:`with_retries` retries connection errors, timeouts, HTTP 429
  and 5xx with exponential backoff and turns the last failure into a one-line
  :class:`~supportgraph.errors.StoreError`.

Credentials only ever leave these modules as an ``Authorization`` header: they are in no
message, log record or ``repr``, and URLs are shown without userinfo or query string.
"""

from __future__ import annotations

import http.client
import io
import json
import logging
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote
from xml.etree import ElementTree

from rdflib import Graph
from rdflib.query import Result
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper import SPARQLExceptions as swe

from supportgraph.errors import QueryError, StoreError
from supportgraph.store_endpoint import (
    ENV_PASSWORD,
    ENV_TOKEN,
    ENV_USER,
    Auth,
    Endpoint,
    redact,
    resolve_endpoint,
)

__all__ = [
    "Auth",
    "Endpoint",
    "Failure",
    "http_failure",
    "net_failure",
    "parse_answer",
    "parse_ask",
    "redact",
    "resolve_endpoint",
    "send_graph",
    "send_query",
    "send_update",
    "with_retries",
]

_RESULT_FORMATS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}

log = logging.getLogger(__name__)
T = TypeVar("T")


# --- requests ----------------------------------------------------------------------------------


class Failure(Exception):
    """One failed attempt: a message that is safe to show, and whether to try again."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib would turn a redirected update POST into a body-less GET."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)
_SW_CODES: dict[type, int] = {
    swe.QueryBadFormed: 400,
    swe.Unauthorized: 401,
    swe.EndPointNotFound: 404,
    swe.URITooLong: 414,
    swe.EndPointInternalError: 500,
}
_UPDATE_HINT = (
    "pass the update URL (Oxigraph: /update, Fuseki: /<dataset>/update, "
    "GraphDB: /repositories/<id>/statements)"
)


def _scrub(text: str, auth: Auth | None) -> str:
    for secret in auth.secrets() if auth else []:
        text = text.replace(secret, "***")
    return text


def _detail(error: urllib.error.HTTPError | bytes, content_type: str, auth: Auth | None) -> str:
    """The first 200 characters of an error body on one line, or "" for HTML."""
    if "html" in content_type:
        return ""
    try:
        body = error if isinstance(error, bytes) else error.read(4000)
    except (OSError, http.client.HTTPException):  # the body may time out too
        body = b""
    text = " ".join(body.decode("utf-8", "replace").split())
    text = _scrub(text, auth)
    return text if len(text) <= 200 else text[:199] + "…"


def http_failure(
    ep: Endpoint, code: int, reason: str, detail: str, what: str, location: str | None = None
) -> Failure:
    """The :class:`Failure` for an HTTP error ``code``; ``what`` names the kind of endpoint."""
    said = f": {detail}" if detail else ""
    if code in (401, 407):
        if ep.auth is None:
            hint = (
                f"set {ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}), or add {ep.host} to ~/.netrc"
            )
            return Failure(
                f"{ep.shown}: authentication failed (HTTP {code}); {hint}", retryable=False
            )
        return Failure(
            f"{ep.shown}: authentication failed (HTTP {code}) with the credentials "
            f"from {ep.auth.source}",
            retryable=False,
        )
    if code == 403:
        return Failure(f"{ep.shown}: access denied (HTTP 403){said}", retryable=False)
    if code == 404:
        return Failure(f"{ep.shown} is not a {what} (HTTP 404)", retryable=False)
    if code in (405, 415) and what == "SPARQL Update endpoint":
        return Failure(
            f"{ep.shown} does not accept SPARQL updates (HTTP {code}); {_UPDATE_HINT}",
            retryable=False,
        )
    if code in (405, 406, 415):
        return Failure(f"{ep.shown} is not a {what} (HTTP {code}{said})", retryable=False)
    if code == 413:
        return Failure(
            f"{ep.shown}: request too large (HTTP 413); lower batch_triples", retryable=False
        )
    if 300 <= code < 400:
        target = f" to {redact(location)}" if location else ""
        return Failure(f"{ep.shown} redirects (HTTP {code}){target}; use that URL", retryable=False)
    if code == 429 or code >= 500:
        return Failure(f"{ep.shown}: HTTP {code} ({reason}){said}", retryable=True)
    return Failure(f"{ep.shown} rejected the request (HTTP {code}){said}", retryable=False)


def net_failure(ep: Endpoint, error: BaseException, timeout: float) -> Failure:
    """The :class:`Failure` for a connection-level error (never quotes the exception text)."""
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, TimeoutError | socket.timeout):
        return Failure(f"{ep.shown}: no answer within {timeout:g} s", retryable=True)
    if isinstance(reason, ConnectionRefusedError):
        why, retryable = "connection refused", True
    elif isinstance(reason, socket.gaierror):
        why, retryable = f"host {ep.host} not found", False
    elif isinstance(reason, ssl.SSLError):
        why, retryable = f"TLS error: {type(reason).__name__}", False
    elif isinstance(reason, ConnectionError | http.client.HTTPException):
        why, retryable = "connection closed by the server", True
    elif isinstance(reason, OSError) and reason.strerror:
        why, retryable = reason.strerror.lower(), True
    else:
        why, retryable = type(reason).__name__, True
    return Failure(f"cannot reach {ep.shown} ({why})", retryable=retryable)


def with_retries(attempt: Callable[[], T], *, retries: int, backoff: float) -> T:
    """``attempt()``, retried up to ``retries`` times while it fails with a retryable error.

    The waits are ``backoff``, ``2 * backoff``, ``4 * backoff``, … (at most 30 s each). The
    last failure is raised as a :class:`StoreError` (outside any ``except`` block, so it has
    no chained exception that could carry a URL or a response).
    """
    failure = Failure("no attempt made", retryable=False)
    tries = 0
    for tries in range(1, retries + 2):
        if tries > 1:
            time.sleep(min(backoff * 2 ** (tries - 2), 30.0))
        try:
            return attempt()
        except Failure as exc:
            failure = exc
        if not failure.retryable or tries == retries + 1:
            break
        log.debug("%s; retrying (attempt %d of %d)", failure.message, tries + 1, retries + 1)
    suffix = f" (after {tries} attempts)" if tries > 1 else ""
    raise StoreError(failure.message + suffix)


def _send(ep: Endpoint, url: str, body: bytes, content_type: str, what: str, timeout: float):
    """POST ``body`` with urllib; return nothing, raise :class:`Failure`."""
    headers = {"Content-Type": content_type, "Accept": "*/*"}
    if ep.auth:
        headers["Authorization"] = ep.auth.header
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = _detail(exc, exc.headers.get_content_type(), ep.auth)
        location = exc.headers.get("Location")
        raise http_failure(ep, exc.code, exc.reason, detail, what, location) from None
    except (OSError, http.client.HTTPException) as exc:
        raise net_failure(ep, exc, timeout) from None


def send_update(ep: Endpoint, update: str | bytes, timeout: float) -> None:
    """POST one SPARQL Update request (a single transaction on Oxigraph, Fuseki, GraphDB).

    urllib, not SPARQLWrapper: ``SPARQLWrapper.setQuery`` regex-scans the whole text to guess
    its query type, which takes over a second for a 50 000-triple ``INSERT DATA``.
    """
    body = update.encode("utf-8") if isinstance(update, str) else update
    _send(
        ep,
        ep.url,
        body,
        "application/sparql-update; charset=utf-8",
        "SPARQL Update endpoint",
        timeout,
    )


def send_graph(ep: Endpoint, graph: str | None, ntriples: bytes, timeout: float) -> None:
    """Add N-Triples to ``graph`` (``None``: the default graph) by a Graph Store Protocol POST.

    urllib, not SPARQLWrapper: SPARQLWrapper only speaks the SPARQL protocol.
    """
    target = "default" if graph is None else "graph=" + quote(graph, safe="")
    url = ep.url + ("&" if "?" in ep.url else "?") + target
    _send(
        ep,
        url,
        ntriples,
        "application/n-triples",
        "Graph Store Protocol endpoint",
        timeout,
    )


def send_query(ep: Endpoint, query: str, graph_result: bool, timeout: float) -> tuple[str, bytes]:
    """POST one query with SPARQLWrapper; return the response's media type and body."""
    wrapper = SPARQLWrapper(ep.url)
    wrapper.setMethod(POST)
    wrapper.setOnlyConneg(True)
    # Not setTimeout(): it truncates to int, and 0 means no timeout at all.
    wrapper.timeout = timeout  # type: ignore[assignment]
    wrapper.setReturnFormat(TURTLE if graph_result else JSON)
    wrapper.setQuery(query)
    if wrapper.isSparqlUpdateRequest():
        raise QueryError("this is a SPARQL update, not a query")
    if ep.auth and ep.auth.user and ep.auth.password:
        wrapper.setCredentials(ep.auth.user, ep.auth.password)
    elif ep.auth:
        wrapper.addCustomHttpHeader("Authorization", ep.auth.header)
    try:
        response = wrapper.query().response
        return response.headers.get_content_type(), response.read()
    except swe.SPARQLWrapperException as exc:
        # SPARQLWrapper keeps the body only inside its message: "...Response:\nb'...'".
        said = str(exc).partition("Response:\n")[2]
        said = said[2:-1] if said[:2] in ("b'", 'b"') else said
        detail = _detail(said.encode(), "text/plain", ep.auth)
        code = _SW_CODES.get(type(exc), 500)
        raise http_failure(ep, code, type(exc).__name__, detail, "SPARQL endpoint") from None
    except urllib.error.HTTPError as exc:
        detail = _detail(exc, exc.headers.get_content_type(), ep.auth)
        location = exc.headers.get("Location")
        raise http_failure(ep, exc.code, exc.reason, detail, "SPARQL endpoint", location) from None
    except (OSError, http.client.HTTPException) as exc:
        raise net_failure(ep, exc, timeout) from None


def parse_answer(ep: Endpoint, form: str, content_type: str, body: bytes) -> Result | Graph:
    """A query's answer: an rdflib ``Result`` (SELECT, ASK) or ``Graph`` (CONSTRUCT,
    DESCRIBE); :class:`Failure` if the body is HTML or not what it claims to be."""
    not_sparql = f"{ep.shown} is not a SPARQL endpoint (answered {content_type}"
    if "html" in content_type:
        raise Failure(not_sparql + ")", retryable=False)
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            return Graph().parse(data=body, format=content_type)
        result = Result.parse(io.BytesIO(body), format=_RESULT_FORMATS[content_type])
    except Exception:  # rdflib raises many types for a body that is not what it claims
        raise Failure(not_sparql + ", not SPARQL results)", retryable=False) from None
    if form == "ASK" and result.type != "ASK":
        raise Failure(not_sparql + ", not an ASK answer)", retryable=False)
    return result


_SPARQL_RESULTS_XML = "{http://www.w3.org/2005/sparql-results#}"


def parse_ask(ep: Endpoint, content_type: str, body: bytes) -> bool:
    """An ASK answer's boolean, read without rdflib (whose result parsers take ~0.4 s to
    import on first use); :class:`Failure` exactly as :func:`parse_answer` would raise."""
    not_sparql = f"{ep.shown} is not a SPARQL endpoint (answered {content_type}"
    if "html" in content_type:
        raise Failure(not_sparql + ")", retryable=False)
    kind = _RESULT_FORMATS.get(content_type)
    answer: object = None
    try:
        if kind == "json":
            document = json.loads(body)
            if isinstance(document, dict) and "boolean" in document:
                answer = document["boolean"]
            elif isinstance(document, dict) and "head" in document:
                answer = "not ASK"
        elif kind == "xml":
            root = ElementTree.fromstring(body)
            if root.tag == _SPARQL_RESULTS_XML + "sparql":
                found = root.find(_SPARQL_RESULTS_XML + "boolean")
                value = (found.text or "").strip() if found is not None else None
                answer = {"true": True, "false": False}.get(value or "", "not ASK")
    except (ValueError, ElementTree.ParseError):
        answer = None
    if answer is None:
        raise Failure(not_sparql + ", not SPARQL results)", retryable=False)
    if not isinstance(answer, bool):
        raise Failure(not_sparql + ", not an ASK answer)", retryable=False)
    return answer
