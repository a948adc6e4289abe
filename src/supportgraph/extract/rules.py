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
from typing import Any

from supportgraph.errors import ExtractError
from supportgraph.extract.context import Context
from supportgraph.extract.page import Page, alerts, lists, paragraphs
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
