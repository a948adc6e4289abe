"""Front-matter dates: ``ms.date`` and ``ms.lasthandoff`` are written ``M/D/YYYY``."""

from __future__ import annotations

import re
from datetime import date

__all__ = ["parse_doc_date"]

US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_doc_date(text: str | None) -> date | None:
    """``"7/28/2020"`` → ``date(2020, 7, 28)``; None for no text, another form or no such day."""
    match = US_DATE.match((text or "").strip())
    if match is None:
        return None
    month, day, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
