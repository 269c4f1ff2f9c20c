"""Belgian payslips: worked examples from publications, and properties of the engine.

Sources of the figures:

- work bonus: the ONSS formula (instructions administratives, "Le bonus à
  l'emploi": S = W × U / H, R, P = R × H / U) with the table of 1 February 2025
  published by Easypay Group ("Le bonus à l'emploi à partir du 1er février
  2025": part A 120,59 / 130,24, part B 162,62 − 0,2699 × (S − 2 175,25) …);
- special social security contribution: the ONSS monthly scales, as also
  written in refli.be's rules (hypered/refli.be, publicodes/compensation.yaml);
- withholding tax: the key formula of Annex III of the AR/CIR 92 for 2025,
  worked by hand step by step below (the SPF Finances examples themselves were
  not at hand; the parameters are those of Odoo's l10n_be_hr_payroll for 2025).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from coopkit.law import LawNotInForce
from coopkit.payroll import (
    GrossLine,
    PayInputs,
    PayrollInputError,
    PayrollRules,
    Payslip,
    Profile,
    compute_payslip,
    simulate_budget,
)
from coopkit.payroll.compute import Person, evaluate
from coopkit.payroll.simulate import fees_cents, largest_gross
from coopkit.payroll.vector import disagreements
from coopkit.plugins import PluginHost

JUNE_2025 = dt.date(2025, 6, 1)
MONTHS = [dt.date(2025, 1, 1), JUNE_2025, dt.date(2026, 3, 1), dt.date(2026, 12, 1)]
PROFILES = [
    Profile(category="white-collar"),
    Profile(
        category="blue-collar", options=(("children", "3"), ("family", "partner-without-income"))
    ),
    Profile(category="white-collar", employees=20, options=(("family", "partner-with-income"),)),
    Profile(category="white-collar", options=(("children", "10"),)),
]


@pytest.fixture(scope="module")
def rules() -> PayrollRules:
    return PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be"}).payroll_rules("BE")


def payslip(
    rules: PayrollRules,
    gross: str,
    *,
    month: dt.date = JUNE_2025,
    hours: str | None = None,
    category: str = "white-collar",
    **options: Any,
) -> Payslip:
    profile = Profile(
        category=category,
        employees=int(options.pop("employees", 1)),
        options=tuple(sorted((k, str(v)) for k, v in options.items())),
    )
    return compute_payslip(
        rules,
        PayInputs(
            month,
            (GrossLine("salary", "Salary", Decimal(gross)),),
            hours=None if hours is None else Decimal(hours),
            profile=profile,
        ),
    )


def cents(slip: Payslip, code: str) -> Decimal:
    try:
        line = slip.line(code)
    except KeyError:
        return Decimal(0)
    return Decimal(line.employee_cents + line.employer_cents).scaleb(-2)


# -- work bonus ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gross", "category", "part_b", "part_a"),
    [
        # S ≤ 2 175,25: part B at its maximum; S ≤ 2 777,83: part A at its maximum
        ("2100.00", "white-collar", "-162.62", "-111.85"),  # A cut: 13,07 % of 2 100 = 274,47
        # B = 162,62 − 0,2699 × (2 500 − 2 175,25) = 74,97; A = 120,59
        ("2500.00", "white-collar", "-74.97", "-120.59"),
        # B = 0 above 2 777,83; A = 120,59 − 0,2443 × (3 000 − 2 777,83) = 66,31
        ("3000.00", "white-collar", "0", "-66.31"),
        ("3271.49", "white-collar", "0", "0"),  # above the upper bound: nothing
        # blue-collar (108 %): B = 175,63 − 0,2915 × 324,75 = 80,9654; A = 130,24
        ("2500.00", "blue-collar", "-80.97", "-130.24"),
    ],
)
def test_work_bonus_full_time_february_2025_table(
    rules: PayrollRules, gross: str, category: str, part_b: str, part_a: str
) -> None:
    slip = payslip(rules, gross, category=category)
    assert cents(slip, "work_bonus_b") == Decimal(part_b)
    assert cents(slip, "work_bonus_a") == Decimal(part_a)


def test_work_bonus_is_prorated_for_part_time(rules: PayrollRules) -> None:
    # Half time, 82,34 h of 164,67: S = 1 250 × 164,67 / 82,34 = 2 499,848;
    # R(B) = 162,62 − 0,2699 × 324,598 = 75,01, P = 75,01 × 82,34 / 164,67 = 37,51;
    # R(A) = 120,59, P = 120,59 × 82,34 / 164,67 = 60,30.
    slip = payslip(rules, "1250.00", hours="82.34")
    assert cents(slip, "work_bonus_b") == Decimal("-37.51")
    assert cents(slip, "work_bonus_a") == Decimal("-60.30")


def test_work_bonus_never_exceeds_the_personal_contribution(rules: PayrollRules) -> None:
    for gross in ("200.00", "1500.00", "2111.89"):
        slip = payslip(rules, gross)
        bonus = cents(slip, "work_bonus_a") + cents(slip, "work_bonus_b")
        assert -bonus <= cents(slip, "personal")
    slip = payslip(rules, "2111.89")  # the minimum wage: contribution 276,02 < 162,62 + 120,59
    assert cents(slip, "work_bonus_b") == Decimal("-162.62")
    assert cents(slip, "work_bonus_a") == Decimal("-113.40")


def test_work_bonus_indexation_of_february_2025(rules: PayrollRules) -> None:
    # January 2025 still has the May 2024 amounts: B = 159,43 − 0,2699 × (2 500 − 2 132,59)
    slip = payslip(rules, "2500.00", month=dt.date(2025, 1, 1))
    assert cents(slip, "work_bonus_b") == Decimal("-60.27")
    assert cents(slip, "work_bonus_a") == Decimal("-118.22")


# -- special social security contribution --------------------------------------------


@pytest.mark.parametrize(
    ("gross", "family", "category", "expected"),
    [
        ("1900.00", "single", "white-collar", "0"),
        ("2000.00", "single", "white-collar", "4.15"),  # 7,6 % × 54,62
        ("2500.00", "single", "white-collar", "22.01"),  # 18,60 + 1,1 % × 309,82
        ("7000.00", "single", "white-collar", "60.94"),  # the cap
        ("7000.00", "partner-without-income", "white-collar", "60.94"),
        ("1000.00", "partner-with-income", "white-collar", "0"),
        ("1500.00", "partner-with-income", "white-collar", "9.30"),
        ("2000.00", "partner-with-income", "white-collar", "9.30"),  # at least 9,30
        ("7000.00", "partner-with-income", "white-collar", "51.64"),
        # blue-collar: on 108 % of 2 000 = 2 160: 7,6 % × 214,62
        ("2000.00", "single", "blue-collar", "16.31"),
    ],
)
def test_special_contribution_scales(
    rules: PayrollRules, gross: str, family: str, category: str, expected: str
) -> None:
    slip = payslip(rules, gross, category=category, family=family)
    assert cents(slip, "special_contribution") == Decimal(expected)


def test_special_contribution_does_not_lower_the_taxable_pay(rules: PayrollRules) -> None:
    slip = payslip(rules, "3500.00")
    personal = cents(slip, "personal")
    assert slip.amount("taxable") == Decimal("3500.00") - personal
    assert cents(slip, "special_contribution") > 0


# -- withholding tax, Annex III key formula for 2025 ----------------------------------


def test_withholding_single_2500(rules: PayrollRules) -> None:
    # taxable 2 500 − 326,75 + 195,56 = 2 368,81 → 2 355 (multiple of 15) × 12 = 28 260;
    # expenses min(30 %, 5 930) = 5 930 → 22 330; scale: 16 310 × 26,75 % + 6 020 × 42,80 %
    # = 6 939,49; − 2 915,75 = 4 023,74; / 12 = 335,31. Fiscal work bonus:
    # 33,14 % × 120,59 + 52,54 % × 74,97 = 79,35. Withheld: 255,96.
    slip = payslip(rules, "2500.00")
    assert slip.amount("taxable") == Decimal("2368.81")
    assert cents(slip, "income_tax") == Decimal("335.31")
    assert cents(slip, "fiscal_work_bonus") == Decimal("-79.35")
    assert slip.amount("income_tax_withheld") == Decimal("255.96")
    assert slip.amount("net_pay") == Decimal("2090.84")
    assert slip.amount("employer_cost") == Decimal("3125.00")


def test_withholding_single_3500_and_children(rules: PayrollRules) -> None:
    # taxable 3 042,55 → 3 030 × 12 = 36 360 − 5 930 = 30 430; 4 362,925 + 12 480 × 42,80 %
    # + 1 640 × 48,15 % = 10 494,03; − 2 915,75 = 7 578,28; / 12 = 631,52.
    assert payslip(rules, "3500.00").amount("income_tax_withheld") == Decimal("631.52")
    # 2 children and single: − 134 (children) − 51 (single parent) = 446,52
    slip = payslip(rules, "3500.00", children=2)
    assert cents(slip, "family_reduction") == Decimal("-185")
    assert slip.amount("income_tax_withheld") == Decimal("446.52")
    # 10 children: 1 787 + 2 × 315 + 51 is more than the tax: nothing withheld
    assert payslip(rules, "3500.00", children=10).amount("income_tax_withheld") == 0


def test_withholding_marital_quotient(rules: PayrollRules) -> None:
    # Scale II: net 30 430, quotient 30 % = 9 129 (below 13 460) taxed apart:
    # tax(21 301) = 6 499,07, tax(9 129) = 2 442,01; − 2 × 2 915,75 = 3 109,58; / 12 = 259,13.
    slip = payslip(rules, "3500.00", family="partner-without-income")
    assert slip.amount("income_tax_withheld") == Decimal("259.13")
    # a partner with income: scale I, but the two-income special contribution
    both = payslip(rules, "3500.00", family="partner-with-income")
    assert both.amount("income_tax_withheld") == Decimal("631.52")
    assert cents(both, "special_contribution") == Decimal("33.01")


def test_withholding_caps_expenses_and_quotient(rules: PayrollRules) -> None:
    # gross 10 000: taxable 8 693 → 8 685 × 12 = 104 220 − 5 930 = 98 290;
    # quotient min(29 487, 13 460) = 13 460; tax(84 830) = 4 362,925 + 5 341,44 + 10 125,945
    # + 35 010 × 53,5 % = 38 560,66; tax(13 460) = 3 600,55; − 5 831,50 = 36 329,71 → 3 027,47.
    slip = payslip(rules, "10000.00", family="partner-without-income")
    assert slip.amount("taxable") == Decimal("8693.00")
    assert slip.amount("income_tax_withheld") == Decimal("3027.47")


# -- employer contributions -----------------------------------------------------------


def test_employer_contributions(rules: PayrollRules) -> None:
    white = payslip(rules, "3000.00")
    assert white.amount("employer_contributions") == Decimal("750.00")  # 19,88 + 5,12 %
    large = payslip(rules, "3000.00", employees=10)
    assert large.amount("employer_contributions") == Decimal("800.70")  # + 1,69 %
    blue = payslip(rules, "3000.00", category="blue-collar")
    # on 3 240: 19,88 % 644,11 + 5,12 % 165,89 + 5,57 % 180,47 + 10,27 % 332,75
    assert blue.amount("employer_contributions") == Decimal("1323.22")
    assert cents(blue, "personal") == Decimal("423.47")  # 13,07 % of 3 240


def test_lines_add_up_and_name_their_law(rules: PayrollRules) -> None:
    for gross in ("1800.00", "2500.00", "6000.00"):
        slip = payslip(rules, gross, category="blue-collar", children=1)
        taxes = {"income_tax", "family_reduction", "fiscal_work_bonus"}
        contributions = [line for line in slip.lines if line.code not in taxes]
        assert sum(line.employee_cents for line in contributions) == (
            slip.totals.employee_contributions
        )
        assert sum(line.employer_cents for line in contributions) == (
            slip.totals.employer_contributions
        )
        withheld = sum(line.employee_cents for line in slip.lines if line.code in taxes)
        assert withheld == slip.totals.income_tax_withheld
        assert all(line.parameter and line.source for line in slip.lines)


# -- minimum wage, days, simulator ----------------------------------------------------


def test_minimum_wage(rules: PayrollRules) -> None:
    full = rules.minimum_wage(JUNE_2025, Decimal("164.67"))
    assert full.amount == Decimal("2111.89")
    assert "CCT n° 43" in full.source
    assert rules.minimum_wage(dt.date(2025, 1, 1), Decimal("164.67")).amount == Decimal("2070.48")
    six_days = rules.hours_for_days(JUNE_2025, Decimal(6))
    assert six_days == Decimal("45.6")
    # 2 111,89 × 45,6 / 164,67 = 584,816… rounded up
    assert rules.minimum_wage(JUNE_2025, six_days).amount == Decimal("584.82")


def test_simulator_is_exact(rules: PayrollRules) -> None:
    fee = 65000
    for month in MONTHS:
        for profile in PROFILES:
            schedule = rules.schedule(month, profile)
            for budget in (60000, 300000, 777777, 2500000):
                for hours in (4560, 16467):
                    gross = largest_gross(schedule, budget, hours, fee)
                    assert _cost(schedule, gross, hours, fee) <= budget
                    assert _cost(schedule, gross + 1, hours, fee) > budget


def _cost(schedule: Any, gross: int, hours: int, fee: int) -> int:
    totals, _lines, _ceiling = evaluate(schedule, Person(gross, hours), with_lines=False)
    return totals.employer_cost + fees_cents(totals.employer_cost, fee)


def test_simulator_shortfall_below_the_minimum_wage(rules: PayrollRules) -> None:
    inputs = PayInputs(
        dt.date(2026, 3, 1), (), hours=Decimal("45.6"), profile=Profile(category="white-collar")
    )
    poor = simulate_budget(rules, inputs, Decimal(500))
    assert poor.payslip is None
    assert poor.minimum_gross == Decimal("584.82")
    assert poor.shortfall == poor.minimum_total - Decimal(500)
    rich = simulate_budget(rules, inputs, Decimal(3000))
    assert rich.payslip is not None
    assert rich.total <= Decimal(3000)


def test_scalar_and_vector_agree_to_the_cent(rules: PayrollRules) -> None:
    generator = np.random.default_rng(20260301)
    for month in MONTHS:
        for profile in PROFILES:
            schedule = rules.schedule(month, profile)
            size = 800
            gross = generator.integers(0, 1_500_000, size)
            hours = np.where(
                generator.random(size) < 0.5, 16467, generator.integers(100, 20000, size)
            )
            tax = np.where(generator.random(size) < 0.85, -1, generator.integers(0, 500000, size))
            assert disagreements(schedule, gross, hours, tax) == [], (month, profile)


def test_net_is_below_gross_and_cost_monotonic(rules: PayrollRules) -> None:
    for profile in PROFILES:
        schedule = rules.schedule(JUNE_2025, profile)
        previous = 0
        for gross in range(0, 1_200_000, 997):
            totals, _l, _c = evaluate(schedule, Person(gross, 16467), with_lines=False)
            assert 0 <= totals.net_pay <= totals.gross <= totals.employer_cost
            assert totals.employer_cost >= previous
            previous = totals.employer_cost


# -- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (Profile(contract="student", category="white-collar"), "use one of cdi, cdd"),
        (Profile(category="executive"), "use one of white-collar, blue-collar"),
        (Profile(category="white-collar", options=(("family", "married"),)), "single"),
        (Profile(category="white-collar", options=(("children", "two"),)), "whole number"),
        (Profile(category="white-collar", options=(("children", "-1"),)), "between 0"),
        (Profile(category="white-collar", options=(("mobility_rate", "0.01"),)), "known"),
        (Profile(category="white-collar", employees=0), "at least 1"),
    ],
)
def test_bad_profiles_say_what_to_fix(rules: PayrollRules, profile: Profile, message: str) -> None:
    with pytest.raises(PayrollInputError, match=message):
        rules.schedule(JUNE_2025, profile)


def test_no_law_before_2025(rules: PayrollRules) -> None:
    with pytest.raises(LawNotInForce):
        rules.schedule(dt.date(2024, 12, 1), Profile(category="white-collar"))
