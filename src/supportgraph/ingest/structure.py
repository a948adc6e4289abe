"""Block tokens → sections, leaf blocks and aligned segments.

One pass over markdown-it's token stream. It keeps the state a reader keeps:
which cloud (moniker) and which section (heading anchor) we are in, which
tab, which alert, and where in a list or table. Every leaf block gets an
address inside its section that depends on structure alone, so the same
place in two locales has the same address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it.token import Token

from supportgraph.ingest.inline import render
from supportgraph.ingest.model import Block, Include, Section, Segment, structural_id
from supportgraph.ingest.parts import source_text, split_parts

SLUG_DROP = re.compile(r"[^\w\- ]")
TOP_SECTION = "top"


def slug(text: str) -> str:
    """DocFX's heading anchor: lower case, punctuation dropped, spaces → hyphens."""
    return SLUG_DROP.sub("", text.strip().lower()).replace(" ", "-")


@dataclass
class _Heading:
    level: int
    key: str
    tab: str | None


@dataclass
class _Walk:
    """The reader's state while walking one document's tokens."""

    path: Path
    segmented: bool
    is_source: bool
    clouds: list[str] = field(default_factory=list)
    headings: list[_Heading] = field(default_factory=list)
    saved_headings: list[list[_Heading]] = field(default_factory=list)
    alerts: list[str | None] = field(default_factory=list)
    counters: dict[tuple[str | None, str], int] = field(default_factory=dict)
    table: str = ""
    list_base: str = ""
    list_items: list[int] = field(default_factory=list)
    item_paragraphs: list[int] = field(default_factory=list)
    row: int = -1
    column: int = 0
    cloud_order: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)

    @property
    def cloud(self) -> str | None:
        return self.clouds[-1] if self.clouds else None

    @property
    def section(self) -> str:
        return self.headings[-1].key if self.headings else TOP_SECTION

    @property
    def tab(self) -> str | None:
        return next((h.tab for h in reversed(self.headings) if h.tab), None)

    def next_block(self) -> str:
        key = (self.cloud, self.section)
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"b{self.counters[key]}"


def walk(tokens: list[Token], path: Path, segmented: bool, is_source: bool) -> _Walk:
    """Walk a document's block tokens and collect its sections, blocks and includes."""
    state = _Walk(path=path, segmented=segmented, is_source=is_source)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        handler = _HANDLERS.get(token.type)
        if handler is not None:
            i = handler(state, tokens, i)
        i += 1
    return state


def _moniker_open(state: _Walk, tokens: list[Token], i: int) -> int:
    cloud = tokens[i].meta["range"]
    state.clouds.append(cloud)
    if cloud not in state.cloud_order:
        state.cloud_order.append(cloud)
    # A moniker is a self-contained part of the page: its headings end with it.
    state.saved_headings.append(list(state.headings))
    return i


def _moniker_close(state: _Walk, tokens: list[Token], i: int) -> int:
    if state.clouds:
        state.clouds.pop()
        state.headings = state.saved_headings.pop()
    return i


def _heading(state: _Walk, tokens: list[Token], i: int) -> int:
    level = int(tokens[i].tag[1:])
    inline = tokens[i + 1]
    line = _line(tokens[i])
    rendered = render(inline.children or ())
    segments_source = source_text(inline.children or ())
    key = rendered.anchor or slug(segments_source or rendered.text) or f"h{line}"
    while state.headings and state.headings[-1].level >= level:
        state.headings.pop()
    parent = state.headings[-1].key if state.headings else None
    state.headings.append(_Heading(level, key, rendered.tab))
    state.sections.append(
        Section(
            key=key,
            title=rendered.text,
            source_title=segments_source,
            level=level,
            cloud=state.cloud,
            line=line,
            parent=parent,
            tab=rendered.tab,
        )
    )
    _leaf(state, "heading", "h", inline, line, level=level)
    return i + 2


def _hr(state: _Walk, tokens: list[Token], i: int) -> int:
    # A thematic break closes a tab group: drop the tab headings.
    while state.headings and state.headings[-1].tab:
        state.headings.pop()
    return i


def _paragraph(state: _Walk, tokens: list[Token], i: int) -> int:
    inline = tokens[i + 1]
    if tokens[i].hidden and not inline.content.strip():
        return i + 2
    children = inline.children or ()
    kind = "image" if children and all(t.type in ("image", "softbreak") for t in children) else ""
    if state.list_items:
        state.item_paragraphs[-1] += 1
        address = _item_address(state)
        if state.item_paragraphs[-1] > 1:
            address += f".p{state.item_paragraphs[-1]}"
        _leaf(state, kind or "list_item", address, inline, _line(tokens[i]))
    else:
        _leaf(state, kind or "paragraph", state.next_block(), inline, _line(tokens[i]))
    return i + 2


def _item_address(state: _Walk) -> str:
    return state.list_base + "".join(f".i{n}" for n in state.list_items)


def _list_open(state: _Walk, tokens: list[Token], i: int) -> int:
    if not state.list_items:
        state.list_base = state.next_block()
    state.list_items.append(0)
    return i


def _list_close(state: _Walk, tokens: list[Token], i: int) -> int:
    if state.list_items:
        state.list_items.pop()
    return i


def _list_item_open(state: _Walk, tokens: list[Token], i: int) -> int:
    if state.list_items:
        state.list_items[-1] += 1
        state.item_paragraphs.append(0)
    return i


def _list_item_close(state: _Walk, tokens: list[Token], i: int) -> int:
    if state.item_paragraphs:
        state.item_paragraphs.pop()
    return i


def _table_open(state: _Walk, tokens: list[Token], i: int) -> int:
    state.table = state.next_block()
    state.row = -1
    return i


def _row_open(state: _Walk, tokens: list[Token], i: int) -> int:
    state.row += 1
    state.column = 0
    return i


def _cell_open(state: _Walk, tokens: list[Token], i: int) -> int:
    state.column += 1
    inline = tokens[i + 1]
    address = f"{state.table}.r{state.row}.c{state.column}"
    line = _line(tokens[i]) if tokens[i].map else _row_line(tokens, i)
    _leaf(
        state,
        "table_cell",
        address,
        inline,
        line,
        row=state.row,
        column=state.column,
        header=tokens[i].tag == "th",
    )
    return i + 2


def _blockquote_open(state: _Walk, tokens: list[Token], i: int) -> int:
    state.alerts.append((tokens[i].meta or {}).get("alert"))
    return i


def _blockquote_close(state: _Walk, tokens: list[Token], i: int) -> int:
    if state.alerts:
        state.alerts.pop()
    return i


def _include(state: _Walk, tokens: list[Token], i: int) -> int:
    target = tokens[i].meta["target"]
    candidate = (state.path.parent / target).resolve()
    state.next_block()
    state.includes.append(
        Include(
            name=tokens[i].meta["name"],
            target=target,
            resolved=candidate if candidate.is_file() else None,
            cloud=state.cloud,
            section=state.section,
            line=_line(tokens[i]),
        )
    )
    return i


def _verbatim(state: _Walk, tokens: list[Token], i: int) -> int:
    # Code and raw HTML blocks: kept as text so nothing is silently dropped.
    token = tokens[i]
    text = re.sub(r"<[^>]*>", " ", token.content)
    text = " ".join(text.split())
    if text:
        address = state.next_block()
        segment = _plain_segment(state, text, address, _line(token), (), ())
        state.blocks.append(
            Block(
                kind="code" if token.type != "html_block" else "html",
                cloud=state.cloud,
                section=state.section,
                address=address,
                line=_line(token),
                text=text,
                source_text=text if state.is_source else None,
                segments=() if state.segmented else (segment,),
                alert=state.alerts[-1] if state.alerts else None,
                tab=state.tab,
            )
        )
    return i


_HANDLERS = {
    "moniker_open": _moniker_open,
    "moniker_close": _moniker_close,
    "heading_open": _heading,
    "hr": _hr,
    "paragraph_open": _paragraph,
    "bullet_list_open": _list_open,
    "ordered_list_open": _list_open,
    "bullet_list_close": _list_close,
    "ordered_list_close": _list_close,
    "list_item_open": _list_item_open,
    "list_item_close": _list_item_close,
    "table_open": _table_open,
    "tr_open": _row_open,
    "th_open": _cell_open,
    "td_open": _cell_open,
    "blockquote_open": _blockquote_open,
    "blockquote_close": _blockquote_close,
    "docfx_include": _include,
    "code_block": _verbatim,
    "fence": _verbatim,
    "html_block": _verbatim,
}


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _row_line(tokens: list[Token], i: int) -> int:
    for j in range(i, -1, -1):
        if tokens[j].type == "tr_open" and tokens[j].map:
            return tokens[j].map[0] + 1
    return 0


def _leaf(
    state: _Walk,
    kind: str,
    address: str,
    inline: Token,
    line: int,
    **extra: object,
) -> None:
    children = list(inline.children or ())
    parts = split_parts(children)
    segments: list[Segment] = []
    numbered = len(parts) > 1
    for n, (part, in_item) in enumerate(parts, start=1):
        part_address = f"{address}.{n}" if numbered else address
        if state.segmented:
            found = _sxs_segments(state, part, part_address, line)
        else:
            rendered = render(part)
            found = [
                _plain_segment(
                    state, rendered.text, part_address, line, rendered.links, rendered.notes
                )
            ]
        segments.extend(replace(s, in_list=True) if in_item else s for s in found)
    whole = render(children)
    block = Block(
        kind=kind,
        cloud=state.cloud,
        section=state.section,
        address=address,
        line=line,
        text=whole.text,
        source_text=source_text(children) if state.segmented else _plain_source(state, whole.text),
        segments=tuple(segments),
        alert=state.alerts[-1] if state.alerts else None,
        tab=state.tab,
        links=whole.links,
        **extra,  # type: ignore[arg-type]
    )
    state.blocks.append(block)


def _sxs_segments(state: _Walk, part: list[Token], address: str, line: int) -> list[Segment]:
    segments = []
    for token in part:
        if token.type != "sxs_segment":
            continue
        localized = render(token.children or ())
        source = render(token.meta["source"])
        segments.append(
            Segment(
                id=token.meta["id"],
                localized=localized.text,
                source=source.text,
                cloud=state.cloud,
                section=state.section,
                address=address,
                line=line,
                links=localized.links,
                source_links=source.links,
                notes=source.notes or localized.notes,
            )
        )
    return segments


def _plain_segment(
    state: _Walk, text: str, address: str, line: int, links: tuple, notes: tuple
) -> Segment:
    return Segment(
        id=structural_id(state.cloud, state.section, address),
        localized=text,
        source=_plain_source(state, text),
        cloud=state.cloud,
        section=state.section,
        address=address,
        line=line,
        links=links,
        notes=notes,
    )


def _plain_source(state: _Walk, text: str) -> str | None:
    # A page without side-by-side spans is either the English source itself
    # or a translation published without its source text.
    return text if state.is_source else None
