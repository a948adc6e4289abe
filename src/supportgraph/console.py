"""What ``supportgraph build`` shows on a terminal: a progress bar of its stages, and a summary."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from supportgraph.build import STAGES, BuildReport
from supportgraph.validate import summary

__all__ = ["build_progress", "build_summary", "working"]


@contextmanager
def build_progress(enabled: bool = True) -> Iterator[Callable[[str], None] | None]:
    """A progress bar of the build's stages on stderr, as a ``progress`` callback.

    Yields ``None`` when not ``enabled`` (``--quiet``, or stderr is not a
    terminal): nothing is drawn then. The bar disappears when the build ends.
    """
    if not enabled:
        yield None
        return
    columns = (TextColumn("{task.description:<9}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("build", total=len(STAGES) - 1)

        def advance(stage: str) -> None:
            bar.update(task, description=stage, completed=STAGES.index(stage))

        yield advance


@contextmanager
def working(description: str, enabled: bool = True) -> Iterator[None]:
    """An indeterminate progress bar on stderr while a step with no known length runs."""
    if not enabled:
        yield
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        bar.add_task(description, total=None)
        yield


def build_summary(report: BuildReport) -> str:
    """The summary ``build`` prints on stderr."""
    lines = [
        f"documents: {report.documents}",
        f"named graphs: {report.graphs}",
        f"quads: {report.triples}",
        "entities:",
        *(f"  {name}: {count}" for name, count in report.entities.items()),
        f"divergences (translation states another fact than its source): {len(report.divergences)}",
        *(
            f"  {d.document} {d.segment}: {d.fact} {d.source_value} -> {d.localized_value}"
            for d in report.divergences
        ),
    ]
    if report.unaligned:
        count = sum(len(ids) for ids in report.unaligned.values())
        lines.append(f"unaligned segments (no counterpart in the English page): {count}")
        lines.extend(f"  {path}: {', '.join(ids)}" for path, ids in report.unaligned.items())
    lines.append(f"failed pages (lines no parser understood): {len(report.failed)}")
    lines.extend(f"  {path}: {'; '.join(f)}" for path, f in report.failed.items())
    if report.consistency:
        lines.append("consistency of the main page's numbers with the country pages:")
        lines.extend(f"  {line}" for line in report.consistency)
    if report.problems:
        lines.append(f"pages with unread content: {len(report.problems)}")
        lines.extend(f"  {path}: {'; '.join(p)}" for path, p in report.problems.items())
    if report.validation is not None:
        lines.append(summary(report.validation).rstrip("\n"))
    if report.up_to_date:
        top = min((p.parent for p in report.outputs), key=lambda p: len(p.parts), default=".")
        lines.append(f"up to date: every page reads as in the last build into {top}; wrote nothing")
    else:
        lines.extend(_written(report.outputs))
    return "\n".join(lines) + "\n"


def _written(paths: Sequence[Path]) -> list[str]:
    """``wrote OUT/file`` per top-level file, ``wrote OUT/folder/ (N files)`` per folder."""
    if not paths:
        return []
    top = min((p.parent for p in paths), key=lambda p: len(p.parts))
    folders: dict[Path, int] = {}
    lines = []
    for path in paths:
        if path.parent == top:
            lines.append(f"wrote {path}")
        else:
            folder = top / path.relative_to(top).parts[0]
            folders[folder] = folders.get(folder, 0) + 1
    lines.extend(f"wrote {folder}/ ({count} files)" for folder, count in folders.items())
    return lines
