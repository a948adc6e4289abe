"""Named extraction rules for channels, phone lines, roles and descriptions.

A rule reads the blocks of one section of one cloud (chosen by the family's
YAML mapping) and returns records. Facts are read from the English source
text of each block; labels come from the localized text. The few English
phrases matched here are phrases of the *source* text, never of a
translation, so the rules serve any locale.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from supportgraph.errors import ExtractError
from supportgraph.extract.context import Context
from supportgraph.extract.page import Page, alerts, lists, paragraphs, rows, sentences
from supportgraph.extract.records import (
    Area,
    Cloud,
    Concept,
    ContactPoint,
    Divergence,
    Responsibility,
    Role,
    Step,
    Text,
)
from supportgraph.ingest import Block
from supportgraph.values import (
    OpeningHours,
    PhoneNumber,
    find_phones,
    language_tag,
    parse_hours_with_exceptions,
    parse_phone,
    split_hours_sentence,
    split_languages,
)

Rule = dict[str, Any]
RuleFunction = Callable[[Page, Context, Rule], Iterable[object]]
RULES: dict[str, RuleFunction] = {}

CALL = re.compile(r"^In (?P<place>.+?), call (?P<number>\+?[\d(][\d ()\-.]*\d)\.?$")
PROVIDED_IN = re.compile(r"\bin (?P<languages>[A-Z][a-z]+(?:(?:, | and )[A-Z][a-z]+)*)\b")
LANGUAGE_HOURS = re.compile(
    r"(?P<language>[A-Z][a-z]+(?: \([A-Za-z]+\))?(?: and [A-Z][a-z]+)?): "
    r"(?P<hours>.+?)(?= [A-Z][a-z]+(?: \([A-Za-z]+\))?(?: and [A-Z][a-z]+)?: |$)"
)
# A new sentence after an hours statement: a capitalised word, then a lower-case one.
SENTENCE_START = re.compile(r"\s+(?=(?!(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|UTC)\b)[A-Z][a-z]+ [a-z])")


def rule(name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function under the name the YAML mappings use."""

    def register(function: RuleFunction) -> RuleFunction:
        RULES[name] = function
        return function

    return register


def as_list(value: object) -> list[str]:
    """A mapping value that may be one name or a list of names."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def support_type_of(text: str, names: dict[str, str]) -> str | None:
    """The support type a source sentence starts with ("Billing support is ...")."""
    lowered = text.casefold()
    for notation, name in names.items():
        if lowered.startswith(name.casefold()):
            return notation
    return None


def phone_divergence(
    page: Page, ctx: Context, block: Block, area: Area | None, number: PhoneNumber
) -> tuple[Area | None, PhoneNumber, Divergence | None]:
    """What a page itself states for a sentence whose source gives ``area`` and ``number``.

    A translation may substitute a local fact (another country's number):
    then the localized number (and the country its text names) is what this
    page states, and the difference is a divergence.
    """
    if page.document.is_source:
        return area, number, None
    named = ctx.area_in(block.text, page.lang)
    region = (named or area).code if (named or area) else None
    found = find_phones(block.text, region)
    if not found or found[0][0].e164 == number.e164:
        return area, number, None
    stated = found[0][0]
    stated_area = named or area
    segment = ",".join(s.id for s in block.segments)
    divergence = Divergence(
        document=page.key,
        segment=segment,
        fact="telephone",
        source_value=f"{area.code if area else '?'} {number.e164}",
        localized_value=f"{stated_area.code if stated_area else '?'} {stated.e164}",
        source_text=page.source(block),
        localized_text=block.text,
    )
    return stated_area, stated, divergence


@rule("describe-cloud")
def describe_cloud(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """Paragraphs and alerts about a cloud as a whole become its descriptions."""
    blocks = page.blocks(spec["cloud"], spec["section"])
    texts = tuple(t for b in paragraphs(blocks) + alerts(blocks) for t in page.block_texts(b))
    yield Cloud(spec["cloud"], descriptions=texts)
    if spec.get("role"):
        yield Role(spec["cloud"], spec["role"])


@rule("channel")
def channel(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """A support channel: its description, numbered steps and who may use it."""
    blocks = page.blocks(spec["cloud"], spec["section"])
    if not blocks:  # this version of the page does not have the section
        return
    heading = page.block_texts(page.heading(spec["cloud"], spec["section"]))
    descriptions = tuple(t for b in paragraphs(blocks) for t in page.block_texts(b))
    notes = tuple(t for b in alerts(blocks) for t in page.block_texts(b))
    steps: tuple[Step, ...] = ()
    if spec.get("steps"):
        items = next(iter(lists(blocks)), [])
        steps = tuple(Step(n, page.block_texts(b)) for n, b in enumerate(items, start=1))
    support_types = as_list(spec.get("support_types")) or [None]
    for channel_type in as_list(spec["channel"]):
        for support_type in support_types:
            yield ContactPoint(
                cloud=spec["cloud"],
                channel=channel_type,
                support_type=support_type,
                audience=spec.get("audience"),
                labels=heading,
                descriptions=descriptions,
                notes=notes,
                steps=steps,
                url=_first_link(blocks),
            )
    if spec.get("audience"):
        yield Role(spec["cloud"], spec["audience"])
    for channel_type in as_list(spec["channel"]):
        yield from _channel_label(page, spec, channel_type, heading)


def _first_link(blocks: list[Block]) -> str | None:
    for block in blocks:
        for link in block.links:
            if link.target.startswith("http"):
                return link.target
    return None


@rule("phone-list")
def phone_list(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """A list of "In <country>, call <number>." items with hours stated for every line."""
    cloud = spec["cloud"]
    blocks = page.blocks(cloud, spec["section"])
    names: dict[str, str] = spec["support_type_names"]
    hours: dict[str, tuple[tuple[OpeningHours, ...], dict[str, tuple[OpeningHours, ...]]]] = {}
    languages: dict[str, tuple[str, ...]] = {}
    descriptions: dict[str, tuple[Text, ...]] = {}
    notes: list[Text] = []
    for block in paragraphs(blocks):
        for segment in block.segments:
            source = segment.source or ""
            support_type = support_type_of(source, names)
            if support_type is None:
                notes.extend(page.texts(segment))
                continue
            lead, hours_text = split_hours_sentence(source)
            hours[support_type] = parse_hours_with_exceptions(hours_text)
            spoken = PROVIDED_IN.search(lead)
            languages[support_type] = tuple(
                language_tag(n) for n in split_languages(spoken["languages"]) if spoken
            )
            descriptions[support_type] = page.texts(segment)
    notes.extend(t for b in alerts(blocks) for t in page.block_texts(b))
    heading = page.block_texts(page.heading(cloud, spec["section"]))
    for items in lists(blocks):
        for item in items:
            match = CALL.match(page.source(item))
            if match is None:
                raise ExtractError(
                    f"segment {item.segments[0].id if item.segments else item.address}: "
                    f"expected 'In <country>, call <number>.', got {page.source(item)!r}"
                )
            area = ctx.area(match["place"])
            number = parse_phone(match["number"], area.code if area else None)
            area, number, divergence = phone_divergence(page, ctx, item, area, number)
            if divergence:
                yield divergence
            for support_type, (default, exceptions) in hours.items():
                place_hours = _exception_for(exceptions, area) or default
                for language in languages.get(support_type) or (None,):
                    yield ContactPoint(
                        cloud=cloud,
                        channel="phone",
                        support_type=support_type,
                        area=area,
                        language=language,
                        telephone=number,
                        hours=place_hours,
                        inferred_time_zone=ctx.time_zone(area),
                        audience=spec.get("audience"),
                        labels=page.block_texts(item),
                        descriptions=descriptions[support_type],
                        notes=tuple(notes),
                    )
    yield from _channel_label(page, spec, "phone", heading)


def _exception_for(
    exceptions: dict[str, tuple[OpeningHours, ...]], area: Area | None
) -> tuple[OpeningHours, ...] | None:
    for place, hours in exceptions.items():
        if area is not None and area.slug.replace("-", " ") == place.casefold():
            return hours
    return None


def _channel_label(
    page: Page, spec: Rule, channel_type: str, heading: tuple[Text, ...]
) -> Iterator[Concept]:
    if spec.get("concept_label"):
        yield Concept("channel-type", channel_type, labels=heading)


@rule("phone-channel")
def phone_channel(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """A paragraph that gives one phone number for several support types."""
    cloud = spec["cloud"]
    blocks = paragraphs(page.blocks(cloud, spec["section"]))
    region = spec.get("region")
    area = ctx.area_by_code(region) if region else None
    for block in blocks:
        for number, _note in find_phones(page.source(block), region):
            for support_type in as_list(spec.get("support_types")) or [None]:
                yield ContactPoint(
                    cloud=cloud,
                    channel="phone",
                    support_type=support_type,
                    area=area if spec.get("area_served") else None,
                    telephone=number,
                    audience=spec.get("audience"),
                    labels=page.block_texts(block),
                )


@rule("role")
def role(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """A role's heading, description and its lists (attributes, then duties)."""
    cloud, name = spec["cloud"], spec["role"]
    blocks = page.blocks(cloud, spec["section"])
    yield Role(
        cloud,
        name,
        labels=page.block_texts(page.heading(cloud, spec["section"])),
        descriptions=tuple(t for b in paragraphs(blocks) for t in page.block_texts(b)),
    )
    for kind, items in zip(as_list(spec.get("lists")), lists(blocks), strict=False):
        for position, item in enumerate(items, start=1):
            yield Responsibility(cloud, name, kind, position, labels=page.block_texts(item))


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
