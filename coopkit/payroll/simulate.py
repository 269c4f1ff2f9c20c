"""The salary simulator: the largest gross an activity's budget can pay.

It inverts the payslip pipeline: find the largest gross G (to the cent) with
``employer_cost(G) + fees(G) ≤ budget``, where the coop's fees are
``fee_rate × employer_cost`` rounded half-up to the cent. Employer cost is
non-decreasing in the gross (each line's rounding moves by at most a cent the
right way and reductions decrease slower than the gross grows — a country whose
employer reductions could fall faster must keep that true), so a bracketed
binary search on cents is exact: one more cent of gross exceeds the budget.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from coopkit.payroll.cents import RATE_SCALE, apply_rate, from_cents, scaled, to_cents
from coopkit.payroll.compute import Person, evaluate, payslip_from_schedule
from coopkit.payroll.model import GrossLine, PayInputs, PayrollInputError, Payslip
from coopkit.payroll.rules import SALARY_LABEL, PayrollRules, Schedule

DEFAULT_FEE_RATE = Decimal("0.065")


@dataclass(frozen=True)
class Simulation:
    """The simulator's answer for a budget.

    ``payslip`` is None when the budget cannot pay the minimum wage for the
    hours; ``shortfall`` then says how much is missing.
    """

    budget: Decimal
    fee_rate: Decimal
    fees: Decimal
    payslip: Payslip | None
    minimum_gross: Decimal
    minimum_total: Decimal
    shortfall: Decimal

    @property
    def total(self) -> Decimal:
        return (
            Decimal(0) if self.payslip is None else self.payslip.amount("employer_cost") + self.fees
        )


def fees_cents(employer_cost: int, fee_rate: int) -> int:
    """The coop's fees on an employer cost (cents), ``fee_rate`` scaled by 10^6."""
    return apply_rate(employer_cost, fee_rate)


def _total(schedule: Schedule, gross: int, hours_c: int, tax: int | None, fee: int) -> int:
    totals, _lines, _ceiling = evaluate(schedule, Person(gross, hours_c, tax), with_lines=False)
    return totals.employer_cost + fees_cents(totals.employer_cost, fee)


def largest_gross(
    schedule: Schedule, budget: int, hours_c: int, fee_rate: int, tax: int | None = None
) -> int:
    """The largest gross in cents whose employer cost plus fees fits in ``budget`` cents."""
    if _total(schedule, 0, hours_c, tax, fee_rate) > budget:
        return -1
    # Bracket around a linear estimate, then bisect on cents.
    slope_probe = max(budget // 2, 1)
    estimate = budget * slope_probe // max(_total(schedule, slope_probe, hours_c, tax, fee_rate), 1)
    low, high = 0, budget + 1  # cost ≥ gross, so gross > budget never fits
    step = max(budget // 200, 100)
    if _total(schedule, estimate, hours_c, tax, fee_rate) <= budget:
        low = estimate
        probe = estimate + step
        while probe < high and _total(schedule, probe, hours_c, tax, fee_rate) <= budget:
            low, probe = probe, probe + step
        high = min(high, probe)
    else:
        high = estimate
        probe = estimate - step
        while probe > 0 and _total(schedule, probe, hours_c, tax, fee_rate) > budget:
            high, probe = probe, probe - step
        low = max(probe, 0)
    while high - low > 1:
        middle = (low + high) // 2
        if _total(schedule, middle, hours_c, tax, fee_rate) <= budget:
            low = middle
        else:
            high = middle
    return low


def simulate_budget(
    rules: PayrollRules,
    inputs: PayInputs,
    budget: Decimal,
    fee_rate: Decimal = DEFAULT_FEE_RATE,
) -> Simulation:
    """The payslip of the largest gross ``budget`` pays, or the shortfall below the minimum wage.

    ``inputs`` gives the month, hours and profile; its gross lines are replaced.
    """
    if budget <= 0:
        raise PayrollInputError(f"the budget must be positive, not {budget}")
    if not Decimal(0) <= fee_rate < 1:
        raise PayrollInputError(
            f"the fee rate must be between 0 and 1 (0.065 for 6.5 %), not {fee_rate}"
        )
    schedule = rules.schedule(inputs.month, inputs.profile)
    hours_c = (
        schedule.full_time_hours_c if inputs.hours is None else scaled(inputs.hours, 100, "hours")
    )
    hours = Decimal(hours_c).scaleb(-2)
    fee = scaled(fee_rate, RATE_SCALE, "fee rate")
    tax = None if inputs.tax_rate is None else scaled(inputs.tax_rate, RATE_SCALE, "tax rate")
    budget_cents = to_cents(budget.quantize(Decimal("0.01"), "ROUND_FLOOR"))
    minimum = rules.minimum_wage(inputs.month, hours)
    minimum_total = _total(schedule, to_cents(minimum.amount), hours_c, tax, fee)
    gross = largest_gross(schedule, budget_cents, hours_c, fee, tax)
    if gross < to_cents(minimum.amount):
        return Simulation(
            budget,
            fee_rate,
            Decimal(0),
            None,
            minimum.amount,
            from_cents(minimum_total),
            from_cents(minimum_total - budget_cents),
        )
    line = GrossLine("salary", SALARY_LABEL, from_cents(gross))
    payslip = payslip_from_schedule(schedule, dataclasses.replace(inputs, gross_lines=(line,)))
    fees = fees_cents(payslip.totals.employer_cost, fee)
    return Simulation(
        budget,
        fee_rate,
        from_cents(fees),
        payslip,
        minimum.amount,
        from_cents(minimum_total),
        Decimal(0),
    )
