"""What the rules know beyond one page: the countries served and the mapping's lexicon."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from supportgraph.extract.records import Area, Text
from supportgraph.values import country_time_zone


def fold(text: str) -> str:
    """Compare names without case, punctuation or a leading article."""
    text = re.sub(r"[^\w ]", " ", text.casefold())
    text = re.sub(r"^(the) ", "", " ".join(text.split()))
    return text


@dataclass
class Context:
    """Shared by every page's rules: countries (from the dropdown pages) and regions.

    ``areas`` maps an English country name to its area; ``localized`` maps a
    label language to {localized country name: area}, so a translation that
    names another country than its source can be read in any language.
    """

    areas: dict[str, Area] = field(default_factory=dict)
    by_slug: dict[str, Area] = field(default_factory=dict)
    localized: dict[str, dict[str, Area]] = field(default_factory=dict)
    regions: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add_area(self, area: Area, english_name: str) -> None:
        self.areas[fold(english_name)] = area
        self.by_slug[area.slug] = area
        for text in area.labels:
            self.localized.setdefault(text.lang, {})[fold(text.value)] = area

    def area(self, english_name: str) -> Area | None:
        """The country or region an English name (from a source text) refers to."""
        name = fold(english_name)
        if name in self.areas:
            return self.areas[name]
        for slug, (label, pattern) in self.regions.items():
            if re.search(pattern, english_name, re.IGNORECASE):
                return Area(slug=slug, code=None, kind="region", labels=(Text(label, "en"),))
        return None

    def area_by_code(self, code: str) -> Area | None:
        """The country with an ISO code."""
        return next((a for a in self.by_slug.values() if a.code == code), None)

    def area_in(self, text: str, lang: str) -> Area | None:
        """The country whose name (in ``lang``) occurs in a sentence, longest name first."""
        names = self.localized.get(lang, {})
        folded = f" {fold(text)} "
        for name in sorted(names, key=len, reverse=True):
            if len(name) > 2 and f" {name} " in folded:
                return names[name]
        return None

    @staticmethod
    def time_zone(area: Area | None) -> str | None:
        """The time zone inferred for an area, where the text names none."""
        if area is None or area.code is None:
            return None
        return country_time_zone(area.code)
