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
from typing import Any

import yaml

from supportgraph.errors import ExtractError
from supportgraph.extract import rules_country, rules_support  # noqa: F401  (register rules)
from supportgraph.extract.context import Context
from supportgraph.extract.page import TOP, Page, align_by_structure
from supportgraph.extract.records import (
    Cloud,
    ContactPoint,
    Divergence,
    Extraction,
    Record,
    SourceDocument,
    SupportOffer,
    Text,
)
from supportgraph.extract.rules import RULES
from supportgraph.ingest import Document
from supportgraph.values import label_tags

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

    return [_extract_one(d, ctx, tags, english) for d in sorted(documents, key=order)]


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
    read: set[tuple[str | None, str]] = set()
    for spec in family.rules:
        spec = {**family.settings, **spec}
        read.add((spec.get("cloud"), spec["section"]))
        try:
            for item in RULES[spec["rule"]](page, ctx, spec):
                (divergences if isinstance(item, Divergence) else records).append(item)  # type: ignore[arg-type]
        except ExtractError as error:
            where = f"{spec.get('cloud') or ''} {spec['section']}".strip()
            raise ExtractError(f"{where}: {error.message}", path=document.path) from None
    return Extraction(
        source,
        records=tuple(offer_hours_to_lines(records)),
        divergences=tuple(divergences),
        unaligned=unaligned,
        problems=tuple(_unread(page, read)),
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
