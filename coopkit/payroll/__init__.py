"""Payroll: turning an activity's money into a salary, in each country's law.

The engine owns the pipeline — a country plugin's :class:`PayrollRules` gives
a :class:`Schedule` (rules as data for one month and profile); the engine
computes payslips from it one at a time (:func:`compute_payslip`), many at once
(:mod:`coopkit.payroll.vector`) and backwards from a budget
(:func:`simulate_budget`).
"""

from __future__ import annotations

from coopkit.payroll.compute import payslip_from_schedule
from coopkit.payroll.model import GrossLine, PayInputs, PayLine, PayrollInputError, Payslip, Totals
from coopkit.payroll.rules import (
    AmountFormula,
    AmountLine,
    Base,
    Contribution,
    Formula,
    InputSpec,
    MinimumWage,
    PayrollRules,
    Profile,
    Rate,
    ReducedRate,
    Reduction,
    Schedule,
    TaxPart,
    Transition,
    Withholding,
    WithholdingGrid,
)
from coopkit.payroll.simulate import DEFAULT_FEE_RATE, Simulation, simulate_budget


def compute_payslip(rules: PayrollRules, inputs: PayInputs) -> Payslip:
    """The payslip of ``inputs`` under the country's rules for its month."""
    if not inputs.gross_lines:
        raise PayrollInputError("a payslip needs at least one gross pay line")
    for line in inputs.gross_lines:
        if line.amount < 0:
            raise PayrollInputError(f"gross line {line.code!r} is negative ({line.amount})")
    if inputs.hours is not None and inputs.hours <= 0:
        raise PayrollInputError(f"paid hours must be positive, not {inputs.hours}")
    schedule = rules.schedule(inputs.month.replace(day=1), inputs.profile)
    return payslip_from_schedule(schedule, inputs)


__all__ = [
    "DEFAULT_FEE_RATE",
    "AmountFormula",
    "AmountLine",
    "Base",
    "Contribution",
    "Formula",
    "GrossLine",
    "InputSpec",
    "MinimumWage",
    "PayInputs",
    "PayLine",
    "PayrollInputError",
    "PayrollRules",
    "Payslip",
    "Profile",
    "Rate",
    "ReducedRate",
    "Reduction",
    "Schedule",
    "Simulation",
    "TaxPart",
    "Totals",
    "Transition",
    "Withholding",
    "WithholdingGrid",
    "compute_payslip",
    "simulate_budget",
]
