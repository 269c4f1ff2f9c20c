"""The scalar evaluator: one payslip from a :class:`Schedule`, in integer cents.

The batch evaluator (:mod:`coopkit.payroll.vector`) applies the same formulas to
arrays; a test proves they agree to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coopkit.payroll.cents import RATE_SCALE, apply_rate, div_half_up, scaled, to_cents
from coopkit.payroll.model import PayInputs, PayLine, Payslip, Totals
from coopkit.payroll.rules import INCOME_TAX_LABEL, Contribution, Rate, Schedule, TaxPart


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
    pay = gross if base.transition is None else base.transition.apply(gross)
    total = pay if base.include_gross else 0
    if base.include_gross and base.factor is not None:
        capped = pay if base.factor_cap is None else min(pay, base.factor_cap * ceiling)
        total = apply_rate(capped, base.factor.scaled) + (pay - capped)
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
    if rule.cap_cents is not None:
        portion = min(portion, rule.cap_cents)
    return portion


def _employer_amount(rate: Rate, portion: int, whole: int | None) -> int:
    """base × rate, or with a total base: the whole contribution less the employee's half."""
    if whole is None:
        return apply_rate(portion, rate.scaled)
    return 2 * apply_rate(whole, rate.scaled) - apply_rate(portion, rate.scaled)


def _employer_rate(rule: Contribution, gross: int, hours_c: int) -> Rate | None:
    reduced = rule.reduced
    if reduced is not None and gross * 100 * RATE_SCALE <= (
        reduced.max_multiple.scaled * reduced.hourly_cents * hours_c
    ):
        return reduced.rate
    return rule.employer


@dataclass(slots=True)
class _Running:
    """What one payslip has accumulated so far, in cents."""

    employee: int = 0
    employer: int = 0
    taxable_deductions: int = 0


def _contributions(
    schedule: Schedule,
    person: Person,
    ceiling: int,
    running: _Running,
    lines: list[PayLine] | None,
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Base × rate lines; returns the bases and the employee and employer amounts by code."""
    gross, hours_c = person.gross, person.hours_c
    employer_by_code: dict[str, int] = {}
    employee_by_code: dict[str, int] = {}
    bases: dict[str, int] = {}
    for rule in schedule.contributions:
        if rule.base not in bases:
            bases[rule.base] = _base_cents(schedule, rule.base, gross, ceiling, employer_by_code)
        portion = _portion(rule, bases[rule.base], gross, ceiling)
        whole = None
        if rule.total_base is not None:
            if rule.total_base not in bases:
                bases[rule.total_base] = _base_cents(
                    schedule, rule.total_base, gross, ceiling, employer_by_code
                )
            whole = _portion(rule, bases[rule.total_base], gross, ceiling)
        employer_rate = _employer_rate(rule, gross, hours_c)
        employee = rule.fixed_employee_cents
        employee += 0 if rule.employee is None else apply_rate(portion, rule.employee.scaled)
        employer = rule.fixed_employer_cents
        if employer_rate is not None:
            employer += _employer_amount(employer_rate, portion, whole)
        employer_by_code[rule.code] = employer
        employee_by_code[rule.code] = employee
        running.employee += employee
        running.employer += employer
        if rule.taxable:
            running.taxable_deductions += employee
        if rule.employer_taxable:
            running.taxable_deductions -= employer
        if lines is not None and (employee or employer):
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
    return bases, employee_by_code, employer_by_code


def _reductions(
    schedule: Schedule, person: Person, running: _Running, lines: list[PayLine] | None
) -> None:
    gross = person.gross
    for reduction in schedule.reductions:
        formula = reduction.formula
        coefficient = formula.coefficient(gross, reduction.hourly_cents * person.hours_c)
        amount = div_half_up(gross * coefficient, 10**formula.digits)
        if reduction.side == "employer":
            running.employer -= amount
        else:
            running.employee -= amount
            running.taxable_deductions -= amount
        if lines is not None and amount:
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


def _amounts(
    schedule: Schedule,
    person: Person,
    ceiling: int,
    computed: tuple[dict[str, int], dict[str, int], dict[str, int]],
    running: _Running,
    lines: list[PayLine] | None,
) -> dict[str, int]:
    """Lines computed by formula; returns their (positive) amounts by code."""
    bases, employee_by_code, employer_by_code = computed
    left: dict[tuple[str, str], int] = {}
    result: dict[str, int] = {}
    for rule in schedule.amounts:
        if rule.base not in bases:
            bases[rule.base] = _base_cents(
                schedule, rule.base, person.gross, ceiling, employer_by_code
            )
        base = bases[rule.base]
        amount = rule.formula.amount(base, person.gross, person.hours_c, schedule.full_time_hours_c)
        if rule.cap_line is not None:
            key = (rule.side, rule.cap_line)
            paid = employee_by_code if rule.side == "employee" else employer_by_code
            cap = left.get(key, paid.get(rule.cap_line, 0))
            amount = max(min(amount, cap), 0)
            left[key] = cap - amount
        result[rule.code] = amount
        signed = -amount if rule.reduces else amount
        if rule.side == "employer":
            running.employer += signed
        else:
            running.employee += signed
            if rule.taxable:
                running.taxable_deductions += signed
        if lines is not None and amount:
            employee_cents = signed if rule.side == "employee" else 0
            lines.append(
                PayLine(
                    rule.code,
                    rule.label,
                    base,
                    None,
                    None,
                    employee_cents,
                    signed - employee_cents,
                    rule.formula.parameter,
                    rule.formula.source,
                )
            )
    return result


def _withheld(
    schedule: Schedule,
    person: Person,
    taxable: int,
    amounts: dict[str, int],
    lines: list[PayLine] | None,
) -> int:
    if schedule.withholding is None or taxable <= 0:
        return 0
    if person.tax_rate is not None:
        parts = [
            TaxPart(
                "income_tax",
                INCOME_TAX_LABEL,
                taxable,
                Decimal(person.tax_rate).scaleb(-6),
                apply_rate(taxable, person.tax_rate),
                "tax_rate",
                "personal rate given in the inputs",
            )
        ]
    else:
        parts = schedule.withholding.parts(taxable, amounts)
    if lines is not None:
        for part in parts:
            lines.append(
                PayLine(
                    part.code,
                    part.label,
                    part.base_cents,
                    part.rate,
                    None,
                    part.cents,
                    0,
                    part.parameter,
                    part.source,
                )
            )
    return sum(part.cents for part in parts)


def evaluate(
    schedule: Schedule, person: Person, with_lines: bool = True
) -> tuple[Totals, list[PayLine], int]:
    """Compute totals (and lines when asked) for one person; returns (totals, lines, ceiling)."""
    ceiling = ceiling_for(schedule, person.hours_c)
    lines: list[PayLine] | None = [] if with_lines else None
    running = _Running()
    computed = _contributions(schedule, person, ceiling, running, lines)
    _reductions(schedule, person, running, lines)
    amounts = (
        _amounts(schedule, person, ceiling, computed, running, lines) if schedule.amounts else {}
    )
    taxable = person.gross - running.taxable_deductions
    withheld = _withheld(schedule, person, taxable, amounts, lines)
    totals = Totals(person.gross, running.employee, taxable, withheld, running.employer)
    return totals, lines or [], ceiling


def payslip_from_schedule(schedule: Schedule, inputs: PayInputs) -> Payslip:
    """The full payslip (lines and totals) of ``inputs`` under ``schedule``."""
    totals, lines, ceiling = evaluate(schedule, person_of(inputs, schedule))
    return Payslip(
        schedule.country, schedule.currency, schedule.month, inputs, ceiling, tuple(lines), totals
    )
