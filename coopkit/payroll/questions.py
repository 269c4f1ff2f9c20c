"""What a person asks the payroll engine, as text, read into exact inputs.

The command line, the API and the simulator page receive the same question — a
month, a gross pay or a budget, days or hours worked, a profile, a tax rate —
as text. It is read here once: numbers as exact decimals (never floats), each
field checked by one rule, and every refusal a :class:`FieldError` that names
the field at fault and says what to fix. Messages are msgids with named
parameters, so a page can show them in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from coopkit.i18n import _
from coopkit.payroll.batch import MAX_GROSS, PROFILE_COLUMNS
from coopkit.payroll.cents import RATE_DIGITS
from coopkit.payroll.model import PayInputs, PayrollInputError
from coopkit.payroll.rules import PayrollRules, Profile, options_of

MAX_AMOUNT = MAX_GROSS
MAX_DAYS = Decimal(31)
MAX_HOURS = Decimal(400)


class FieldError(PayrollInputError):
    """A refused field: ``field`` names it, ``message % params`` says what to fix.

    ``message`` is a msgid marked with ``_()``; ``str(error)`` is the English text.
    """

    def __init__(self, field: str, message: str, **params: Any) -> None:
        self.field = field
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)


@dataclass(frozen=True)
class SalaryQuestion:
    """A simulation as asked, every value as the text given (None or "" when left out).

    Give ``gross`` (a payslip forwards) or ``budget`` (the largest gross it
    pays); ``days`` or ``hours`` worked (full time when both are left out).
    ``profile`` holds the contract, category, company facts and the
    country's options, by the names of ``rules.inputs()``.
    """

    month: str
    gross: str | None = None
    budget: str | None = None
    days: str | None = None
    hours: str | None = None
    tax_rate: str | None = None
    profile: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadQuestion:
    """A question read: the payslip inputs (no gross lines yet) and the amount asked about."""

    inputs: PayInputs
    gross: Decimal | None
    budget: Decimal | None


def _given(text: str | None) -> str | None:
    return text.strip() if text is not None and text.strip() else None


def parse_month(text: str) -> dt.date:
    """``2026-03`` → the first of March 2026."""
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise FieldError(
            "month", _("%(value)r is not a month: write it as YYYY-MM (2025-06)"), value=text
        ) from None


def parse_number(text: str | None, name: str) -> Decimal | None:
    """An exact decimal from text (``None`` when left out); refuses words, NaN and infinities."""
    given = _given(text)
    if given is None:
        return None
    try:
        value = Decimal(given)
    except InvalidOperation:
        raise FieldError(name, _("%(value)r is not a number"), value=given) from None
    if not value.is_finite():
        raise FieldError(name, _("%(value)r is not a finite number"), value=given)
    return value


def parse_amount(text: str | None, name: str) -> Decimal:
    """An amount of money for a month: present, not negative, not absurd, at most 2 decimals."""
    value = parse_number(text, name)
    if value is None:
        raise FieldError(name, _("give an amount, e.g. 3000.00"))
    shown = _given(text)
    if value < 0:
        raise FieldError(name, _("%(value)s is negative: give an amount of money"), value=shown)
    if value > MAX_AMOUNT:
        raise FieldError(
            name,
            _("%(value)s is absurd for a month (above %(maximum)s)"),
            value=shown,
            maximum=MAX_AMOUNT,
        )
    if value != value.quantize(Decimal("0.01")):
        raise FieldError(name, _("%(value)s has more than 2 decimals"), value=shown)
    return value


def parse_rate(text: str | None, name: str) -> Decimal | None:
    """A rate as a fraction (0.075 for 7.5 %), at least 0, below 1, at most 6 decimals."""
    value = parse_number(text, name)
    if value is None:
        return None
    if not Decimal(0) <= value < 1 or value != round(value, RATE_DIGITS):
        raise FieldError(
            name,
            _("%(value)s is not a rate: give a fraction such as 0.075 for 7.5 %%"),
            value=_given(text),
        )
    return value


def parse_days(text: str | None) -> Decimal | None:
    """Days worked in a month: more than 0, at most 31 (None when left out)."""
    value = parse_number(text, "days")
    if value is not None and not Decimal(0) < value <= MAX_DAYS:
        raise FieldError("days", _("days worked must be between 0 and 31"))
    return value


def parse_hours(text: str | None) -> Decimal | None:
    """Paid hours in a month: more than 0, at most 400 (None when left out)."""
    value = parse_number(text, "hours")
    if value is not None and not Decimal(0) < value <= MAX_HOURS:
        raise FieldError("hours", _("paid hours must be between 0 and 400"))
    return value


def paid_hours(
    rules: PayrollRules, month: dt.date, days: str | None, hours: str | None
) -> Decimal | None:
    """Paid hours from days worked (the country's hours per day) or hours; None: full time."""
    if _given(days) is not None and _given(hours) is not None:
        raise FieldError("days", _("give days or hours worked, not both"))
    day_count = parse_days(days)
    if day_count is not None:
        return rules.hours_for_days(month, day_count)
    return parse_hours(hours)


def _option_number(text: str, name: str) -> Decimal:
    """A country option without choices: a number of 0 or more."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise FieldError(
            name, _("%(name)s: %(value)r is not a number of 0 or more"), name=name, value=text
        )
    return value


def parse_profile(rules: PayrollRules, values: Mapping[str, str | None]) -> Profile:
    """The profile from the names of ``rules.inputs()``; empty values take the defaults.

    Unknown names, values outside a field's choices and options without choices
    that are not a number of 0 or more are refused here, with the field's name;
    the country's rules check the rest when they build the schedule.
    """
    specs = {spec.name: spec for spec in rules.inputs()}
    given = {name: text.strip() for name, text in values.items() if text and text.strip()}
    unknown = sorted(set(given) - set(specs) - set(PROFILE_COLUMNS))
    if unknown:
        raise FieldError(
            unknown[0],
            _("unknown option(s) %(names)s for %(country)s; known: %(known)s"),
            names=", ".join(unknown),
            country=rules.country,
            known=", ".join(name for name in specs if name not in PROFILE_COLUMNS),
        )
    for name, spec in specs.items():
        if name not in given:
            continue
        if spec.choices and given[name] not in spec.choices:
            raise FieldError(
                name,
                _("unknown %(what)s %(value)r: use one of %(choices)s"),
                what=spec.help,
                value=given[name],
                choices=", ".join(spec.choices),
            )
        if not spec.choices and name not in PROFILE_COLUMNS:
            _option_number(given[name], name)

    def value(name: str, fallback: str) -> str:
        spec = specs.get(name)
        return given.get(name) or (spec.default if spec and spec.default else fallback)

    blank = Profile()  # the engine's own defaults, for a country that gives none
    employees = value("employees", str(blank.employees))
    if not employees.isdecimal() or int(employees) < 1:
        raise FieldError(
            "employees",
            _("the company headcount must be a whole number of at least 1, not %(value)r"),
            value=employees,
        )
    accident_rate = parse_rate(value("accident_rate", str(blank.accident_rate)), "accident_rate")
    return Profile(
        contract=value("contract", blank.contract),
        category=value("category", blank.category),
        employees=int(employees),
        accident_rate=accident_rate or Decimal(0),
        options=options_of({k: v for k, v in given.items() if k not in PROFILE_COLUMNS}),
    )


def read_question(rules: PayrollRules, question: SalaryQuestion) -> ReadQuestion:
    """Every field of ``question`` read and checked; raises FieldError on the first fault."""
    gross_text, budget_text = _given(question.gross), _given(question.budget)
    if (gross_text is None) == (budget_text is None):
        raise FieldError(
            "budget" if gross_text is None else "gross",
            _("give either a gross pay (a payslip) or a budget (the largest gross it pays)"),
        )
    month = parse_month(question.month)
    hours = paid_hours(rules, month, question.days, question.hours)
    profile = parse_profile(rules, question.profile)
    tax_rate = parse_rate(question.tax_rate, "tax_rate")
    return ReadQuestion(
        inputs=PayInputs(month, (), hours=hours, profile=profile, tax_rate=tax_rate),
        gross=None if gross_text is None else parse_amount(gross_text, "gross"),
        budget=None if budget_text is None else parse_amount(budget_text, "budget"),
    )
