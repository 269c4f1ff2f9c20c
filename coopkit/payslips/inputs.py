"""What a payslip is issued from, checked before the law is applied.

The API and the staff form both build a :class:`PayslipRequest`; this module
turns it into the engine's :class:`~coopkit.payroll.PayInputs` or raises a
:class:`PayslipError` naming the field to fix. Contract, category and options
are checked against what the country's rules accept (``rules.inputs()``), so a
new country needs no change here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from coopkit.i18n import _
from coopkit.payroll import GrossLine, PayInputs, PayrollRules, Profile

# A million a month is no member's salary: above it, the amount is a typing mistake.
MAX_MONTHLY_GROSS = Decimal("1000000")
MAX_HOURS = Decimal(400)
MAX_GROSS_LINES = 20
PROFILE_FIELDS = ("contract", "category", "employees", "accident_rate")


class PayslipError(ValueError):
    """A payslip that cannot be issued as asked; the message says what to fix.

    ``field`` names the input at fault when there is one (``"month"``, ``"gross"``).
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class GrossPayIn:
    """One element of gross pay as asked: an amount, or a quantity × a unit rate."""

    amount: Decimal | None = None
    code: str = "salary"
    label: str = _("Salary")
    quantity: Decimal | None = None
    unit_rate: Decimal | None = None


@dataclass(frozen=True)
class PayslipRequest:
    """A request to issue a payslip (or a correction, with ``corrects``).

    ``None`` for a profile fact means the country's default; ``hours`` None is
    full time and ``tax_rate`` None the country's default withholding.
    ``salary_request`` links the payslip to the salary request it pays (one
    work period; not a month's only original).
    """

    member_id: uuid.UUID
    month: dt.date
    gross_pay: tuple[GrossPayIn, ...]
    hours: Decimal | None = None
    contract: str | None = None
    category: str | None = None
    employees: int | None = None
    accident_rate: Decimal | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    tax_rate: Decimal | None = None
    corrects: uuid.UUID | None = None
    salary_request: uuid.UUID | None = None


def _finite(value: Decimal, what: str, name: str) -> Decimal:
    if not value.is_finite():
        raise PayslipError(f"{what} {value} is not a number", name)
    return value


def checked_amount(value: Decimal, what: str, name: str = "gross") -> Decimal:
    """A gross amount: not negative, not absurd, whole cents."""
    _finite(value, what, name)
    if value < 0:
        raise PayslipError(f"{what} {value} is negative: give the amount paid", name)
    if value > MAX_MONTHLY_GROSS:
        raise PayslipError(
            f"{what} {value} is not plausible for a month (above {MAX_MONTHLY_GROSS}): "
            "check the amount",
            name,
        )
    if value != value.quantize(Decimal("0.01")):
        raise PayslipError(f"{what} {value} has more than 2 decimals", name)
    return value


def _gross_line(index: int, given: GrossPayIn) -> GrossLine:
    what = f"gross pay line {index} ({given.code})"
    if not given.code or not given.label.strip():
        raise PayslipError(f"gross pay line {index} needs a code and a label", "gross")
    if (given.quantity is None) != (given.unit_rate is None):
        raise PayslipError(f"{what}: give both a quantity and a unit rate, or neither", "gross")
    if given.quantity is not None and given.unit_rate is not None:
        if given.amount is not None:
            raise PayslipError(f"{what}: give an amount or quantity × rate, not both", "gross")
        _finite(given.quantity, f"{what}: quantity", "gross")
        checked_amount(given.unit_rate, f"{what}: unit rate")
        if given.quantity <= 0:
            raise PayslipError(f"{what}: the quantity must be positive", "gross")
        line = GrossLine.time(given.code, given.label.strip(), given.quantity, given.unit_rate)
        checked_amount(line.amount, what)
        return line
    if given.amount is None:
        raise PayslipError(f"{what}: give its amount", "gross")
    return GrossLine(given.code, given.label.strip(), checked_amount(given.amount, what))


def gross_lines(request: PayslipRequest) -> tuple[GrossLine, ...]:
    if not request.gross_pay:
        raise PayslipError("give the gross pay: an amount or at least one gross pay line", "gross")
    if len(request.gross_pay) > MAX_GROSS_LINES:
        raise PayslipError(f"at most {MAX_GROSS_LINES} gross pay lines", "gross")
    lines = tuple(_gross_line(i, given) for i, given in enumerate(request.gross_pay, start=1))
    checked_amount(sum((line.amount for line in lines), Decimal(0)), "the total gross pay")
    return lines


def _choice(rules: PayrollRules, name: str, given: str | None, fallback: str) -> str:
    spec = next((spec for spec in rules.inputs() if spec.name == name), None)
    if spec is None:
        if given not in (None, ""):
            raise PayslipError(f"{rules.country} payroll takes no {name}", name)
        return fallback
    value = given if given not in (None, "") else spec.default
    if value is None:
        raise PayslipError(f"give the {spec.help}", name)
    if spec.choices and value not in spec.choices:
        raise PayslipError(
            f"unknown {spec.help} {value!r} for {rules.country}: use one of "
            f"{', '.join(spec.choices)}",
            name,
        )
    return value


def _default(rules: PayrollRules, name: str) -> str | None:
    return next((spec.default for spec in rules.inputs() if spec.name == name), None)


def profile_of(rules: PayrollRules, request: PayslipRequest) -> Profile:
    """The profile facts, each given or the country's default, checked against its choices."""
    employees = request.employees
    if employees is None:
        employees = int(_default(rules, "employees") or 1)
    if employees < 1:
        raise PayslipError("the company headcount must be at least 1", "employees")
    accident_rate = request.accident_rate
    if accident_rate is None:
        accident_rate = Decimal(_default(rules, "accident_rate") or 0)
    _finite(accident_rate, "accident-at-work rate", "accident_rate")
    known = {spec.name for spec in rules.inputs()} - set(PROFILE_FIELDS)
    unknown = sorted(set(request.options) - known)
    if unknown:
        raise PayslipError(
            f"unknown option(s) {', '.join(unknown)} for {rules.country}; "
            f"known: {', '.join(sorted(known)) or 'none'}",
            "options",
        )
    return Profile(
        contract=_choice(rules, "contract", request.contract, Profile.contract),
        category=_choice(rules, "category", request.category, Profile.category),
        employees=employees,
        accident_rate=accident_rate,
        options=tuple(sorted((k, v) for k, v in request.options.items() if v not in ("", None))),
    )


def pay_inputs(rules: PayrollRules, request: PayslipRequest) -> PayInputs:
    """The engine's inputs for ``request``; raises PayslipError naming the field at fault."""
    hours = request.hours
    if hours is not None and not 0 < _finite(hours, "paid hours", "hours") <= MAX_HOURS:
        raise PayslipError(f"paid hours must be more than 0 and at most {MAX_HOURS}", "hours")
    tax_rate = request.tax_rate
    if tax_rate is not None and not 0 <= _finite(tax_rate, "tax rate", "tax_rate") < 1:
        raise PayslipError(
            "the withholding rate is a fraction between 0 and 1 (0.075 for 7.5 %)", "tax_rate"
        )
    return PayInputs(
        month=request.month.replace(day=1),
        gross_lines=gross_lines(request),
        hours=hours,
        profile=profile_of(rules, request),
        tax_rate=tax_rate,
    )


def parse_month(text: str) -> dt.date:
    """``2025-06`` → 1 June 2025; anything else is refused with the expected form."""
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise PayslipError(
            f"{text!r} is not a month: write it as YYYY-MM (2025-06)", "month"
        ) from None
