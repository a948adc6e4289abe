"""A document as the extraction rules see it: blocks by place, text as labels.

Also the alignment of translations published without side-by-side spans:
their segments get the English text of the block at the same structural
place in the English page of the same path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from supportgraph.extract.records import Text
from supportgraph.ingest import Block, Document, Segment

TOP = "*top*"
LIST_ITEM = re.compile(r"^(b\d+)\.i(\d+)")
TABLE_CELL = re.compile(r"^(b\d+)\.r(\d+)\.c(\d+)")


def align_by_structure(document: Document, english: Document) -> tuple[Document, tuple[str, ...]]:
    """Give each segment of a plain translation the English text at the same place.

    Places are compared by structure alone (cloud, section anchor, block and
    part address). Returns the aligned document and the ids of the segments
    that have no counterpart in the English page: those are reported, not
    guessed.
    """
    sources = {s.structural_id: s.localized for s in english.segments}
    unaligned: list[str] = []
    blocks = []
    for block in document.blocks:
        segments = []
        for segment in block.segments:
            source = sources.get(segment.structural_id)
            if source is None:
                unaligned.append(segment.id)
            segments.append(replace(segment, source=source))
        joined = " ".join(s.source for s in segments if s.source) or None
        blocks.append(replace(block, segments=tuple(segments), source_text=joined))
    return replace(document, blocks=tuple(blocks)), tuple(unaligned)


@dataclass(frozen=True)
class Page:
    """One document ready for the rules of its family.

    ``lang`` is the label language tag of the document. ``states_source`` is
    true where the document itself carries the English text (an English
    page, or a side-by-side translation): then English labels come from it
    too. An aligned plain translation borrows English only to read facts.
    """

    document: Document
    lang: str
    states_source: bool

    @property
    def key(self) -> str:
        return f"{self.document.locale}/{self.document.relpath}"

    def blocks(self, cloud: str | None, section: str) -> list[Block]:
        """The blocks of one section of one cloud (``*top*``: before the first subheading)."""
        tops = {s.key for s in self.document.sections if s.level == 1} | {"top"}
        return [
            b
            for b in self.document.blocks
            if b.cloud == cloud
            and (b.section in tops if section == TOP else b.section == section)
            and b.kind != "heading"
        ]

    def heading(self, cloud: str | None, section: str) -> Block | None:
        """The heading block that opens a section."""
        return next(
            (
                b
                for b in self.document.blocks
                if b.kind == "heading" and b.cloud == cloud and b.section == section
            ),
            None,
        )

    def texts(self, segment: Segment) -> tuple[Text, ...]:
        """A segment as labels: its localized text, and its English source where stated."""
        return self._texts(segment.localized, segment.source, segment.id)

    def block_texts(self, block: Block | None) -> tuple[Text, ...]:
        """A whole block as labels."""
        if block is None:
            return ()
        ids = ",".join(s.id for s in block.segments) or None
        return self._texts(block.text, block.source_text, ids)

    def _texts(self, localized: str, source: str | None, segment: str | None) -> tuple[Text, ...]:
        texts = []
        if localized:
            texts.append(Text(localized, self.lang, segment))
        if self.states_source and source and self.lang != "en":
            texts.append(Text(source, "en", segment))
        return tuple(texts)

    def source(self, block: Block) -> str:
        """The English text of a block to read facts from (the text itself for English pages)."""
        return block.source_text or (block.text if self.document.is_source else "")

    def part_texts(self, block: Block, part: str, *, exact: bool) -> tuple[Text, ...]:
        """The labels of one part (sentence, entry, note) of a block's English text.

        An English page gives the part itself; a side-by-side page the segment
        whose source is the part (or, unless ``exact``, contains it); () where no
        segment matches (a plain translation has one segment per block).
        """
        if self.document.is_source:
            return (Text(part.strip(), "en"),)
        for segment in block.segments:
            source = (segment.source or "").strip()
            contained = not exact and len(block.segments) > 1 and part.strip() in source
            if source == part.strip() or contained:
                return self.texts(segment)
        return ()


def sentences(text: str) -> list[str]:
    """The sentences of an English text (cut after a full stop)."""
    return [s for s in re.split(r"(?<=\.)\s+", text.strip()) if s]


def lists(blocks: Iterable[Block]) -> list[list[Block]]:
    """The top-level list items of some blocks, grouped by list, in order."""
    groups: dict[str, list[Block]] = {}
    for block in blocks:
        match = LIST_ITEM.match(block.address)
        if match and block.address.count(".i") == 1 and ".p" not in block.address:
            groups.setdefault(match.group(1), []).append(block)
    return list(groups.values())


def rows(blocks: Iterable[Block]) -> Iterator[dict[int, Block]]:
    """The body rows of the tables among some blocks: column number → cell."""
    table: dict[tuple[str, int], dict[int, Block]] = {}
    for block in blocks:
        match = TABLE_CELL.match(block.address)
        if match and block.kind == "table_cell" and not block.header:
            key = (match.group(1), int(match.group(2)))
            table.setdefault(key, {})[int(match.group(3))] = block
    yield from table.values()


def header(blocks: Iterable[Block], column: int) -> Block | None:
    """The header cell of a column of the (first) table among some blocks."""
    return next((b for b in blocks if b.header and b.column == column), None)


def paragraphs(blocks: Iterable[Block]) -> list[Block]:
    """The plain paragraphs among some blocks (not list items, cells, alerts)."""
    return [b for b in blocks if b.kind == "paragraph" and not b.alert]


def alerts(blocks: Iterable[Block]) -> list[Block]:
    """The paragraphs of alerts (notes, important) among some blocks."""
    return [b for b in blocks if b.alert and b.kind == "paragraph"]
