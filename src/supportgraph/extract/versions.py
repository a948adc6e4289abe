"""Versions of one page across locales: which is newest, where they disagree, what agrees.

The corpus is not one snapshot: a translation states what the English page
said when it was handed off. For the country pages every document's
statements are compared *per line* — the same cloud, area, support type,
language and plan, main or alternative number — and

* :func:`version_divergences` reports each older document whose statement of a
  line differs from the newest one's (fact "telephone" or "hours");
* :func:`merge_plan` says which document's statement of each line the merged
  view keeps (the newest) and which statements it leaves to the named graphs;
* :func:`consistency` checks the main page's numbers and hours (its phone tab)
  against the country pages, one human-readable line per country and page.

Newest is decided by ``ms.date``, else ``ms.lasthandoff``; an English source
page without ``ms.date`` is the current page of the corpus and so the newest
(a translation can only be as new as the English page it was handed off
from). Ties go to the English source, then to the path, so the choice is stable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from supportgraph.extract.records import ContactPoint, Divergence, Extraction, Key, SourceDocument
from supportgraph.values import DAYS, END_OF_DAY, OpeningHours
from supportgraph.values.dates import parse_doc_date

__all__ = [
    "COUNTRY_FAMILY",
    "MergePlan",
    "consistency",
    "describe_hours",
    "line_key",
    "merge_plan",
    "newest_first",
    "version_date",
    "version_divergences",
]

COUNTRY_FAMILY = "country-page"
MAIN_FAMILY = "contact-support"

Line = tuple[str | None, ...]
Facts = tuple[frozenset[str], frozenset[str]]


def version_date(document: SourceDocument) -> date | None:
    """The date a document's content is from: ``ms.date``, else ``ms.lasthandoff``."""
    return parse_doc_date(document.date) or parse_doc_date(document.last_handoff)


def _rank(document: SourceDocument) -> tuple:
    current = document.translation_type is None and document.date is None
    return (current, version_date(document) or date.min, document.translation_type is None)


def newest_first(documents: Iterable[SourceDocument]) -> list[SourceDocument]:
    """Documents ordered newest first (see the module docstring); stable for equal ranks."""
    by_path = sorted(documents, key=lambda d: d.path)
    return sorted(by_path, key=_rank, reverse=True)


def line_key(cp: ContactPoint) -> Line:
    """The line a contact point states: what two versions of a page can disagree about."""
    role = "alternative" if cp.alternative_of else "main"
    area = cp.area.slug if cp.area else None
    return (cp.cloud, cp.channel, area, cp.support_type, cp.language, cp.plan, role)


def describe_hours(hours: Iterable[OpeningHours], inferred: str | None = None) -> str:
    """ "Mon-Fri 09:00-17:00 Europe/Berlin" for a set of opening-hours specifications."""
    parts = []
    for h in hours:
        days = [DAYS.index(d) for d in h.days]
        span = _days(days)
        closes = "24:00" if h.closes == END_OF_DAY else f"{h.closes:%H:%M}"
        zone = h.time_zone or inferred or ""
        closed = " (closed on public holidays)" if h.closed_on_public_holidays else ""
        parts.append(f"{span} {h.opens:%H:%M}-{closes} {zone}".strip() + closed)
    return "; ".join(sorted(parts)) or "no hours"


def _days(days: list[int]) -> str:
    if not days:
        return "(days not stated)"
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return f"{DAYS[days[0]][:3]}-{DAYS[days[-1]][:3]}"
    return ",".join(DAYS[d][:3] for d in days)


def _number(cp: ContactPoint) -> str:
    if cp.telephone is not None:
        return cp.telephone.e164
    return f"{cp.stated_number} (as stated)" if cp.stated_number else "no number"


def _statements(extractions: Sequence[Extraction]) -> dict[Line, dict[Key, list[ContactPoint]]]:
    """line → document key → the contact points that document states for the line."""
    lines: dict[Line, dict[Key, list[ContactPoint]]] = defaultdict(lambda: defaultdict(list))
    for extraction in extractions:
        if extraction.document.family != COUNTRY_FAMILY:
            continue
        for record in extraction.records:
            if isinstance(record, ContactPoint):
                lines[line_key(record)][extraction.document.key].append(record)
    return lines


def _facts(cps: list[ContactPoint]) -> Facts:
    numbers = frozenset(_number(cp) for cp in cps)
    hours = frozenset(
        f"{_number(cp)}: {describe_hours(cp.hours, cp.inferred_time_zone)}" for cp in cps
    )
    return numbers, hours


def _documents(extractions: Sequence[Extraction]) -> dict[Key, SourceDocument]:
    return {e.document.key: e.document for e in extractions}


@dataclass(frozen=True)
class MergePlan:
    """What the merged view keeps of the country pages.

    ``merged_from``: contact point key → the document whose statement of its
    line the merged view keeps, for lines that several documents state.
    ``left_out``: document key → contact point keys whose statements (other
    than labels) stay in that document's named graph only, because a newer
    document states the line otherwise.
    """

    merged_from: dict[Key, Key]
    left_out: dict[Key, set[Key]]


def merge_plan(extractions: Sequence[Extraction]) -> MergePlan:
    """Per line, the newest document's statement wins where documents disagree."""
    documents = _documents(extractions)
    merged_from: dict[Key, Key] = {}
    left_out: dict[Key, set[Key]] = defaultdict(set)
    for stated in _statements(extractions).values():
        winner = newest_first(documents[k] for k in stated)[0].key
        if len(stated) > 1:  # a choice was made: say which document the view follows
            for cp in stated[winner]:
                merged_from[cp.key] = winner
        for document, cps in stated.items():
            if document != winner and _facts(cps) != _facts(stated[winner]):
                left_out[document] |= {cp.key for cp in cps}
    return MergePlan(merged_from, dict(left_out))


def version_divergences(extractions: Sequence[Extraction]) -> list[Extraction]:
    """The extractions with a "version" divergence for each line an older document states
    otherwise than the newest document stating it."""
    documents = _documents(extractions)
    found: dict[Key, list[Divergence]] = defaultdict(list)
    for line, stated in sorted(_statements(extractions).items(), key=lambda i: str(i[0])):
        newest = newest_first(documents[k] for k in stated)[0]
        new_numbers, new_hours = _facts(stated[newest.key])
        for key, cps in stated.items():
            numbers, hours = _facts(cps)
            for fact, theirs, ours in (
                ("telephone", new_numbers, numbers),
                ("hours", new_hours, hours),
            ):
                if key == newest.key or theirs == ours:
                    continue
                name = "/".join(p or "-" for p in line)
                found[key].append(
                    Divergence(
                        document=documents[key].path,
                        segment=f"line:{name}:{fact}",
                        fact=fact,
                        source_value=" | ".join(sorted(theirs)),
                        localized_value=" | ".join(sorted(ours)),
                        source_text=f"{newest.path}: {_label(stated[newest.key])}",
                        localized_text=_label(cps),
                        kind="version",
                        compared_with=newest.path,
                    )
                )
                if fact == "telephone":
                    break  # other numbers: the hours of those numbers differ too
    return [
        replace(e, divergences=e.divergences + tuple(found.get(e.document.key, ())))
        for e in extractions
    ]


def _label(cps: list[ContactPoint]) -> str:
    texts = [t.value for cp in cps for t in cp.labels]
    return texts[0] if texts else ""


def consistency(extractions: Sequence[Extraction]) -> tuple[str, ...]:
    """The main page's phone tab checked against the country pages: one line per country.

    "agree: main page (en-US) US +18008659408 = en-US/.../united-states.md; hours agree
    (billing, technical)", or "disagree: ..." naming what differs.
    """
    main: dict[tuple[str, str], list[ContactPoint]] = defaultdict(list)
    for extraction in extractions:
        if extraction.document.family == MAIN_FAMILY:
            for cp in extraction.records:
                if _is_main_phone_line(cp):
                    main[(extraction.document.locale, cp.area.slug)].append(cp)  # type: ignore[union-attr]
    documents = _documents(extractions)
    stated = _statements(extractions)
    checks = []
    for (locale, slug), cps in sorted(main.items()):
        checks.append(_check(locale, slug, cps, stated, documents))
    return tuple(checks)


def _is_main_phone_line(record: object) -> bool:
    return (
        isinstance(record, ContactPoint)
        and record.channel == "phone"
        and record.cloud == "o365-worldwide"
        and record.area is not None
        and record.telephone is not None
        and record.alternative_of is None
    )


def _check(
    locale: str,
    slug: str,
    cps: list[ContactPoint],
    stated: dict[Line, dict[Key, list[ContactPoint]]],
    documents: dict[Key, SourceDocument],
) -> str:
    area = cps[0].area
    code = area.code if area and area.code else slug
    numbers = sorted({_number(cp) for cp in cps})
    where = f"main page ({locale}) {code} {' '.join(numbers)}"
    differences, agreeing, pages = [], [], set()
    for cp in sorted(cps, key=lambda c: (c.support_type or "", c.language or "")):
        lines = stated.get(line_key(cp), {})
        if not lines:
            differences.append(f"no country page states {cp.support_type} ({cp.language})")
            continue
        newest = newest_first(documents[k] for k in lines)[0]
        pages.add(newest.path)
        theirs = lines[newest.key]
        if {_number(c) for c in theirs} != {_number(cp)}:
            others = " ".join(sorted({_number(c) for c in theirs}))
            differences.append(f"{cp.support_type} ({cp.language}): {newest.path} says {others}")
            continue
        ours = describe_hours(cp.hours, cp.inferred_time_zone)
        other = {describe_hours(c.hours, c.inferred_time_zone) for c in theirs}
        if other != {ours}:
            differences.append(
                f"{cp.support_type} ({cp.language}) hours: main page {ours}, "
                f"{newest.path} {' / '.join(sorted(other))}"
            )
        else:
            agreeing.append(f"{cp.support_type} ({cp.language})")
    page = ", ".join(sorted(pages)) or "no country page"
    if differences:
        return f"disagree: {where} vs {page}: " + "; ".join(differences)
    return f"agree: {where} = {page}; hours agree for " + ", ".join(agreeing)
