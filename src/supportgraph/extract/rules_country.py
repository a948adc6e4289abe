"""Named rules for the country and region pages (the second page family).

``country-list`` reads the drop-down include (the countries and regions the
worldwide cloud serves); ``country-page`` turns one country's page into its
phone lines: one contact point per (cloud, area, support type, language, plan,
number), alternatives pointing at their main line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from supportgraph.extract.context import Context, fold
from supportgraph.extract.page import Page, lists
from supportgraph.extract.records import Area, ContactPoint, Problem, Role, Text
from supportgraph.extract.rules import Rule, rule
from supportgraph.extract.rules_country_lines import Part, Stated, read_parts
from supportgraph.ingest import Block
from supportgraph.values import (
    COUNTRIES_WITHOUT_ISO_CODE,
    SHARED_CODES,
    country_from_page,
)

PAGE_LINK = re.compile(r"(?:^|/)(?P<slug>[a-z0-9-]+)\.md$")


@rule("country-list")
def country_list(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """The drop-down list of countries and regions: one area per linked page.

    The English list gives each page its ISO code; a translated list gives
    the names in its language (and so lets a translated sentence that names
    a country be read).
    """
    for items in lists(page.document.blocks):
        for item in items:
            for link in item.links:
                match = PAGE_LINK.search(link.target)
                if match is None:
                    continue
                slug = match["slug"]
                known = ctx.by_slug.get(slug)
                if page.document.is_source or known is None:
                    ref = country_from_page(slug, link.text if page.lang == "en" else slug)
                    code, subdivision = ref.code, ref.subdivision
                else:
                    code, subdivision = known.code, known.subdivision
                area = Area(
                    slug=slug,
                    code=code,
                    labels=(Text(link.text, page.lang),),
                    page=link.target,
                    subdivision=subdivision,
                    code_note=_code_note(slug, code),
                )
                if page.document.is_source:
                    ctx.add_area(area, link.text)
                else:
                    for text in area.labels:
                        ctx.localized.setdefault(text.lang, {})[fold(text.value)] = known or area
                yield area


def _code_note(slug: str, code: str | None) -> str | None:
    """Why an area has no ISO 3166-1 code of its own, or shares one."""
    if slug in COUNTRIES_WITHOUT_ISO_CODE:
        return COUNTRIES_WITHOUT_ISO_CODE[slug]
    if code in SHARED_CODES and slug in SHARED_CODES[code]:
        others = ", ".join(sorted(SHARED_CODES[code] - {slug}))
        return f"one of the pages for ISO 3166-1 {code}, with {others}"
    return None


@rule("country-page")
def country_page(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """A country's support page: its numbers, with hours per support type and language.

    The area is the drop-down entry of the page's slug. Hours name their zone
    or take the area's (``time_zones`` of the mapping, else zone.tab), which
    the graph marks as inferred. A page without a valid number says why.
    """
    slug = page.document.relpath.rsplit("/", 1)[-1].removesuffix(".md")
    area = ctx.by_slug.get(slug)
    if area is None:
        yield Problem(f"page {slug!r} is not in the country list; expected a drop-down entry")
        return
    zone = spec.get("time_zones", {}).get(slug) or ctx.time_zone(area)
    parts, out = read_parts(page, spec, area.code)
    yield from out
    lines = [line for part in parts for line in _lines(page, spec, part, area, zone)]
    if spec.get("audience"):
        for cloud in sorted({cp.cloud for cp in lines if cp.audience}):
            yield Role(cloud, spec["audience"])
    yield from lines
    if not any(cp.telephone for cp in lines if cp.cloud == spec["serves"]):
        yield Problem(_no_number(page, parts))


def _no_number(page: Page, parts: list[Part]) -> str:
    main = parts[0]
    if main.unavailable and not main.numbers:
        return f"no phone number: the page states {page.source(main.unavailable[0])!r}"
    issues = "; ".join(s.issue for s in main.numbers if s.issue) or "no number found"
    return f"no E.164 number: {issues} (kept as stated)"


def _lines(page: Page, spec: Rule, part: Part, area: Area, zone: str | None) -> list[ContactPoint]:
    texts = page.block_texts
    common = {"cloud": part.cloud, "area": area, "inferred_time_zone": zone}
    lines: list[ContactPoint] = []
    for entry in part.entries:
        base = ContactPoint(
            channel=entry.channel,
            support_type=entry.support_type,
            hours=entry.hours,
            audience=spec.get("audience") if entry.channel == "phone" else None,
            labels=texts(entry.block),
            notes=_all(page, entry.notes),
            conditional_hours=entry.conditional,
            conditions=entry.condition,
            plan=entry.plan,
            **common,
        )
        if entry.channel != "phone":
            lines += [replace(base, language=lang) for lang in entry.languages]
            continue
        for number in part.numbers:
            if entry.plan not in (None, number.plan):
                continue
            main = _reached_on(page, spec, base, number, part.charges)
            for language in entry.languages:
                line = replace(main, language=language)
                lines.append(line)
                lines += _alternatives(page, spec, part, replace(line, notes=base.notes))
    if part.unavailable and not part.numbers:
        lines += _unavailable(page, spec, part, common)
    for channel, blocks in part.channels.items():
        heading, *rest = blocks
        lines.append(
            ContactPoint(
                channel=channel, labels=texts(heading), descriptions=_all(page, rest), **common
            )
        )
    return lines


def _alternatives(page: Page, spec: Rule, part: Part, main: ContactPoint) -> list[ContactPoint]:
    """The alternative numbers of a line: the same hours, another number, its own notes."""
    return [
        replace(
            _reached_on(page, spec, main, alternative, part.alternative_charges),
            alternative_of=main.key,
            labels=page.block_texts(alternative.block),
        )
        for alternative in part.alternatives
        if alternative.plan in (None, main.plan)
    ]


def _reached_on(
    page: Page, spec: Rule, line: ContactPoint, number: Stated, charges: list[Block]
) -> ContactPoint:
    """A line reached on a number.

    E.164 where valid (for an access number, the number dialled after it), the
    number as stated where it is not valid, instructions, notes and charge notes.
    """
    charge = any(word in (number.note or "").casefold() for word in spec["phrases"]["charges"])
    phone = number.then_dial or number.phone
    # A note that only repeats the plan ("Office 365 Enterprise") is the plan, not a note.
    notes = () if charge or number.note == number.plan else number.notes
    return replace(
        line,
        telephone=phone,
        plan=number.plan,
        access_number=number.text if number.then_dial else None,
        stated_number=number.text if number.issue and not number.then_dial else None,
        number_issue=number.issue if phone is None or not number.then_dial else None,
        instructions=_joined(_all(page, number.instructions)),
        descriptions=page.block_texts(number.block),
        charge_notes=_all(page, [*number.charges, *charges]) + (number.notes if charge else ()),
        notes=line.notes + _all(page, number.note_blocks),
        number_notes=notes,
    )


def _unavailable(page: Page, spec: Rule, part: Part, common: dict) -> list[ContactPoint]:
    """A page that states there is no phone support: online support for each support type."""
    notes, label = _all(page, part.unavailable), page.block_texts(part.unavailable[0])
    return [
        ContactPoint(channel="online", support_type=kind, notes=notes, labels=label, **common)
        for kind in spec["support_type_names"]
    ]


def _joined(texts: tuple[Text, ...]) -> tuple[Text, ...]:
    """Instruction lines as one text per language: "Select option 4 / Enter code 7007",
    and "After dialing, enter" + "+1877 857 3235" as the one sentence it is."""
    joined: dict[str, str] = {}
    for text in texts:
        before = joined.get(text.lang)
        if before is None:
            joined[text.lang] = text.value
        elif before[-1:].isalpha() and text.value[:1] in "+0123456789":
            joined[text.lang] = f"{before} {text.value}"
        else:
            joined[text.lang] = f"{before} / {text.value}"
    return tuple(Text(value, lang) for lang, value in joined.items())


def _all(page: Page, blocks: list[Block]) -> tuple[Text, ...]:
    """The labels of some blocks, each text once."""
    texts: dict[tuple[str, str], Text] = {}
    for block in blocks:
        for text in page.block_texts(block):
            texts.setdefault((text.value, text.lang), text)
    return tuple(texts.values())
