"""Stage 2, extract: documents → domain records, driven by one YAML mapping per page family.

A family mapping (``src/supportgraph/mappings/*.yaml``) names the pages it
serves and, per cloud and section anchor, the rule that reads that part of
the page. Pages translated without side-by-side spans are first aligned with
the English page of the same path. Every section with content that no rule
reads, and every segment that cannot be aligned, is reported.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from importlib.metadata import version
from typing import Any

import yaml

from supportgraph.errors import ExtractError
from supportgraph.extract import rules_country, rules_support, rules_table  # noqa: F401  (register rules)
from supportgraph.extract.context import Context
from supportgraph.extract.page import TOP, Page, align_by_structure
from supportgraph.extract.records import (
    Area,
    Cloud,
    ContactPoint,
    Divergence,
    Extraction,
    Problem,
    Record,
    SourceDocument,
    SupportOffer,
    Text,
)
from supportgraph.extract.rules import RULES
from supportgraph.extract.versions import version_divergences
from supportgraph.ingest import Document
from supportgraph.values import country_name, label_tags

__all__ = ["Extraction", "Family", "document_key", "extract", "families"]


@dataclass(frozen=True)
class Family:
    """A page family: which pages, which clouds, which rule reads which section."""

    name: str
    paths: tuple[str, ...]
    order: int
    clouds: dict[str, dict[str, str]]
    rules: tuple[dict[str, Any], ...]
    settings: dict[str, Any]

    def matches(self, relpath: str) -> bool:
        return any(fnmatch.fnmatchcase(relpath, pattern) for pattern in self.paths)


@cache
def families() -> tuple[Family, ...]:
    """The bundled family mappings, in the order their pages must be read."""
    found = []
    for entry in sorted(resources.files("supportgraph.mappings").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = yaml.safe_load(entry.read_text(encoding="utf-8"))
        rules = tuple(
            {**data.get("defaults", {}), **r, "family": data["family"]} for r in data["rules"]
        )
        unknown = sorted({r["rule"] for r in rules} - RULES.keys())
        if unknown:
            raise ExtractError(f"unknown rule(s) {unknown}", path=entry.name)
        found.append(
            Family(
                name=data["family"],
                paths=tuple(data["paths"]),
                order=int(data.get("order", 50)),
                clouds=data.get("clouds", {}),
                rules=rules,
                settings={k: v for k, v in data.items() if k not in ("rules", "paths")},
            )
        )
    return tuple(sorted(found, key=lambda f: (f.order, f.name)))


def document_key(document: Document) -> str:
    """The stable name of a source document: ``<locale>/<path below the locale folder>``."""
    return f"{document.locale}/{document.relpath}"


def extract(documents: Sequence[Document]) -> list[Extraction]:
    """Extract the records of every document (order-independent: the result is sorted)."""
    tags = label_tags({d.locale for d in documents} | {"en-US"})
    english = {d.relpath: d for d in documents if d.is_source}
    ctx = Context()
    for family in families():
        for slug, (label, pattern) in family.settings.get("regions", {}).items():
            ctx.regions[slug] = (label, pattern)

    def order(document: Document) -> tuple:
        family = _family_of(document)
        rank = family.order if family else 99
        return (rank, not document.is_source, document.locale, document.relpath)

    extractions = [_extract_one(d, ctx, tags, english) for d in sorted(documents, key=order)]
    extractions = version_divergences(extractions)
    reference = reference_labels(ctx, extractions, sorted(set(tags.values())))
    return [*extractions, reference] if reference.records else extractions


def reference_labels(
    ctx: Context, extractions: Sequence[Extraction], languages: Sequence[str]
) -> Extraction:
    """Country names in the corpus languages no drop-down list gives, from pycountry.

    They are the statements of a reference source of their own (its named graph
    says where each label comes from), not of any page.
    """
    labelled = {
        (record.slug, text.lang)
        for extraction in extractions
        for record in extraction.records
        if isinstance(record, Area)
        for text in record.labels
    }
    areas = []
    for area in sorted(ctx.by_slug.values(), key=lambda a: a.slug):
        names = tuple(
            Text(name, lang)
            for lang in languages
            if (area.slug, lang) not in labelled
            and area.code
            and (name := country_name(area.code, lang))
        )
        if names:
            areas.append(Area(area.slug, area.code, labels=names))
    stated = sorted({text.lang for area in areas for text in area.labels})
    document = SourceDocument(
        key=("reference", "pycountry", "iso3166-1"),
        path=f"pycountry {version('pycountry')}: iso3166-1 translations",
        relpath="iso3166-1",
        locale="",
        lang=stated[0] if stated else "",
        translation_type=None,
        family="reference-data",
        title="ISO 3166-1 country names and their translations (pycountry)",
        languages=tuple(stated),
    )
    return Extraction(document, records=tuple(areas))


def _family_of(document: Document) -> Family | None:
    return next((f for f in families() if f.matches(document.relpath)), None)


def _extract_one(
    document: Document, ctx: Context, tags: dict[str, str], english: dict[str, Document]
) -> Extraction:
    family = _family_of(document)
    lang = tags.get(document.locale, "en")
    unaligned: tuple[str, ...] = ()
    states_source = document.is_source or document.segmented
    if not states_source and document.relpath in english:
        document, unaligned = align_by_structure(document, english[document.relpath])
    page = Page(document, lang, states_source)
    source = _source_document(document, lang, family.name if family else "unmapped")
    if family is None:
        return Extraction(source, problems=("no family mapping serves this page",))
    records: list[Record] = [_cloud(family, c) for c in document.clouds]
    divergences: list[Divergence] = []
    problems: list[Problem] = []
    read: set[tuple[str | None, str]] = set()
    for spec in family.rules:
        spec = {**family.settings, **spec}
        read.add((spec.get("cloud"), spec["section"]))
        read.update((spec.get("cloud"), section) for section in spec.get("reads", ()))
        try:
            for item in RULES[spec["rule"]](page, ctx, spec):
                if isinstance(item, Divergence):
                    divergences.append(item)
                elif isinstance(item, Problem):
                    problems.append(item)
                else:
                    records.append(item)  # type: ignore[arg-type]
        except ExtractError as error:
            where = f"{spec.get('cloud') or ''} {spec['section']}".strip()
            raise ExtractError(f"{where}: {error.message}", path=document.path) from None
    return Extraction(
        source,
        records=tuple(offer_hours_to_lines(records)),
        divergences=tuple(divergences),
        unaligned=unaligned,
        problems=tuple(p.message for p in problems) + tuple(_unread(page, read)),
        failures=tuple(p.message for p in problems if p.failed),
    )


def offer_hours_to_lines(records: list[Record]) -> list[Record]:
    """Lines that state no hours take those of their cloud's offering of the support type.

    (21Vianet's pre-sales and billing support share the technical number; their
    hours are stated in their own sections.)
    """
    hours = {(r.cloud, r.support_type): r.hours for r in records if isinstance(r, SupportOffer)}
    return [
        replace(r, hours=hours.get((r.cloud, r.support_type), ()))
        if isinstance(r, ContactPoint) and not r.hours and r.support_type
        else r
        for r in records
    ]


def _cloud(family: Family, moniker: str) -> Cloud:
    info = family.clouds.get(moniker, {})
    label = info.get("label")
    return Cloud(
        moniker,
        labels=(Text(label, "en"),) if label else (),
        provider=info.get("provider"),
        provider_label=family.settings.get("providers", {}).get(info.get("provider")),
    )


def _unread(page: Page, read: set[tuple[str | None, str]]) -> Iterable[str]:
    """Sections with content that no rule of the family reads."""
    tops = {s.key for s in page.document.sections if s.level == 1} | {"top"}
    seen: set[tuple[str | None, str]] = set()
    for block in page.document.blocks:
        section = TOP if block.section in tops else block.section
        place = (block.cloud, section)
        if block.kind == "heading" or place in seen:
            continue
        seen.add(place)
        if place not in read and (None, section) not in read:
            yield f"section {block.section!r} of cloud {block.cloud or '(all)'} is not mapped"


def _source_document(document: Document, lang: str, family: str) -> SourceDocument:
    fm = document.front_matter

    def text(key: str) -> str | None:
        value = fm.get(key)
        return None if value is None else str(value)

    return SourceDocument(
        key=("document", document.locale, document.relpath.removesuffix(".md")),
        path=f"{document.locale}/{document.relpath}",
        relpath=document.relpath,
        locale=document.locale,
        lang=lang,
        translation_type=document.translation_type,
        family=family,
        title=document.title,
        date=text("ms.date"),
        last_handoff=text("ms.lasthandoff"),
        locfileid=text("ms.locfileid"),
    )
