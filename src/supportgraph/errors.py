"""The one error type a user of supportgraph sees.

Every failure a user can cause (bad input, a bad parameter, an unreachable
endpoint) is raised as a :class:`SupportGraphError` (or a subclass) that knows
where it happened, so the CLI can print one clear line and exit non-zero.
"""

from __future__ import annotations

from pathlib import Path


class SupportGraphError(Exception):
    """An error caused by input or configuration, reported without a traceback.

    ``where`` names the place (a file, a file and line, a segment id, an
    endpoint); ``message`` says what was wrong and what was expected.
    """

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class IngestError(SupportGraphError):
    """A documentation file that cannot be read as a DocFX Markdown page."""


class ExtractError(SupportGraphError):
    """A document whose content does not fit the mapping of its family."""


class ValidationError(SupportGraphError):
    """A graph that violates the SHACL shapes."""


class StoreError(SupportGraphError):
    """A SPARQL endpoint that cannot be loaded or queried."""


class QueryError(SupportGraphError):
    """A query or query parameter that cannot be run."""
