"""The payroll engine on synthetic schedules and on the French one: inversion,
monotonicity, prorating, brackets, caps, and the two evaluators agreeing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkit.payroll import (
    Base,
    Contribution,
    GrossLine,
    PayInputs,
    PayrollRules,
    Profile,
    Rate,
    Schedule,
    Transition,
    simulate_budget,
)
from coopkit.payroll.cents import div_half_up, div_half_up_array
from coopkit.payroll.compute import Person, evaluate
from coopkit.payroll.simulate import fees_cents, largest_gross
from coopkit.payroll.vector import disagreements
from coopkit.plugins import PluginHost

MONTHS = [dt.date(2025, 3, 1), dt.date(2025, 6, 1), dt.date(2026, 3, 1)]
PROFILES = [
    Profile(),
    Profile(contract="cdd", category="executive", employees=60),
    Profile(employees=20, options=(("health_cover_employer", "35.5"), ("mobility_rate", "0.0295"))),
]


@pytest.fixture(scope="module")
def rules() -> PayrollRules:
    return PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "fr"}).payroll_rules("FR")


def rate(value: str) -> Rate:
    return Rate(Decimal(value), "test." + value, "test")


def toy(**changes: object) -> Schedule:
    base = {
        "country": "XX",
        "currency": "EUR",
        "month": dt.date(2025, 1, 1),
        "full_time_hours_c": 15000,
        "ceiling_cents": 300000,
        "ceiling_source": "test",
        "bases": (Base("csg", factor=rate("0.9"), factor_cap=2),),
        "contributions": (
            Contribution("capped", "capped", employee=rate("0.1"), employer=rate("0.2"), upper=1),
            Contribution("t2", "t2", employee=rate("0.05"), lower=1, upper=3),
            Contribution("csg", "csg", base="csg", employee=rate("0.01")),
        ),
    }
    base.update(changes)
    return Schedule(**base)  # type: ignore[arg-type]


def test_half_up_rounding() -> None:
    assert [div_half_up(n, 10) for n in (14, 15, -15, -14, 25)] == [1, 2, -2, -1, 3]
    numbers = np.array([14, 15, -15, -14, 25], dtype=np.int64)
    assert list(div_half_up_array(numbers, 10)) == [1, 2, -2, -1, 3]


def test_brackets_and_caps() -> None:
    totals, lines, ceiling = evaluate(toy(), Person(1_000_000, 15000))
    assert ceiling == 300000
    by_code = {line.code: line for line in lines}
    assert by_code["capped"].base_cents == 300000  # capped at one ceiling
    assert by_code["t2"].base_cents == 600000  # from 1 to 3 ceilings
    # csg base: 90 % of the first 2 ceilings, the rest in full
    assert by_code["csg"].base_cents == 540000 + 400000
    assert totals.employee_contributions == 30000 + 30000 + 9400


def test_prorating_for_part_time() -> None:
    _totals, lines, ceiling = evaluate(toy(), Person(200000, 7500))
    assert ceiling == 150000
    assert {line.code: line for line in lines}["capped"].base_cents == 150000


def test_inversion_is_exact(rules: PayrollRules) -> None:
    for month in MONTHS:
        for profile in PROFILES:
            schedule = rules.schedule(month, profile)
            fee = 65000
            for budget in (60000, 250000, 300000, 777777, 2500000):
                for hours in (4200, 15167):
                    gross = largest_gross(schedule, budget, hours, fee)
                    assert _cost(schedule, gross, hours, fee) <= budget
                    assert _cost(schedule, gross + 1, hours, fee) > budget


def _cost(schedule: Schedule, gross: int, hours: int, fee: int) -> int:
    totals, _lines, _ceiling = evaluate(schedule, Person(gross, hours), with_lines=False)
    return totals.employer_cost + fees_cents(totals.employer_cost, fee)


def test_simulator_reports_a_shortfall(rules: PayrollRules) -> None:
    inputs = PayInputs(dt.date(2026, 3, 1), (), hours=Decimal(42))
    poor = simulate_budget(rules, inputs, Decimal(300))
    assert poor.payslip is None
    assert poor.shortfall == poor.minimum_total - Decimal(300)
    rich = simulate_budget(rules, inputs, Decimal(3000))
    assert rich.payslip is not None
    assert rich.total <= Decimal(3000)
    assert rich.payslip.amount("gross") >= rich.minimum_gross


@settings(max_examples=200, deadline=None)
@given(
    gross=st.integers(1_000, 5_000_000),  # from 10 €: below, cent rounding dominates
    hours=st.integers(100, 25000),
    month=st.sampled_from(MONTHS),
    profile=st.sampled_from(PROFILES),
)
def test_net_gross_cost_are_ordered_and_monotonic(
    rules: PayrollRules, gross: int, hours: int, month: dt.date, profile: Profile
) -> None:
    schedule = rules.schedule(month, profile)
    totals, _lines, _ceiling = evaluate(schedule, Person(gross, hours), with_lines=False)
    assert totals.net_pay <= totals.net_before_income_tax <= totals.gross <= totals.employer_cost
    if not profile.options:  # a fixed health-cover share can exceed a tiny gross
        assert totals.net_pay >= 0
    more, _lines, _ceiling = evaluate(schedule, Person(gross + 1, hours), with_lines=False)
    assert more.employer_cost >= totals.employer_cost
    # Each employee line is rounded on its own: one more cent of gross may round
    # several of them up at once, so the net may lose as many cents, never more.
    rounded_lines = sum(1 for rule in schedule.contributions if rule.employee is not None)
    assert more.net_before_income_tax >= totals.net_before_income_tax - rounded_lines
    # Over one euro the gross always wins.
    euro, _lines, _ceiling = evaluate(schedule, Person(gross + 100, hours), with_lines=False)
    assert euro.net_before_income_tax > totals.net_before_income_tax


def test_the_two_evaluators_agree_to_the_cent(rules: PayrollRules) -> None:
    generator = np.random.default_rng(20250601)
    for month in MONTHS:
        for profile in PROFILES:
            schedule = rules.schedule(month, profile)
            size = 1500
            gross = generator.integers(0, 2_500_000, size)
            hours = np.where(
                generator.random(size) < 0.5, 15167, generator.integers(100, 20000, size)
            )
            tax = np.where(generator.random(size) < 0.7, -1, generator.integers(0, 430000, size))
            assert disagreements(schedule, gross, hours, tax) == [], (month, profile)


def test_lines_add_up_to_the_totals(rules: PayrollRules) -> None:
    slip_inputs = PayInputs(
        dt.date(2025, 6, 1), (GrossLine("salary", "Salary", Decimal("4321.09")),)
    )
    schedule = rules.schedule(slip_inputs.month, slip_inputs.profile)
    totals, lines, _ceiling = evaluate(schedule, Person(432109, 15167))
    contributions = [line for line in lines if line.code != "income_tax"]
    assert sum(line.employee_cents for line in contributions) == totals.employee_contributions
    assert sum(line.employer_cents for line in contributions) == totals.employer_contributions
    assert all(line.parameter and line.source for line in lines)


def test_absolute_caps_total_base_and_a_transition_zone() -> None:
    # A toy of Germany's rules: a cap of 1 000,00 not prorated by hours, and a zone
    # from 100,00 to 300,00 where the employee's base rises from 0 and the whole
    # base from F × 100 = 50,00 (F = 0,5) to the gross.
    schedule = toy(
        ceiling_cents=0,
        bases=(
            Base("own", transition=Transition(10000, 30000)),
            Base("whole", transition=Transition(10000, 30000, rate("0.5"))),
        ),
        contributions=(
            Contribution(
                "shared",
                "shared",
                base="own",
                total_base="whole",
                employee=rate("0.12"),
                employer=rate("0.1"),
                cap_cents=100000,
            ),
        ),
    )
    # 200,00: own base 300 / 200 × 100 = 150,00; whole 50 + (300 − 50) / 200 × 100 = 175,00.
    # Employee 150 × 12 % = 18,00; employer 2 × 175 × 10 % − 150 × 10 % = 35 − 15 = 20,00.
    totals, lines, _ceiling = evaluate(schedule, Person(20000, 7500))
    assert (lines[0].base_cents, totals.employee_contributions) == (15000, 1800)
    assert totals.employer_contributions == 2000
    # Above the zone both bases are the gross, capped at 1 000,00 even for part time.
    totals, _lines, _ceiling = evaluate(schedule, Person(500000, 7500))
    assert (totals.employee_contributions, totals.employer_contributions) == (12000, 10000)
    gross = np.array([0, 9999, 10000, 10001, 20000, 29999, 30000, 30001, 500000])
    hours = np.full(len(gross), 15000)
    assert disagreements(schedule, gross, hours, np.full(len(gross), -1)) == []
