"""The "assisted support" rule: a list of assisted channels and a table of phone lines.

Office 365 Germany's page gives, per area served, a number and one hours
cell: "Billing Support: German: Mon-Fri 9-5 Berlin English: ... Technical
Support: ... Alternative Phone Number: 069 ... (Local call charges apply)",
followed by notes on charges. As everywhere, facts come from the English
source text and labels from the localized text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from supportgraph.extract.context import Context
from supportgraph.extract.page import Page, lists, paragraphs, rows, sentences
from supportgraph.extract.records import Area, ContactPoint, Role, Text
from supportgraph.extract.rules import Rule, rule
from supportgraph.ingest import Block
from supportgraph.values import (
    PhoneNumber,
    find_phones,
    language_tag,
    parse_hours_with_exceptions,
    parse_phone,
    split_languages,
)

LANGUAGE_HOURS = re.compile(
    r"(?P<language>[A-Z][a-z]+(?: \([A-Za-z]+\))?(?: and [A-Z][a-z]+)?): "
    r"(?P<hours>.+?)(?= [A-Z][a-z]+(?: \([A-Za-z]+\))?(?: and [A-Z][a-z]+)?: |$)"
)
# A new sentence after an hours statement: a capitalised word, then a lower-case one.
SENTENCE_START = re.compile(r"\s+(?=(?!(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|UTC)\b)[A-Z][a-z]+ [a-z])")


@rule("assisted-support")
def assisted_support(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """A list of assisted channels (online request, call) and a table of phone lines.

    Table columns (from the mapping): the area served, the number, and the
    hours cell: "Billing Support: German: Mon-Fri 9-5 Berlin English: ...
    Technical Support: ... Alternative Phone Number: 069 ... (Local call
    charges apply)" followed by notes on charges.
    """
    cloud = spec["cloud"]
    blocks = page.blocks(cloud, spec["section"])
    names: dict[str, str] = spec["support_type_names"]
    items = next(iter(lists(blocks)), [])
    descriptions = tuple(t for b in paragraphs(blocks) for t in page.block_texts(b))
    if items:
        yield ContactPoint(
            cloud=cloud,
            channel="online",
            audience=spec.get("audience"),
            labels=page.block_texts(items[0]),
            descriptions=descriptions,
        )
    call_texts = page.block_texts(items[1]) if len(items) > 1 else ()
    columns = spec["columns"]
    for row in rows(blocks):
        area_cell, number_cell, hours_cell = (
            row.get(columns[c]) for c in ("area", "telephone", "hours")
        )
        if area_cell is None or number_cell is None or hours_cell is None:
            continue
        area = ctx.area(page.source(area_cell))
        if area is not None and area.kind == "region":
            # A region is named by the cell in every language ("All other markets ...").
            area = replace(area, labels=area.labels + page.block_texts(area_cell))
        region = spec.get("region")
        number = parse_phone(number_cell.text, region)
        yield from _phone_cell(page, ctx, spec, area, number, hours_cell, names, call_texts)
    if spec.get("audience"):
        yield Role(cloud, spec["audience"])


def _phone_cell(
    page: Page,
    ctx: Context,
    spec: Rule,
    area: Area | None,
    number: PhoneNumber,
    cell: Block,
    names: dict[str, str],
    call_texts: tuple[Text, ...],
) -> Iterator[object]:
    """The contact points of one hours cell: per support type and language, plus alternatives."""
    entries: list[tuple[str, str, str, str]] = []  # (support type, language, hours, entry)
    alternative: tuple[PhoneNumber, str | None] | None = None
    notes: list[str] = []
    for support_type, text in _support_chunks(page.source(cell), names):
        if support_type == "alternative":
            found = find_phones(text, spec.get("region"))
            alternative = found[0] if found else None
        elif support_type is None:
            notes.extend(sentences(text))
        else:
            for match in LANGUAGE_HOURS.finditer(text):
                hours_text, tail = _split_tail(match["hours"])
                notes.extend(sentences(tail))
                entries.extend(
                    (support_type, name, hours_text, f"{match['language']}: {hours_text}")
                    for name in split_languages(match["language"])
                )
    charges = tuple(
        t for n in notes if "charge" in n.casefold() for t in _note_texts(page, cell, n)
    )
    others = tuple(
        t for n in notes if "charge" not in n.casefold() for t in _note_texts(page, cell, n)
    )
    zone = ctx.time_zone(area) or ctx.time_zone(ctx.area_by_code(spec.get("region") or ""))
    for support_type, language, hours_text, entry in entries:
        hours, _ = parse_hours_with_exceptions(hours_text)
        main = ContactPoint(
            cloud=spec["cloud"],
            channel="phone",
            support_type=support_type,
            area=area,
            language=language_tag(language),
            telephone=number,
            hours=hours,
            inferred_time_zone=zone,
            audience=spec.get("audience"),
            labels=_entry_labels(page, cell, entry) or call_texts,
            descriptions=call_texts,
            notes=others,
            charge_notes=charges,
        )
        yield main
        if alternative is not None:
            yield replace(
                main,
                telephone=alternative[0],
                alternative_of=main.key,
                charge_notes=_note_texts(page, cell, alternative[1]),
            )


def _support_chunks(source: str, names: dict[str, str]) -> list[tuple[str | None, str]]:
    """Cut an hours cell at "Billing Support:", "Technical Support:" and "Alternative ..."."""
    markers = {f"{name}:": notation for notation, name in names.items()}
    markers["Alternative Phone Number:"] = "alternative"
    pattern = "|".join(re.escape(m) for m in markers)
    chunks: list[tuple[str | None, str]] = []
    current: str | None = None
    for piece in re.split(f"({pattern})", source, flags=re.IGNORECASE):
        piece = piece.strip()
        if not piece:
            continue
        marker = next((v for k, v in markers.items() if k.casefold() == piece.casefold()), "")
        if marker:
            current = marker
        else:
            chunks.append((current, piece))
    return chunks


def _split_tail(hours_text: str) -> tuple[str, str]:
    """Separate sentences that follow an hours statement ("... 7 days a week Telephone ...")."""
    match = SENTENCE_START.search(hours_text)
    if match is None:
        return hours_text, ""
    return hours_text[: match.start()], hours_text[match.end() :]


def _entry_labels(page: Page, cell: Block, entry: str) -> tuple[Text, ...]:
    """The labels of one "Language: hours" entry of a cell.

    A side-by-side page has a segment per entry; an English page whose cell
    is one run of text gives the entry's own text.
    """
    return page.part_texts(cell, entry, exact=True)


def _note_texts(page: Page, cell: Block, note: str | None) -> tuple[Text, ...]:
    """The labels of a note inside a cell: the segment that states it."""
    return page.part_texts(cell, note, exact=False) if note else ()
