"""The competency questions of DESIGN.md, answered by the real queries on the real build."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from supportgraph.build import build
from supportgraph.query import query, query_names

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ID = "https://w3id.org/supportgraph/id/"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build([CORPUS], out)
    return out / "supportgraph.trig"


def ask(dataset: Path, name: str, **params: str) -> list[dict[str, str]]:
    result = query(name, params, dataset=dataset)
    return [{k: str(v) for k, v in row.items()} for row in result.rows]


def column(rows: list[dict[str, str]], name: str) -> list[str]:
    return [row.get(name, "") for row in rows]


def test_there_is_a_query_per_competency_question():
    expected = {
        "phones",
        "hours",
        "open-now",
        "severities",
        "customer-duties",
        "responsibilities",
        "channels",
        "label",
        "provenance",
    }
    assert expected <= set(query_names())


# 1. numbers -------------------------------------------------------------------------------------


def test_canada_technical_support_in_the_worldwide_cloud_is_the_us_toll_free_number(dataset):
    rows = ask(dataset, "phones", cloud="o365-worldwide", country="CA", support_type="technical")
    main = [r for r in rows if r["kind"] == "main" and r["contactPoint"].split("/")[-4] == "canada"]
    assert {(r["telephone"], r["language"]) for r in main} >= {("+18008659408", "en")}


def test_the_swedish_translation_gives_the_swedish_number_for_sweden(dataset):
    rows = ask(dataset, "phones", cloud="o365-worldwide", country="SE", support_type="billing")
    assert "+46201605899" in column(rows, "telephone")


def test_germany_cloud_billing_numbers_with_the_alternative(dataset):
    rows = ask(dataset, "phones", cloud="o365-germany", country="DE", support_type="billing")
    assert {(r["telephone"], r["kind"], r["language"]) for r in rows} == {
        ("+498005892330", "main", "de"),
        ("+498005892330", "main", "en"),
        ("+4969380789305", "alternative", "de"),
        ("+4969380789305", "alternative", "en"),
    }
    alternatives = {r["chargeNote"] for r in rows if r["kind"] == "alternative"}
    assert "Local call charges apply" in alternatives


def test_a_country_of_another_cloud_has_no_number_there(dataset):
    assert ask(dataset, "phones", cloud="o365-germany", country="CA", support_type="billing") == []


# 2. hours ---------------------------------------------------------------------------------------


def test_germany_cloud_technical_support_in_german_is_open_around_the_clock(dataset):
    rows = ask(
        dataset,
        "hours",
        cloud="o365-germany",
        country="DE",
        support_type="technical",
        telephone="+498005892330",
        language="de",
    )
    days = {r["day"] for r in rows}
    assert days == {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
    assert {(r["opens"], r["closes"], r["timeZone"]) for r in rows} == {
        ("00:00:00", "23:59:59", "Europe/Berlin")
    }


def test_australian_billing_support_closes_an_hour_later_in_local_time(dataset):
    rows = ask(
        dataset,
        "hours",
        cloud="o365-worldwide",
        country="AU",
        support_type="billing",
        telephone="+611800197503",
    )
    assert {(r["day"], r["opens"], r["closes"]) for r in rows} == {
        (day, "09:00:00", "18:00:00")
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    }
    # The main page says "local time" without naming a zone: it is inferred, and says so.
    assert {(r["timeZone"], r["timeZoneInferred"]) for r in rows} == {("Australia/Sydney", "true")}


def test_germany_cloud_billing_hours_are_berlin_office_hours(dataset):
    rows = ask(
        dataset,
        "hours",
        cloud="o365-germany",
        country="DE",
        support_type="billing",
        telephone="+498005892330",
    )
    assert {
        (r["availableLanguage"], r["day"], r["opens"], r["closes"], r["timeZone"]) for r in rows
    } == {
        (lang, day, "09:00:00", "17:00:00", "Europe/Berlin")
        for lang in ("de", "en")
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    }


# 3. open now ------------------------------------------------------------------------------------


def open_states(dataset: Path, **params: str) -> dict[str, str]:
    rows = ask(dataset, "open-now", **params)
    return {r["telephone"]: r["open"] for r in rows}


def test_germany_cloud_billing_is_closed_on_saturday_and_open_on_monday_morning(dataset):
    common = {"cloud": "o365-germany", "country": "DE", "support_type": "billing", "language": "de"}
    saturday = open_states(dataset, at="2026-11-21T03:00:00Z", **common)
    monday = open_states(dataset, at="2026-11-23T09:30:00Z", **common)
    assert saturday == {"+498005892330": "false", "+4969380789305": "false"}
    assert monday == {"+498005892330": "true", "+4969380789305": "true"}


def test_an_instant_is_read_in_the_line_s_time_zone(dataset):
    # 16:30 UTC on a Monday in November is 17:30 in Berlin: billing has closed.
    common = {
        "cloud": "o365-germany",
        "country": "DE",
        "support_type": "billing",
        "telephone": "+498005892330",
        "language": "en",
    }
    assert open_states(dataset, at="2026-11-23T15:59:00Z", **common) == {"+498005892330": "true"}
    assert open_states(dataset, at="2026-11-23T16:30:00Z", **common) == {"+498005892330": "false"}


# 4. severities ----------------------------------------------------------------------------------


def test_billing_cases_may_use_severities_b_and_c(dataset):
    rows = ask(dataset, "severities", cloud="o365-21vianet", support_type="billing", lang="en")
    assert column(rows, "severity") == ["B", "C"]


def test_initial_response_targets_of_21vianet(dataset):
    rows = ask(dataset, "severities", cloud="o365-21vianet", lang="en")
    assert [
        (r["severity"], r.get("initialResponse", ""), r.get("initialResponseBusinessDays", ""))
        for r in rows
    ] == [("A", "PT1H", ""), ("B", "", "1"), ("C", "", "3")]
    assert rows[0]["supportTypes"] == "technical"
    assert rows[0]["label"] == "Sev A (Critical)"


def test_the_swedish_label_of_severity_a(dataset):
    rows = ask(dataset, "severities", cloud="o365-21vianet", severity="A", lang="sv")
    assert column(rows, "label") == ["Allvarlighetsnivå A (kritisk)"]


# 5. customer duties -----------------------------------------------------------------------------


def test_what_the_customer_must_do_at_severity_b(dataset):
    rows = ask(dataset, "customer-duties", cloud="o365-21vianet", severity="B", lang="en")
    assert column(rows, "duty") == [
        "Provide accurate contact information and ensure reliable communication throughout "
        "the service request lifecycle."
    ]


def test_what_the_customer_must_do_at_severity_a_in_italian(dataset):
    (duty,) = column(
        ask(dataset, "customer-duties", cloud="o365-21vianet", severity="A", lang="it"), "duty"
    )
    assert duty.startswith("Fornire una valutazione precisa dell'impatto aziendale")


# 6. responsibilities ----------------------------------------------------------------------------


def test_the_administrator_s_duties_and_the_provider_s_in_english(dataset):
    rows = ask(dataset, "responsibilities", cloud="o365-21vianet", kind="duty", lang="en")
    admin = [r["text"] for r in rows if r["role"] == "administrator"]
    provider = [r["text"] for r in rows if r["role"] == "provider"]
    assert admin == [
        "Provide user account setup and configuration to allow users access to the services.",
        "Address client connectivity, client software, and mobility installation issues.",
        "Address service availability issues within the customer's organizational span of control.",
        "Use self-service support resources to resolve support issues.",
    ]
    assert len(provider) == 7
    assert (
        provider[0]
        == "Troubleshoot and provide technical guidance for customer issues and escalations."
    )


def test_the_administrator_s_attributes_in_swedish(dataset):
    rows = ask(
        dataset,
        "responsibilities",
        cloud="o365-21vianet",
        role="administrator",
        kind="attribute",
        lang="sv",
    )
    assert column(rows, "text") == [
        "ansvarig för tjänstadministration och kontounderhåll",
        "primär kontakt som konfigurerar och ger support åt alla tjänstanvändare",
        "behörig att skicka tjänstbegäranden till 21Vianet.",
    ]


# 7. channels ------------------------------------------------------------------------------------


def test_the_channels_of_21vianet_and_who_may_use_them(dataset):
    rows = ask(dataset, "channels", cloud="o365-21vianet", lang="en")
    assert {(r["channel"], r["audience"]) for r in rows} == {
        ("community", "anyone"),
        ("online", "administrator"),
        ("phone", "administrator"),
        ("self-service", "anyone"),
        ("wechat", "anyone"),
    }


def test_the_worldwide_channels_named_in_italian(dataset):
    rows = ask(dataset, "channels", cloud="o365-worldwide", lang="it")
    names = {r["channel"]: r["name"] for r in rows}
    assert names["phone"] == "Assistenza telefonica"
    assert names["in-store"] == "Supporto tecnico in negozio"
    assert names["online"] == "Supporto online"


# 8. labels --------------------------------------------------------------------------------------


def test_the_label_of_the_billing_support_type_in_swedish(dataset):
    rows = ask(dataset, "label", notation="billing", lang="sv")
    assert column(rows, "label") == ["Support för fakturering och prenumerationshantering"]


def test_the_label_of_a_concept_given_by_iri(dataset):
    concept = "https://w3id.org/supportgraph/ontology#PhoneChannel"
    rows = ask(dataset, "label", concept=concept, lang="sv")
    assert column(rows, "label") == ["Telefonsupport"]


# 9. provenance ----------------------------------------------------------------------------------


def test_which_documents_state_the_us_number_and_where_sweden_disagrees(dataset):
    rows = ask(dataset, "provenance", telephone="+18008659408")
    main_pages = [r for r in rows if r["path"].endswith("contact-support-for-business-products.md")]
    assert [(r["path"].split("/")[0], r["translationType"]) for r in main_pages] == [
        ("en-US", "source"),
        ("it-IT", "HT"),
        ("sv-SE", "HT"),
    ]
    swedish = main_pages[2]
    assert (swedish["segment"], swedish["sourceValue"], swedish["localizedValue"]) == (
        "25b66-126",
        "US +18008659408",
        "SE +46201605899",
    )


def test_a_parameter_is_bound_as_a_typed_term_not_pasted(dataset):
    hostile = 'SE" } ; DROP ALL ; #'
    assert (
        ask(dataset, "phones", cloud="o365-worldwide", country=hostile, support_type="technical")
        == []
    )
    # ...and the dataset still answers afterwards.
    assert ask(dataset, "phones", cloud="o365-worldwide", country="CA", support_type="technical")


def test_query_results_keep_language_tags(dataset):
    result = query("label", {"notation": "A", "lang": "it"}, dataset=dataset)
    assert result.rows[0]["label"] == Literal("Gravità A (critico)", lang="it")
    assert result.rows[0]["concept"] == URIRef(ID + "severity/o365-21vianet/a")
