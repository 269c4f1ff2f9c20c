"""The lines of a period's journal entries, joined with their accounts, streamed in order."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.export import ExportError
from coopkit.ledger.models import Account, JournalEntry, Posting

BATCH = 2_000  # rows fetched at a time (a server-side cursor on PostgreSQL)


@dataclass(frozen=True)
class JournalLine:
    """One line of an entry, with what an accountant needs to read it."""

    sequence: int
    entry_id: uuid.UUID
    day: date
    kind: str
    description: str
    reference: str | None
    posted_at: datetime
    role: AccountRole
    account_number: str
    account_name: str
    activity_code: str | None
    activity_name: str | None
    amount: Decimal  # debit > 0, credit < 0
    currency: str


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ExportError(f"the period ends ({end}) before it starts ({start}): swap the dates")


def _query(start: date, end: date, by_day: bool) -> Select[*tuple[Any, ...]]:
    debits_first = case((Posting.amount > 0, 0), else_=1)
    entries = (JournalEntry.day, JournalEntry.sequence) if by_day else (JournalEntry.sequence,)
    return (
        select(
            JournalEntry.sequence,
            JournalEntry.id,
            JournalEntry.day,
            JournalEntry.kind,
            JournalEntry.description,
            JournalEntry.reference,
            JournalEntry.posted_at,
            Account.role,
            Account.number,
            Account.name,
            Activity.code,
            Activity.name,
            Posting.amount,
            Posting.currency,
        )
        .join(
            Posting,
            (Posting.tenant_id == JournalEntry.tenant_id) & (Posting.entry_id == JournalEntry.id),
        )
        .join(
            Account, (Account.tenant_id == Posting.tenant_id) & (Account.id == Posting.account_id)
        )
        .outerjoin(
            Activity,
            (Activity.tenant_id == Account.tenant_id) & (Activity.id == Account.activity_id),
        )
        .where(JournalEntry.day >= start, JournalEntry.day <= end)
        .order_by(*entries, debits_first, Account.number, Posting.id)
    )


def period_lines(
    db: Session, start: date, end: date, *, by_day: bool = True
) -> Iterator[JournalLine]:
    """Every line of the entries dated ``start`` to ``end`` (inclusive), in the session's tenant.

    Entries come by day then posting order (``by_day``), or in posting order
    alone (the order they were validated in); within an entry, debits before
    credits, then by account number.
    """
    check_period(start, end)
    result = db.execute(_query(start, end, by_day), execution_options={"yield_per": BATCH})
    for row in result:
        yield JournalLine(*row)
