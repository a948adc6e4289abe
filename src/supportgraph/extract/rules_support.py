"""Named rules for support types, technical categories and severity levels.

As in :mod:`supportgraph.extract.rules`, facts come from the English source
text and labels from the localized text of each block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from supportgraph.errors import ExtractError
from supportgraph.extract.context import Context
from supportgraph.extract.page import Page, header, lists, paragraphs, rows
from supportgraph.extract.records import (
    Concept,
    Responsibility,
    Role,
    Severity,
    SupportCategory,
    SupportOffer,
    Text,
)
from supportgraph.extract.rules import Rule, as_list, rule
from supportgraph.ingest import Block
from supportgraph.values import (
    OpeningHours,
    parse_days,
    parse_follow_up,
    parse_hours,
    parse_response_target,
    split_hours_sentence,
    time_zone_from_text,
)

LEVEL = re.compile(r"\bSev(?:erity)?\s+(?P<level>[A-Z])\b")
LEVELS = re.compile(r"^Severity (?P<levels>[A-Z](?:/[A-Z])*):\s*(?P<hours>.+)$")
ONLY_FOR = re.compile(
    r"Severity (?P<level>[A-Z]) is (?:available only|only available) for (?P<type>[\w -]+?) support"
)
HIGHEST = re.compile(r"the highest severity level is (?P<level>[A-Z])")


def _levels_from(level: str, all_levels: list[str]) -> list[str]:
    """``B`` of ``[A, B, C]`` → ``[B, C]``: the levels at or below a highest level."""
    return all_levels[all_levels.index(level) :] if level in all_levels else []


@rule("support-type")
def support_type(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """A support type's section: when it is available, examples of its issues."""
    cloud, notation = spec["cloud"], spec["support_type"]
    blocks = page.blocks(cloud, spec["section"])
    heading = page.block_texts(page.heading(cloud, spec["section"]))
    hours = tuple(h for b in paragraphs(blocks) for h in _stated_hours(page.source(b)))
    examples: tuple[Text, ...] = ()
    if spec.get("examples"):
        items = next(iter(lists(blocks)), [])
        examples = tuple(t for item in items for t in page.block_texts(item))
    yield SupportOffer(
        cloud,
        notation,
        labels=heading,
        descriptions=tuple(t for b in paragraphs(blocks) for t in page.block_texts(b)),
        examples=examples,
        hours=hours,
    )
    if spec.get("concept_label"):
        yield Concept("support-type", notation, labels=heading)


def _stated_hours(source: str) -> Iterator[OpeningHours]:
    """The opening hours the sentences of a paragraph state (most state none).

    "during local business hours, Monday through Friday" names days but no
    clock times: that gives days with unknown opening and closing times.
    """
    for sentence in re.split(r"(?<=\.)\s+", source):
        if not re.search(r"\b(Monday|Mon)\b|hours a day|24\s*\*\s*7", sentence):
            continue
        _, hours_text = split_hours_sentence(sentence)
        try:
            yield from parse_hours(hours_text)
        except ExtractError:
            zone = time_zone_from_text(sentence)
            yield OpeningHours(parse_days(sentence), None, None, zone)  # type: ignore[arg-type]


@rule("support-categories")
def support_categories(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """A table of technical support categories: products, each with example issues."""
    cloud = spec["cloud"]
    blocks = page.blocks(cloud, spec["section"])
    heading = page.block_texts(page.heading(cloud, spec["section"]))
    for position, row in enumerate(rows(blocks), start=1):
        category, detail = row.get(1), row.get(2)
        if category is None or detail is None:
            continue
        products = tuple(t for s in detail.segments if not s.in_list for t in page.texts(s))
        examples = tuple(t for s in detail.segments if s.in_list for t in page.texts(s))
        if not detail.segments:  # an English page whose cell has no parts
            products = page.block_texts(detail)
        yield SupportCategory(
            cloud,
            position,
            labels=page.block_texts(category),
            products=products,
            examples=examples,
        )
    yield SupportOffer(
        cloud,
        spec["support_type"],
        labels=heading,
        descriptions=tuple(t for b in paragraphs(blocks) for t in page.block_texts(b)),
    )
    if spec.get("concept_label"):
        yield Concept("support-type", spec["support_type"], labels=heading)


def _level(page: Page, cell: Block) -> str | None:
    match = LEVEL.search(page.source(cell))
    return match["level"] if match else None


@rule("severity-table")
def severity_table(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """Severity levels: name, description and example issues."""
    cloud, columns = spec["cloud"], spec["columns"]
    for row in rows(page.blocks(cloud, spec["section"])):
        cell = row.get(columns["level"])
        level = _level(page, cell) if cell else None
        if level is None:
            continue
        examples = row.get(columns["examples"])
        yield Severity(
            cloud,
            level,
            pref_labels=page.block_texts(cell),
            definitions=page.block_texts(row.get(columns["definition"])),
            examples=tuple(t for s in examples.segments for t in page.texts(s)) if examples else (),
            support_types=tuple(as_list(spec.get("support_types"))),
        )


@rule("response-table")
def response_table(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """Initial response targets, follow-up and the customer's part per severity; footnotes."""
    cloud, columns = spec["cloud"], spec["columns"]
    blocks = page.blocks(cloud, spec["section"])
    customer = spec.get("customer_role", "customer")
    levels: list[str] = []
    notes_of: dict[str, list[str]] = {}
    for row in rows(blocks):
        cell = row.get(columns["level"])
        level = _level(page, cell) if cell else None
        if level is None:
            continue
        levels.append(level)
        notes_of[level] = [n for s in cell.segments for n in s.notes] if cell else []
        response = row.get(columns["response"])
        source = page.source(response) if response else ""
        follow_up = parse_follow_up(source)
        yield Severity(
            cloud,
            level,
            alt_labels=page.block_texts(cell),
            response=parse_response_target(source) if source else None,
            follow_up=_clause_texts(page, response, follow_up),
        )
        duty = row.get(columns["customer"])
        if duty is not None:
            yield Responsibility(cloud, customer, "duty", 1, page.block_texts(duty), level)
    yield Role(cloud, customer, labels=page.block_texts(header(blocks, columns["customer"])))
    yield from _footnotes(page, cloud, blocks, levels, notes_of)


def _clause_texts(page: Page, cell: Block | None, clause: str | None) -> tuple[Text, ...]:
    # The follow-up clause is part of the response cell; its labels are the cell's.
    return page.block_texts(cell) if clause and cell is not None else ()


def _footnotes(
    page: Page, cloud: str, blocks: list[Block], levels: list[str], notes_of: dict[str, list[str]]
) -> Iterator[Severity]:
    """Footnote paragraphs: restrictions (support types) and notes on the levels they mark."""
    header_notes = {n for b in blocks if b.header for s in b.segments for n in s.notes}
    if not any(b.header for b in blocks):
        header_notes = set()
    for block in paragraphs(blocks):
        marks = {n for s in block.segments for n in s.notes}
        if not marks:
            continue
        source = page.source(block)
        texts = page.block_texts(block)
        marked = [lvl for lvl in levels if marks & set(notes_of.get(lvl, []))]
        targets = levels if marks & header_notes or not marked else marked
        restricted: dict[str, list[str]] = {}
        for match in ONLY_FOR.finditer(source):
            restricted.setdefault(match["level"], []).append(_support_notation(match["type"]))
        for match in HIGHEST.finditer(source):
            sentence = source[: match.start()].rsplit(".", 1)[-1]
            for notation in _support_types_named(sentence):
                for level in _levels_from(match["level"], levels):
                    restricted.setdefault(level, []).append(notation)
        for level in targets:
            yield Severity(
                cloud, level, notes=texts, support_types=tuple(restricted.get(level, ()))
            )
        for level, types in restricted.items():
            if level not in targets:
                yield Severity(cloud, level, support_types=tuple(types))


SUPPORT_TYPE_WORDS = {"technical": "technical", "billing": "billing", "pre-sales": "pre-sales"}


def _support_notation(name: str) -> str:
    word = name.strip().split()[0].casefold()
    return SUPPORT_TYPE_WORDS.get(word, word)


def _support_types_named(sentence: str) -> list[str]:
    lowered = sentence.casefold()
    return [notation for word, notation in SUPPORT_TYPE_WORDS.items() if word in lowered]


@rule("severity-hours")
def severity_hours(page: Page, ctx: Context, spec: Rule) -> Iterator[object]:
    """ "Severity A: 24*7 ..." / "Severity B/C: 9:00 ~24:00 (Beijing Time) ..." lines."""
    cloud = spec["cloud"]
    for block in paragraphs(page.blocks(cloud, spec["section"])):
        match = LEVELS.match(page.source(block))
        if match is None:
            continue
        hours = parse_hours(match["hours"])
        for level in match["levels"].split("/"):
            yield Severity(cloud, level, hours=hours, notes=page.block_texts(block))
