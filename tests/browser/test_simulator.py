"""The salary simulator in headless Chromium: fill the form, read the answer and the chart."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from coopkit import i18n
from coopkit.money import Money
from coopkit.payroll import PayInputs, simulate_budget
from coopkit.plugins import PluginHost
from tests.browser.conftest import LiveServer
from tests.browser.test_pages import sign_in

pytestmark = pytest.mark.browser

MEMBER_FR = "alice.moreau@demo.coopkit.test"
MARCH = date(2026, 3, 1)
LOCALE = "en"  # demo-fr offers fr_FR and en; the browser asks for en-US


def open_simulator(page: Any, live_server: LiveServer) -> None:
    page.goto("/login?next=/t/demo-fr/")
    sign_in(page, MEMBER_FR)
    page.wait_for_url(f"{live_server.url}/t/demo-fr/")
    page.get_by_role("link", name=re.compile("Salary simulator")).click()
    page.wait_for_url(f"{live_server.url}/t/demo-fr/simulator")


def simulate(page: Any, budget: str, days: str) -> None:
    page.get_by_label("Month worked").fill("2026-03")
    page.get_by_label("Budget available on your activity").fill(budget)
    page.get_by_label("Days worked in the month").fill(days)
    with page.expect_navigation():
        page.get_by_role("button", name="Simulate").click()


def test_a_member_simulates_a_salary_and_sees_where_the_money_goes(
    page: Any, live_server: LiveServer, plugins: PluginHost
) -> None:
    open_simulator(page, live_server)
    simulate(page, "3000", "6")

    rules = plugins.payroll_rules("FR")
    hours = rules.hours_for_days(MARCH, Decimal(6))
    expected = simulate_budget(rules, PayInputs(MARCH, (), hours=hours), Decimal(3000))
    payslip = expected.payslip
    assert payslip is not None
    net_pay = i18n.format_money(Money(payslip.amount("net_pay"), "EUR"), LOCALE)
    assert page.locator('[data-total="net_pay"]').inner_text() == net_pay
    assert page.get_by_label("Budget available on your activity").input_value() == "3000"

    amounts = {
        "net_pay": payslip.amount("net_pay"),
        "income_tax_withheld": payslip.amount("income_tax_withheld"),
        "employee_contributions": payslip.amount("employee_contributions"),
        "employer_contributions": payslip.amount("employer_contributions"),
        "fees": expected.fees,
        "unused": Decimal(3000) - payslip.amount("employer_cost") - expected.fees,
    }
    chart = page.get_by_role("img", name=re.compile("Where the budget of"))
    assert chart.count() == 1
    bar = chart.bounding_box()
    assert bar["width"] > 300
    segments = chart.locator("rect.segment")
    assert segments.count() == len(amounts)
    for index, (key, amount) in enumerate(amounts.items()):
        segment = segments.nth(index)
        assert segment.get_attribute("data-key") == key
        if amount == 0:
            assert Decimal(segment.get_attribute("width")) == 0
            continue
        box = segment.bounding_box()
        share = float(amount / Decimal(3000))  # drawing geometry, not money
        assert box["width"] == pytest.approx(share * bar["width"], abs=1.0), key
    legend = page.locator("ul.legend li")
    assert legend.count() == len(amounts)
    assert net_pay in legend.first.inner_text()


def test_a_mistake_is_shown_next_to_the_field(page: Any, live_server: LiveServer) -> None:
    open_simulator(page, live_server)
    simulate(page, "-3", "6")
    budget = page.get_by_label("Budget available on your activity")
    assert budget.get_attribute("aria-invalid") == "true"
    assert budget.input_value() == "-3"
    assert page.locator("#f-budget-error").inner_text() == "-3 is negative: give an amount of money"
    assert page.get_by_role("img", name=re.compile("Where the budget of")).count() == 0


def test_a_budget_too_small_says_how_much_is_missing(page: Any, live_server: LiveServer) -> None:
    open_simulator(page, live_server)
    simulate(page, "300", "6")
    alert = page.locator("p.shortfall")
    assert alert.inner_text() == (
        "This budget cannot pay 6 days at the minimum wage: €247.87 missing."
    )
