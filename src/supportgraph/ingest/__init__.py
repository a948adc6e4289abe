"""Stage 1, ingest: a documentation file → a :class:`Document`.

``ingest_file`` reads one DocFX Markdown page (front matter, monikers, tabs,
alerts, includes, tables, side-by-side translation spans) and returns its
sections, leaf blocks and aligned segments. ``discover`` lists the pages of a
corpus folder laid out as ``<locale>/microsoft-365/...``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import langcodes
import yaml

from supportgraph.errors import IngestError
from supportgraph.ingest.docfx import SXS_OPEN, SegmentSyntaxError, parser
from supportgraph.ingest.model import (
    Block,
    Document,
    Include,
    Link,
    Section,
    Segment,
    is_source,
)
from supportgraph.ingest.parts import locate
from supportgraph.ingest.structure import walk

__all__ = [
    "Block",
    "Document",
    "Include",
    "Link",
    "Section",
    "Segment",
    "discover",
    "ingest_file",
    "ingest_text",
    "locale_of_path",
]

# A locale folder: language, optional script and region, optional private use
# ("sv-SE", "zh-Hant-TW", "en-x-ps0001" for a pseudo-locale).
LOCALE_FOLDER = re.compile(
    r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?(?:-x(?:-[A-Za-z0-9]{1,8})+)?$"
)
SOURCE_LOCALE = "en-US"
MAX_BYTES = 16 * 1024 * 1024


def discover(corpus: Path) -> list[Path]:
    """Every Markdown page of a corpus folder, in a stable (sorted) order."""
    if not corpus.is_dir():
        raise IngestError("is not a directory; expected a corpus folder", path=corpus)
    return sorted(p for p in corpus.rglob("*.md") if p.is_file())


def locale_of_path(path: Path) -> tuple[str | None, str]:
    """The locale folder a page sits in and the page's path below it.

    ``corpus/sv-SE/microsoft-365/admin/support/sweden.md`` →
    ``("sv-SE", "microsoft-365/admin/support/sweden.md")``.
    """
    parts = path.parts
    for i in range(len(parts) - 2, -1, -1):
        if LOCALE_FOLDER.match(parts[i]) and langcodes.tag_is_valid(parts[i]):
            return parts[i], "/".join(parts[i + 1 :])
    return None, path.name


def ingest_file(path: str | Path) -> Document:
    """Read and ingest one page; every problem is an :class:`IngestError` naming the file."""
    path = Path(path)
    if path.is_dir():
        raise IngestError("is a directory; expected a Markdown file", path=path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError("no such file", path=path) from None
    except OSError as error:
        raise IngestError(f"cannot read: {error.strerror}", path=path) from None
    return ingest_bytes(data, path)


def ingest_bytes(data: bytes, path: Path) -> Document:
    """Ingest a page's raw bytes (UTF-8, optionally with a BOM)."""
    if len(data) > MAX_BYTES:
        raise IngestError(f"file is larger than {MAX_BYTES} bytes", path=path)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise IngestError(
            "binary file (NUL byte); expected a UTF-8 Markdown page", path=path, line=line
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise IngestError(
            f"invalid UTF-8 (byte 0x{data[error.start]:02x}); expected UTF-8 text",
            path=path,
            line=line,
        ) from None
    return ingest_text(text, path)


def ingest_text(text: str, path: str | Path) -> Document:
    """Ingest a page's text; ``path`` gives its locale folder and names it in errors."""
    path = Path(path)
    if not text.strip():
        raise IngestError("empty file; expected a DocFX Markdown page", path=path)
    md = parser()
    env: dict[str, Any] = {}
    tokens = _parse_blocks(md, text, env, path)
    front_matter = _front_matter(tokens, text, path)
    for token in tokens:
        if token.type == "inline":
            token.children = []
            try:
                md.inline.parse(token.content, md, env, token.children)
            except SegmentSyntaxError as error:
                raise locate(error, token, path) from None

    folder_locale, relpath = locale_of_path(path)
    content_locale = front_matter.get("ms.contentlocale")
    locale = str(content_locale or folder_locale or SOURCE_LOCALE)
    translation_type = _translation_type(front_matter, text, path)
    segmented = SXS_OPEN.search(text) is not None
    state = walk(tokens, path, segmented=segmented, is_source=is_source(locale, translation_type))
    title = next((s.title for s in state.sections if s.level == 1), "")
    return Document(
        path=path,
        relpath=relpath,
        locale=locale,
        translation_type=translation_type,
        front_matter=front_matter,
        title=title,
        segmented=segmented,
        clouds=tuple(state.cloud_order),
        sections=tuple(state.sections),
        blocks=tuple(state.blocks),
        includes=tuple(state.includes),
    )


def _parse_blocks(md: Any, text: str, env: dict[str, Any], path: Path) -> list:
    try:
        # Inline parsing runs per block below, so a bad span can be located.
        return md.parse(text, env)
    except IngestError as error:
        raise IngestError(error.message, path=path, line=error.line) from None
    except RecursionError:
        raise IngestError("nesting too deep; expected a documentation page", path=path) from None


# libyaml's loader where PyYAML has it: the pure-Python scanner took a third of ingest.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _front_matter(tokens: list, text: str, path: Path) -> dict[str, Any]:
    token = next((t for t in tokens if t.type == "front_matter"), None)
    if token is None:
        if text.lstrip("\ufeff").startswith("---") and text.split("\n", 1)[0].strip() == "---":
            raise IngestError(
                "front matter is not closed: expected a line '---' after the YAML keys",
                path=path,
                line=1,
            )
        return {}
    try:
        try:
            data = yaml.load(token.content, Loader=_YAML_LOADER)
        except yaml.YAMLError:
            # PyYAML's own scanner places the problem more precisely than libyaml.
            data = yaml.safe_load(token.content)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = token.map[0] + 2 + mark.line if mark is not None and token.map else 1
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise IngestError(
            f"invalid YAML front matter ({problem}); expected 'key: value' lines",
            path=path,
            line=line,
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise IngestError(
            f"front matter is a YAML {type(data).__name__}; expected a mapping of 'key: value'",
            path=path,
            line=2,
        )
    return {str(k): v for k, v in data.items()}


def _translation_type(front_matter: dict[str, Any], text: str, path: Path) -> str | None:
    value = front_matter.get("ms.translationtype")
    if value is None:
        return None
    if str(value).upper() not in ("HT", "MT"):
        raise IngestError(
            f"ms.translationtype is {value!r}; expected HT or MT",
            path=path,
            line=_key_line(text, "ms.translationtype"),
        )
    return str(value).upper()


def _key_line(text: str, key: str) -> int | None:
    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return n
    return None
