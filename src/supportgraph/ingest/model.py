"""The ingested form of a documentation page: a `Document` of `Block`s and `Segment`s.

These are plain frozen values. Later stages read them; nothing here knows
about RDF or about what the text means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Link:
    """A hyperlink kept as data: its visible text and its target."""

    text: str
    target: str


@dataclass(frozen=True)
class Segment:
    """One aligned unit of text: the localized text and the English source it translates.

    ``id`` is the side-by-side segment id (``25b66-126``) where the page has
    one; otherwise a structural id ``cloud/section/address`` that an English
    page with the same structure produces for the same place. ``source`` is
    the English source text: the localized text itself on an English page,
    ``None`` on a translated page that was published without its source.
    """

    id: str
    localized: str
    source: str | None
    cloud: str | None
    section: str
    address: str
    line: int
    links: tuple[Link, ...] = ()
    source_links: tuple[Link, ...] = ()
    notes: tuple[str, ...] = ()
    in_list: bool = False

    @property
    def structural_id(self) -> str:
        """The position of this segment's block part: ``cloud/section/address``."""
        return structural_id(self.cloud, self.section, self.address)


def structural_id(cloud: str | None, section: str, address: str) -> str:
    """The id of a place in a page by structure alone, the same in every locale."""
    return f"{cloud or '*'}/{section}/{address}"


@dataclass(frozen=True)
class Block:
    """A leaf block of the page: a heading, paragraph, list item or table cell.

    ``address`` locates the block inside its section (``b3``, ``b2.i4``,
    ``b5.r2.c3``); ``parts`` is the number of sentence-level parts the block
    was cut into (at ``<br/>``, and around ``<ul><li>`` lists in table cells).
    ``text`` is the clean localized text of the whole block, ``source_text``
    the English source of it where the page carries one.
    """

    kind: str
    cloud: str | None
    section: str
    address: str
    line: int
    text: str
    source_text: str | None
    segments: tuple[Segment, ...]
    level: int | None = None
    tab: str | None = None
    alert: str | None = None
    row: int | None = None
    column: int | None = None
    header: bool = False
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Section:
    """A heading and the part of the page it governs."""

    key: str
    title: str
    source_title: str | None
    level: int
    cloud: str | None
    line: int
    parent: str | None
    tab: str | None = None


@dataclass(frozen=True)
class Include:
    """An ``[!INCLUDE [name](path)]`` reference; ``resolved`` is set when the target exists."""

    name: str
    target: str
    resolved: Path | None
    cloud: str | None
    section: str
    line: int


@dataclass(frozen=True)
class Document:
    """One ingested documentation file.

    ``relpath`` is the file's path below its locale folder
    (``microsoft-365/admin/support/sweden.md``): the same page in every
    locale has the same relpath. ``translation_type`` is ``"HT"`` or ``"MT"``
    for a translation and ``None`` where the page does not say (English
    sources; includes, which carry no front matter). ``segmented`` says
    whether the page carries side-by-side segments.
    """

    path: Path
    relpath: str
    locale: str
    translation_type: str | None
    front_matter: dict[str, Any] = field(hash=False, compare=False)
    title: str
    segmented: bool
    clouds: tuple[str, ...]
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...]
    includes: tuple[Include, ...]

    @property
    def segments(self) -> tuple[Segment, ...]:
        """Every segment of the page in document order."""
        return tuple(s for b in self.blocks for s in b.segments)

    @property
    def is_source(self) -> bool:
        """True for an English source page (English, no localization metadata)."""
        return is_source(self.locale, self.translation_type)


def is_source(locale: str, translation_type: str | None) -> bool:
    """An English page without a translation type is an original, not a translation.

    A private-use locale (``en-x-ps0001``, a pseudo-locale) is never a source.
    """
    tag = locale.lower()
    return translation_type is None and tag.split("-")[0] == "en" and "-x-" not in tag
