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

from rich.progress import Progress

from supportgraph import __version__
from supportgraph.build import build
from supportgraph.console import build_progress, build_summary, working
from supportgraph.errors import QueryError, StoreError, SupportGraphError
from supportgraph.framing import frame_cloud
from supportgraph.graph import DEFAULT_BASE
from supportgraph.ingest import Document, ingest_file
from supportgraph.ingest.cache import CACHE_DIR
from supportgraph.jsonld import script_element
from supportgraph.output import format_result
from supportgraph.publish import atomic_write, read_merged_view
from supportgraph.query import query, query_names
from supportgraph.store import load
from supportgraph.validate import ShapeViolations, summary, validate_file

__all__ = ["build_summary", "main"]

EXIT_INPUT = 2
EXIT_INVALID = 1


JOBS_OPTION = {"type": int, "metavar": "N", "help": "worker processes (default: one per core)"}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = _parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        return command(args)
    except ShapeViolations as error:  # the graph is wrong, not the command line: exit 1
        sys.stderr.write(summary(error.report))
        print(f"supportgraph: error: {error}", file=sys.stderr)
        return EXIT_INVALID
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

    build = commands.add_parser(
        "build", help="build the graph from corpus folders into OUT", description=BUILD_HELP
    )
    build.add_argument(
        "corpora",
        nargs="*",
        type=Path,
        metavar="CORPUS_DIR",
        help="corpus folders laid out as <locale>/microsoft-365/... (default: the bundled corpus)",
    )
    build.add_argument("-o", "--out", type=Path, default=Path("dist"), help="output folder (dist/)")
    build.add_argument("--base", default=DEFAULT_BASE, help=f"base of data IRIs ({DEFAULT_BASE})")
    build.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    build.add_argument("-j", "--jobs", **JOBS_OPTION)
    build.add_argument(
        "--no-cache", action="store_true", help=f"ingest every page again (no {CACHE_DIR}/)"
    )
    build.set_defaults(command=_build)

    validate = commands.add_parser(
        "validate", help="validate an RDF file against the SHACL shapes", description=VALIDATE_HELP
    )
    validate.add_argument(
        "file", type=Path, metavar="FILE", help="an RDF file (.ttl, .trig, .nq, ...)"
    )
    validate.add_argument(
        "--shapes", type=Path, metavar="FILE", help="a SHACL shapes file (the bundled shapes)"
    )
    validate.add_argument(
        "--report", type=Path, metavar="FILE", help="also write the SHACL report as Turtle here"
    )
    validate.add_argument("-j", "--jobs", **JOBS_OPTION)
    validate.set_defaults(command=_validate)

    embed = commands.add_parser(
        "embed",
        help="print a cloud's JSON-LD <script> snippet for a web page",
        description=EMBED_HELP,
    )
    embed.add_argument("--cloud", required=True, metavar="MONIKER", help="e.g. o365-worldwide")
    embed.add_argument("--lang", required=True, metavar="TAG", help="BCP 47 language, e.g. sv")
    embed.add_argument(
        "--dataset",
        type=Path,
        default=Path("dist/supportgraph.trig"),
        help="the built dataset (dist/supportgraph.trig)",
    )
    embed.set_defaults(command=_embed)

    load = commands.add_parser(
        "load", help="load a dataset file into a SPARQL 1.1 store", description=LOAD_HELP
    )
    load.add_argument("file", type=Path, metavar="FILE", help="a .trig, .nq, .ttl or .nt file")
    load.add_argument("--endpoint", required=True, help="the store's SPARQL query URL")
    load.add_argument("--update-endpoint", help="its SPARQL update URL (default: --endpoint)")
    load.add_argument("--graph-store", help="its Graph Store Protocol URL, used for big graphs")
    load.add_argument("--graph-prefix", help="load graph G as GRAPH_PREFIX + percent-encoded G")
    load.add_argument("--batch", type=int, default=100_000, help="triples per request (100000)")
    load.add_argument("--timeout", type=float, default=60.0, help="seconds per request (60)")
    load.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    load.set_defaults(command=_load)

    query = commands.add_parser(
        "query", help="run a competency query (or any .rq file)", description=QUERY_HELP
    )
    query.add_argument("name", metavar="NAME|FILE", help="a query of queries/ or a .rq file")
    query.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="bind a query parameter (repeatable)",
    )
    query.add_argument("--endpoint", help="a SPARQL endpoint URL instead of the local dataset")
    query.add_argument(
        "--dataset",
        type=Path,
        default=Path("dist/supportgraph.trig"),
        help="the local dataset (dist/supportgraph.trig)",
    )
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(command=_query)
    return parser


INSPECT_HELP = (
    "Ingest FILE and print its locale, translation type, clouds, section tree and "
    "segment counts; with --json, a JSON object with every segment "
    "(id, localized, source, cloud, section) in document order."
)


BUILD_HELP = (
    "Ingest every page of the corpus folders, extract the support facts, build one named "
    "graph per source document, validate the merged view against the SHACL shapes, and "
    "publish into OUT: supportgraph.ttl (the merged view), supportgraph.trig and "
    "supportgraph.nq (named graphs), supportgraph.jsonld with context.jsonld, site/ (a page "
    "per cloud and language, site/MONIKER/LANG.html, with its framed JSON-LD, also as "
    "site/MONIKER/LANG.jsonld), divergences.csv and validation-report.ttl. A summary goes to "
    "stderr. On a SHACL violation only OUT/validation-report.ttl is written, the violations "
    "are printed and the exit status is 1."
)
VALIDATE_HELP = (
    "Validate FILE (for .trig/.nq, the union of its graphs) against the SHACL shapes and print "
    "every violation (focus node, path, value, message, shape) and the warnings by rule. "
    "Exit status 0 when there is no violation, 1 when there is, 2 when FILE cannot be read."
)
EMBED_HELP = (
    'Print the <script type="application/ld+json"> element of one cloud in one language: '
    "the organization with its contact points (telephone, contactType, areaServed, "
    "availableLanguage, hoursAvailable), ready to paste into a web page."
)
QUERY_HELP = (
    "Run a query with parameters bound as RDF terms (never pasted into the query text). "
    "Bundled queries: " + ", ".join(query_names()) + ". "
    "Each query's header lists its parameters."
)


def _build(args: argparse.Namespace) -> int:
    options = {"base": args.base, "jobs": _jobs(args), "cache": not args.no_cache}
    with build_progress(enabled=not args.quiet and sys.stderr.isatty()) as progress:
        report = build(args.corpora, args.out, progress=progress, **options)
    if not args.quiet:
        sys.stderr.write(build_summary(report))
    return 0


def _jobs(args: argparse.Namespace) -> int | None:
    if args.jobs is not None and args.jobs < 1:
        raise SupportGraphError(f"--jobs {args.jobs}: expected a number of processes, 1 or more")
    return args.jobs


def _validate(args: argparse.Namespace) -> int:
    with working(f"validating {args.file}", enabled=sys.stderr.isatty()):
        report = validate_file(args.file, args.shapes, jobs=_jobs(args))
    if args.report:
        atomic_write(args.report, report.turtle())
    sys.stdout.write(summary(report))
    return 0 if report.conforms else EXIT_INVALID


def _embed(args: argparse.Namespace) -> int:
    if not args.dataset.is_file():
        raise SupportGraphError(
            "no such dataset; run `supportgraph build` first or pass --dataset", path=args.dataset
        )
    graph = read_merged_view(args.dataset)
    sys.stdout.write(script_element(frame_cloud(graph, args.cloud, args.lang)) + "\n")
    return 0


LOAD_HELP = (
    "Load FILE into a SPARQL 1.1 store. Each named graph replaces the store's graph of the "
    "same name in one transaction (readers see the old or the new graph, never half), so "
    "loading twice gives the same triples. Credentials come from the environment "
    "(SUPPORTGRAPH_ENDPOINT_USER / SUPPORTGRAPH_ENDPOINT_PASSWORD, or "
    "SUPPORTGRAPH_ENDPOINT_TOKEN) or ~/.netrc, never from the command line."
)


def _load(args: argparse.Namespace) -> int:
    options = {
        "update_endpoint": args.update_endpoint,
        "graph_store": args.graph_store,
        "graph_prefix": args.graph_prefix,
        "batch_triples": args.batch,
        "timeout": args.timeout,
    }
    if not args.file.is_file():
        raise StoreError("no such file; expected a .trig, .nq, .ttl or .nt dataset", path=args.file)
    if args.quiet or not sys.stderr.isatty():
        report = load(args.file, args.endpoint, **options)
    else:
        with Progress(transient=True) as bar:
            task = bar.add_task("loading", total=None)
            report = load(
                args.file,
                args.endpoint,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                **options,
            )
    print(
        f"loaded {len(report.graphs)} graphs, {report.total_triples} triples "
        f"in {report.batches} requests ({report.seconds:.1f} s)",
        file=sys.stderr,
    )
    return 0


def _query(args: argparse.Namespace) -> int:
    params: dict[str, str] = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QueryError(f"--param {item!r}: expected KEY=VALUE")
        params[key] = value
    result = query(args.name, params, dataset=args.dataset, endpoint=args.endpoint)
    sys.stdout.write(format_result(result, args.format))
    return 0


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


def _translation(document: Document) -> str:
    if document.translation_type:
        return document.translation_type
    return "source (English)" if document.is_source else "not stated"


def document_summary(document: Document) -> str:
    """The human-readable form printed by ``inspect``."""
    counts: dict[tuple[str | None, str], int] = {}
    for segment in document.segments:
        key = (segment.cloud, segment.section)
        counts[key] = counts.get(key, 0) + 1
    lines = [
        f"{document.path}",
        f"  locale:           {document.locale}",
        f"  translation type: {_translation(document)}",
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
