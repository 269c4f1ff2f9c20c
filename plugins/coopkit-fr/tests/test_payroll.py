"""French payslips: worked examples with hard-coded figures (no openfisca needed).

Reference figures come from openfisca-france 176.1.8 (``salaire_net`` and
``salaire_super_brut``, monthly, allègements computed month by month, accident
rate 0.9 %), corrected for the two differences documented in
test_payroll_oracle.py: AGS at 0.25 % (openfisca: 0.20 %) and CSG/CRDS on the
executives' mandatory provident contribution. coopkit rounds each line to the
cent, openfisca does not, hence a few cents of tolerance where noted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coopkit.law import LawNotInForce
from coopkit.payroll import (
    GrossLine,
    PayInputs,
    PayrollInputError,
    PayrollRules,
    Profile,
    compute_payslip,
)
from coopkit.plugins import PluginHost


@pytest.fixture(scope="module")
def rules() -> PayrollRules:
    return PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "fr"}).payroll_rules("FR")


def payslip(rules: PayrollRules, month: str, gross: str, **kwargs: object):  # type: ignore[no-untyped-def]
    hours = kwargs.pop("hours", None)
    tax_rate = kwargs.pop("tax_rate", None)
    return compute_payslip(
        rules,
        PayInputs(
            dt.date.fromisoformat(month + "-01"),
            (GrossLine("salary", "Salary", Decimal(gross)),),
            hours=None if hours is None else Decimal(str(hours)),
            profile=Profile(**kwargs),  # type: ignore[arg-type]
            tax_rate=None if tax_rate is None else Decimal(str(tax_rate)),
        ),
    )


def test_hook_coopkit_payroll_rules(rules: PayrollRules) -> None:
    assert isinstance(rules, PayrollRules)
    assert rules.country == "FR"
    assert {spec.name for spec in rules.inputs()} >= {"contract", "category", "employees"}
    host = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "fr"})
    assert host.hook.coopkit_payroll_rules(country="BE", law=host.law("FR")) is None


def test_cdi_2500_june_2025(rules: PayrollRules) -> None:
    # openfisca-france: salaire_net 1978.9939, salaire_super_brut 3140.65 (+ 1.25 AGS gap).
    slip = payslip(rules, "2025-06", "2500", employees=10)
    assert slip.amount("net_before_income_tax") == Decimal("1978.99")
    assert slip.amount("employer_cost") == Decimal("3141.90")
    assert slip.line("general_reduction").employer_rate == Decimal("-0.0815")
    assert slip.line("health").employer_rate == Decimal("0.07")  # ≤ 2.25 SMIC in 2025
    assert slip.line("family").employer_rate == Decimal("0.0345")  # ≤ 3.3 SMIC in 2025
    # CSG base: 98.25 % of gross.
    assert slip.line("csg_deductible").base_cents == 245625
    # Withholding with the neutral grid: taxable 2050.22 € → 3.5 % (May 2025 grid).
    assert slip.amount("taxable") == Decimal("2050.22")
    assert slip.amount("income_tax_withheld") == Decimal("71.76")
    assert slip.amount("net_pay") == Decimal("1907.23")


def test_cdi_2500_march_2026_rgdu(rules: PayrollRules) -> None:
    # openfisca-france: salaire_net 1978.9939, salaire_super_brut 3111.90 (+ 1.25 AGS gap).
    # 2026: health 13 % and family 5.25 % for everyone, the RGDU covers the rest.
    slip = payslip(rules, "2026-03", "2500", employees=10)
    assert slip.amount("net_before_income_tax") == Decimal("1978.99")
    assert slip.amount("employer_cost") == Decimal("3113.15")
    assert slip.line("health").employer_rate == Decimal("0.13")
    assert slip.line("old_age_uncapped").employer_rate == Decimal("0.0211")
    # C = 0.02 + round4(0.3781 × (½ × (3 × 12.02 × 151.67 / 2500 − 1))^1.75) = 0.1719
    assert slip.line("general_reduction").employer_rate == Decimal("-0.1719")


def test_executive_at_three_ceilings_2025(rules: PayrollRules) -> None:
    # openfisca-france: salaire_net 9395.163 (− 9.7 % × 58.88 of provident cover = 9389.45),
    # salaire_super_brut 16917.01 (+ 5.89 AGS gap = 16922.90).
    slip = payslip(rules, "2025-06", "11775", category="executive", employees=60)
    assert slip.amount("net_before_income_tax") == Decimal("9389.43")
    assert slip.amount("employer_cost") == Decimal("16922.91")
    codes = {line.code for line in slip.lines}
    assert {"pension_t2", "ceg_t2", "cet", "apec", "executive_death_cover", "construction"} <= codes
    assert "general_reduction" not in codes
    assert slip.line("pension_t2").base_cents == 785000  # from 1 to 3 PSS
    assert slip.line("old_age_capped").base_cents == 392500


def test_part_time_cdd_prorates_the_ceiling(rules: PayrollRules) -> None:
    # openfisca-france: plafond 2070.2842, salaire_net 949.917, salaire_super_brut
    # 1446.67 (+ 0.60 AGS gap = 1447.27), reduction coefficient 0.1422.
    slip = payslip(rules, "2025-06", "1200", contract="cdd", hours="80", employees=10)
    assert slip.ceiling_cents == 207028  # 3925 × 80 / 151.67
    assert slip.line("fixed_term_training").employer_cents == 1200
    assert slip.amount("net_before_income_tax") == Decimal("949.91")
    assert slip.amount("employer_cost") == Decimal("1447.27")


def test_personal_tax_rate_replaces_the_grid(rules: PayrollRules) -> None:
    slip = payslip(rules, "2025-06", "2500", tax_rate="0.1")
    assert slip.amount("income_tax_withheld") == Decimal("205.02")


def test_optional_lines_are_off_unless_configured(rules: PayrollRules) -> None:
    plain = payslip(rules, "2025-06", "2500", employees=20)
    assert "health_cover" not in {line.code for line in plain.lines}
    assert "welfare_levy" not in {line.code for line in plain.lines}
    covered = payslip(
        rules,
        "2025-06",
        "2500",
        employees=20,
        options=(("health_cover_employee", "30"), ("health_cover_employer", "40")),
    )
    # Employer health cover enters the CSG base in full, and the taxable income.
    assert covered.line("csg_deductible").base_cents == 245625 + 4000
    assert covered.line("welfare_levy").employer_cents == 320  # 8 % of 40 €
    assert covered.amount("taxable") - plain.amount("taxable") == Decimal("10.00") - Decimal("2.72")


def test_every_month_of_2025_and_2026_has_law(rules: PayrollRules) -> None:
    for year in (2025, 2026):
        for month in range(1, 13):
            for category in ("non-executive", "executive"):
                slip = payslip(
                    rules, f"{year}-{month:02d}", "3000", category=category, contract="cdd"
                )
                assert slip.totals.net_before_income_tax > 0
                for line in slip.lines:
                    assert line.source, f"{line.code} has no source"


def test_minimum_wage(rules: PayrollRules) -> None:
    assert rules.minimum_wage(dt.date(2025, 6, 1), Decimal("151.67")).amount == Decimal("1801.84")
    assert rules.minimum_wage(dt.date(2026, 3, 1), Decimal("42")).amount == Decimal("504.84")
    assert rules.hours_for_days(dt.date(2026, 3, 1), Decimal(6)) == Decimal(42)


def test_bad_inputs_say_what_to_fix(rules: PayrollRules) -> None:
    with pytest.raises(PayrollInputError, match="use one of cdi, cdd"):
        payslip(rules, "2025-06", "2500", contract="interim")
    with pytest.raises(PayrollInputError, match="accident-at-work rate"):
        payslip(rules, "2025-06", "2500", accident_rate=Decimal("9"))
    with pytest.raises(LawNotInForce, match="first value starts on 2025-01-01"):
        payslip(rules, "2024-12", "2500")
