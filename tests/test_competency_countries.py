"""Competency questions 1-3 and 9 for the country pages, by the real queries on the real build.

Germany, Sweden, Italy, Japan, China, France and the United States, asked in
English, Italian and Swedish (the language of the notes the answers carry).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from supportgraph.build import BuildReport, build
from supportgraph.query import query

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ID = "https://w3id.org/supportgraph/id/"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
WEEK = (*WEEKDAYS, "Saturday", "Sunday")
WORLDWIDE = {"cloud": "o365-worldwide"}
LANGS = ("en", "it", "sv")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("dist")
    report = build([CORPUS], out)
    return out, report


@pytest.fixture(scope="module")
def dataset(built) -> Path:
    return built[0] / "supportgraph.trig"


def ask(dataset: Path, name: str, **params: str) -> list[dict[str, str]]:
    result = query(name, params, dataset=dataset)
    return [{k: str(v) for k, v in row.items()} for row in result.rows]


def numbers(dataset: Path, country: str, support_type: str, **params: str) -> set[tuple]:
    rows = ask(dataset, "phones", country=country, support_type=support_type, **WORLDWIDE, **params)
    return {(r["telephone"], r["kind"], r.get("language", "")) for r in rows}


def hours(dataset: Path, country: str, support_type: str, **params: str) -> set[tuple]:
    rows = ask(dataset, "hours", country=country, support_type=support_type, **WORLDWIDE, **params)
    return {
        (r["day"], r["opens"], r["closes"], r["timeZone"], r.get("closedOnPublicHolidays", ""))
        for r in rows
    }


def week(days, opens, closes, zone, closed=""):
    return {(day, opens, closes, zone, closed) for day in days}


def open_now(dataset: Path, at: str, **params: str) -> dict[str, str]:
    rows = ask(dataset, "open-now", at=at, **params)
    return {r["telephone"]: r["open"] for r in rows}


# 1. numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_sweden_technical_support_is_the_toll_free_number_with_a_local_alternative(dataset, lang):
    assert numbers(dataset, "SE", "technical", lang=lang) == {
        ("+46201605899", "main", "en"),
        ("+46851761966", "alternative", "en"),
    }


@pytest.mark.parametrize(
    ("lang", "charge"),
    [
        ("en", "Local call charges apply"),
        ("it", "Applicazione delle tariffe di chiamata locali"),
        ("sv", "Avgifter för lokalsamtal tillkommer"),
    ],
)
def test_sweden_s_alternative_number_costs_a_local_call_in_every_language(dataset, lang, charge):
    rows = ask(dataset, "phones", country="SE", support_type="billing", lang=lang, **WORLDWIDE)
    alternative = [r for r in rows if r["kind"] == "alternative"]
    assert {(r["telephone"], r["chargeNote"]) for r in alternative} == {("+46851761966", charge)}


@pytest.mark.parametrize("lang", LANGS)
def test_germany_is_0800_589_2332_in_german_and_english(dataset, lang):
    expected = {
        ("+498005892332", "main", "de"),
        ("+498005892332", "main", "en"),
        ("+4969380789508", "alternative", "de"),
        ("+4969380789508", "alternative", "en"),
    }
    assert numbers(dataset, "DE", "technical", lang=lang) == expected
    assert numbers(dataset, "DE", "billing", lang=lang) == expected


@pytest.mark.parametrize(
    ("lang", "charge"),
    [
        ("en", "Local call charges apply"),
        ("it", "Costo in base alle tariffe telefoniche locali"),
        ("sv", "Lokal samtalsavgift"),
    ],
)
def test_germany_s_alternative_number_charge_note_in_each_language(dataset, lang, charge):
    rows = ask(dataset, "phones", country="DE", support_type="technical", lang=lang, **WORLDWIDE)
    assert {r["chargeNote"] for r in rows if r["kind"] == "alternative"} == {charge}
    assert {r.get("chargeNote", "") for r in rows if r["kind"] == "main"} == {""}


@pytest.mark.parametrize("lang", LANGS)
def test_italy_france_and_the_united_states(dataset, lang):
    assert numbers(dataset, "IT", "technical", lang=lang) == {
        ("+39800917919", "main", "it"),
        ("+39800917919", "main", "en"),
        ("+390269430746", "alternative", "it"),
        ("+390269430746", "alternative", "en"),
    }
    assert numbers(dataset, "FR", "billing", lang=lang) == {
        ("+33805540594", "main", "fr"),
        ("+33805540594", "main", "en"),
        ("+33157324297", "alternative", "fr"),
        ("+33157324297", "alternative", "en"),
    }
    assert numbers(dataset, "US", "billing", lang=lang) == {("+18008659408", "main", "en")}


@pytest.mark.parametrize("lang", LANGS)
def test_japan_has_a_number_per_plan(dataset, lang):
    rows = ask(dataset, "phones", country="JP", support_type="technical", lang=lang, **WORLDWIDE)
    assert {(r["telephone"], r["kind"], r.get("language", ""), r["plan"]) for r in rows} == {
        ("+81120996680", "main", "ja", "Office 365 Enterprise"),
        ("+81120996680", "main", "en", "Office 365 Enterprise"),
        ("+81343325493", "alternative", "ja", "Office 365 Enterprise"),
        ("+81343325493", "alternative", "en", "Office 365 Enterprise"),
        # The page gives no language for the other plans' technical support.
        ("+81120628860", "main", "", "Other Plans"),
        ("+81343326257", "alternative", "", "Other Plans"),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_china_worldwide_and_21vianet_numbers(dataset, lang):
    assert numbers(dataset, "CN", "technical", lang=lang) == {
        ("+868009880365", "main", "zh"),
        ("+868009880365", "main", "en"),
        ("+864009200365", "alternative", "zh"),
        ("+864009200365", "alternative", "en"),
    }
    rows = ask(dataset, "phones", cloud="o365-21vianet", country="CN", support_type="technical")
    assert {(r["telephone"], r["kind"], r["language"]) for r in rows} == {
        ("+864000890365", "main", "zh"),
        ("+864000890365", "main", "en"),
    }


def test_china_s_alternative_number_is_for_mobile_phones(dataset):
    rows = ask(dataset, "phones", country="CN", support_type="billing", **WORLDWIDE)
    assert {r["note"] for r in rows if r["kind"] == "alternative"} == {"Mobile"}
    rows = ask(dataset, "phones", country="CN", support_type="billing", lang="it", **WORLDWIDE)
    assert {r["note"] for r in rows if r["kind"] == "alternative"} == {"mobile"}


def test_an_access_number_is_dialled_before_the_us_number(dataset):
    rows = ask(dataset, "phones", country="BD", support_type="technical", **WORLDWIDE)
    assert [(r["telephone"], r["accessNumber"], r["language"]) for r in rows] == [
        ("+18778573235", "157 0011", "en")
    ]


def test_call_instructions_come_with_the_number(dataset):
    rows = ask(dataset, "phones", country="AL", support_type="billing", **WORLDWIDE)
    assert [(r["telephone"], r["instructions"]) for r in rows] == [
        ("+35544515151", "Select option 9 / Enter code 7700")
    ]


def test_a_page_number_with_no_e164_form_is_given_as_stated(dataset):
    rows = ask(dataset, "phones", country="BG", support_type="technical", **WORLDWIDE)
    assert [(r.get("telephone", ""), r["statedNumber"]) for r in rows] == [("", "00800 118 4446")]
    assert "not a possible phone number" in rows[0]["numberIssue"]


# 2. hours ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_sweden_technical_support_in_english_is_open_around_the_clock(dataset, lang):
    for telephone in ("+46201605899", "+46851761966"):
        assert hours(dataset, "SE", "technical", telephone=telephone, language="en") == week(
            WEEK, "00:00:00", "23:59:59", "Europe/Stockholm"
        )
    rows = ask(dataset, "hours", country="SE", support_type="billing", lang=lang, **WORLDWIDE)
    assert {r["timeZoneInferred"] for r in rows} == {"true"}  # the page names no zone


def test_german_technical_support_in_german_per_the_english_page(dataset):
    # The sv-SE translation says 08:00-19:00; the newer English page 8 AM-9 PM.
    assert hours(dataset, "DE", "technical", telephone="+498005892332", language="de") == week(
        WEEKDAYS, "08:00:00", "21:00:00", "Europe/Berlin"
    )
    assert hours(dataset, "DE", "technical", telephone="+498005892332", language="en") == week(
        WEEK, "00:00:00", "23:59:59", "Europe/Berlin"
    )


def test_italy_france_us_and_china_hours(dataset):
    assert hours(dataset, "IT", "technical", telephone="+39800917919", language="it") == week(
        WEEKDAYS, "08:00:00", "21:00:00", "Europe/Rome"
    )
    assert hours(dataset, "FR", "billing", telephone="+33805540594", language="fr") == week(
        WEEKDAYS, "09:00:00", "17:00:00", "Europe/Paris"
    )
    assert hours(dataset, "US", "billing", telephone="+18008659408") == week(
        WEEKDAYS, "09:00:00", "17:00:00", "America/New_York"
    )
    assert hours(dataset, "CN", "technical", telephone="+868009880365", language="zh") == week(
        WEEKDAYS, "09:00:00", "18:00:00", "Asia/Shanghai"
    )
    rows = ask(
        dataset, "hours", cloud="o365-21vianet", country="CN", support_type="technical",
        telephone="+864000890365", language="zh",
    )  # fmt: skip
    assert {(r["day"], r["opens"], r["closes"], r["timeZone"]) for r in rows} == {
        (day, "09:00:00", "21:00:00", "Asia/Shanghai") for day in WEEKDAYS
    }


@pytest.mark.parametrize("lang", LANGS)
def test_japan_billing_is_office_hours_in_tokyo_closed_on_public_holidays(dataset, lang):
    for telephone in ("+81120996680", "+81120628860"):
        assert hours(dataset, "JP", "billing", telephone=telephone, language="ja") == week(
            WEEKDAYS, "09:00:00", "17:00:00", "Asia/Tokyo", "true"
        )


@pytest.mark.parametrize(
    ("lang", "condition"),
    [
        ("en", "For high severity issues, technical support is available 24 hours a day, "
         "7 days a week."),
        ("it", "Per problemi di gravità elevata, il supporto tecnico è disponibile 24 ore al "
         "giorno, 7 giorni alla settimana."),
        ("sv", "För problem med hög allvarlighetsgrad är teknisk support tillgänglig 24 "
         "timmar om dygnet, 7 dagar i veckan."),
    ],
)  # fmt: skip
def test_japan_other_plans_office_hours_and_the_high_severity_exception(dataset, lang, condition):
    rows = ask(
        dataset, "hours", country="JP", support_type="technical", telephone="+81120628860",
        lang=lang, **WORLDWIDE,
    )  # fmt: skip
    ordinary = {(r["day"], r["opens"], r["closes"]) for r in rows if "condition" not in r}
    exception = {
        (r["day"], r["opens"], r["closes"], r["condition"]) for r in rows if "condition" in r
    }
    assert ordinary == {(day, "09:00:00", "17:30:00") for day in WEEKDAYS}
    assert exception == {(day, "00:00:00", "23:59:59", condition) for day in WEEK}


# 3. open now ------------------------------------------------------------------------------------

GERMAN_TECHNICAL = {"country": "DE", "support_type": "technical", "language": "de", **WORLDWIDE}


def test_the_german_technical_line_in_german_is_closed_on_saturday_morning(dataset):
    # Saturday 21 November 2026, 10:00 in Berlin (UTC+1).
    assert open_now(dataset, "2026-11-21T09:00:00Z", **GERMAN_TECHNICAL) == {
        "+498005892332": "false",
        "+4969380789508": "false",
    }


def test_the_german_technical_line_in_german_is_open_on_a_weekday_morning(dataset):
    assert open_now(dataset, "2026-11-23T09:00:00Z", **GERMAN_TECHNICAL) == {
        "+498005892332": "true",
        "+4969380789508": "true",
    }


def test_at_half_past_eight_in_the_evening_the_english_page_s_hours_apply(dataset):
    # 20:30 in Berlin: open per the English page (until 21:00), not the sv-SE one (19:00).
    assert open_now(
        dataset, "2026-11-23T19:30:00Z", telephone="+498005892332", **GERMAN_TECHNICAL
    ) == {"+498005892332": "true"}


def test_japanese_billing_is_closed_on_new_year_s_day_and_open_the_monday_after(dataset):
    common = {"country": "JP", "support_type": "billing", "telephone": "+81120996680"}
    new_year = open_now(dataset, "2026-01-01T01:00:00Z", language="ja", **common, **WORLDWIDE)
    assert new_year == {"+81120996680": "false"}  # a Thursday, 10:00 in Tokyo
    monday = open_now(dataset, "2026-01-05T01:00:00Z", language="ja", **common, **WORLDWIDE)
    assert monday == {"+81120996680": "true"}


def test_sweden_technical_support_answers_at_saturday_3_am(dataset):
    common = {"country": "SE", "support_type": "technical", "language": "en", **WORLDWIDE}
    assert open_now(dataset, "2026-11-21T03:00:00Z", **common) == {
        "+46201605899": "true",
        "+46851761966": "true",
    }


# 9. which documents state a number, and where versions disagree --------------------------------


def test_the_documents_that_state_germany_s_number_and_the_swedish_disagreement(dataset):
    rows = ask(dataset, "provenance", telephone="+498005892332")
    by_path = {}
    for r in rows:
        by_path.setdefault(r["path"], set()).add(r.get("segment", ""))
    assert set(by_path) == {
        f"{locale}/microsoft-365/admin/support/germany.md" for locale in ("en-US", "it-IT", "sv-SE")
    }
    assert by_path["sv-SE/microsoft-365/admin/support/germany.md"] == {
        "line:o365-worldwide/phone/germany/technical/de/-/main:hours"
    }
    assert by_path["en-US/microsoft-365/admin/support/germany.md"] == {""}


def test_divergences_csv_lists_the_older_translations_hours(built):
    out, _ = built
    with (out / "divergences.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    germany = [r for r in rows if r["document"] == "sv-SE/microsoft-365/admin/support/germany.md"]
    main = next(r for r in germany if r["segment"].endswith("/de/-/main:hours"))
    assert (main["fact"], main["source_value"], main["localized_value"]) == (
        "hours",
        "+498005892332: Mon-Fri 08:00-21:00 Europe/Berlin",
        "+498005892332: Mon-Fri 08:00-19:00 Europe/Berlin",
    )
    # A translation whose own source segment says 8 AM-9 PM but whose text says 19:00.
    france = [r for r in rows if r["document"] == "sv-SE/microsoft-365/admin/support/france.md"]
    assert ("98c69-112", "08:00-21:00", "08:00-19:00") in {
        (r["segment"], r["source_value"], r["localized_value"]) for r in france
    }


# The build summary ------------------------------------------------------------------------------


def test_the_main_page_numbers_agree_with_the_country_pages(built):
    _, report = built
    assert len(report.consistency) == 12
    assert all(line.startswith("agree: ") for line in report.consistency)
    assert (
        "agree: main page (en-US) US +18008659408 = "
        "en-US/microsoft-365/admin/support/united-states.md; "
        "hours agree for billing (en), technical (en)"
    ) in report.consistency
    assert any(
        line.startswith("agree: main page (sv-SE) SE +46201605899 = ")
        for line in report.consistency
    )


def test_no_country_page_fails(built):
    _, report = built
    assert report.failed == {}
