"""An activity's balance over time, derived from its ledger lines.

Two figures after each day or month with movements: ``received`` (the paid
shares made available to it, its ``activity_budgets`` sub-account) and
``available`` (what it can spend, its ``activity_funds`` sub-account), both
as running totals of the lines up to the end of that period, by entry day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.money import minor_unit

Step = Literal["day", "month"]
ROLES = {AccountRole.ACTIVITY_BUDGETS: "received", AccountRole.ACTIVITY_FUNDS: "available"}


@dataclass(frozen=True)
class HistoryPoint:
    """The activity's balances at the end of the period starting on ``period``."""

    period: date
    received: Decimal
    available: Decimal


def balance_history(
    db: Session, activity_id: uuid.UUID, currency: str, step: Step = "month"
) -> list[HistoryPoint]:
    """One point per day (or month) with movements on the activity's funds or budget, in order."""
    rows = db.execute(
        select(JournalEntry.day, Account.role, Account.type, func.sum(Posting.amount))
        .join(
            Posting,
            (Posting.tenant_id == JournalEntry.tenant_id) & (Posting.entry_id == JournalEntry.id),
        )
        .join(
            Account, (Account.tenant_id == Posting.tenant_id) & (Account.id == Posting.account_id)
        )
        .where(
            Account.activity_id == activity_id,
            Account.role.in_(ROLES),
            Posting.currency == currency,
        )
        .group_by(JournalEntry.day, Account.role, Account.type)
        .order_by(JournalEntry.day)
    ).all()
    unit = minor_unit(currency)
    totals = {"received": Decimal(0).quantize(unit), "available": Decimal(0).quantize(unit)}
    points: dict[date, HistoryPoint] = {}
    for day, role, kind, raw in rows:
        totals[ROLES[role]] += kind.natural(raw).quantize(unit)
        period = day.replace(day=1) if step == "month" else day
        points[period] = HistoryPoint(period, totals["received"], totals["available"])
    return list(points.values())
