"""``OUT/site/``: one HTML page per cloud and language, with its JSON-LD embedded.

A page shows what a person needs (channels, numbers, hours, severity levels,
roles and responsibilities) in one language, with English where the graph
has no text in it, and carries the cloud's framed JSON-LD in
``<script type="application/ld+json">`` for machines. Pages are built with
the standard library: every text goes through ``html.escape``, and the
JSON-LD through :func:`supportgraph.jsonld.script_element`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from typing import Any

import langcodes
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from supportgraph.framing import framed_documents, monikers
from supportgraph.graph.vocabulary import CHANNEL_TYPES, DAYS, SCHEMA, SG
from supportgraph.jsonld import canonical_json, script_element
from supportgraph.validate import corpus_languages

__all__ = ["cloud_page", "index_page", "site_files", "text_in"]

# The words of the page around the data. Languages not listed get English.
UI: dict[str, dict[str, str]] = {
    "en": {
        "support": "support",
        "channels": "How to get support",
        "severities": "Severity levels",
        "roles": "Roles and responsibilities",
        "contact": "Contact",
        "phone": "Phone",
        "area": "Where",
        "type": "Support type",
        "language": "Language",
        "hours": "Hours",
        "severity": "Severity",
        "definition": "Definition",
        "response": "Initial response",
        "days": "{n} business day(s)",
        "holidays": "closed on public holidays",
        "languages": "Other languages",
        "data": "Data",
        "sources": "Source documents",
        "clouds": "Clouds",
        "all": "Support pages",
        "days_names": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    },
    "it": {
        "support": "supporto",
        "channels": "Come ottenere supporto",
        "severities": "Livelli di gravità",
        "roles": "Ruoli e responsabilità",
        "contact": "Contatto",
        "phone": "Telefono",
        "area": "Dove",
        "type": "Tipo di supporto",
        "language": "Lingua",
        "hours": "Orari",
        "severity": "Gravità",
        "definition": "Definizione",
        "response": "Risposta iniziale",
        "days": "{n} giorni lavorativi",
        "holidays": "chiuso nei giorni festivi",
        "languages": "Altre lingue",
        "data": "Dati",
        "sources": "Documenti di origine",
        "clouds": "Cloud",
        "all": "Pagine di supporto",
        "days_names": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    },
    "sv": {
        "support": "support",
        "channels": "Så får du support",
        "severities": "Allvarlighetsnivåer",
        "roles": "Roller och ansvar",
        "contact": "Kontakt",
        "phone": "Telefon",
        "area": "Var",
        "type": "Supporttyp",
        "language": "Språk",
        "hours": "Öppettider",
        "severity": "Allvarlighetsnivå",
        "definition": "Definition",
        "response": "Första svar",
        "days": "{n} arbetsdag(ar)",
        "holidays": "stängt på helgdagar",
        "languages": "Andra språk",
        "data": "Data",
        "sources": "Källdokument",
        "clouds": "Moln",
        "all": "Supportsidor",
        "days_names": "måndag tisdag onsdag torsdag fredag lördag söndag",
    },
}
DOWNLOADS = ("supportgraph.ttl", "supportgraph.trig", "supportgraph.nq", "supportgraph.jsonld")
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:72rem;margin:auto;padding:1rem;"
    "line-height:1.4}table{border-collapse:collapse;width:100%;margin-bottom:1rem}"
    "th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}nav a{margin-right:.8rem}"
)


def _ui(lang: str) -> dict[str, str]:
    return UI.get(lang.split("-")[0].lower(), UI["en"])


def text_in(graph: Graph, subject: Node, prop: URIRef, lang: str) -> str:
    """The text of ``prop`` in ``lang``, else in English, else any; the first in sort order."""
    values = sorted(o for o in graph.objects(subject, prop) if isinstance(o, Literal))
    for wanted in (lang, "en"):
        for value in values:
            tag = (value.language or "").lower()
            if tag == wanted.lower() or tag.startswith(wanted.lower() + "-"):
                return str(value)
    return str(values[0]) if values else ""


def _one(graph: Graph, subject: Node, prop: URIRef) -> Node | None:
    """The least value of a property (``Graph.value`` picks any one: pages must not vary)."""
    return min(graph.objects(subject, prop), default=None)


def _label(graph: Graph, node: Node, lang: str) -> str:
    return (
        text_in(graph, node, SKOS.prefLabel, lang)
        or text_in(graph, node, RDFS.label, lang)
        or text_in(graph, node, SCHEMA.name, lang)
    )


def _days(graph: Graph, hours: Node, lang: str) -> str:
    names = _ui(lang)["days_names"].split()
    present = [i for i, day in enumerate(DAYS) if (hours, SCHEMA.dayOfWeek, SCHEMA[day]) in graph]
    runs: list[list[int]] = []
    for index in present:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return ", ".join(
        names[run[0]] if len(run) == 1 else f"{names[run[0]]}–{names[run[-1]]}" for run in runs
    )


def _hours(graph: Graph, subject: Node, lang: str) -> list[str]:
    lines = []
    for hours in sorted(graph.objects(subject, SCHEMA.hoursAvailable)):
        text = _days(graph, hours, lang)
        opens, closes = _one(graph, hours, SCHEMA.opens), _one(graph, hours, SCHEMA.closes)
        if opens is not None and closes is not None:
            text += f" {str(opens)[:5]}–{str(closes)[:5]}"
        zone = _one(graph, hours, SG.timeZone)
        if zone is not None:
            text += f" ({zone})"
        if _one(graph, hours, SG.closedOnPublicHolidays):
            text += f", {_ui(lang)['holidays']}"
        lines.append(text)
    return lines


def _response(graph: Graph, severity: Node, lang: str) -> str:
    duration = _one(graph, severity, SG.initialResponse)
    days = _one(graph, severity, SG.initialResponseBusinessDays)
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
        parts.append(_ui(lang)["days"].format(n=int(days)))
    return ", ".join(parts)


def _cell(value: str | Iterable[str]) -> str:
    lines = [value] if isinstance(value, str) else list(value)
    return "<td>" + "<br>".join(escape(line) for line in lines) + "</td>"


def _row(cells: Iterable[str]) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


def _head(names: Iterable[str]) -> str:
    return "<tr>" + "".join(f"<th>{escape(n)}</th>" for n in names) + "</tr>"


def _channels(graph: Graph, cloud: Node, lang: str) -> list[str]:
    ui = _ui(lang)
    points = [
        cp for cp in graph.subjects(SG.cloud, cloud) if (cp, RDF.type, SCHEMA.ContactPoint) in graph
    ]
    html = [f'<section id="channels"><h2>{escape(ui["channels"])}</h2>']
    for channel in CHANNEL_TYPES.values():
        members = [cp for cp in points if (cp, SG.channelType, channel) in graph]
        if not members:
            continue
        rows = []
        for cp in members:
            number = _one(graph, cp, SCHEMA.telephone)
            contact = escape(_label(graph, cp, lang))
            urls = sorted(graph.objects(cp, SCHEMA.url))
            if urls:
                contact = f'<a href="{escape(str(urls[0]))}">{contact or escape(str(urls[0]))}</a>'
                contact += "".join(f' <a href="{escape(str(u))}">↗</a>' for u in urls[1:])
            phone = (
                f'<a href="tel:{escape(str(number))}">{escape(str(number))}</a>' if number else ""
            )
            area = _one(graph, cp, SCHEMA.areaServed)
            support = _one(graph, cp, SG.supportType)
            cells = [
                f"<td>{contact}</td>",
                f"<td>{phone}</td>",
                _cell(_label(graph, area, lang) if area is not None else ""),
                _cell(_label(graph, support, lang) if support is not None else ""),
                _cell(sorted(str(v) for v in graph.objects(cp, SCHEMA.availableLanguage))),
                _cell(_hours(graph, cp, lang)),
            ]
            sort_key = (
                _label(graph, area, lang) if area is not None else "",
                str(support or ""),
                str(number or ""),
                str(cp),
            )
            rows.append((sort_key, _row(cells)))
        columns = [ui[k] for k in ("contact", "phone", "area", "type", "language", "hours")]
        html.append(f"<h3>{escape(_label(graph, channel, lang))}</h3><table>")
        html.append(_head(columns))
        html.extend(row for _, row in sorted(rows))
        html.append("</table>")
    html.append("</section>")
    return html


def _severities(graph: Graph, cloud: Node, lang: str) -> list[str]:
    ui = _ui(lang)
    levels = sorted(
        (str(_one(graph, s, SKOS.notation)), s)
        for s in graph.subjects(SG.cloud, cloud)
        if (s, RDF.type, SG.SeverityLevel) in graph
    )
    if not levels:
        return []
    html = [f'<section id="severities"><h2>{escape(ui["severities"])}</h2><table>']
    html.append(_head([ui["severity"], ui["definition"], ui["response"], ui["hours"], ui["type"]]))
    for _, level in levels:
        types = sorted(_label(graph, t, lang) for t in graph.objects(level, SG.supportType))
        cells = [
            _cell(_label(graph, level, lang)),
            _cell(text_in(graph, level, SKOS.definition, lang)),
            _cell(_response(graph, level, lang)),
            _cell(_hours(graph, level, lang)),
            _cell(types),
        ]
        html.append(_row(cells))
    html.append("</table></section>")
    return html


def _responsibilities(graph: Graph, cloud: Node, lang: str) -> list[str]:
    roles = sorted(r for r in graph.subjects(SG.cloud, cloud) if (r, RDF.type, SG.Role) in graph)
    html = []
    for role in roles:
        duties = sorted(
            (str(_one(graph, r, SG.kind)), int(_one(graph, r, SCHEMA.position) or 0), str(r), r)
            for r in graph.subjects(SG.role, role)
            if (r, RDF.type, SG.Responsibility) in graph
        )
        if not duties:
            continue
        title = _label(graph, role, lang) or str(_one(graph, role, SG.roleName))
        html.append(f"<h3>{escape(title)}</h3><ul>")
        html.extend(f"<li>{escape(_label(graph, r, lang))}</li>" for *_, r in duties)
        html.append("</ul>")
    if not html:
        return []
    return [
        f'<section id="responsibilities"><h2>{escape(_ui(lang)["roles"])}</h2>',
        *html,
        "</section>",
    ]


def _sources(graph: Graph, cloud: Node) -> list[str]:
    documents = {
        doc
        for s in graph.subjects(SG.cloud, cloud)
        for doc in graph.objects(s, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    }
    return sorted(str(_one(graph, doc, SG.path) or doc) for doc in documents)


def _language_name(lang: str) -> str:
    return langcodes.Language.get(lang).display_name(lang)


def cloud_page(graph: Graph, moniker: str, lang: str, document: dict[str, Any]) -> str:
    """The HTML page of one cloud in one language, embedding its framed JSON-LD ``document``."""
    ui = _ui(lang)
    cloud = next(graph.subjects(SG.moniker, Literal(moniker)))
    title = f"{_label(graph, cloud, lang) or moniker} — {ui['support']}"
    languages = corpus_languages(graph) or [lang]
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
    sources = "".join(f"<li>{escape(path)}</li>" for path in _sources(graph, cloud))
    body = [
        *_channels(graph, cloud, lang),
        *_severities(graph, cloud, lang),
        *_responsibilities(graph, cloud, lang),
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{alternates}"
        f'<link rel="alternate" type="application/ld+json" href="{escape(lang)}.jsonld">\n'
        f"<style>{STYLE}</style>\n{script_element(document)}\n</head>\n<body>\n"
        f'<nav><a href="../index.html">{escape(ui["all"])}</a> '
        f"{escape(ui['languages'])}: {nav}</nav>\n"
        f"<h1>{escape(title)}</h1>\n<main>\n" + "\n".join(body) + "\n</main>\n"
        f"<footer><p>{escape(ui['data'])}: {downloads}</p>\n"
        f"<details><summary>{escape(ui['sources'])}</summary><ul>{sources}</ul></details>\n"
        "<p>Microsoft documentation, CC BY 4.0 "
        '(<a href="https://creativecommons.org/licenses/by/4.0/">licence</a>)</p></footer>\n'
        "</body>\n</html>\n"
    )


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
        for lang in languages:
            if pages is not None:
                files.update(pages[(moniker, lang)])
                continue
            document = documents[(moniker, lang)]
            files[f"{moniker}/{lang}.jsonld"] = canonical_json(document)
            files[f"{moniker}/{lang}.html"] = cloud_page(graph, moniker, lang, document).encode(
                "utf-8"
            )
    return files
