"""The published vocabulary (v1): namespaces, the controlled concepts, and IRI minting.

These names are the product's API: users' queries depend on them. Rename
none without saying so in the changelog.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD


class _Namespace(Namespace):
    """An rdflib ``Namespace`` that makes each of its terms once.

    rdflib's makes, and checks, a new ``URIRef`` at every ``SG.Cloud``; the
    graph stage asks for a few dozen terms hundreds of thousands of times.
    A term is kept as an attribute of the namespace, found before
    ``__getattr__`` is called again.
    """

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term


class Terms:
    """Attribute access to the terms of any rdflib namespace, each made once (see above).

    For rdflib's own (``Terms(RDF).type``), whose ``DefinedNamespace``
    classes cannot keep their terms.
    """

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


SG = _Namespace("https://w3id.org/supportgraph/ontology#")
SCHEMA = _Namespace("https://schema.org/")
ONTOLOGY_GRAPH = URIRef("https://w3id.org/supportgraph/ontology")
DEFAULT_BASE = "https://w3id.org/supportgraph/id/"

PREFIXES = {
    "sg": SG,
    "schema": SCHEMA,
    "skos": SKOS,
    "rdfs": RDFS,
    "rdf": RDF,
    "xsd": XSD,
    "prov": PROV,
    "dcterms": DCTERMS,
}

CHANNEL_TYPES = {
    "online": SG.OnlineChannel,
    "phone": SG.PhoneChannel,
    "in-store": SG.InStoreChannel,
    "community": SG.CommunityChannel,
    "self-service": SG.SelfServiceChannel,
    "wechat": SG.WeChatChannel,
}
SUPPORT_TYPES = {
    "technical": SG.TechnicalSupport,
    "billing": SG.BillingSupport,
    "pre-sales": SG.PreSalesSupport,
    "account": SG.AccountSupport,
}
# schema:contactType is free text that schema.org consumers display.
CONTACT_TYPES = {
    "technical": "technical support",
    "billing": "billing support",
    "pre-sales": "sales",
    "account": "customer service",
}
SCHEMES = {"channel-type": CHANNEL_TYPES, "support-type": SUPPORT_TYPES}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

PROJECT_ROOT = Path(__file__).resolve().parents[3]
ONTOLOGY_FILE = PROJECT_ROOT / "ontology" / "supportgraph.ttl"


def concept(scheme: str, notation: str) -> URIRef:
    """The IRI of a channel-type or support-type concept."""
    try:
        return SCHEMES[scheme][notation]
    except KeyError:
        raise KeyError(f"unknown {scheme} {notation!r}") from None


@functools.lru_cache(maxsize=1 << 16)  # a build mints the same IRIs again and again
def mint(base: str, key: tuple[str, ...]) -> URIRef:
    """A stable IRI from a record key: the base plus its parts, each percent-encoded."""
    return URIRef(base + "/".join(quote(_SPACES.sub("-", p.strip()), safe="") for p in key))


_SPACES = re.compile(r"\s+")


def document_iri(base: str, key: tuple[str, ...]) -> URIRef:
    """A source document's IRI, which also names its named graph."""
    kind, locale, relpath = key
    return URIRef(
        base + f"{kind}/{quote(locale)}/" + "/".join(quote(p) for p in relpath.split("/"))
    )
