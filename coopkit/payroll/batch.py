"""Many payslips from a table (CSV rows): parse, group by profile, evaluate vectorised.

Rows sharing a profile (contract, category, company facts, options) share one
schedule and are computed together by :func:`coopkit.payroll.vector.evaluate_many`;
results come back in the rows' order. Amounts are parsed as exact decimals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np

from coopkit.payroll.cents import RATE_SCALE, scaled, to_cents
from coopkit.payroll.model import TOTAL_FIELDS, PayrollInputError
from coopkit.payroll.rules import PayrollRules, Profile, input_defaults, options_of
from coopkit.payroll.vector import evaluate_many

MAX_GROSS = Decimal("10000000")
PROFILE_COLUMNS = ("contract", "category", "employees", "accident_rate")
ROW_COLUMNS = ("id", "gross", "hours", "tax_rate")
# The batch writes the same totals as a payslip, in the same order.
RESULT_COLUMNS = TOTAL_FIELDS


@dataclass(frozen=True)
class BatchResult:
    """Integer cents per result column, in the order of the input rows."""

    ids: list[str]
    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.ids)


def _decimal(text: str, column: str, line: int) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise PayrollInputError(f"row {line}: {column} {text!r} is not a number") from None
    if not value.is_finite():
        raise PayrollInputError(f"row {line}: {column} {text!r} is not a finite number")
    return value


def gross_cents(text: str, line: int) -> int:
    value = _decimal(text, "gross", line)
    if value < 0 or value > MAX_GROSS:
        raise PayrollInputError(
            f"row {line}: gross {text!r} is {'negative' if value < 0 else 'absurd'}: give the "
            f"monthly gross pay in the currency, between 0 and {MAX_GROSS}"
        )
    if value != value.quantize(Decimal("0.01")):
        raise PayrollInputError(f"row {line}: gross {text!r} has more than 2 decimals")
    return to_cents(value)


def _profile(
    row: Mapping[str, str],
    defaults: Mapping[str, str],
    option_names: Sequence[str],
    line: int,
    country_defaults: Mapping[str, str],
) -> Profile:
    def get(name: str) -> str:
        return (row.get(name) or "").strip() or defaults.get(name, "")

    try:
        employees = int(get("employees") or "1")
    except ValueError:
        raise PayrollInputError(
            f"row {line}: employees {get('employees')!r} is not a whole number"
        ) from None
    return Profile(
        contract=get("contract") or country_defaults.get("contract") or "cdi",
        category=get("category") or country_defaults.get("category") or "non-executive",
        employees=employees,
        accident_rate=_decimal(get("accident_rate") or "0.009", "accident_rate", line),
        options=options_of({name: get(name) for name in option_names}),
    )


def compute_batch(
    rules: PayrollRules,
    month: dt.date,
    rows: Iterable[Mapping[str, str]],
    defaults: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Payslip totals for every row; ``defaults`` fill empty or missing columns.

    Raises PayrollInputError naming the row and column at fault.
    """
    defaults = dict(defaults or {})
    option_names = [spec.name for spec in rules.inputs() if spec.name not in PROFILE_COLUMNS]
    country_defaults = input_defaults(rules)
    ids: list[str] = []
    gross: list[int] = []
    hours: list[int] = []
    tax: list[int] = []
    groups: dict[Profile, list[int]] = {}
    schedules = {}
    for index, row in enumerate(rows):
        line = index + 2  # the header is line 1
        profile = _profile(row, defaults, option_names, line, country_defaults)
        if profile not in schedules:
            schedules[profile] = rules.schedule(month, profile)
        schedule = schedules[profile]
        ids.append((row.get("id") or "").strip() or str(index + 1))
        gross.append(gross_cents(row.get("gross") or "", line))
        hours_text = (row.get("hours") or "").strip() or defaults.get("hours", "")
        if hours_text:
            value = _decimal(hours_text, "hours", line)
            if not Decimal(0) < value <= 400:
                raise PayrollInputError(
                    f"row {line}: hours {hours_text!r} must be between 0 and 400"
                )
            hours.append(scaled(value, 100, "hours"))
        else:
            hours.append(schedule.full_time_hours_c)
        tax_text = (row.get("tax_rate") or "").strip() or defaults.get("tax_rate", "")
        if tax_text:
            rate = _decimal(tax_text, "tax_rate", line)
            if not Decimal(0) <= rate < 1:
                raise PayrollInputError(
                    f"row {line}: tax_rate {tax_text!r} must be a fraction such as 0.075"
                )
            tax.append(scaled(rate, RATE_SCALE, "tax rate"))
        else:
            tax.append(-1)
        groups.setdefault(profile, []).append(index)
    gross_a = np.array(gross, dtype=np.int64)
    hours_a = np.array(hours, dtype=np.int64)
    tax_a = np.array(tax, dtype=np.int64)
    columns = {name: np.zeros(len(ids), dtype=np.int64) for name in RESULT_COLUMNS}
    done = 0
    for profile, members in groups.items():
        where = np.array(members, dtype=np.int64)
        totals = evaluate_many(schedules[profile], gross_a[where], hours_a[where], tax_a[where])
        for name in RESULT_COLUMNS:
            columns[name][where] = getattr(totals, name)
        done += len(members)
        if progress is not None:
            progress(done)
    return BatchResult(ids, columns)


def format_cents(values: np.ndarray) -> list[str]:
    """Integer cents as exact decimal strings ("-12.05"), without going through floats."""
    sign = np.where(values < 0, "-", "")
    magnitude = np.abs(values)
    units = (magnitude // 100).astype(str)
    cents = np.char.zfill((magnitude % 100).astype(str), 2)
    return list(np.char.add(np.char.add(np.char.add(sign, units), "."), cents))
