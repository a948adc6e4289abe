"""The words of a page around the data, per language (:mod:`supportgraph.site`)."""

from __future__ import annotations

__all__ = ["UI", "ui_words"]

# The words of the page around the data. Languages not listed get English.
UI: dict[str, dict[str, str]] = {
    "en": {
        "support": "support",
        "channels": "How to get support",
        "severities": "Severity levels",
        "roles": "Roles and responsibilities",
        "contact": "Contact",
        "phone": "Phone",
        "area": "Where",
        "type": "Support type",
        "language": "Language",
        "hours": "Hours",
        "severity": "Severity",
        "definition": "Definition",
        "response": "Initial response",
        "days": "{n} business day(s)",
        "holidays": "closed on public holidays",
        "languages": "Other languages",
        "data": "Data",
        "sources": "Source documents",
        "clouds": "Clouds",
        "all": "Support pages",
        "days_names": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    },
    "it": {
        "support": "supporto",
        "channels": "Come ottenere supporto",
        "severities": "Livelli di gravità",
        "roles": "Ruoli e responsabilità",
        "contact": "Contatto",
        "phone": "Telefono",
        "area": "Dove",
        "type": "Tipo di supporto",
        "language": "Lingua",
        "hours": "Orari",
        "severity": "Gravità",
        "definition": "Definizione",
        "response": "Risposta iniziale",
        "days": "{n} giorni lavorativi",
        "holidays": "chiuso nei giorni festivi",
        "languages": "Altre lingue",
        "data": "Dati",
        "sources": "Documenti di origine",
        "clouds": "Cloud",
        "all": "Pagine di supporto",
        "days_names": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    },
    "sv": {
        "support": "support",
        "channels": "Så får du support",
        "severities": "Allvarlighetsnivåer",
        "roles": "Roller och ansvar",
        "contact": "Kontakt",
        "phone": "Telefon",
        "area": "Var",
        "type": "Supporttyp",
        "language": "Språk",
        "hours": "Öppettider",
        "severity": "Allvarlighetsnivå",
        "definition": "Definition",
        "response": "Första svar",
        "days": "{n} arbetsdag(ar)",
        "holidays": "stängt på helgdagar",
        "languages": "Andra språk",
        "data": "Data",
        "sources": "Källdokument",
        "clouds": "Moln",
        "all": "Supportsidor",
        "days_names": "måndag tisdag onsdag torsdag fredag lördag söndag",
    },
}


def ui_words(lang: str) -> dict[str, str]:
    """The words of the page in ``lang`` (by its primary language), else in English."""
    return UI.get(lang.split("-")[0].lower(), UI["en"])
