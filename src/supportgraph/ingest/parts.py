"""Inline tokens of a leaf block → its sentence-level parts, and where a span error is.

Pure functions over markdown-it tokens, used by the structure walk.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it.token import Token

from supportgraph.errors import IngestError
from supportgraph.ingest.docfx import SegmentSyntaxError
from supportgraph.ingest.inline import html_tag, is_part_break, render


def source_text(children: list[Token] | tuple[Token, ...]) -> str | None:
    sources = [render(t.meta["source"]).text for t in children if t.type == "sxs_segment"]
    return " ".join(s for s in sources if s) or None


def split_parts(children: list[Token]) -> list[tuple[list[Token], bool]]:
    """Cut a block's inline tokens at ``<br/>``, hard breaks and list tags; drop empty parts.

    Each part comes with whether it is an inline ``<li>`` list item.
    """
    parts: list[tuple[list[Token], bool]] = [([], False)]
    depth = 0
    for token in children:
        if is_part_break(token):
            tag = html_tag(token)
            if tag is not None and tag[1] in ("ul", "ol"):
                depth += -1 if tag[0] else 1
            in_item = tag is not None and tag[1] == "li" and not tag[0]
            parts.append(([], in_item or (depth > 0 and tag is not None and tag[1] == "li")))
        else:
            parts[-1][0].append(token)
    return [
        (p, item) for p, item in parts if render(p).text or any(t.type == "sxs_segment" for t in p)
    ]


def locate(error: SegmentSyntaxError, inline: Token, path: Path) -> IngestError:
    """Turn a segment error raised inside an inline block into one naming file and line."""
    line = (inline.map[0] + 1 if inline.map else 0) + inline.content[: error.offset].count("\n")
    return IngestError(error.message, path=path, line=line or None)
