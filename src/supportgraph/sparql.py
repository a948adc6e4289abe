"""SPARQL terms and bound queries: escaping RDF terms for SPARQL text, and VALUES binding.

The SPARQL 1.1 Protocol has no parameters, so values are bound by a
``VALUES`` block of escaped terms placed first inside the query's outermost
``WHERE`` group (found by a small tokenizer that skips IRIs, strings and
comments). Used for remote endpoints and the embedded store alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from rdflib.term import Identifier, Literal, URIRef

from supportgraph.errors import QueryError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")
_LANG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_ESCAPE = re.compile(r'[\\"\n\r]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}


def _short(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:59] + "…")


def iri(value: str) -> str:
    """``<value>``; ``ValueError`` unless ``value`` is an absolute IRI with no character
    that could end the IRI (``<>"{}|^`\\``, space, control characters)."""
    if not _IRI.fullmatch(value):
        raise ValueError(f"{_short(value)} is not an absolute IRI")
    return f"<{value}>"


def literal(lexical: str, language: str | None = None, datatype: str | None = None) -> str:
    """A SPARQL / N-Triples literal: ``\\``, ``"``, LF and CR escaped, tag and type checked."""
    try:
        lexical.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{_short(lexical)} is not valid Unicode text") from None
    text = '"' + _ESCAPE.sub(lambda match: _ESCAPES[match.group()], lexical) + '"'
    if language:
        if not _LANG.fullmatch(language):
            raise ValueError(f"{_short(language)} is not a language tag")
        return f"{text}@{language}"
    if datatype and datatype != XSD_STRING:
        return f"{text}^^{iri(datatype)}"
    return text


def sparql_term(term: Identifier) -> str:
    """An rdflib IRI or literal as SPARQL text (``ValueError`` for anything else)."""
    if isinstance(term, URIRef):
        return iri(str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        return literal(str(term), term.language, datatype)
    raise ValueError(f"a {type(term).__name__} cannot be bound (only IRIs and literals)")


_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<skip>\s+|#[^\n\r]*)",
            r'(?P<string>"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
            r"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
            r'|"(?:[^"\\\n\r]|\\.)*"'
            r"|'(?:[^'\\\n\r]|\\.)*')",
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            r"(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)",
            r"(?P<word>[A-Za-z_]\w*)",
            r"(?P<punct>.)",
        ]
    ),
    re.DOTALL,
)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def _closing(tokens: Sequence[tuple[str, int, int]], query: str, open_at: int) -> int:
    """Index of the token closing the brace at ``tokens[open_at]``."""
    depth = 0
    for index in range(open_at, len(tokens)):
        text = query[tokens[index][1] : tokens[index][2]]
        depth += (text == "{") - (text == "}")
        if depth == 0:
            return index
    raise QueryError("the query has an unbalanced '{'")


@lru_cache(maxsize=64)  # the same few query texts are bound again and again
def _tokens(query: str) -> tuple[tuple[tuple[str, int, int], ...], tuple[str, ...]]:
    """The query's tokens (kind, start, end) without blanks and comments, and their text."""
    found = [(m.lastgroup or "", m.start(), m.end()) for m in _TOKEN.finditer(query)]
    tokens = tuple(token for token in found if token[0] != "skip")
    return tokens, tuple(query[start:end] for _kind, start, end in tokens)


def _form_at(tokens: Sequence[tuple[str, int, int]], words: Sequence[str]) -> int:
    """Index of the query form keyword (not a prefix name such as ``select:``)."""
    for index, word in enumerate(words):
        if word in ("{", "("):
            break
        following = words[index + 1] if index + 1 < len(words) else ""
        if tokens[index][0] == "word" and word.upper() in _FORMS and following != ":":
            return index
    raise QueryError("not a SPARQL query (expected SELECT, ASK, CONSTRUCT or DESCRIBE)")


def query_form(query: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; :class:`QueryError` otherwise."""
    tokens, words = _tokens(query)
    return words[_form_at(tokens, words)].upper()


@lru_cache(maxsize=64)
def uses_named_graphs(query: str) -> bool:
    """True if the query may read a named graph (``GRAPH`` or ``FROM``), so it needs them loaded.

    Any such word outside IRIs, strings and comments counts, even as part of a prefixed name:
    when unsure, the answer is the safe one.
    """
    tokens, words = _tokens(query)
    return any(
        kind == "word" and word.upper() in ("GRAPH", "FROM")
        for (kind, _start, _end), word in zip(tokens, words, strict=True)
    )


@lru_cache(maxsize=64)
def matched_predicates(query: str) -> frozenset[str] | None:
    """The IRIs of every predicate the query's patterns can match, or ``None`` if unsure.

    With a set, only statements whose predicate is in it can reach the answer: a store of
    those alone gives the same answer. ``None`` if a pattern may match any predicate (a
    variable or negated predicate), any node whatever its statements (a zero-length path,
    ``p*`` or ``p?``), for ``DESCRIBE`` and ``SERVICE``, and for text rdflib cannot parse.
    """
    try:
        from rdflib.plugins.sparql import prepareQuery
        from rdflib.plugins.sparql.parserutils import CompValue

        algebra = prepareQuery(query).algebra
    except Exception:  # a query rdflib cannot read is simply not narrowed
        return None
    found: set[str] = set()
    pending: list[object] = [algebra]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name in ("DescribeQuery", "ServiceGraphPattern"):
                return None
            # (not node.get: CompValue answers a missing key with the key itself)
            for pattern in dict.get(node, "triples") or ():
                if len(pattern) != 3 or not _path_predicates(pattern[1], found):
                    return None
            pending.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            pending.extend(node)
    return frozenset(found)


def _path_predicates(path: object, found: set[str]) -> bool:
    """Add the IRIs a predicate or property path matches; False if it may match any node."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(path, URIRef):
        found.add(str(path))
        return bool(_IRI.fullmatch(str(path)))  # a relative IRI: the query is in error
    if isinstance(path, (SequencePath, AlternativePath)):
        return all(_path_predicates(part, found) for part in path.args)
    if isinstance(path, InvPath):
        return _path_predicates(path.arg, found)
    if isinstance(path, MulPath) and not path.zero:
        return _path_predicates(path.path, found)
    return False  # a variable, a negated property set, a zero-length path


@lru_cache(maxsize=64)  # the same few query texts are bound again and again
def _variables(query: str) -> frozenset[str]:
    """The names of the query's variables, without ``?`` or ``$``."""
    tokens, words = _tokens(query)
    return frozenset(
        word[1:] for (kind, _s, _e), word in zip(tokens, words, strict=True) if kind == "var"
    )


@lru_cache(maxsize=64)
def _values_site(query: str) -> tuple[str, str]:
    """The query split where its ``VALUES`` block goes: ``head + values + tail`` is the bound
    query (:func:`bind_query`); :class:`QueryError` if there is no such place."""
    tokens, words = _tokens(query)
    at = _form_at(tokens, words) + 1
    form = words[at - 1].upper()
    short_where = form == "CONSTRUCT" and [w.upper() for w in words[at : at + 2]] == ["WHERE", "{"]
    if form == "CONSTRUCT" and at < len(words) and words[at] == "{":
        at = _closing(tokens, query, at) + 1
    parens = 0
    for index in range(at, len(words)):
        parens += (words[index] == "(") - (words[index] == ")")
        if parens == 0 and words[index] == "{":
            break
    else:
        raise QueryError("the query has no WHERE clause to bind values in")
    close = _closing(tokens, query, index)
    inner_start, inner_end = tokens[index][2], tokens[close][1]
    if short_where:
        template = query[inner_start:inner_end]
        where = tokens[at][1]
        return f"{query[:where]}{{{template}}} {query[where:inner_start]}", query[inner_start:]
    if index + 1 < close and words[index + 1].upper() == "SELECT":
        return query[:inner_start], f"{{{query[inner_start:inner_end]}}}{query[inner_end:]}"
    return query[:inner_start], query[inner_start:]


def bind_query(query: str, bindings: Mapping[str, Identifier] | None) -> str:
    """``query`` with ``bindings`` (variable name → IRI or literal) bound by a ``VALUES`` block.

    The SPARQL 1.1 Protocol has no parameters, so the values are written as escaped SPARQL
    terms into ``VALUES (?a ?b) { (<iri> "text"@en) }``, placed first inside the query's
    outermost ``WHERE`` group (found by a tokenizer that skips IRIs, strings and comments),
    where it joins with the whole pattern. A group that is a bare sub-``SELECT`` is wrapped
    in braces first; ``CONSTRUCT WHERE { T }`` becomes ``CONSTRUCT { T } WHERE { VALUES … T }``.
    :class:`QueryError` if a variable does not occur in the query or a value is not an IRI or
    literal.
    """
    if not bindings:
        return query
    variables = _variables(query)
    names, terms = [], []
    for name, term in bindings.items():
        bare = name.lstrip("?$")
        if bare not in variables:
            raise QueryError(f"binding ?{bare}: the query has no variable ?{bare}")
        try:
            terms.append(sparql_term(term))
        except ValueError as exc:
            raise QueryError(f"binding ?{bare}: {exc}") from None
        names.append(f"?{bare}")
    head, tail = _values_site(query)
    return f"{head} VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }} {tail}"
