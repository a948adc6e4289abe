"""Reading a country page line by line: the numbers it states and the hours per support type.

A country page is a run of short lines under a few headings (``phone-number``,
``billing-support``, ``technical-support``): numbers with parenthesised notes,
call instructions, "Language: hours" entries, alternative numbers and charge
notes. :func:`read_parts` walks the blocks of the sections the family mapping
names, in page order, and sorts every line into what it states; the English
source text says what a line is, the localized text gives the labels and the
language-neutral facts (digits, clock times) the document itself states.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from supportgraph.errors import ExtractError
from supportgraph.extract.page import Page, sentences
from supportgraph.extract.records import Divergence, Problem, Text
from supportgraph.extract.rules import PROVIDED_IN, as_list, support_type_of
from supportgraph.ingest import Block
from supportgraph.values import (
    OpeningHours,
    PhoneNumber,
    corrected_phone,
    find_clock_times,
    find_phones,
    is_public_holiday_closure,
    language_tag,
    parse_hours,
    restate_times,
    split_hours_sentence,
    split_language_line,
    split_languages,
)

__all__ = ["Entry", "Part", "Stated", "read_parts"]

DIGIT_RUN = re.compile(r"\+?\d[\d ().\-/]*\d")
PLAN_LABEL = re.compile(r"^(?P<label>[^:()]+?)\s*:\s*(?:\([^()]*\)\s*:?)?$")


@dataclass
class Stated:
    """One number as a page states it, with what the lines after it say about it.

    ``phone`` is None where the text has no valid E.164 reading (``issue`` says
    why; ``text`` keeps the number as written). A number followed by "After
    dialing, enter ..." is an access number: ``then_dial`` is the number reached.
    """

    block: Block
    text: str
    phone: PhoneNumber | None
    issue: str | None = None
    note: str | None = None
    notes: tuple[Text, ...] = ()
    plan: str | None = None
    then_dial: PhoneNumber | None = None
    instructions: list[Block] = field(default_factory=list)
    charges: list[Block] = field(default_factory=list)
    note_blocks: list[Block] = field(default_factory=list)

    @property
    def note_base(self) -> str | None:
        """The note without its parenthesised example ("Other Plans")."""
        return self.note.split(" (")[0].strip() if self.note else None


@dataclass
class Entry:
    """Hours of one support type in some languages ("German: Mon-Fri 8 AM-9 PM")."""

    block: Block
    support_type: str
    plan: str | None
    channel: str
    languages: tuple[str | None, ...]
    hours: tuple[OpeningHours, ...]
    conditional: tuple[OpeningHours, ...] = ()
    condition: tuple[Text, ...] = ()
    notes: list[Block] = field(default_factory=list)


@dataclass
class Part:
    """The lines of one cloud's part of a page."""

    cloud: str
    numbers: list[Stated] = field(default_factory=list)
    alternatives: list[Stated] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    charges: list[Block] = field(default_factory=list)
    alternative_charges: list[Block] = field(default_factory=list)
    unavailable: list[Block] = field(default_factory=list)
    channels: dict[str, list[Block]] = field(default_factory=dict)
    plans: set[str] = field(default_factory=set)


class _Reader:
    """Walks a page's blocks in order, keeping which part, section and support type it is in."""

    def __init__(self, page: Page, spec: dict[str, Any], region: str | None):
        self.page, self.spec, self.region = page, spec, region
        self.phrases: dict[str, Any] = spec["phrases"]
        self.parts = [Part(spec["serves"])]
        self.mode: str | None = None
        self.support_type: str | None = None
        self.plan: str | None = None
        self.in_alternatives = False
        self.then_dial_pending = False
        self.out: list[Problem | Divergence] = []

    @property
    def part(self) -> Part:
        return self.parts[-1]

    def read(self) -> list[Part]:
        reads = set(self.spec.get("reads", ()))
        tops = {s.key for s in self.page.document.sections if s.level == 1}
        for block in self.page.document.blocks:
            if block.section in tops or block.section not in reads:
                continue
            try:
                self._heading(block) if block.kind == "heading" else self._line(block)
            except ExtractError as error:
                self._problem(block, error.message)
        for part in self.parts:
            for stated in part.numbers + part.alternatives:
                if stated.note_base in part.plans:
                    stated.plan = stated.note_base
        return self.parts

    # --- structure -------------------------------------------------------------------------

    def _heading(self, block: Block) -> None:
        section = block.section
        if section in self.spec.get("parts", {}):
            self.parts.append(Part(self.spec["parts"][section]))
            self.mode = None
        elif section == self.spec["numbers_section"]:
            self.mode = "numbers"
        elif section in self.spec.get("channel_sections", {}):
            self.mode = "channel"
            channel = self.spec["channel_sections"][section]
            self.part.channels.setdefault(channel, []).append(block)
        else:
            self.mode = "hours"
            self.support_type = support_type_of(self._source(block), self._names())
            self.plan, self.in_alternatives = None, False

    def _line(self, block: Block) -> None:
        source = self._source(block)
        if self.mode == "channel":
            self.part.channels[list(self.part.channels)[-1]].append(block)
        elif self._has(source, "unavailable"):
            self.part.unavailable.append(block)
        elif self.mode == "numbers":
            self._number_line(block, source)
        elif self.mode == "hours":
            self._hours_line(block, source)

    def _names(self) -> dict[str, str]:
        return self.spec["support_type_names"]

    def _source(self, block: Block) -> str:
        return " ".join(self.page.source(block).split())

    def _has(self, source: str, phrase: str, *, start: bool = False) -> bool:
        """Whether an English line contains (or ``start``s with) a phrase of the mapping."""
        folded = source.casefold()
        options = [option.casefold() for option in as_list(self.phrases[phrase])]
        return any(folded.startswith(o) if start else o in folded for o in options)

    def _problem(self, block: Block, message: str, *, failed: bool = True) -> None:
        where = block.segments[0].id if block.segments else block.address
        self.out.append(Problem(f"segment {where}: {message}", failed=failed))

    # --- numbers ---------------------------------------------------------------------------

    def _number_line(self, block: Block, source: str) -> None:
        last = self.part.numbers[-1] if self.part.numbers else None
        if self._has(source, "then_dial", start=True) or self.then_dial_pending:
            found = self._numbers(block, self.spec["then_dial_region"])
            self.then_dial_pending = not found
            if last is not None:
                last.instructions.append(block)
                if found:
                    last.then_dial = found[0].phone
            return
        if self._has(source, "instructions", start=True) and last is not None:
            last.instructions.append(block)
            return
        found = self._numbers(block, self.region)
        if found:
            self.part.numbers.extend(found)
        elif last is not None:
            (last.charges if self._has(source, "charges") else last.note_blocks).append(block)
        else:
            self._problem(block, f"expected a phone number, got {source!r}")

    def _numbers(self, block: Block, region: str | None) -> list[Stated]:
        """The numbers of a line as the document states them (digits are language-neutral)."""
        source = self._source(block)
        try:
            english = find_phones(source, region)
        except ExtractError:
            runs = [r for r in DIGIT_RUN.findall(source) if sum(c.isdigit() for c in r) >= 7]
            return [self._unreadable(block, run, region) for run in runs]
        stated = english
        if not self.page.document.is_source:
            stated = self._localized_numbers(block, english, region)
        texts = self._note_texts(block, region)
        return [
            self._checked(block, phone, note, region, texts)
            for (phone, _), (_, note) in zip(stated, english, strict=True)
        ]

    def _localized_numbers(
        self, block: Block, english: list[tuple[PhoneNumber, str | None]], region: str | None
    ) -> list[tuple[PhoneNumber, str | None]]:
        """The numbers a translated line itself states; a translation's number that cannot be
        read is a divergence and leaves the source's number, which is all the line gives."""
        source = " ".join(p.e164 for p, _ in english)
        try:
            localized = find_phones(block.text, region)
        except ExtractError:
            self._diverge(block, "telephone", source, f"{block.text} (not a phone number)")
            return english
        if [p.e164 for p, _ in localized] == [p.e164 for p, _ in english]:
            return english
        if self.page.document.segmented:
            self._diverge(block, "telephone", source, " ".join(p.e164 for p, _ in localized))
        return localized if len(localized) == len(english) else english

    def _diverge(self, block: Block, fact: str, source: str, localized: str) -> None:
        """A translated line that states another fact than its English source."""
        self.out.append(
            Divergence(
                document=self.page.key,
                segment=",".join(s.id for s in block.segments),
                fact=fact,
                source_value=source,
                localized_value=localized,
                source_text=self._source(block),
                localized_text=block.text,
            )
        )

    def _note_texts(self, block: Block, region: str | None) -> tuple[Text, ...]:
        """The parenthesised notes of a number line in the document's language and English."""
        pairs = [(block.text, self.page.lang)]
        if self.page.lang != "en" and self.page.states_source:
            pairs.append((self._source(block), "en"))
        texts = []
        for text, lang in pairs:
            try:
                texts += [Text(note, lang) for _, note in find_phones(text, region) if note]
            except ExtractError:
                continue
        return tuple(texts)

    def _checked(
        self,
        block: Block,
        phone: PhoneNumber,
        note: str | None,
        region: str | None,
        texts: tuple[Text, ...],
    ) -> Stated:
        """A number with a valid E.164 reading, or kept as stated with the reason why not."""
        stated = Stated(block, phone.text, phone, note=note, notes=texts)
        if phone.valid:
            return stated
        corrected = corrected_phone(phone.text, region)
        if corrected is not None:
            stated.phone, stated.issue = corrected
            return stated
        stated.phone = None
        stated.issue = f"{phone.text!r} is not a valid number in {region or 'any region'}"
        return stated

    def _unreadable(self, block: Block, run: str, region: str | None) -> Stated:
        issue = f"{run!r} is not a possible phone number in {region or 'any region'}"
        return Stated(block, run, None, issue=issue)

    # --- hours -----------------------------------------------------------------------------

    def _hours_line(self, block: Block, source: str) -> None:
        names = self._names()
        entry = self.part.entries[-1] if self.part.entries else None
        if (support_type := support_type_of(source, names)) and source.endswith(":"):
            self.support_type, self.plan, self.in_alternatives = support_type, None, False
        elif self._has(source, "alternative", start=True):
            self.in_alternatives = True
            self.part.alternatives.extend(self._numbers(block, self.region))
        elif is_public_holiday_closure(source) and entry is not None:
            entry.hours = tuple(replace(h, closed_on_public_holidays=True) for h in entry.hours)
            entry.notes.append(block)
        elif self._has(source, "charges") and not DIGIT_RUN.search(source):
            charges = self.part.alternative_charges if self.in_alternatives else self.part.charges
            charges.append(block)
        elif self.in_alternatives and (found := self._numbers(block, self.region)):
            self.part.alternatives.extend(found)
        elif (label := PLAN_LABEL.match(source)) and self._is_plan(label["label"]):
            self.plan = label["label"]
            self.part.plans.add(self.plan)
        elif self.support_type is None:
            self._problem(block, f"hours {source!r} follow no support type")
        else:
            self._entry(block, source)

    def _is_plan(self, label: str) -> bool:
        bases = {(s.note_base or "").casefold() for s in self.part.numbers}
        return label.casefold() in bases

    def _entry(self, block: Block, source: str) -> None:
        try:
            line = split_language_line(source)
        except ExtractError:
            self._sentence_entry(block, source)
            return
        channel = self._channel(line.qualifier)
        hours = self._hours(block, line.hours)
        languages = tuple(language_tag(name) for name in line.languages)
        assert self.support_type is not None
        self.part.entries.append(
            Entry(block, self.support_type, self.plan, channel, languages, hours)
        )

    def _sentence_entry(self, block: Block, source: str) -> None:
        """Hours given as sentences ("Telephone technical support is available from ...")."""
        regular: tuple[OpeningHours, ...] = ()
        conditional: tuple[OpeningHours, ...] = ()
        condition: tuple[Text, ...] = ()
        languages: tuple[str | None, ...] = (None,)
        for sentence in sentences(source):
            lead, hours_text = split_hours_sentence(sentence)
            if match := re.search(self.phrases["condition"], sentence):
                conditional = parse_hours(hours_text, self.region)
                texts = self.page.part_texts(block, sentence, exact=False)
                condition = texts or (Text(match["condition"], "en"),)
            else:
                regular = self._hours(block, hours_text)
                if spoken := PROVIDED_IN.search(lead):
                    languages = tuple(language_tag(n) for n in split_languages(spoken["languages"]))
        if not regular:
            raise ExtractError(f"expected 'Language: hours' or an hours sentence, got {source!r}")
        assert self.support_type is not None
        self.part.entries.append(
            Entry(
                block, self.support_type, self.plan, "phone", languages, regular,
                conditional, condition,
            )
        )  # fmt: skip

    def _channel(self, qualifier: str | None) -> str:
        if not qualifier:
            return "phone"
        for words, channel in self.phrases["qualifier_channels"].items():
            if qualifier.casefold().startswith(words.casefold()):
                return str(channel)
        raise ExtractError(f"unknown channel {qualifier!r}; expected one of the mapping's")

    def _hours(self, block: Block, hours_text: str) -> tuple[OpeningHours, ...]:
        """Hours from the English text, with the clock times the document itself states."""
        hours = parse_hours(hours_text, self.region)
        if any(not h.days for h in hours):
            message = f"{hours_text!r} names no days; kept only as a label"
            self._problem(block, message, failed=False)
            return ()
        if self.page.document.is_source:
            return hours
        times = find_clock_times(block.text)
        english = (hours[0].opens, hours[-1].closes if len(hours) == 2 else hours[0].closes)
        if len(times) != 2 or times == english:
            return hours
        try:
            restated = parse_hours(restate_times(hours_text, *times), self.region)
        except ExtractError:
            return hours
        if self.page.document.segmented:
            shown = "-".join(f"{t:%H:%M}" for t in english)
            self._diverge(block, "hours", shown, "-".join(f"{t:%H:%M}" for t in times))
        return restated


def read_parts(
    page: Page, spec: dict[str, Any], region: str | None
) -> tuple[list[Part], list[Problem | Divergence]]:
    """The parts of a country page (one per cloud) and what could not be read or diverges."""
    reader = _Reader(page, spec, region)
    parts = reader.read()
    return parts, reader.out
