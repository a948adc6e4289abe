"""markdown-it-py configured for DocFX-flavoured Markdown.

CommonMark with tables and inline HTML, the front-matter plugin, and one rule
per DocFX extension, each registered by name on the parser's rulers:

- ``moniker``: ``::: moniker range="..."`` ... ``::: moniker-end`` (block rule)
- ``docfx_include``: ``[!INCLUDE [name](path)]`` on a line of its own (block rule)
- ``docfx_alert``: ``> [!NOTE]`` / ``> [!div class="..."]`` blockquotes (core rule)
- ``sxs_segment``: side-by-side translation spans (inline rule)

mdit-py-plugins' ``container`` plugin closes a container with a bare ``:::``;
DocFX closes monikers with ``::: moniker-end``, so the moniker rule is its own.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.utils import is_code_block

from supportgraph.errors import IngestError

MONIKER_OPEN = re.compile(r':::\s*moniker\s+range\s*=\s*"([^"]*)"\s*$')
MONIKER_END = re.compile(r":::\s*moniker-end\s*$")
INCLUDE = re.compile(r"\[!INCLUDE\s*\[([^\]]*)\]\(\s*([^)\s]+)\s*\)\s*\]\s*$", re.IGNORECASE)
ALERT = re.compile(r"\[!(NOTE|TIP|IMPORTANT|CAUTION|WARNING|div)\b([^\]\n]*)\]\s*(?:\n|$)")
SXS_OPEN = re.compile(r'<span\s+data-ttu-id="([^"]*)"\s*>')
SXS_MIDDLE = re.compile(
    r'</span>\s*<span\s+class="sxs-lookup"\s*>\s*<span\s+data-stu-id="([^"]*)"\s*>'
)
SXS_CLOSE = re.compile(r"</span>\s*</span>")


class SegmentSyntaxError(IngestError):
    """A malformed side-by-side span; ``offset`` is its position in the inline text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


@cache
def parser() -> MarkdownIt:
    """The shared DocFX Markdown parser (markdown-it-py is reusable across documents)."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    front_matter_plugin(md)
    md.block.ruler.before(
        "fence", "moniker", moniker_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.block.ruler.before(
        "paragraph", "docfx_include", include_rule, {"alt": ["paragraph", "reference"]}
    )
    md.core.ruler.after("block", "docfx_alert", alert_rule)
    md.inline.ruler.before("html_inline", "sxs_segment", sxs_segment_rule)
    # Inline content is parsed block by block by the caller, so that a
    # malformed span can be reported with its line.
    md.core.ruler.disable("inline")
    return md


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def moniker_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """``::: moniker range="X"`` up to the matching ``::: moniker-end`` → a moniker block."""
    if is_code_block(state, start_line):
        return False
    text = _line_text(state, start_line)
    if not text.startswith(":::"):
        return False
    opening = MONIKER_OPEN.match(text)
    if opening is None:
        if MONIKER_END.match(text) is None:
            return False
        if silent:  # lets a stray end line interrupt a paragraph, then fail below
            return True
        raise IngestError(
            "'::: moniker-end' without an open '::: moniker range=\"...\"'", line=start_line + 1
        )
    if silent:
        return True

    depth, close_line = 1, start_line
    while depth:
        close_line += 1
        if close_line >= end_line:
            raise IngestError(
                f"unclosed '{text.strip()}': expected '::: moniker-end' before the end of the "
                "enclosing block",
                line=start_line + 1,
            )
        inner = _line_text(state, close_line)
        if MONIKER_OPEN.match(inner):
            depth += 1
        elif MONIKER_END.match(inner):
            depth -= 1

    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "moniker"  # type: ignore[assignment]
    state.lineMax = close_line
    token = state.push("moniker_open", "div", 1)
    token.markup, token.info, token.map = ":::", opening.group(1), [start_line, close_line + 1]
    token.meta = {"range": opening.group(1)}
    state.md.block.tokenize(state, start_line + 1, close_line)
    token = state.push("moniker_close", "div", -1)
    token.markup = ":::"
    state.parentType, state.lineMax = old_parent, old_max
    state.line = close_line + 1
    return True


def include_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """``[!INCLUDE [name](path)]`` on its own line → an include token."""
    if is_code_block(state, start_line):
        return False
    match = INCLUDE.match(_line_text(state, start_line))
    if match is None:
        return False
    if silent:
        return True
    token = state.push("docfx_include", "", 0)
    token.map = [start_line, start_line + 1]
    token.meta = {"name": match.group(1).strip(), "target": match.group(2)}
    state.line = start_line + 1
    return True


def alert_rule(state: StateCore) -> None:
    """Mark ``> [!NOTE]``-style blockquotes as alerts and drop the marker line."""
    tokens = state.tokens
    for i, token in enumerate(tokens[:-2]):
        if token.type != "blockquote_open" or tokens[i + 1].type != "paragraph_open":
            continue
        inline = tokens[i + 2]
        match = ALERT.match(inline.content)
        if inline.type != "inline" or match is None:
            continue
        token.meta = {"alert": match.group(1).upper(), "params": match.group(2).strip()}
        inline.content = inline.content[match.end() :]
        if not inline.content.strip():
            tokens[i + 1].hidden = tokens[i + 2].hidden = True


def sxs_segment_rule(state: StateInline, silent: bool) -> bool:
    """A side-by-side pair → one ``sxs_segment`` token.

    ``<span data-ttu-id="X">localized</span><span class="sxs-lookup"><span
    data-stu-id="X">source</span></span>``: the two texts are parsed as inline
    Markdown of their own and kept as the token's children (localized) and
    ``meta["source"]`` (source).
    """
    src, pos = state.src, state.pos
    if not src.startswith("<span", pos):
        return False
    opening = SXS_OPEN.match(src, pos)
    if opening is None:
        return False
    seg_id = opening.group(1)
    middle = SXS_MIDDLE.search(src, opening.end())
    if middle is None:
        raise SegmentSyntaxError(
            f'segment {seg_id}: <span data-ttu-id="{seg_id}"> has no matching '
            f'<span class="sxs-lookup"><span data-stu-id="{seg_id}">',
            pos,
        )
    _no_nested_open(src, opening.end(), middle.start(), seg_id, pos)
    if middle.group(1) != seg_id:
        raise SegmentSyntaxError(
            f'segment {seg_id}: localized span is paired with data-stu-id="{middle.group(1)}"; '
            f'expected data-stu-id="{seg_id}"',
            pos,
        )
    closing = SXS_CLOSE.search(src, middle.end())
    if closing is None:
        raise SegmentSyntaxError(
            f"segment {seg_id}: source span is not closed (expected '</span></span>')", pos
        )
    _no_nested_open(src, middle.end(), closing.start(), seg_id, pos)
    if not silent:
        token = state.push("sxs_segment", "", 0)
        token.meta = {
            "id": seg_id,
            "source": _parse_inline(state, src[middle.end() : closing.start()]),
        }
        token.children = _parse_inline(state, src[opening.end() : middle.start()])
    state.pos = closing.end()
    return True


def _no_nested_open(src: str, start: int, end: int, seg_id: str, pos: int) -> None:
    nested = SXS_OPEN.search(src, start, end)
    if nested is not None:
        raise SegmentSyntaxError(
            f"segment {seg_id}: a new segment {nested.group(1)} starts before segment "
            f"{seg_id} is closed (expected its data-stu-id pair first)",
            pos,
        )


def _parse_inline(state: StateInline, text: str) -> list:
    # A trailing backslash is a hard line break the translation tool moved inside the span.
    text = text.rstrip()
    if text.endswith("\\") and not text.endswith("\\\\"):
        text = text[:-1]
    tokens: list = []
    state.md.inline.parse(text, state.md, state.env, tokens)
    return tokens
