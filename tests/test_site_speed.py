"""Pages made from a cloud's index are those made from the merged graph, byte for byte.

:func:`supportgraph.site.cloud_page` reads a :class:`~supportgraph.site.CloudIndex`
(the triples its pages read, in dicts, shared by the cloud's languages)
instead of querying the merged graph per page, and embeds the JSON the
caller has written already. The reference below is the page code before
that change (commit 997cdf2), verbatim but for its names; every page of the
bundled corpus and pages of hand-altered graphs must equal its output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import langcodes
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from supportgraph.build import build_dataset_from
from supportgraph.errors import SupportGraphError
from supportgraph.framing import (
    CloudTriples,
    _frame_with_pyld,
    _framer,
    _in_language,
    cloud_graph,
    cloud_triples,
    frame_organization,
    monikers,
)
from supportgraph.framing_fast import _collect_strings
from supportgraph.graph.vocabulary import CHANNEL_TYPES, DAYS, SCHEMA, SG
from supportgraph.jsonld import canonical_json, context, script_element
from supportgraph.parallel import _SHARED, _page
from supportgraph.site import (
    DOWNLOADS,
    STYLE,
    _cell,
    _head,
    _row,
    cloud_index,
    cloud_page,
    site_files,
)
from supportgraph.site_words import ui_words as _ui
from supportgraph.validate import corpus_languages, default_graph

CORPUS = Path(__file__).parents[1] / "corpus"

# ------------------------------------------------------------- reference


def _reference_text_in(graph: Graph, subject: Node, prop: URIRef, lang: str) -> str:
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
        _reference_text_in(graph, node, SKOS.prefLabel, lang)
        or _reference_text_in(graph, node, RDFS.label, lang)
        or _reference_text_in(graph, node, SCHEMA.name, lang)
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
            _cell(_reference_text_in(graph, level, SKOS.definition, lang)),
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


def _reference_cloud_page(graph: Graph, moniker: str, lang: str, document: dict[str, Any]) -> str:
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


# ----------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def merged() -> Graph:
    return default_graph(build_dataset_from([CORPUS])[0])


def _pages(graph: Graph) -> Iterator[tuple[str, str]]:
    for moniker in monikers(graph):
        for lang in corpus_languages(graph):
            yield moniker, lang


def test_every_page_of_the_corpus_is_the_reference_page(merged: Graph) -> None:
    languages = corpus_languages(merged)
    indexes = {moniker: cloud_index(merged, moniker) for moniker in monikers(merged)}
    for moniker, lang in _pages(merged):
        document = frame_organization(cloud_graph(merged, moniker), lang)
        reference = _reference_cloud_page(merged, moniker, lang, document)
        assert cloud_page(merged, moniker, lang, document) == reference
        shared = cloud_page(
            None,
            moniker,
            lang,
            document,
            index=indexes[moniker],
            languages=languages,
            document_json=canonical_json(document),
        )
        assert shared == reference, (moniker, lang)


def test_a_worker_makes_the_reference_files(merged: Graph) -> None:
    languages = corpus_languages(merged)
    subgraphs = {moniker: cloud_graph(merged, moniker) for moniker in monikers(merged)}
    _SHARED.update(merged=merged, languages=languages, subgraphs=subgraphs)
    try:
        site = site_files(merged)
        for moniker, lang in _pages(merged):
            files = _page(moniker, lang)
            document = frame_organization(subgraphs[moniker], lang)
            html = _reference_cloud_page(merged, moniker, lang, document).encode("utf-8")
            assert files[f"{moniker}/{lang}.html"] == html == site[f"{moniker}/{lang}.html"]
            data = canonical_json(document)
            assert files[f"{moniker}/{lang}.jsonld"] == data == site[f"{moniker}/{lang}.jsonld"]
    finally:
        _SHARED.clear()


def _altered(merged: Graph) -> Graph:
    """A copy with awkward values: hostile text, several URLs, hours and labels, no labels."""
    graph = Graph()
    for triple in merged:
        graph.add(triple)
    cloud = next(graph.subjects(SG.moniker, Literal("o365-21vianet")))
    points = sorted(
        s for s in graph.subjects(SG.cloud, cloud) if (s, SCHEMA.telephone, None) in graph
    )
    first, second = points[0], points[-1]
    graph.add(
        (first, RDFS.label, Literal("</script><script>alert(1)</script> & \u2028", lang="sv"))
    )
    graph.add((first, SCHEMA.url, URIRef("https://example.org/b?x=1&y=<2>")))
    graph.add((first, SCHEMA.url, URIRef("https://example.org/a")))
    graph.add((first, SCHEMA.availableLanguage, Literal("zz")))
    for label in list(graph.objects(second, RDFS.label)):
        graph.remove((second, RDFS.label, label))
    hours = URIRef("https://w3id.org/supportgraph/id/test-hours")
    graph.add((second, SCHEMA.hoursAvailable, hours))
    for day in ("Monday", "Wednesday", "Thursday", "Friday", "Sunday"):
        graph.add((hours, SCHEMA.dayOfWeek, SCHEMA[day]))
    graph.add((hours, SG.timeZone, Literal("Asia/Shanghai")))
    graph.add((hours, SG.closedOnPublicHolidays, Literal(True)))
    graph.add((cloud, SKOS.prefLabel, Literal("Le cloud", lang="fr")))
    return graph


def test_pages_of_an_altered_graph_are_the_reference_pages(merged: Graph) -> None:
    graph = _altered(merged)
    index = cloud_index(graph, "o365-21vianet")
    for lang in [*corpus_languages(graph), "fr", "zh-Hans"]:
        document = frame_organization(cloud_graph(graph, "o365-21vianet"), lang)
        reference = _reference_cloud_page(graph, "o365-21vianet", lang, document)
        page = cloud_page(
            graph,
            "o365-21vianet",
            lang,
            document,
            index=index,
            document_json=canonical_json(document),
        )
        assert page == reference, lang


@pytest.mark.parametrize(
    "text",
    ["plain", "</script><!-- <SCRIPT>", "a & b > c", "\u2028\u2029", "é 中文 \U0001f600", ""],
)
def test_the_script_element_from_written_json_is_script_element(text: str) -> None:
    document: dict[str, Any] = {
        "@context": {"@language": "sv"},
        "name": text,
        "list": [text, {"@id": text, "n": 1}],
        "empty": {},
    }
    # The escaping as it was first written (str.translate), for both ways in.
    escapes = str.maketrans(
        {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
    )
    text = canonical_json(document).decode("utf-8").rstrip("\n").translate(escapes)
    reference = f'<script type="application/ld+json">\n{text}\n</script>'
    assert script_element(canonical_json(document)) == script_element(document) == reference


def test_an_index_needs_a_known_cloud(merged: Graph) -> None:
    with pytest.raises(
        SupportGraphError,
        match="no cloud with moniker 'no-such-cloud'; the graph has: "
        "o365-21vianet, o365-germany, o365-worldwide",
    ):
        cloud_index(merged, "no-such-cloud")
    with pytest.raises(ValueError):
        cloud_page(None, "o365-21vianet", "en", {})


# --------------------------------------------------- framing per language

ID = "https://w3id.org/supportgraph/id/"


def _layered_graph() -> Graph:
    """Nodes whose only values are text (in some languages), and text beside untagged values."""
    graph = Graph()
    org = URIRef(ID + "organization/org")
    graph.add((org, RDF.type, SCHEMA.Organization))
    graph.add((org, SCHEMA.name, Literal("Contoso", lang="en")))
    area = URIRef(ID + "area/text-only")  # no type, no untagged value: text only
    graph.add((area, SCHEMA.name, Literal("Sweden", lang="en")))
    graph.add((area, SCHEMA.name, Literal("Sverige", lang="sv")))
    for name in ("a", "b"):
        cp = URIRef(ID + f"contact-point/{name}")
        graph.add((org, SCHEMA.contactPoint, cp))
        graph.add((cp, RDF.type, SCHEMA.ContactPoint))
        graph.add((cp, SCHEMA.areaServed, area))
        graph.add((cp, SCHEMA.name, Literal(f"line {name}")))  # untagged beside tagged
        graph.add((cp, SCHEMA.name, Literal(f"linje {name}", lang="sv-SE")))
        graph.add((cp, SCHEMA.description, Literal(f"{name} (it)", lang="it")))
    return graph


def _pyld_framing(graph: Graph, lang: str | None) -> dict[str, Any]:
    ctx = context()
    triples: Any = list(graph)
    if lang is not None:
        triples = _in_language(graph, lang)
        ctx = {**ctx, "@language": lang}
    return _frame_with_pyld(triples, ctx)


@pytest.mark.parametrize("lang", [None, "en", "sv", "it", "fr"])
def test_text_only_nodes_and_mixed_values_are_framed_as_pyld_frames_them(lang: str | None) -> None:
    graph = _layered_graph()
    shared = CloudTriples(graph)
    reference = _pyld_framing(graph, lang)
    for document in (frame_organization(graph, lang), frame_organization(shared, lang)):
        assert json.dumps(document, ensure_ascii=False) == json.dumps(reference, ensure_ascii=False)
        assert canonical_json(document) == canonical_json(reference)


@pytest.mark.parametrize("lang", [None, "sv"])
def test_text_under_contact_point_is_left_to_pyld(lang: str | None) -> None:
    graph = _layered_graph()
    org = URIRef(ID + "organization/org")
    graph.add((org, SCHEMA.contactPoint, Literal("not a node", lang="sv")))
    cloud = CloudTriples(graph)
    assert _framer(lang).frame_nodes(cloud.nodes(), cloud.in_language(lang)) is None
    assert frame_organization(cloud, lang) == _pyld_framing(graph, lang)


def test_a_blank_node_with_text_is_left_to_pyld() -> None:
    graph = _layered_graph()
    graph.add((BNode(), SCHEMA.name, Literal("anonymous", lang="sv")))
    assert CloudTriples(graph).nodes() is None
    assert frame_organization(graph, "sv") == _pyld_framing(graph, "sv")


def test_several_organizations_are_framed_under_graph() -> None:
    graph = _layered_graph()
    other = URIRef(ID + "organization/other")
    graph.add((other, RDF.type, SCHEMA.Organization))
    graph.add((other, SCHEMA.name, Literal("Fabrikam", lang="sv")))
    graph.add((other, SCHEMA.contactPoint, URIRef(ID + "contact-point/a")))
    for lang in (None, "sv", "en"):
        document = frame_organization(graph, lang)
        reference = _pyld_framing(graph, lang)
        assert json.dumps(document, ensure_ascii=False) == json.dumps(reference, ensure_ascii=False)


def test_the_triples_from_an_index_are_the_cloud_graph(merged: Graph) -> None:
    for moniker in monikers(merged):
        index = cloud_index(merged, moniker)
        triples = cloud_triples(index.values, index.cloud, index.members)
        subgraph = cloud_graph(merged, moniker)
        assert len(triples) == len(set(triples)) == len(subgraph)
        assert set(triples) == set(subgraph)
        for lang in (None, *corpus_languages(merged)):
            framed = frame_organization(CloudTriples(triples), lang)
            assert canonical_json(framed) == canonical_json(frame_organization(subgraph, lang))


def test_an_unknown_moniker_names_the_known_ones(merged: Graph) -> None:
    with pytest.raises(SupportGraphError, match="o365-worldwide"):
        cloud_graph(merged, "no-such-cloud")


@pytest.mark.parametrize("graph_of", ["corpus", "layered", "two organizations"])
def test_the_strings_gathered_while_framing_are_the_documents(merged: Graph, graph_of: str) -> None:
    if graph_of == "corpus":
        clouds = [CloudTriples(cloud_graph(merged, moniker)) for moniker in monikers(merged)]
    else:
        graph = _layered_graph()
        if graph_of == "two organizations":
            other = URIRef(ID + "organization/other")
            graph.add((other, RDF.type, SCHEMA.Organization))
            graph.add((other, SCHEMA.contactPoint, URIRef(ID + "contact-point/a")))
        clouds = [CloudTriples(graph)]
    for cloud in clouds:
        for lang in (None, "en", "sv", "it"):
            used: set[str] = set()
            framed = _framer(lang).frame_nodes(cloud.nodes(), cloud.in_language(lang), used)
            expected: set[str] = set()
            _collect_strings(framed, expected)
            assert used == expected
