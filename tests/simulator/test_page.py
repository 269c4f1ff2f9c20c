"""The simulator page through the test client: the engine's numbers, the chart, the errors."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from typing import Any

import markupsafe
import pytest
from litestar.testing import TestClient

from coopkit import i18n
from coopkit.money import Money
from coopkit.payroll import PayInputs, Simulation, simulate_budget
from coopkit.plugins import PluginHost
from coopkit.web.app import create_app
from tests.conftest import Database
from tests.simulator.test_api import without_payroll
from tests.test_web import (
    MEMBER_BE,
    MEMBER_FR,
    Client,
    assert_no_leak,
    csrf_from,
    main_of,
    signed_in_as,
)

PAGE = "/t/demo-fr/simulator"
MARCH = date(2026, 3, 1)
RECT = re.compile(
    r'<rect class="segment [^"]*" data-key="(\w+)" x="([\d.]+)" y="0" width="([\d.]+)"'
)
LOCALES = {"en": "en", "fr": "fr_FR"}


def engine(plugins: PluginHost, budget: str, days: str) -> Simulation:
    rules = plugins.payroll_rules("FR")
    hours = rules.hours_for_days(MARCH, Decimal(days))
    return simulate_budget(rules, PayInputs(MARCH, (), hours=hours), Decimal(budget))


def submit(client: Client, language: str = "en", **values: str) -> Any:
    headers = {"Accept-Language": language}
    form = client.get(PAGE, headers=headers)
    assert form.status_code == 200, form.text
    data = {"_csrf_token": csrf_from(form.text), "month": "2026-03", **values}
    return client.post(PAGE, data=data, headers=headers)


def total(html: str, name: str) -> str:
    found = re.search(rf'data-total="{name}">([^<]*)<', html)
    assert found, name
    return found.group(1)


@pytest.fixture
def member(client: Client) -> Client:
    return signed_in_as(MEMBER_FR, client)


def test_the_home_page_links_to_the_simulator(member: Client) -> None:
    assert f'href="{PAGE}"' in member.get("/t/demo-fr/").text


def test_the_form_asks_what_the_country_accepts(member: Client, plugins: PluginHost) -> None:
    html = member.get(PAGE, headers={"Accept-Language": "fr"}).text
    for name in ("month", "budget", "days", "tax_rate"):
        assert f'name="{name}"' in html
    for spec in plugins.payroll_rules("FR").inputs():
        assert f'name="{spec.name}"' in html, spec.name
        for choice in spec.choices:
            assert f'<option value="{choice}"' in html
    assert '<option value="cdi" selected>' in html
    assert 'name="accident_rate" value="0,009"' in html  # the default, written the French way
    assert f'name="month" value="{date.today():%Y-%m}"' in html


@pytest.mark.parametrize(
    ("language", "budget"), [("en", "3,000.50"), ("fr", "3 000,50"), ("fr", "3000.50")]
)
def test_the_page_shows_the_engines_numbers(
    member: Client, plugins: PluginHost, language: str, budget: str
) -> None:
    response = submit(member, language, budget=budget, days="6")
    assert response.status_code == 200, main_of(response.text)
    html = main_of(response.text)
    expected = engine(plugins, "3000.50", "6")
    payslip = expected.payslip
    assert payslip is not None
    locale = LOCALES[language]

    def shown(amount: Decimal) -> str:
        return i18n.format_money(Money(amount, "EUR"), locale)

    for name in (
        "gross",
        "employee_contributions",
        "income_tax_withheld",
        "net_pay",
        "employer_contributions",
        "employer_cost",
    ):
        assert total(html, name) == shown(payslip.amount(name)), name
    assert total(html, "budget") == shown(Decimal("3000.50"))
    assert total(html, "fees") == shown(expected.fees)
    unused = Decimal("3000.50") - payslip.amount("employer_cost") - expected.fees
    assert total(html, "unused") == shown(unused)
    for line in payslip.lines:
        row = html.split(f'data-code="{line.code}"', 1)[1].split("</tr>", 1)[0]
        assert str(markupsafe.escape(line.source)) in row
        assert shown(Decimal(line.employer_cents).scaleb(-2)) in row
    assert 'value="' + budget + '"' in html  # what was typed stays in the form


def test_the_chart_splits_the_budget_in_proportion(member: Client, plugins: PluginHost) -> None:
    html = main_of(submit(member, budget="2500", days="9.5").text)
    payslip = engine(plugins, "2500", "9.5").payslip
    assert payslip is not None
    fees = engine(plugins, "2500", "9.5").fees
    amounts = {
        "net_pay": payslip.amount("net_pay"),
        "income_tax_withheld": payslip.amount("income_tax_withheld"),
        "employee_contributions": payslip.amount("employee_contributions"),
        "employer_contributions": payslip.amount("employer_contributions"),
        "fees": fees,
        "unused": Decimal(2500) - payslip.amount("employer_cost") - fees,
    }
    rects = RECT.findall(html)
    assert [key for key, _x, _w in rects] == list(amounts)
    edge = Decimal(0)
    for key, x, width in rects:
        assert Decimal(x) == edge, key
        assert abs(Decimal(width) - amounts[key] / 2500 * 1000) <= Decimal("0.01"), key
        edge += Decimal(width)
    assert edge == 1000
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    desc = html.split('<desc id="chart-desc">', 1)[1].split("</desc>", 1)[0]
    assert i18n.format_money(Money(amounts["net_pay"], "EUR"), "en") in desc
    assert desc.count(";") == len(amounts) - 1


def test_a_budget_below_the_minimum_wage_says_what_is_missing(
    member: Client, plugins: PluginHost
) -> None:
    response = submit(member, "fr", budget="300", days="6")
    assert response.status_code == 200
    missing = i18n.format_money(Money(engine(plugins, "300", "6").shortfall, "EUR"), "fr_FR")
    assert missing == "247,87\u00a0€"
    text = f"Ce budget ne peut pas payer 6 jours au salaire minimum : il manque {missing}."
    assert html.escape(text, quote=True) in response.text or text in response.text
    assert 'data-total="net_pay"' not in response.text
    one_day = submit(member, "en", budget="10", days="1")
    assert "cannot pay 1 day at the minimum wage" in one_day.text


def test_form_errors_are_shown_next_to_their_fields(member: Client) -> None:
    response = submit(member, month="June", budget="-3", days="40", tax_rate="7.5")
    assert response.status_code == 400
    html = main_of(response.text)
    errors = dict(re.findall(r'<p class="field-error" id="f-(\w+)-error">([^<]*)</p>', html))
    assert errors == {
        "month": "&#39;June&#39; is not a month: write it as YYYY-MM (2025-06)",
        "budget": "-3 is negative: give an amount of money",
        "days": "days worked must be between 0 and 31",
        "tax_rate": "7.5 is not a rate: give a fraction such as 0.075 for 7.5 %",
    }
    assert 'name="budget" value="-3"' in html
    assert html.count('aria-invalid="true"') == 4
    assert "Where your budget goes" not in html
    assert_no_leak(response)


def test_missing_budget_and_days_are_asked_for(member: Client) -> None:
    html = main_of(submit(member, budget="", days="").text)
    assert 'id="f-budget-error">give an amount, e.g. 3000.00<' in html
    assert 'id="f-days-error">give the days worked in the month, e.g. 6<' in html


def test_a_month_without_law_and_a_bad_option(member: Client) -> None:
    html = main_of(submit(member, month="2019-03", budget="3000", days="6").text)
    assert re.search(r'id="f-month-error">no FR payroll law for 2019-03', html)
    folded = main_of(submit(member, budget="3000", days="6", mobility_rate="lots").text)
    assert "<details open>" in folded
    assert 'id="f-mobility_rate-error">mobility_rate: &#39;lots&#39; is not a number' in folded


def test_a_rule_of_the_country_is_shown_above_the_form(member: Client) -> None:
    response = submit(member, budget="3000", days="6", accident_rate="0.5")
    assert response.status_code == 400
    assert re.search(r'role="alert">accident-at-work rate 0.5 is not plausible', response.text)


def test_posting_needs_the_csrf_token(member: Client) -> None:
    response = member.post(PAGE, data={"month": "2026-03", "budget": "3000", "days": "6"})
    assert response.status_code == 403


def test_only_members_see_the_page(client: Client) -> None:
    anonymous = client.get(PAGE, follow_redirects=False)
    assert anonymous.status_code == 302
    assert anonymous.headers["location"].startswith("/login?next=/t/demo-fr/simulator")
    signed_in_as(MEMBER_BE, client)
    assert client.get(PAGE).status_code == 404


def test_a_country_without_payroll_rules_says_so(demo_db: Database) -> None:
    with TestClient(create_app(demo_db.settings, without_payroll())) as other:
        signed_in_as(MEMBER_FR, other)
        response = other.get(PAGE, headers={"Accept-Language": "en"})
        posted = other.post(
            PAGE,
            data={"_csrf_token": csrf_from(response.text), "budget": "3000", "days": "6"},
            headers={"Accept-Language": "en"},
        )
    for answer in (response, posted):
        assert answer.status_code == 200
        assert "Salaries cannot be simulated in this cooperative yet" in answer.text
        assert 'name="budget"' not in answer.text
