"""Stage 4, publish: write the dataset in the formats its users read.

Every file is written to a temporary file beside its target and renamed
into place, so a reader never sees half a file and a failed build leaves
the previous outputs as they were.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rdflib import Dataset, Graph

from supportgraph.extract.records import Divergence
from supportgraph.graph.vocabulary import PREFIXES

__all__ = ["atomic_write", "union_graph", "write_outputs"]

DIVERGENCE_COLUMNS = (
    "document",
    "segment",
    "fact",
    "source_value",
    "localized_value",
    "source_text",
    "localized_text",
)


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def union_graph(dataset: Dataset) -> Graph:
    """The merged view (the dataset's default graph) as a graph of its own."""
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    for triple in dataset.default_context:
        union.add(triple)
    return union


def divergences_csv(divergences: Sequence[Divergence]) -> bytes:
    """``divergences.csv``: one row per localized segment that states another fact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DIVERGENCE_COLUMNS)
    for d in sorted(divergences, key=lambda d: (d.document, d.segment, d.fact)):
        writer.writerow([getattr(d, column) for column in DIVERGENCE_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def write_outputs(dataset: Dataset, divergences: Sequence[Divergence], out: Path) -> list[Path]:
    """Serialize everything first, then rename each file into ``out``."""
    files = {
        "supportgraph.trig": dataset.serialize(format="trig", encoding="utf-8"),
        "supportgraph.ttl": union_graph(dataset).serialize(format="turtle", encoding="utf-8"),
        "divergences.csv": divergences_csv(divergences),
    }
    return [atomic_write(out / name, data) for name, data in files.items()]
