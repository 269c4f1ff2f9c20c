"""The simulator's form: its fields, and what a person typed read into a question.

The fields beyond the month, budget, days and tax rate come from the country's
``rules.inputs()``, so a new country needs no template change. Numbers may be
typed the reader's way ("3 000,50" in French) or the plain way ("3000.50").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from coopkit import i18n
from coopkit.i18n import _
from coopkit.payroll import PayrollRules
from coopkit.payroll.questions import (
    FieldError,
    SalaryQuestion,
    parse_amount,
    parse_days,
    parse_month,
    parse_profile,
    parse_rate,
)

ASKED = ("month", "budget", "days", "tax_rate")
NUMBERS = ("budget", "days", "tax_rate")
LABELS = {
    "month": _("Month worked"),
    "budget": _("Budget available on your activity"),
    "days": _("Days worked in the month"),
    "tax_rate": _("Personal income tax rate"),
    "contract": _("Contract"),
    "category": _("Category"),
    "employees": _("Company headcount"),
    "accident_rate": _("Accident-at-work rate"),
}
HINTS = {
    "month": "",
    "budget": _("what your activity can spend on this salary, e.g. 3000"),
    "days": _("e.g. 6; half days as 6.5"),
    "tax_rate": _("a fraction, e.g. 0.075 for 7.5 %; leave empty for the default rate"),
}
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Field:
    """A form field: what it asks, what was typed (or the default), and what to fix."""

    name: str
    label: str
    hint: str
    choices: tuple[str, ...]
    value: str
    error: str | None
    advanced: bool = False  # company facts and options: folded away unless at fault


def plain_number(text: str, locale: str) -> str:
    """``text`` as plain decimal text when it is a number written the reader's way or plainly.

    "3 000,50" in French and "3,000.50" in English both give "3000.50";
    anything else is returned as typed, for the engine to refuse by name.
    """
    compact = SPACES.sub("", text)
    if not compact:
        return ""
    try:
        return str(parse_decimal(compact, locale=locale, strict=True))
    except NumberFormatError:
        pass
    try:
        return str(Decimal(compact))
    except InvalidOperation:
        return text


def shown_default(default: str | None, locale: str) -> str:
    """A country's default value, written the reader's way when it is a number."""
    if default is None:
        return ""
    try:
        return format_decimal(Decimal(default), locale=locale, decimal_quantization=False)
    except InvalidOperation:
        return default


def fields(
    rules: PayrollRules, typed: dict[str, str], errors: dict[str, str], locale: str
) -> list[Field]:
    """The form, labels in the reader's language: the question's own fields, then the
    country's inputs (a field without choices is a company fact or an option)."""

    def text(message: str) -> str:
        shown = i18n.gettext(locale, message) if message else ""
        return shown[:1].upper() + shown[1:]

    result = [
        Field(
            name, text(LABELS[name]), text(HINTS[name]), (), typed.get(name, ""), errors.get(name)
        )
        for name in ASKED
    ]
    for spec in rules.inputs():
        value = typed.get(name := spec.name)
        if value is None:
            value = spec.default or "" if spec.choices else shown_default(spec.default, locale)
        choices = tuple(spec.choices)
        label, hint = (LABELS[name], spec.help) if name in LABELS else (spec.help, "")
        result.append(
            Field(
                name,
                text(label),
                "" if choices else text(hint),
                choices,
                value,
                errors.get(name),
                advanced=not choices,
            )
        )
    return result


def question_of(rules: PayrollRules, typed: dict[str, str], locale: str) -> SalaryQuestion:
    specs = {spec.name: spec for spec in rules.inputs()}

    def read(name: str) -> str:
        text = typed.get(name, "").strip()
        spec = specs.get(name)
        numeric = name in NUMBERS or (spec is not None and not spec.choices)
        return plain_number(text, locale) if numeric else text

    return SalaryQuestion(
        month=typed.get("month", "").strip(),
        budget=read("budget"),
        days=read("days"),
        tax_rate=read("tax_rate"),
        profile={name: read(name) for name in specs},
    )


def field_errors(rules: PayrollRules, question: SalaryQuestion) -> list[FieldError]:
    """Every field's own fault at once (the engine stops at the first one)."""
    checks: list[Callable[[], object]] = [
        lambda: parse_month(question.month),
        lambda: parse_amount(question.budget, "budget"),
        lambda: _days_worked(question.days),
        lambda: parse_rate(question.tax_rate, "tax_rate"),
        lambda: parse_profile(rules, question.profile),
    ]
    found = []
    for check in checks:
        try:
            check()
        except FieldError as error:
            found.append(error)
    return found


def _days_worked(text: str | None) -> Decimal:
    days = parse_days(text)
    if days is None:
        raise FieldError("days", _("give the days worked in the month, e.g. 6"))
    return days
