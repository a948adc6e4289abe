"""Inline tokens → clean text, links and footnote marks.

Emphasis markers, escapes, entities (``&nbsp;``), ``<br/>``, stray ``**`` left
by translation tools and HTML tags all disappear; link targets and
``<sup>n</sup>`` footnote marks are kept beside the text as data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from supportgraph.ingest.model import Link

TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)')""")
NAME = re.compile(r"""name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Tags that cut a block into sentence-level parts.
PART_BREAKS = frozenset({"br", "ul", "ol", "li"})
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Rendered:
    """The clean text of a run of inline tokens and what was taken out of it."""

    text: str
    links: tuple[Link, ...]
    notes: tuple[str, ...]
    anchor: str | None = None
    tab: str | None = None


def html_tag(token: Token) -> tuple[bool, str, str] | None:
    """``(closing, name, attributes)`` of an ``html_inline`` token holding one tag."""
    if token.type != "html_inline":
        return None
    match = TAG.fullmatch(token.content.strip())
    if match is None:
        return None
    return match.group(1) == "/", match.group(2).lower(), match.group(3)


def is_part_break(token: Token) -> bool:
    """True for tokens that end a sentence-level part (hard breaks, list tags)."""
    if token.type == "hardbreak":
        return True
    tag = html_tag(token)
    return tag is not None and tag[1] in PART_BREAKS


def clean(text: str) -> str:
    """Normalise whitespace and drop the literal ``**`` that escaped bold markers leave."""
    text = text.replace("**", "").replace("\u200b", "")
    return WHITESPACE.sub(" ", text).strip()


def render(tokens: Iterable[Token]) -> Rendered:
    """Render inline tokens (possibly nested segment tokens) as clean text."""
    out: list[str] = []
    links: list[Link] = []
    notes: list[str] = []
    anchor: str | None = None
    tab: str | None = None
    link_stack: list[tuple[str, int]] = []
    note_start: int | None = None

    for token in _flatten(tokens):
        kind = token.type
        if kind in ("text", "text_special", "code_inline"):
            out.append(token.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind == "image":
            out.append(token.content)
        elif kind == "link_open":
            href = str(token.attrGet("href") or "")
            if href.startswith("#tab/"):
                tab = href[len("#tab/") :]
            link_stack.append((href, len(out)))
        elif kind == "link_close" and link_stack:
            href, start = link_stack.pop()
            if not href.startswith("#tab/"):
                links.append(Link(clean("".join(out[start:])), href))
        elif kind == "html_inline":
            tag = html_tag(token)
            if tag is None:
                continue
            closing, name, attrs = tag
            if name == "a" and not closing:
                href_match = HREF.search(attrs)
                name_match = NAME.search(attrs)
                if href_match:
                    link_stack.append((href_match.group(1) or href_match.group(2) or "", len(out)))
                elif name_match and anchor is None:
                    anchor = name_match.group(1) or name_match.group(2)
            elif name == "a" and closing and link_stack:
                href, start = link_stack.pop()
                links.append(Link(clean("".join(out[start:])), href))
            elif name == "sup":
                if closing and note_start is not None:
                    notes.append(clean("".join(out[note_start:])))
                    del out[note_start:]
                    note_start = None
                elif not closing:
                    note_start = len(out)
            elif name in PART_BREAKS:
                out.append(" ")
    return Rendered(clean("".join(out)), tuple(links), tuple(notes), anchor, tab)


def _flatten(tokens: Iterable[Token]) -> Iterator[Token]:
    for token in tokens:
        if token.type == "sxs_segment":
            yield from _flatten(token.children or ())
        else:
            yield token
