"""The ``supportgraph`` command: argument parsing, output formats and exit codes only.

Every command calls a library function a user can import. Errors a user can
cause are :class:`~supportgraph.errors.SupportGraphError`s: printed as one
line on stderr, exit status 2. Nothing else is caught: a traceback means a bug.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from supportgraph import __version__
from supportgraph.errors import SupportGraphError
from supportgraph.ingest import Document, ingest_file

EXIT_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = _parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        return command(args)
    except SupportGraphError as error:
        print(f"supportgraph: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # e.g. `supportgraph inspect ... | head`
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supportgraph",
        description="Build a multilingual RDF knowledge graph of Microsoft 365 business support.",
    )
    parser.add_argument("--version", action="version", version=f"supportgraph {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    inspect = commands.add_parser(
        "inspect", help="show how one documentation file is ingested", description=INSPECT_HELP
    )
    inspect.add_argument("file", type=Path, metavar="FILE", help="a DocFX Markdown page")
    inspect.add_argument("--json", action="store_true", help="print a JSON object instead")
    inspect.set_defaults(command=_inspect)
    return parser


INSPECT_HELP = (
    "Ingest FILE and print its locale, translation type, clouds, section tree and "
    "segment counts; with --json, a JSON object with every segment "
    "(id, localized, source, cloud, section) in document order."
)


def _inspect(args: argparse.Namespace) -> int:
    document = ingest_file(args.file)
    if args.json:
        json.dump(document_json(document), sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(document_summary(document))
    return 0


def document_json(document: Document) -> dict:
    """The JSON form of an ingested document printed by ``inspect --json``."""
    return {
        "path": str(document.path),
        "relpath": document.relpath,
        "locale": document.locale,
        "translation_type": document.translation_type,
        "title": document.title,
        "segmented": document.segmented,
        "clouds": list(document.clouds),
        "front_matter": document.front_matter,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "level": s.level,
                "cloud": s.cloud,
                "parent": s.parent,
                "tab": s.tab,
                "line": s.line,
            }
            for s in document.sections
        ],
        "includes": [
            {
                "name": i.name,
                "target": i.target,
                "resolved": str(i.resolved) if i.resolved else None,
                "cloud": i.cloud,
                "section": i.section,
                "line": i.line,
            }
            for i in document.includes
        ],
        "segments": [
            {
                "id": s.id,
                "localized": s.localized,
                "source": s.source,
                "cloud": s.cloud,
                "section": s.section,
                "address": s.address,
                "line": s.line,
                "links": [{"text": link.text, "target": link.target} for link in s.links],
                "notes": list(s.notes),
            }
            for s in document.segments
        ],
    }


def document_summary(document: Document) -> str:
    """The human-readable form printed by ``inspect``."""
    counts: dict[tuple[str | None, str], int] = {}
    for segment in document.segments:
        key = (segment.cloud, segment.section)
        counts[key] = counts.get(key, 0) + 1
    lines = [
        f"{document.path}",
        f"  locale:           {document.locale}",
        f"  translation type: {document.translation_type or 'source (English)'}",
        f"  title:            {document.title}",
        f"  clouds:           {', '.join(document.clouds) or '(none)'}",
        f"  segments:         {len(document.segments)}"
        + ("" if document.segmented else " (structural ids: no side-by-side spans)"),
        "  sections:",
    ]
    for section in document.sections:
        indent = "    " + "  " * (section.level - 1)
        count = counts.get((section.cloud, section.key), 0)
        cloud = f" [{section.cloud}]" if section.cloud else ""
        tab = f" (tab {section.tab})" if section.tab else ""
        lines.append(f"{indent}{section.key}{cloud}{tab}: {count} segments — {section.title}")
    for include in document.includes:
        state = "resolved" if include.resolved else "not in corpus"
        lines.append(f"  include (line {include.line}): {include.target} ({state})")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
