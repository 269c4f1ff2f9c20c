"""The guarantee fund over time: its balance and the advances outstanding at each month's end.

For a chart of the last ``months`` months up to ``day``: one point per month,
at its last day (the last point at ``day`` itself). The lines of the window
are summed in SQL by account and month; the balance before the window is the
running balance (coopkit.ledger.balances) less every line from the window's
first day on, so the query reads only the window's lines.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, extract, func
from sqlalchemy.orm import Session

from coopkit.guarantee.report import ADVANCES, FUND, fund_accounts, fund_lines, in_units
from coopkit.ledger.balances import stored_balances
from coopkit.ledger.models import JournalEntry, Posting
from coopkit.ledger.posting import tenant_currency
from coopkit.money import minor_unit

MONTHS = 12
LATER = -1  # the bucket of the lines dated after ``day``


@dataclass(frozen=True)
class FundPoint:
    """The fund at the end of ``day`` (a month's last day, or the history's last day)."""

    day: date
    balance: Decimal
    outstanding: Decimal


def month_starts(day: date, months: int) -> list[date]:
    """The first days of the ``months`` months ending with ``day``'s month, oldest first."""
    index = day.year * 12 + day.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def month_end(start: date) -> date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def fund_history(
    db: Session, *, day: date, months: int = MONTHS, currency: str | None = None
) -> list[FundPoint]:
    """One point per month for the last ``months`` months up to ``day`` (see the module)."""
    if months < 1:
        raise ValueError("months: at least 1")
    currency = currency or tenant_currency(db)
    unit = minor_unit(currency)
    starts = month_starts(day, months)
    accounts = fund_accounts(db)
    ids = {account.id: role for role, account in accounts.items()}
    month = extract("year", JournalEntry.day) * 100 + extract("month", JournalEntry.day)
    bucket = case((JournalEntry.day > day, LATER), else_=month)
    rows = db.execute(
        fund_lines(list(accounts.values()), currency)
        .add_columns(Posting.account_id, bucket, func.sum(Posting.amount))
        .where(JournalEntry.day >= starts[0])
        .group_by(Posting.account_id, bucket)
    ).all()
    stored = stored_balances(db, ids)
    raw = {account: stored.get((account, currency), Decimal(0)) for account in ids}
    moves: dict[tuple[uuid.UUID, int], Decimal] = {}
    for account, period, total in rows:
        raw[account] -= total  # back to the balance before the window
        moves[(account, int(period))] = total
    points = []
    for start in starts:
        for account in ids:
            raw[account] += moves.get((account, start.year * 100 + start.month), Decimal(0))
        natural = {ids[a]: accounts[ids[a]].type.natural(raw[a]) for a in ids}
        points.append(
            FundPoint(
                min(month_end(start), day),
                in_units(natural.get(FUND, Decimal(0)), unit),
                in_units(natural.get(ADVANCES, Decimal(0)), unit),
            )
        )
    return points
