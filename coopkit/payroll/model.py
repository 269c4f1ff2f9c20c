"""A payslip's inputs and results: gross pay lines in, contribution lines and totals out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coopkit.payroll.cents import from_cents, to_cents
from coopkit.payroll.rules import Profile


class PayrollInputError(ValueError):
    """Inputs a payslip cannot be computed from; the message says what to fix."""


@dataclass(frozen=True)
class GrossLine:
    """One element of gross pay: a monthly salary, time × rate, or a bonus."""

    code: str
    label: str
    amount: Decimal
    quantity: Decimal | None = None
    unit_rate: Decimal | None = None

    @classmethod
    def time(cls, code: str, label: str, quantity: Decimal, unit_rate: Decimal) -> GrossLine:
        """Days or hours × a rate, rounded half-up to the cent."""
        cents = to_cents((quantity * unit_rate).quantize(Decimal("0.01"), "ROUND_HALF_UP"))
        return cls(code, label, from_cents(cents), quantity, unit_rate)


@dataclass(frozen=True)
class PayInputs:
    """What a payslip is computed from.

    :param month: any day of the month paid (the first is used).
    :param gross_lines: the elements of gross pay (at least one).
    :param hours: paid hours in the month; ``None`` means full time.
    :param profile: contract, category and the company facts the law depends on.
    :param tax_rate: the personal withholding rate (0.075 for 7.5 %); ``None``
        uses the country's withholding (a grid, a key formula).
    """

    month: dt.date
    gross_lines: tuple[GrossLine, ...]
    hours: Decimal | None = None
    profile: Profile = field(default_factory=Profile)
    tax_rate: Decimal | None = None

    @property
    def gross(self) -> Decimal:
        return sum((line.amount for line in self.gross_lines), Decimal(0))


@dataclass(frozen=True, slots=True)
class PayLine:
    """One contribution, reduction or tax line, amounts in integer cents.

    A reduction has a negative employer amount. ``parameter`` and ``source``
    name the legal value the rate comes from.
    """

    code: str
    label: str
    base_cents: int
    employee_rate: Decimal | None
    employer_rate: Decimal | None
    employee_cents: int
    employer_cents: int
    parameter: str
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "base": str(from_cents(self.base_cents)),
            "employee_rate": None if self.employee_rate is None else str(self.employee_rate),
            "employer_rate": None if self.employer_rate is None else str(self.employer_rate),
            "employee": str(from_cents(self.employee_cents)),
            "employer": str(from_cents(self.employer_cents)),
            "parameter": self.parameter,
            "source": self.source,
        }


@dataclass(frozen=True)
class Totals:
    """A payslip's totals in integer cents (the batch path produces only these)."""

    gross: int
    employee_contributions: int
    taxable: int
    income_tax_withheld: int
    employer_contributions: int

    @property
    def net_before_income_tax(self) -> int:
        return self.gross - self.employee_contributions

    @property
    def net_pay(self) -> int:
        return self.net_before_income_tax - self.income_tax_withheld

    @property
    def employer_cost(self) -> int:
        return self.gross + self.employer_contributions


TOTAL_FIELDS = (
    "gross",
    "employee_contributions",
    "net_before_income_tax",
    "taxable",
    "income_tax_withheld",
    "net_pay",
    "employer_contributions",
    "employer_cost",
)


@dataclass(frozen=True)
class Payslip:
    """A computed payslip: the inputs, every line, and the totals."""

    country: str
    currency: str
    month: dt.date
    inputs: PayInputs
    ceiling_cents: int
    lines: tuple[PayLine, ...]
    totals: Totals

    def amount(self, name: str) -> Decimal:
        """A total as an exact decimal: ``payslip.amount("net_pay")``."""
        return from_cents(int(getattr(self.totals, name)))

    def line(self, code: str) -> PayLine:
        for line in self.lines:
            if line.code == code:
                return line
        raise KeyError(f"no line {code!r} on this payslip")

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON shape: amounts as strings of exact decimals."""
        result: dict[str, Any] = {
            "country": self.country,
            "currency": self.currency,
            "month": self.month.strftime("%Y-%m"),
            "contract": self.inputs.profile.contract,
            "category": self.inputs.profile.category,
            "hours": None if self.inputs.hours is None else str(self.inputs.hours),
            "ceiling": str(from_cents(self.ceiling_cents)),
        }
        for name in TOTAL_FIELDS:
            result[name] = str(self.amount(name))
        result["lines"] = [line.as_dict() for line in self.lines]
        return result
