"""Query results as a terminal table, CSV or JSON (SPARQL 1.1 Query Results JSON)."""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from supportgraph.store import QueryResult

__all__ = ["format_result"]


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a query result for printing."""
    if result.ask is not None:
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.ask}) + "\n"
        return ("true" if result.ask else "false") + "\n"
    if fmt == "json":
        return json.dumps(_json(result), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_plain(row.get(v)) for v in result.variables])
        return buffer.getvalue()
    return _table(result)


def _plain(term: Identifier | None) -> str:
    return "" if term is None else str(term)


def _cell(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal) and term.language:
        return f"{term}@{term.language}"
    return str(term)


def _table(result: QueryResult) -> str:
    header = result.variables
    body = [[_cell(row.get(v)) for v in header] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _json(result: QueryResult) -> dict:
    def term(value: Identifier) -> dict:
        if isinstance(value, URIRef):
            return {"type": "uri", "value": str(value)}
        if isinstance(value, BNode):
            return {"type": "bnode", "value": str(value)}
        out: dict = {"type": "literal", "value": str(value)}
        if isinstance(value, Literal) and value.language:
            out["xml:lang"] = value.language
        elif isinstance(value, Literal) and value.datatype:
            out["datatype"] = str(value.datatype)
        return out

    return {
        "head": {"vars": result.variables},
        "results": {"bindings": [{k: term(v) for k, v in row.items()} for row in result.rows]},
    }
