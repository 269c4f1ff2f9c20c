"""German payslips: worked examples by hand, the wage tax against lohnsteuer-bmf, properties.

The independent reference is the ``lohnsteuer-bmf`` package (PyPI, version
2026.x: the BMF PAP 2026 in floating point, L1nch-lab/lohnsteuer-bmf). It rounds
each monthly amount half-up from the yearly one where the PAP rounds down, and
rounds the church tax on the year, so it may differ from the PAP by one cent; on
the grid below (6 classes × 12 grosses × 0-2 children × church tax on/off,
432 cases in 2026) the largest difference is one cent. No version implements the
PAP 2025 (its 2025 tariff is there, its 2025 lump sum for insurance is not): for
2025 the tests compare the tariff (§ 32a EStG 2025) with the package and work
whole payslips by hand, step by step in the comments.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from coopkit_de.lohnsteuer import WageTax, withheld

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
from coopkit.payroll.rules import options_of
from coopkit.payroll.vector import disagreements
from coopkit.plugins import PluginHost

JAN_2025 = dt.date(2025, 1, 1)
JAN_2026 = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def rules() -> PayrollRules:
    return PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "de"}).payroll_rules("DE")


def profile(contract: str = "regular", **options: object) -> Profile:
    return Profile(contract=contract, category="employee", options=options_of(options))


def slip(rules: PayrollRules, month: dt.date, gross: str, prof: Profile | None = None) -> Payslip:
    line = GrossLine("salary", "Salary", Decimal(gross))
    return compute_payslip(rules, PayInputs(month, (line,), profile=prof or profile()))


def cents(payslip: Payslip, code: str) -> tuple[int, int, int]:
    line = payslip.line(code)
    return line.base_cents, line.employee_cents, line.employer_cents


def test_a_regular_job_in_2026(rules: PayrollRules) -> None:
    # 3 500 EUR, class I, no child, 30 years old, average additional rate 2,9 %.
    payslip = slip(rules, JAN_2026, "3500")
    assert cents(payslip, "health") == (350000, 25550, 25550)  # 7,3 % each
    assert cents(payslip, "health_extra") == (350000, 5075, 5075)  # 2,9 % / 2 = 1,45 %
    assert cents(payslip, "care") == (350000, 8400, 6300)  # 1,8 % + 0,6 % childless; 1,8 %
    assert cents(payslip, "pension") == (350000, 32550, 32550)  # 9,3 %
    assert cents(payslip, "unemployment") == (350000, 4550, 4550)  # 1,3 %
    assert cents(payslip, "insolvency_levy") == (350000, 0, 525)  # 0,15 %
    # Wage tax (PAP 2026): ZRE4 = 42 000; lump sums 1 230 + 36 = 1 266;
    # VSPR = 42 000 × 9,3 % = 3 906; VSPKVPV = 42 000 × (7 % + 1,45 % + 2,4 %) = 4 557;
    # VSP = 8 463 (the unemployment branch gives 3 906 + min(546 + 4 557, 1 900) = 5 806);
    # ZVE = 42 000 − 1 266 − 8 463 = 32 271; zone 3: y = 1,4472,
    # (173,10 y + 2 397) y + 1 034,87 = 4 866,35 → 4 866 a year; 486 600 / 12 = 405,50.
    assert payslip.line("wage_tax").employee_cents == 40550
    totals = payslip.as_dict()
    assert totals["employee_contributions"] == "761.25"
    assert totals["net_pay"] == "2333.25"  # 3 500 − 761,25 − 405,50
    assert totals["employer_cost"] == "4245.50"  # 3 500 + 745,50


def test_church_tax_and_solidarity_surcharge_2026(rules: PayrollRules) -> None:
    # 10 000 EUR, class III, 2 children, church tax in Bavaria (8 %).
    married = profile(tax_class=3, children=2, church_tax="yes", state="BY")
    payslip = slip(rules, JAN_2026, "10000", married)
    # Health and care stop at 5 812,50, pension and unemployment at 8 450.
    assert cents(payslip, "health") == (581250, 42431, 42431)  # 5 812,50 × 7,3 % = 424,31
    # Two children under 25: 1,8 % − 0,25 % = 1,55 % for the employee (90,09).
    assert cents(payslip, "care") == (581250, 9009, 10463)
    assert cents(payslip, "pension") == (845000, 78585, 78585)
    # Wage tax 1 826,50 (21 918 a year, splitting). With 2 child allowances (2 × 9 756)
    # the base of the surcharge and the church tax is 15 315 a year: below the class III
    # exemption of 2 × 20 350, so no surcharge; church tax 8 % of 15 315 / 12 = 102,10.
    assert payslip.line("wage_tax").employee_cents == 182650
    assert payslip.line("church_tax").employee_cents == 10210
    assert [line.code for line in payslip.lines if line.code == "solidarity_surcharge"] == []
    assert payslip.amount("income_tax_withheld") == Decimal("1928.60")


def test_the_transition_zone_2026(rules: PayrollRules) -> None:
    # 1 200 EUR, between 603,01 and 2 000 (SGB IV § 20 (2a)), F = 0,6619.
    # Employee base: 2 000 / (2 000 − 603) × (1 200 − 603) = 854,6886 → 854,69.
    # Whole base: 0,6619 × 603 + (2 000 − 399,1257) / 1 397 × 597 = 1 083,2502 → 1 083,25.
    # Health: whole 2 × round(1 083,25 × 7,3 %) = 2 × 79,08 = 158,16; employee
    # 854,69 × 7,3 % = 62,39; employer 158,16 − 62,39 = 95,77.
    payslip = slip(rules, JAN_2026, "1200")
    assert cents(payslip, "health") == (85469, 6239, 9577)
    assert cents(payslip, "pension") == (85469, 7949, 12199)
    assert payslip.line("wage_tax").employee_cents == 0
    # The insolvency levy is on the actual pay: 1 200 × 0,15 % = 1,80.
    assert cents(payslip, "insolvency_levy") == (120000, 0, 180)
    # Right above the minijob limit the employee pays nothing (their base is 0,01) and
    # the employer about 28 % of the pay: whole base 0,6619 × 603 = 399,13 at the
    # total rate 42,3 % = 168,83, plus 0,90 U3 and a cent of rounding = 169,74.
    low = slip(rules, JAN_2026, "603.01")
    assert low.amount("employee_contributions") == Decimal("0.00")
    assert low.amount("employer_contributions") == Decimal("169.74")


def test_a_minijob_2026(rules: PayrollRules) -> None:
    # 603 EUR: employer 13 % health (78,39), 15 % pension (90,45), 2 % flat tax (12,06),
    # 0,15 % U3 (0,90); employee pension 18,6 % − 15 % = 3,6 % (21,71); no wage tax.
    payslip = slip(rules, JAN_2026, "603", profile("minijob"))
    assert cents(payslip, "minijob_pension") == (60300, 2171, 9045)
    assert payslip.as_dict()["net_pay"] == "581.29"
    assert payslip.as_dict()["employer_cost"] == "784.80"
    exempt = slip(rules, JAN_2026, "603", profile("minijob", pension_exempt="yes"))
    assert exempt.amount("net_pay") == Decimal("603.00")


def test_a_regular_job_in_2025(rules: PayrollRules) -> None:
    # 3 000 EUR, class I, PAP 2025: ZRE4 = 36 000; VSP1 = 3 348; VSP2 = min(4 320, 1 900);
    # VSPN = 5 248; VSP3 = 36 000 × (7 % + 1,25 % + 2,4 %) = 3 834; VSP = 7 182;
    # ZVE = 36 000 − 1 266 − 7 182 = 27 552; zone 3 (2025): z = 1,0109,
    # (176,64 z + 2 397) z + 1 015,13 = 3 618,77 → 3 618; 361 800 / 12 = 301,50.
    payslip = slip(rules, JAN_2025, "3000")
    assert payslip.line("wage_tax").employee_cents == 30150
    assert payslip.as_dict()["employee_contributions"] == "646.50"  # 21,55 % of 3 000
    assert payslip.as_dict()["net_pay"] == "2052.00"


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_tariff_against_lohnsteuer_bmf(rules: PayrollRules, year: int) -> None:
    reference = pytest.importorskip("lohnsteuer_bmf.einkommensteuer")
    schedule = rules.schedule(dt.date(year, 1, 1), profile())
    assert isinstance(schedule.withholding, WageTax)
    tariff = schedule.withholding.law.tariff
    for income in (0, 12_000, 12_349, 15_000, 17_800, 30_000, 68_481, 70_000, 150_000, 300_000):
        assert tariff.tax(income * 100) == reference.einkommensteuer(income, year), income


def test_the_wage_tax_against_lohnsteuer_bmf_2026(rules: PayrollRules) -> None:
    reference = pytest.importorskip("lohnsteuer_bmf")
    grosses = (500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6500, 8000, 10000, 15000)
    worst = 0
    for tax_class in range(1, 7):
        for children in (0, 1, 2):
            for church in (False, True):
                prof = profile(
                    tax_class=tax_class,
                    children=children,
                    state="BE",
                    church_tax="yes" if church else "no",
                )
                wage_tax = rules.schedule(JAN_2026, prof).withholding
                assert isinstance(wage_tax, WageTax)
                for gross in grosses:
                    mine = withheld(wage_tax.law, wage_tax.employee, gross * 100)
                    theirs = reference.berechne_lohnsteuer_pap(
                        brutto_jahr=float(gross * 12), steuerklasse=tax_class,
                        bundesland="Berlin", mit_kirchensteuer=church, kinder=children,
                        geburtsjahr=1990, kv_zusatzbeitrag=2.9, ist_sachsen=False, jahr=2026,
                    )  # fmt: skip
                    for ours, key in (
                        (mine.wage_tax, "lohnsteuer_monat"),
                        (mine.solidarity, "soli_monat"),
                        (mine.church, "kirchensteuer_monat"),
                    ):
                        difference = abs(ours - round(Decimal(str(theirs[key])) * 100))
                        assert difference <= 1, (tax_class, children, church, gross, key)
                        worst = max(worst, difference)
    assert worst == 1  # the reference's half-up monthly rounding, nothing more


def test_the_two_evaluators_agree(rules: PayrollRules) -> None:
    generator = np.random.default_rng(2026)
    for month in (JAN_2025, JAN_2026):
        for prof in (
            profile(),
            profile(tax_class=3, children=2, church_tax="yes"),
            profile(tax_class=6),
            profile("minijob"),
        ):
            gross = generator.integers(0, 1_500_000, 200)
            gross[:40] = generator.integers(50_000, 210_000, 40)  # around the transition zone
            hours = np.full(200, 17333)
            tax = np.full(200, -1)
            schedule = rules.schedule(month, prof)
            assert disagreements(schedule, gross, hours, tax) == [], (month, prof)


def test_the_simulator_inverts_to_the_cent(rules: PayrollRules) -> None:
    inputs = PayInputs(JAN_2026, (), profile=profile(tax_class=1))
    simulation = simulate_budget(rules, inputs, Decimal("5000"), Decimal("0.065"))
    assert simulation.payslip is not None
    assert simulation.total <= Decimal("5000")
    one_more = slip(rules, JAN_2026, str(simulation.payslip.totals.gross / 100 + 0.01))
    cost = one_more.amount("employer_cost")
    assert cost + (cost * Decimal("0.065")).quantize(Decimal("0.01"), "ROUND_HALF_UP") > 5000


def test_minimum_wage(rules: PayrollRules) -> None:
    assert rules.minimum_wage(JAN_2025, Decimal("100")).amount == Decimal("1282.00")
    assert rules.minimum_wage(JAN_2026, Decimal("173.33")).amount == Decimal("2409.29")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"tax_class": "7"}, "tax_class"),
        ({"state": "XX"}, "state"),
        ({"church_tax": "yes", "church_tax_rate": "9"}, "church_tax_rate"),
        ({"child_allowances": "0.25"}, "tenths"),
        ({"plan": "gold"}, "unknown option"),
    ],
)
def test_bad_inputs_are_refused(rules: PayrollRules, options: dict[str, str], message: str) -> None:
    with pytest.raises(PayrollInputError, match=message):
        slip(rules, JAN_2026, "3000", profile(**options))
