"""``OUT/site/``: one HTML page per cloud and language, with its JSON-LD embedded.

A page shows what a person needs (channels, numbers, hours, severity levels,
roles and responsibilities) in one language, with English where the graph
has no text in it, and carries the cloud's framed JSON-LD in
``<script type="application/ld+json">`` for machines. Pages are built with
the standard library: every text goes through ``html.escape``, and the
JSON-LD through :func:`supportgraph.jsonld.script_element`. What a cloud's
pages read of the merged graph is read once into a :class:`CloudIndex`,
which its pages in every language share.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any, NamedTuple

import langcodes
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from supportgraph.framing import framed_documents, monikers
from supportgraph.graph.vocabulary import SCHEMA, SG
from supportgraph.jsonld import canonical_json, script_element
from supportgraph.site_index import CloudIndex, cloud_index, text_in
from supportgraph.site_words import UI, ui_words
from supportgraph.validate import corpus_languages

__all__ = ["CloudIndex", "cloud_index", "cloud_page", "index_page", "site_files", "text_in"]

DOWNLOADS = ("supportgraph.ttl", "supportgraph.trig", "supportgraph.nq", "supportgraph.jsonld")
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:72rem;margin:auto;padding:1rem;"
    "line-height:1.4}table{border-collapse:collapse;width:100%;margin-bottom:1rem}"
    "th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}nav a{margin-right:.8rem}"
)


def _label(graph: Graph, node: Node, lang: str) -> str:
    return (
        text_in(graph, node, SKOS.prefLabel, lang)
        or text_in(graph, node, RDFS.label, lang)
        or text_in(graph, node, SCHEMA.name, lang)
    )


def _hours(index: CloudIndex, subject: Node, lang: str) -> list[str]:
    return [
        _hours_line(index.hours_parts(hours), lang)
        for hours in index.sorted_objects(subject, SCHEMA.hoursAvailable)
    ]


def _hours_line(parts: tuple[list[list[int]], str, bool], lang: str) -> str:
    runs, text, closed = parts
    names = ui_words(lang)["days_names"].split()
    days = ", ".join(
        names[run[0]] if len(run) == 1 else f"{names[run[0]]}–{names[run[-1]]}" for run in runs
    )
    return days + text + (f", {ui_words(lang)['holidays']}" if closed else "")


def _response(index: CloudIndex, severity: Node, lang: str) -> str:
    duration = index.one(severity, SG.initialResponse)
    days = index.one(severity, SG.initialResponseBusinessDays)
    parts = []
    if duration is not None:
        match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?", str(duration))
        if match:
            hours, minutes = match.groups()
            parts.append(
                " ".join(p for p in (hours and f"{hours} h", minutes and f"{minutes} min") if p)
            )
        else:
            parts.append(str(duration))
    if days is not None:
        parts.append(ui_words(lang)["days"].format(n=int(days)))
    return ", ".join(parts)


def _cell(value: str | Iterable[str]) -> str:
    lines = [value] if isinstance(value, str) else list(value)
    return "<td>" + "<br>".join(escape(line) for line in lines) + "</td>"


def _row(cells: Iterable[str]) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


def _head(names: Iterable[str]) -> str:
    return "<tr>" + "".join(f"<th>{escape(n)}</th>" for n in names) + "</tr>"


class _Point(NamedTuple):
    """What a contact point's row says in every language (escaped HTML where so named)."""

    url: str | None  # the first URL, escaped
    more_urls: str  # links to the others
    phone: str
    area: Node | None
    support: Node | None
    languages: str  # the cell
    sort_key: tuple[str, str, str]  # support type, number and IRI, after the area's label


def _point(index: CloudIndex, cp: Node) -> _Point:
    """The parts of a contact point's row that are the same in every language, remembered."""
    point = index.remembered.get(("point", cp))
    if point is None:
        point = index.remembered[("point", cp)] = _made_point(index, cp)
    return point


def _made_point(index: CloudIndex, cp: Node) -> _Point:
    number = index.one(cp, SCHEMA.telephone)
    urls = index.sorted_objects(cp, SCHEMA.url)
    support = index.one(cp, SG.supportType)
    return _Point(
        url=escape(str(urls[0])) if urls else None,
        more_urls="".join(f' <a href="{escape(str(u))}">↗</a>' for u in urls[1:]),
        phone=f'<a href="tel:{escape(str(number))}">{escape(str(number))}</a>' if number else "",
        area=index.one(cp, SCHEMA.areaServed),
        support=support,
        languages=_cell(sorted(str(v) for v in index.objects(cp, SCHEMA.availableLanguage))),
        sort_key=(str(support or ""), str(number or ""), str(cp)),
    )


def _channels(index: CloudIndex, lang: str) -> list[str]:
    ui = ui_words(lang)
    html = [f'<section id="channels"><h2>{escape(ui["channels"])}</h2>']
    for channel, members in index.channels():
        rows = []
        for cp in members:
            point = _point(index, cp)
            contact = escape(index.label(cp, lang))
            if point.url is not None:
                contact = f'<a href="{point.url}">{contact or point.url}</a>{point.more_urls}'
            area = index.label(point.area, lang) if point.area is not None else ""
            cells = [
                f"<td>{contact}</td>",
                f"<td>{point.phone}</td>",
                _cell(area),
                _cell(index.label(point.support, lang) if point.support is not None else ""),
                point.languages,
                _cell(_hours(index, cp, lang)),
            ]
            rows.append(((area, *point.sort_key), _row(cells)))
        columns = [ui[k] for k in ("contact", "phone", "area", "type", "language", "hours")]
        html.append(f"<h3>{escape(index.label(channel, lang))}</h3><table>")
        html.append(_head(columns))
        html.extend(row for _, row in sorted(rows))
        html.append("</table>")
    html.append("</section>")
    return html


def _severities(index: CloudIndex, lang: str) -> list[str]:
    ui = ui_words(lang)
    levels = sorted(
        (str(index.one(s, SKOS.notation)), s)
        for s in index.members
        if index.has(s, RDF.type, SG.SeverityLevel)
    )
    if not levels:
        return []
    html = [f'<section id="severities"><h2>{escape(ui["severities"])}</h2><table>']
    html.append(_head([ui["severity"], ui["definition"], ui["response"], ui["hours"], ui["type"]]))
    for _, level in levels:
        types = sorted(index.label(t, lang) for t in index.objects(level, SG.supportType))
        cells = [
            _cell(index.label(level, lang)),
            _cell(index.text(level, SKOS.definition, lang)),
            _cell(_response(index, level, lang)),
            _cell(_hours(index, level, lang)),
            _cell(types),
        ]
        html.append(_row(cells))
    html.append("</table></section>")
    return html


def _responsibilities(index: CloudIndex, lang: str) -> list[str]:
    html = []
    for role in sorted(index.duties):
        duties = sorted(
            (str(index.one(r, SG.kind)), int(index.one(r, SCHEMA.position) or 0), str(r), r)
            for r in index.duties[role]
            if index.has(r, RDF.type, SG.Responsibility)
        )
        if not duties:
            continue
        title = index.label(role, lang) or str(index.one(role, SG.roleName))
        html.append(f"<h3>{escape(title)}</h3><ul>")
        html.extend(f"<li>{escape(index.label(r, lang))}</li>" for *_, r in duties)
        html.append("</ul>")
    if not html:
        return []
    return [
        f'<section id="responsibilities"><h2>{escape(ui_words(lang)["roles"])}</h2>',
        *html,
        "</section>",
    ]


@functools.cache
def _language_name(lang: str) -> str:
    return langcodes.Language.get(lang).display_name(lang)


def cloud_page(
    graph: Graph | None,
    moniker: str,
    lang: str,
    document: dict[str, Any],
    *,
    index: CloudIndex | None = None,
    languages: Sequence[str] | None = None,
    document_json: bytes | None = None,
) -> str:
    """The HTML page of one cloud in one language, embedding its framed JSON-LD ``document``.

    ``graph`` is the merged view; the pages of a cloud in several languages
    can share its ``index`` (:func:`cloud_index`, then ``graph`` may be
    ``None``), the ``languages`` of the corpus (``corpus_languages(graph)``),
    and ``document_json``, the ``canonical_json`` of ``document`` where the
    caller has written it already.
    """
    if index is None:
        if graph is None:
            raise ValueError("cloud_page needs the merged graph or the cloud's index")
        index = cloud_index(graph, moniker)
    if languages is None:
        languages = corpus_languages(graph) if graph is not None else []
    ui = ui_words(lang)
    title = f"{index.label(index.cloud, lang) or moniker} — {ui['support']}"
    languages = languages or [lang]
    alternates = "".join(
        f'<link rel="alternate" hreflang="{escape(other)}" href="{escape(other)}.html">\n'
        for other in languages
    )
    nav = " ".join(
        f'<a href="{escape(other)}.html" hreflang="{escape(other)}" lang="{escape(other)}">'
        f"{escape(_language_name(other))}</a>"
        for other in languages
        if other != lang
    )
    downloads = " ".join(f'<a href="../../{name}">{name}</a>' for name in DOWNLOADS)
    sources = "".join(f"<li>{escape(path)}</li>" for path in index.sources())
    body = [*_channels(index, lang), *_severities(index, lang), *_responsibilities(index, lang)]
    script = script_element(document if document_json is None else document_json)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{alternates}"
        f'<link rel="alternate" type="application/ld+json" href="{escape(lang)}.jsonld">\n'
        f"<style>{STYLE}</style>\n{script}\n</head>\n<body>\n"
        f'<nav><a href="../index.html">{escape(ui["all"])}</a> '
        f"{escape(ui['languages'])}: {nav}</nav>\n"
        f"<h1>{escape(title)}</h1>\n<main>\n" + "\n".join(body) + "\n</main>\n"
        f"<footer><p>{escape(ui['data'])}: {downloads}</p>\n"
        f"<details><summary>{escape(ui['sources'])}</summary><ul>{sources}</ul></details>\n"
        "<p>Microsoft documentation, CC BY 4.0 "
        '(<a href="https://creativecommons.org/licenses/by/4.0/">licence</a>)</p></footer>\n'
        "</body>\n</html>\n"
    )


# jsonld.script_json's escapes as plain replacements: str.translate with a
# mapping goes character by character in Python objects, ~20 ms for the
# worldwide document; a few str.replace calls take a tenth of that.
def index_page(graph: Graph) -> str:
    """``site/index.html``: a link to every page, and to the data files."""
    items = []
    for moniker in monikers(graph):
        cloud = next(graph.subjects(SG.moniker, Literal(moniker)))
        links = " ".join(
            f'<a href="{escape(moniker)}/{escape(lang)}.html" hreflang="{escape(lang)}">'
            f"{escape(_language_name(lang))}</a>"
            for lang in corpus_languages(graph)
        )
        items.append(f"<li>{escape(_label(graph, cloud, 'en') or moniker)}: {links}</li>")
    downloads = "".join(f'<li><a href="../{name}">{name}</a></li>' for name in DOWNLOADS)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>supportgraph — support pages</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        "<h1>Microsoft 365 business support</h1>\n"
        f"<h2>{escape(UI['en']['clouds'])}</h2>\n<ul>{''.join(items)}</ul>\n"
        f"<h2>{escape(UI['en']['data'])}</h2>\n<ul>{downloads}"
        '<li><a href="../context.jsonld">context.jsonld</a></li></ul>\n</body>\n</html>\n'
    )


def site_files(
    graph: Graph,
    documents: dict[tuple[str, str | None], dict[str, Any]] | None = None,
    pages: dict[tuple[str, str], dict[str, bytes]] | None = None,
) -> dict[str, bytes]:
    """Every file of ``site/`` (path below it → bytes): index, pages and their JSON-LD.

    ``pages``: the files of each (moniker, language) made elsewhere (see
    :mod:`supportgraph.parallel`); ``documents``: the framed documents by
    (moniker, language), made here unless given (see
    :func:`supportgraph.framing.framed_documents`).
    """
    languages = corpus_languages(graph)
    if documents is None and pages is None:
        documents = framed_documents(graph, languages)
    files = {"index.html": index_page(graph).encode("utf-8")}
    for moniker in monikers(graph):
        index = cloud_index(graph, moniker) if pages is None else None
        for lang in languages:
            if pages is not None:
                files.update(pages[(moniker, lang)])
                continue
            document = documents[(moniker, lang)]
            data = canonical_json(document)
            page = cloud_page(
                graph,
                moniker,
                lang,
                document,
                index=index,
                languages=languages,
                document_json=data,
            )
            files[f"{moniker}/{lang}.jsonld"] = data
            files[f"{moniker}/{lang}.html"] = page.encode("utf-8")
    return files
