"""The domain records extraction produces: plain typed values, no RDF.

Every record names the thing it is about by a *key* (a tuple of stable
strings such as ``("contact-point", "o365-worldwide", "phone", "us", ...)``);
the graph stage turns keys into IRIs, so records from different documents
about the same thing merge. A record carries only what one document states.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from supportgraph.values import OpeningHours, PhoneNumber, ResponseTarget

Key = tuple[str, ...]


@dataclass(frozen=True)
class Text:
    """A piece of text in one language, with the segment it came from."""

    value: str
    lang: str
    segment: str | None = None


@dataclass(frozen=True)
class Cloud:
    """A Microsoft 365 cloud (moniker) a document has content for."""

    moniker: str
    labels: tuple[Text, ...] = ()
    descriptions: tuple[Text, ...] = ()
    provider: str | None = None
    provider_label: str | None = None

    @property
    def key(self) -> Key:
        return ("cloud", self.moniker)


@dataclass(frozen=True)
class Area:
    """A country or region a line serves; ``code`` is ISO 3166-1 alpha-2 where one exists."""

    slug: str
    code: str | None
    kind: str = "country"
    labels: tuple[Text, ...] = ()
    page: str | None = None
    subdivision: str | None = None
    code_note: str | None = None

    @property
    def key(self) -> Key:
        return ("area", self.slug)


@dataclass(frozen=True)
class Concept:
    """Labels a document gives a controlled-vocabulary concept (channel or support type)."""

    scheme: str
    notation: str
    labels: tuple[Text, ...] = ()

    @property
    def key(self) -> Key:
        return (self.scheme, self.notation)


@dataclass(frozen=True)
class Step:
    """One numbered step of how to use a channel."""

    position: int
    labels: tuple[Text, ...]


@dataclass(frozen=True)
class ContactPoint:
    """One way to get support: a channel of a cloud, for a support type, area and language."""

    cloud: str
    channel: str
    support_type: str | None = None
    area: Area | None = None
    language: str | None = None
    telephone: PhoneNumber | None = None
    alternative_of: Key | None = None
    hours: tuple[OpeningHours, ...] = ()
    inferred_time_zone: str | None = None
    audience: str | None = None
    labels: tuple[Text, ...] = ()
    descriptions: tuple[Text, ...] = ()
    notes: tuple[Text, ...] = ()
    charge_notes: tuple[Text, ...] = ()
    steps: tuple[Step, ...] = ()
    url: str | None = None
    plan: str | None = None
    instructions: tuple[Text, ...] = ()
    number_notes: tuple[Text, ...] = ()
    access_number: str | None = None
    stated_number: str | None = None
    number_issue: str | None = None
    conditional_hours: tuple[OpeningHours, ...] = ()
    conditions: tuple[Text, ...] = ()

    @property
    def key(self) -> Key:
        parts = [self.cloud, self.channel]
        if self.area is not None:
            parts.append(self.area.key[1])
        if self.support_type:
            parts.append(self.support_type)
        if self.plan:
            parts.append(self.plan)
        if self.language:
            parts.append(self.language)
        if self.telephone is not None:
            parts.append(self.telephone.e164.lstrip("+"))
        elif self.stated_number:
            parts.append("stated-" + "".join(c for c in self.stated_number if c.isdigit()))
        return ("contact-point", *parts)


@dataclass(frozen=True)
class Severity:
    """What one document says about a severity level of a cloud."""

    cloud: str
    notation: str
    pref_labels: tuple[Text, ...] = ()
    alt_labels: tuple[Text, ...] = ()
    definitions: tuple[Text, ...] = ()
    examples: tuple[Text, ...] = ()
    response: ResponseTarget | None = None
    follow_up: tuple[Text, ...] = ()
    support_types: tuple[str, ...] = ()
    hours: tuple[OpeningHours, ...] = ()
    notes: tuple[Text, ...] = ()

    @property
    def key(self) -> Key:
        return ("severity", self.cloud, self.notation.lower())


@dataclass(frozen=True)
class Role:
    """A party with responsibilities in a cloud's support (the administrator, the provider)."""

    cloud: str
    role: str
    labels: tuple[Text, ...] = ()
    descriptions: tuple[Text, ...] = ()

    @property
    def key(self) -> Key:
        return ("role", self.cloud, self.role)


@dataclass(frozen=True)
class Responsibility:
    """One thing a role is (``attribute``) or must do (``duty``)."""

    cloud: str
    role: str
    kind: str
    position: int
    labels: tuple[Text, ...] = ()
    severity: str | None = None

    @property
    def key(self) -> Key:
        scope = f"severity-{self.severity.lower()}" if self.severity else self.kind
        return ("responsibility", self.cloud, self.role, scope, str(self.position))


@dataclass(frozen=True)
class SupportOffer:
    """A support type as a cloud offers it: when, with which examples of issues."""

    cloud: str
    support_type: str
    labels: tuple[Text, ...] = ()
    descriptions: tuple[Text, ...] = ()
    examples: tuple[Text, ...] = ()
    hours: tuple[OpeningHours, ...] = ()

    @property
    def key(self) -> Key:
        return ("support", self.cloud, self.support_type)


@dataclass(frozen=True)
class SupportCategory:
    """A technical support category with the products and examples it covers."""

    cloud: str
    position: int
    labels: tuple[Text, ...] = ()
    products: tuple[Text, ...] = ()
    examples: tuple[Text, ...] = ()

    @property
    def key(self) -> Key:
        return ("support-category", self.cloud, str(self.position))


@dataclass(frozen=True)
class Divergence:
    """A place where a document states another fact than its English source or a newer version.

    ``kind`` "translation": a localized segment against its own English source
    segment. ``kind`` "version": what this document states about a line against
    what the newest document stating that line (``compared_with``) says; then
    ``segment`` names the line and ``source_value`` is the newest document's value.
    """

    document: str
    segment: str
    fact: str
    source_value: str
    localized_value: str
    source_text: str
    localized_text: str
    kind: str = "translation"
    compared_with: str | None = None


@dataclass(frozen=True)
class Problem:
    """Something a rule could not turn into records; ``failed`` if the text was not understood.

    A page that states no usable number (none at all, or only numbers that are
    not valid) is a problem with its reason; a line no parser reads is a failure.
    """

    message: str
    failed: bool = False


@dataclass(frozen=True)
class SourceDocument:
    """Where a document's statements come from.

    ``lang`` is the label language of a page; a source that states labels in
    several languages (the pycountry reference) lists them in ``languages``.
    """

    key: Key
    path: str
    relpath: str
    locale: str
    lang: str
    translation_type: str | None
    family: str
    title: str
    date: str | None = None
    last_handoff: str | None = None
    locfileid: str | None = None
    languages: tuple[str, ...] = ()


Record = (
    Cloud
    | Area
    | Concept
    | ContactPoint
    | Severity
    | Role
    | Responsibility
    | SupportOffer
    | SupportCategory
)


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    document: SourceDocument
    records: tuple[Record, ...] = ()
    divergences: tuple[Divergence, ...] = ()
    unaligned: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())
    failures: tuple[str, ...] = ()
