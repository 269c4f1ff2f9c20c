"""Stress test: if X % of the advances default, how long does the guarantee fund last?

With ``B₀`` the fund's balance and ``O₀`` the advances outstanding on ``day``
(coopkit.guarantee.report), ``C`` the average monthly contributions and ``A``
the average monthly new advances over the twelve months up to ``day`` (the
sums of the ``paid_share`` credits to the fund and of the ``advance`` debits
to the advances dated after the same day a year earlier, each divided by 12),
``x = X / 100`` and ``F`` the floor:

- month 0, the shock: ``L = x·O₀`` defaults at once and the fund absorbs it:
  ``B = B₀ − L``, ``O = O₀ − L``;
- each month ``m = 1, 2, …``: the fund receives ``C`` and advances ``A``;
  ``D = x·A`` of them default and are absorbed, the rest ``A − D`` is repaid:
  ``B ← B + C − D``, ``O ← O + A − D − (A − D) = O``;
- the fund *lasts* the number of months whose end still has a balance ``B`` at
  or above ``F``: 0 when the shock already leaves it below ``F``, else ``m − 1``
  for the first month ``m`` that ends below ``F``; ``None`` (beyond 120
  months) when none of 120 does. The balance is what the fund owns: its money
  and the advances it will get back; a default is money it will never see
  again, so the shock lowers it at once (the free capacity ``B − O``, what it
  can still advance, is shown along the path but is not the test: absorbing a
  default lowers ``B`` and ``O`` together).

Every amount (``L``, ``D``, ``C``, ``A``) is rounded half-up to the currency's
minor unit, so the path is exact and the same on every run. Each month changes
the balance by ``C − D``: after the shock the fund runs out only when the
defaults on new advances outpace the contributions, and then after
``⌊(B₀ − L − F) / (D − C)⌋`` months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func
from sqlalchemy.orm import Session

from coopkit.guarantee.report import (
    ADVANCE,
    ADVANCES,
    CONTRIBUTION,
    FUND,
    balances_on,
    fund_accounts,
    fund_lines,
    in_units,
)
from coopkit.ledger.models import JournalEntry, Posting
from coopkit.ledger.posting import tenant_currency
from coopkit.money import minor_unit

HORIZON = 120  # months
WINDOW = 12  # months of history for the averages
HUNDRED = Decimal(100)


class StressError(ValueError):
    """A default rate or a floor the stress test cannot use."""


@dataclass(frozen=True)
class StressMonth:
    """The fund at the end of month ``month`` of the test (0: just after the shock)."""

    month: int
    contributions: Decimal
    new_advances: Decimal
    defaults: Decimal
    balance: Decimal
    outstanding: Decimal

    @property
    def free_capacity(self) -> Decimal:
        return self.balance - self.outstanding


@dataclass(frozen=True)
class StressResult:
    """How long the fund lasts (``months``; None: beyond :data:`HORIZON`) and its path."""

    rate: Decimal
    floor: Decimal
    monthly_contributions: Decimal
    monthly_advances: Decimal
    months: int | None
    path: tuple[StressMonth, ...]


def stress_test(
    db: Session,
    *,
    day: date,
    rate: Decimal,
    floor: Decimal = Decimal(0),
    currency: str | None = None,
) -> StressResult:
    """The stress test of the session's tenant's fund on ``day`` for ``rate`` % of defaults."""
    currency = currency or tenant_currency(db)
    unit = minor_unit(currency)
    accounts = fund_accounts(db)
    balances = balances_on(db, accounts, currency, day) if accounts else {}
    contributions, advances = monthly_averages(db, day, currency)
    return simulate(
        in_units(balances.get(FUND, Decimal(0)), unit),
        in_units(balances.get(ADVANCES, Decimal(0)), unit),
        rate=rate,
        floor=floor,
        contributions=contributions,
        advances=advances,
        unit=unit,
    )


def monthly_averages(db: Session, day: date, currency: str) -> tuple[Decimal, Decimal]:
    """(C, A): contributions to the fund and new advances over the year up to ``day``, / 12."""
    unit = minor_unit(currency)
    accounts = fund_accounts(db)
    if not accounts:
        return Decimal(0).quantize(unit), Decimal(0).quantize(unit)
    rows = db.execute(
        fund_lines(list(accounts.values()), currency)
        .add_columns(Posting.account_id, JournalEntry.kind, func.sum(Posting.amount))
        .where(
            JournalEntry.day > year_before(day),
            JournalEntry.day <= day,
            JournalEntry.kind.in_((CONTRIBUTION, ADVANCE)),
        )
        .group_by(Posting.account_id, JournalEntry.kind)
    ).all()
    sums = {(account, kind): total for account, kind, total in rows}
    fund, advances = accounts.get(FUND), accounts.get(ADVANCES)
    contributed = -sums.get((fund.id if fund else None, CONTRIBUTION), Decimal(0))
    advanced = sums.get((advances.id if advances else None, ADVANCE), Decimal(0))
    return _rounded(contributed / WINDOW, unit), _rounded(advanced / WINDOW, unit)


def year_before(day: date) -> date:
    """The same day a year earlier (28 February for a 29 February)."""
    if (day.month, day.day) == (2, 29):
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def _rounded(value: Decimal, unit: Decimal) -> Decimal:
    return value.quantize(unit, ROUND_HALF_UP)


def simulate(
    balance: Decimal,
    outstanding: Decimal,
    *,
    rate: Decimal,
    floor: Decimal,
    contributions: Decimal,
    advances: Decimal,
    unit: Decimal = Decimal("0.01"),
) -> StressResult:
    """The month-by-month path of the module's formula, from ``balance`` and ``outstanding``."""
    if not (rate.is_finite() and 0 <= rate <= HUNDRED):
        raise StressError(f"default rate {rate}: give a percentage from 0 to 100")
    if not floor.is_finite() or floor < 0:
        raise StressError(f"floor {floor}: give an amount of 0 or more")
    share = rate / HUNDRED
    shock = _rounded(outstanding * share, unit)
    zero = Decimal(0).quantize(unit)
    balance, outstanding = balance - shock, outstanding - shock
    path = [StressMonth(0, zero, zero, shock, balance, outstanding)]
    defaults = _rounded(advances * share, unit)
    lasted: int | None = 0 if path[0].balance < floor else None
    month = 0
    while lasted is None and month < HORIZON:
        month += 1
        balance += contributions - defaults
        outstanding += advances - defaults - (advances - defaults)
        path.append(StressMonth(month, contributions, advances, defaults, balance, outstanding))
        if path[-1].balance < floor:
            lasted = month - 1
    return StressResult(rate, floor, contributions, advances, lasted, tuple(path))
