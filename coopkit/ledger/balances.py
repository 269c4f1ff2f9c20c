"""Balances, derived from the lines every time: the ledger is the only source of truth.

A balance is ``SUM(amount)`` over an account's lines in one currency, read from
the covering index ``ix_journal_lines_balance`` (tenant, account, currency,
amount) without touching the table. Raw sums are debits minus credits; the
*natural* balance is seen from the account's own side (coopkit.ledger.chart).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.money import minor_unit

ZERO = Decimal(0)


def raw_balances(
    db: Session, account_ids: Iterable[uuid.UUID]
) -> dict[tuple[uuid.UUID, str], Decimal]:
    """Debits minus credits of each account, per currency (accounts with no line are absent)."""
    ids = list(account_ids)
    if not ids:
        return {}
    rows = db.execute(
        select(Posting.account_id, Posting.currency, func.sum(Posting.amount))
        .where(Posting.account_id.in_(ids))
        .group_by(Posting.account_id, Posting.currency)
    ).all()
    return {(account, currency): total for account, currency, total in rows}


def role_balance(
    db: Session, role: AccountRole, currency: str, activity_id: uuid.UUID | None = None
) -> Decimal:
    """The natural balance of a role in ``currency``: of one activity's sub-account when
    ``activity_id`` is given, else of the whole role (every activity's sub-account)."""
    query = (
        select(Account.type, func.sum(Posting.amount))
        .join(
            Posting, (Posting.tenant_id == Account.tenant_id) & (Posting.account_id == Account.id)
        )
        .where(Account.role == role, Posting.currency == currency)
        .group_by(Account.type)
    )
    if activity_id is not None:
        query = query.where(Account.activity_id == activity_id)
    total = ZERO
    for kind, raw in db.execute(query).all():
        total += kind.natural(raw)
    return total.quantize(minor_unit(currency))


@dataclass(frozen=True)
class AccountBalance:
    account: Account
    currency: str
    raw: Decimal

    @property
    def natural(self) -> Decimal:
        return self.account.type.natural(self.raw)


def trial_balance(db: Session) -> list[AccountBalance]:
    """Every account with lines, per currency, in account-number order."""
    accounts = {a.id: a for a in db.scalars(select(Account))}
    sums = raw_balances(db, accounts)
    rows = [AccountBalance(accounts[a], c, raw) for (a, c), raw in sums.items()]
    return sorted(rows, key=lambda row: (row.account.number, row.currency))


def ledger_problems(db: Session) -> list[str]:
    """Check the invariants over the whole ledger of the session's tenant.

    Each entry balances in each currency; all balances sum to zero per
    currency; no account that may not go negative is below zero; every
    reversal mirrors the entry it reverses. Empty when all hold.
    """
    problems: list[str] = []
    unbalanced = db.execute(
        select(Posting.entry_id, Posting.currency, func.sum(Posting.amount))
        .group_by(Posting.entry_id, Posting.currency)
        .having(func.sum(Posting.amount) != 0)
    ).all()
    problems += [f"entry {e} does not balance in {c}: off by {s}" for e, c, s in unbalanced]
    totals: dict[str, Decimal] = {}
    for row in trial_balance(db):
        totals[row.currency] = totals.get(row.currency, ZERO) + row.raw
        if not row.account.may_be_negative and row.natural < 0:
            problems.append(
                f"account {row.account.number} ({row.account.role.value}) is at {row.natural} "
                f"{row.currency} but may not go negative"
            )
    problems += [f"balances in {c} sum to {t}, not 0" for c, t in totals.items() if t != 0]
    problems += _reversal_problems(db)
    return problems


def _reversal_problems(db: Session) -> list[str]:
    problems = []
    reversals = db.execute(
        select(JournalEntry.id, JournalEntry.reverses_id).where(
            JournalEntry.reverses_id.is_not(None)
        )
    ).all()
    for reversal, original in reversals:
        assert original is not None
        mine = _line_sums(db, reversal)
        theirs = {key: -amount for key, amount in _line_sums(db, original).items()}
        if mine != theirs:
            problems.append(f"entry {reversal} does not exactly reverse entry {original}")
    return problems


def _line_sums(db: Session, entry_id: uuid.UUID) -> dict[tuple[uuid.UUID, str], Decimal]:
    rows = db.execute(
        select(Posting.account_id, Posting.currency, func.sum(Posting.amount))
        .where(Posting.entry_id == entry_id)
        .group_by(Posting.account_id, Posting.currency)
    ).all()
    return {(account, currency): total for account, currency, total in rows}
