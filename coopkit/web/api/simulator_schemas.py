"""What ``simulateSalary`` receives and sends.

Every decimal — amounts, rates, days, hours — travels as a JSON **string** of
an exact decimal ("3000.00"): a JSON number is refused (400), because JSON
readers, this server's included, may turn it into a binary float first.
The answer has the shape of ``coopkit payroll simulate --json``.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

ExactDecimal = Annotated[
    str,
    Meta(
        description='an exact decimal as a string, e.g. "3000.00"; JSON numbers are refused',
        examples=["3000.00"],
    ),
]


class SalarySimulationIn(msgspec.Struct, forbid_unknown_fields=True):
    """A month, a budget (with days or hours worked) or a gross, and the profile."""

    month: Annotated[str, Meta(description="the month paid, YYYY-MM", examples=["2026-03"])]
    budget: ExactDecimal | None = None
    gross: ExactDecimal | None = None
    days: ExactDecimal | None = None
    hours: ExactDecimal | None = None
    contract: str | None = None
    category: str | None = None
    employees: Annotated[int, Meta(ge=1)] | None = None
    accident_rate: ExactDecimal | None = None
    tax_rate: ExactDecimal | None = None
    options: dict[str, str] = msgspec.field(default_factory=dict)


class PayLineOut(msgspec.Struct):
    code: str
    label: str
    base: str
    employee_rate: str | None
    employer_rate: str | None
    employee: str
    employer: str
    parameter: str
    source: str


class SalarySimulation(msgspec.Struct, omit_defaults=True):
    """A payslip's totals and lines; with a budget also the fees and the minimum wage."""

    country: str
    currency: str
    month: str
    contract: str
    category: str
    hours: str | None
    ceiling: str
    gross: str
    employee_contributions: str
    net_before_income_tax: str
    taxable: str
    income_tax_withheld: str
    net_pay: str
    employer_contributions: str
    employer_cost: str
    lines: list[PayLineOut]
    budget: str | UnsetType = UNSET
    fee_rate: str | UnsetType = UNSET
    fees: str | UnsetType = UNSET
    minimum_gross: str | UnsetType = UNSET
    minimum_total: str | UnsetType = UNSET
    shortfall: str | UnsetType = UNSET
    days: str | UnsetType | None = UNSET


class FieldProblem(msgspec.Struct):
    message: str
    key: str | None = None
    source: str | None = None


class SimulationProblem(msgspec.Struct, omit_defaults=True):
    """422, as problem details: a field the engine cannot use (``errors`` names it and says
    what to fix), or a budget that cannot pay the minimum wage for the hours worked
    (``shortfall`` is what is missing; the other amounts say why)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldProblem] | UnsetType = UNSET
    budget: str | UnsetType = UNSET
    fee_rate: str | UnsetType = UNSET
    fees: str | UnsetType = UNSET
    minimum_gross: str | UnsetType = UNSET
    minimum_total: str | UnsetType = UNSET
    shortfall: str | UnsetType = UNSET
    days: str | UnsetType | None = UNSET
    hours: str | UnsetType | None = UNSET
