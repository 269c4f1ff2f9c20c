"""The scalar evaluator: one payslip from a :class:`Schedule`, in integer cents.

The batch evaluator (:mod:`coopkit.payroll.vector`) applies the same formulas to
arrays; a test proves they agree to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coopkit.payroll.cents import RATE_SCALE, apply_rate, div_half_up, scaled, to_cents
from coopkit.payroll.model import PayInputs, PayLine, Payslip, Totals
from coopkit.payroll.rules import Contribution, Rate, Schedule

# Engine labels are not passed through coopkit.i18n._ yet: the catalogs
# (coopkit/locale) are maintained by the i18n owners; add them with `make messages`.
INCOME_TAX_LABEL = "Income tax withheld at source"


@dataclass(frozen=True, slots=True)
class Person:
    """The per-payslip numbers the evaluators need, all integers.

    ``hours_c`` is paid hours × 100; ``tax_rate`` is scaled by 10^6 or None.
    """

    gross: int
    hours_c: int
    tax_rate: int | None = None


def person_of(inputs: PayInputs, schedule: Schedule) -> Person:
    hours = (
        schedule.full_time_hours_c if inputs.hours is None else scaled(inputs.hours, 100, "hours")
    )
    tax = None if inputs.tax_rate is None else scaled(inputs.tax_rate, RATE_SCALE, "tax rate")
    return Person(to_cents(inputs.gross), hours, tax)


def ceiling_for(schedule: Schedule, hours_c: int) -> int:
    """The ceiling prorated by paid hours (never above the full-time ceiling)."""
    full = schedule.full_time_hours_c
    return div_half_up(schedule.ceiling_cents * min(hours_c, full), full)


def _base_cents(
    schedule: Schedule, name: str, gross: int, ceiling: int, employer: dict[str, int]
) -> int:
    if name == "gross":
        return gross
    base = schedule.base(name)
    total = gross if base.include_gross else 0
    if base.include_gross and base.factor is not None:
        capped = gross if base.factor_cap is None else min(gross, base.factor_cap * ceiling)
        total = apply_rate(capped, base.factor.scaled) + (gross - capped)
    return total + sum(employer.get(code, 0) for code in base.plus_employer_of)


def _portion(rule: Contribution, base: int, gross: int, ceiling: int) -> int:
    lower = rule.lower * ceiling
    upper = None if rule.upper is None else rule.upper * ceiling
    if rule.only_above_lower:
        if gross <= lower:
            return 0
        lower = 0
    portion = max(base - lower, 0)
    if upper is not None:
        portion = min(portion, max(upper - lower, 0))
    return portion


def _employer_rate(rule: Contribution, gross: int, hours_c: int) -> Rate | None:
    reduced = rule.reduced
    if reduced is not None and gross * 100 * RATE_SCALE <= (
        reduced.max_multiple.scaled * reduced.hourly_cents * hours_c
    ):
        return reduced.rate
    return rule.employer


def evaluate(
    schedule: Schedule, person: Person, *, with_lines: bool = True
) -> tuple[Totals, list[PayLine], int]:
    """Compute totals (and lines when asked) for one person; returns (totals, lines, ceiling)."""
    gross, hours_c = person.gross, person.hours_c
    ceiling = ceiling_for(schedule, hours_c)
    employer_by_code: dict[str, int] = {}
    bases: dict[str, int] = {}
    lines: list[PayLine] = []
    employee_total = employer_total = taxable_deductions = 0
    for rule in schedule.contributions:
        if rule.base not in bases:
            bases[rule.base] = _base_cents(schedule, rule.base, gross, ceiling, employer_by_code)
        portion = _portion(rule, bases[rule.base], gross, ceiling)
        employer_rate = _employer_rate(rule, gross, hours_c)
        employee = rule.fixed_employee_cents
        employee += 0 if rule.employee is None else apply_rate(portion, rule.employee.scaled)
        employer = rule.fixed_employer_cents
        employer += 0 if employer_rate is None else apply_rate(portion, employer_rate.scaled)
        employer_by_code[rule.code] = employer
        employee_total += employee
        employer_total += employer
        if rule.taxable:
            taxable_deductions += employee
        if rule.employer_taxable:
            taxable_deductions -= employer
        if with_lines and (employee or employer):
            origin = employer_rate or rule.employee
            lines.append(
                PayLine(
                    rule.code,
                    rule.label,
                    portion,
                    None if rule.employee is None else rule.employee.value,
                    None if employer_rate is None else employer_rate.value,
                    employee,
                    employer,
                    "" if origin is None else origin.parameter,
                    "" if origin is None else origin.source,
                )
            )
    for reduction in schedule.reductions:
        formula = reduction.formula
        coefficient = formula.coefficient(gross, reduction.hourly_cents * hours_c)
        amount = div_half_up(gross * coefficient, 10**formula.digits)
        if reduction.side == "employer":
            employer_total -= amount
        else:
            employee_total -= amount
            taxable_deductions -= amount
        if with_lines and amount:
            shown = Decimal(coefficient).scaleb(-formula.digits)
            lines.append(
                PayLine(
                    reduction.code,
                    reduction.label,
                    gross,
                    -shown if reduction.side == "employee" else None,
                    -shown if reduction.side == "employer" else None,
                    -amount if reduction.side == "employee" else 0,
                    -amount if reduction.side == "employer" else 0,
                    formula.parameter,
                    formula.source,
                )
            )
    taxable = gross - taxable_deductions
    withheld = 0
    if schedule.withholding is not None and taxable > 0:
        if person.tax_rate is not None:
            rate_scaled, rate_value = person.tax_rate, Decimal(person.tax_rate).scaleb(-6)
            parameter, source = "tax_rate", "personal rate given in the inputs"
        else:
            bracket = schedule.withholding.rate_for(taxable)
            rate_scaled, rate_value = bracket.scaled, bracket.value
            parameter, source = bracket.parameter, bracket.source
        withheld = apply_rate(taxable, rate_scaled)
        if with_lines:
            lines.append(
                PayLine(
                    "income_tax",
                    INCOME_TAX_LABEL,
                    taxable,
                    rate_value,
                    None,
                    withheld,
                    0,
                    parameter,
                    source,
                )
            )
    totals = Totals(gross, employee_total, taxable, withheld, employer_total)
    return totals, lines, ceiling


def payslip_from_schedule(schedule: Schedule, inputs: PayInputs) -> Payslip:
    """The full payslip (lines and totals) of ``inputs`` under ``schedule``."""
    totals, lines, ceiling = evaluate(schedule, person_of(inputs, schedule))
    return Payslip(
        schedule.country, schedule.currency, schedule.month, inputs, ceiling, tuple(lines), totals
    )
