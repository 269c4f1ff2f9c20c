"""The batch evaluator: many payslips of one schedule at once, on numpy int64 cents.

It evaluates the very same :class:`~coopkit.payroll.rules.Schedule` as
:mod:`coopkit.payroll.compute`, with the same integer formulas (rates × 10^6,
half-up division), so both give identical cents; ``tests/test_payroll_engine.py``
checks that on thousands of random payslips. Only totals are produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from coopkit.payroll.cents import RATE_SCALE, div_half_up_array
from coopkit.payroll.rules import Contribution, Schedule

NO_RATE = -1


@dataclass(frozen=True)
class BatchTotals:
    """Totals of many payslips, integer cents, one array element per payslip."""

    gross: Any
    employee_contributions: Any
    taxable: Any
    income_tax_withheld: Any
    employer_contributions: Any

    @property
    def net_before_income_tax(self) -> Any:
        return self.gross - self.employee_contributions

    @property
    def net_pay(self) -> Any:
        return self.net_before_income_tax - self.income_tax_withheld

    @property
    def employer_cost(self) -> Any:
        return self.gross + self.employer_contributions


def _apply(base: Any, rate: Any) -> Any:
    return div_half_up_array(base * rate, RATE_SCALE)


def _base(schedule: Schedule, name: str, gross: Any, ceiling: Any, employer: dict[str, Any]) -> Any:
    if name == "gross":
        return gross
    base = schedule.base(name)
    pay = gross if base.transition is None else base.transition.apply_many(gross)
    total = pay if base.include_gross else np.zeros_like(gross)
    if base.include_gross and base.factor is not None:
        capped = pay if base.factor_cap is None else np.minimum(pay, base.factor_cap * ceiling)
        total = _apply(capped, base.factor.scaled) + (pay - capped)
    for code in base.plus_employer_of:
        if code in employer:
            total = total + employer[code]
    return total


def _portion(rule: Contribution, base: Any, gross: Any, ceiling: Any) -> Any:
    lower = rule.lower * ceiling
    if rule.only_above_lower:
        applies = gross > lower
        lower = np.zeros_like(ceiling)
    portion = np.maximum(base - lower, 0)
    if rule.upper is not None:
        portion = np.minimum(portion, np.maximum(rule.upper * ceiling - lower, 0))
    if rule.only_above_lower:
        portion = np.where(applies, portion, 0)
    if rule.cap_cents is not None:
        portion = np.minimum(portion, rule.cap_cents)
    return portion


def _at_rate(rate: int, portion: Any, whole: Any | None) -> Any:
    if whole is None:
        return _apply(portion, rate)
    return 2 * _apply(whole, rate) - _apply(portion, rate)


def _employer(rule: Contribution, portion: Any, whole: Any | None, gross: Any, hours_c: Any) -> Any:
    amount = np.full_like(gross, rule.fixed_employer_cents)
    if rule.employer is not None:
        amount = amount + _at_rate(rule.employer.scaled, portion, whole)
    reduced = rule.reduced
    if reduced is None:
        return amount
    below = gross * 100 * RATE_SCALE <= reduced.max_multiple.scaled * reduced.hourly_cents * hours_c
    return np.where(
        below, rule.fixed_employer_cents + _at_rate(reduced.rate.scaled, portion, whole), amount
    )


def evaluate_many(
    schedule: Schedule, gross: Any, hours_c: Any, tax_rate: Any | None = None
) -> BatchTotals:
    """Totals for arrays of gross (cents), paid hours × 100 and personal tax rates.

    ``tax_rate`` holds rates × 10^6, or -1 where the default grid applies.
    """
    gross = np.asarray(gross, dtype=np.int64)
    hours_c = np.asarray(hours_c, dtype=np.int64)
    full = schedule.full_time_hours_c
    ceiling = div_half_up_array(schedule.ceiling_cents * np.minimum(hours_c, full), full)
    employer_by_code: dict[str, Any] = {}
    employee_by_code: dict[str, Any] = {}
    bases: dict[str, Any] = {}
    employee_total = np.zeros_like(gross)
    employer_total = np.zeros_like(gross)
    deductions = np.zeros_like(gross)
    for rule in schedule.contributions:
        if rule.base not in bases:
            bases[rule.base] = _base(schedule, rule.base, gross, ceiling, employer_by_code)
        portion = _portion(rule, bases[rule.base], gross, ceiling)
        whole = None
        if rule.total_base is not None:
            if rule.total_base not in bases:
                bases[rule.total_base] = _base(
                    schedule, rule.total_base, gross, ceiling, employer_by_code
                )
            whole = _portion(rule, bases[rule.total_base], gross, ceiling)
        employee = np.full_like(gross, rule.fixed_employee_cents)
        if rule.employee is not None:
            employee = employee + _apply(portion, rule.employee.scaled)
        employer = _employer(rule, portion, whole, gross, hours_c)
        employer_by_code[rule.code] = employer
        employee_by_code[rule.code] = employee
        employee_total += employee
        employer_total += employer
        if rule.taxable:
            deductions += employee
        if rule.employer_taxable:
            deductions -= employer
    for reduction in schedule.reductions:
        formula = reduction.formula
        coefficient = np.asarray(formula.coefficients(gross, reduction.hourly_cents * hours_c))
        amount = div_half_up_array(gross * coefficient, 10**formula.digits)
        if reduction.side == "employer":
            employer_total -= amount
        else:
            employee_total -= amount
            deductions -= amount
    amounts: dict[str, Any] = {}
    left: dict[tuple[str, str], Any] = {}
    for line in schedule.amounts:
        if line.base not in bases:
            bases[line.base] = _base(schedule, line.base, gross, ceiling, employer_by_code)
        amount = np.asarray(
            line.formula.amounts(bases[line.base], gross, hours_c, schedule.full_time_hours_c),
            dtype=np.int64,
        )
        if line.cap_line is not None:
            key = (line.side, line.cap_line)
            paid = employee_by_code if line.side == "employee" else employer_by_code
            cap = left.get(key, paid.get(line.cap_line, np.zeros_like(gross)))
            amount = np.maximum(np.minimum(amount, cap), 0)
            left[key] = cap - amount
        amounts[line.code] = amount
        signed = -amount if line.reduces else amount
        if line.side == "employer":
            employer_total += signed
        else:
            employee_total += signed
            if line.taxable:
                deductions += signed
    taxable = gross - deductions
    withheld = np.zeros_like(gross)
    if schedule.withholding is not None:
        withheld = np.asarray(schedule.withholding.totals(taxable, amounts), dtype=np.int64)
        if tax_rate is not None:
            given = np.asarray(tax_rate, dtype=np.int64)
            withheld = np.where(given >= 0, _apply(taxable, np.maximum(given, 0)), withheld)
        withheld = np.where(taxable > 0, withheld, 0)
    return BatchTotals(gross, employee_total, taxable, withheld, employer_total)


def disagreements(schedule: Schedule, gross: Any, hours_c: Any, tax_rate: Any) -> list[int]:
    """Indexes where this evaluator and the scalar one differ in any total (should be none).

    The arguments are as for :func:`evaluate_many`; the scalar path runs payslip by
    payslip, so keep the arrays to a few thousand.
    """
    from coopkit.payroll.compute import Person, evaluate

    batch = evaluate_many(schedule, gross, hours_c, tax_rate)
    differ = []
    for i in range(len(batch.gross)):
        tax = int(tax_rate[i])
        one, _lines, _ceiling = evaluate(
            schedule, Person(int(gross[i]), int(hours_c[i]), None if tax < 0 else tax), False
        )
        if (
            one.employee_contributions != batch.employee_contributions[i]
            or one.employer_contributions != batch.employer_contributions[i]
            or one.taxable != batch.taxable[i]
            or one.income_tax_withheld != batch.income_tax_withheld[i]
        ):
            differ.append(i)
    return differ
