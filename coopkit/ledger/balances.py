"""Balances: the sum of an account's lines, kept as a running total and checked against them.

The lines are the only source of truth. ``SUM(amount)`` over an account's lines
in one currency (:func:`raw_balances`, an index-only scan of
``ix_journal_lines_balance``) costs about a microsecond per line, too slow for
an activity with 100,000 lines. So every posting also adds its lines to the
account's row of ``account_balances`` (:func:`add_to_balances`), in the same
transaction; reading a balance (:func:`stored_balances`, ``activity_balance``)
reads that row. :func:`ledger_problems` compares every row with the sum of the
lines, and :func:`rebuild_balances` recomputes them all from the lines.

Raw sums are debits minus credits; the *natural* balance is seen from the
account's own side (coopkit.ledger.chart).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coopkit.db.tenancy import NoTenantSelected, current_tenant
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import Account, AccountBalance, JournalEntry, Posting
from coopkit.money import minor_unit

ZERO = Decimal(0)
BalanceKey = tuple[uuid.UUID, str]  # (account id, currency)


class Delta(NamedTuple):
    """What an entry adds to an account in one currency."""

    amount: Decimal  # debits minus credits
    lines: int


def add_to_balances(db: Session, deltas: dict[BalanceKey, Delta]) -> dict[BalanceKey, Decimal]:
    """Add ``deltas`` to the running balances and return each one's new raw balance.

    One ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per account and currency,
    in the order of account id then currency: on PostgreSQL each locks its row
    until the transaction ends, and the same order in every transaction means
    two postings touching the same busy accounts (the bank, VAT) wait for each
    other instead of deadlocking.
    """
    tenant_id = _tenant(db)
    table = AccountBalance.__table__
    dialect = db.get_bind().dialect.name
    make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    after: dict[BalanceKey, Decimal] = {}
    for key in sorted(deltas, key=lambda k: (str(k[0]), k[1])):
        account_id, currency = key
        row = make_insert(table).values(  # type: ignore[arg-type]
            tenant_id=tenant_id,
            id=uuid.uuid4(),
            account_id=account_id,
            currency=currency,
            balance=deltas[key].amount,
            line_count=deltas[key].lines,
        )
        upsert = row.on_conflict_do_update(
            index_elements=[table.c.tenant_id, table.c.account_id, table.c.currency],
            set_={
                "balance": table.c.balance + row.excluded.balance,
                "line_count": table.c.line_count + row.excluded.line_count,
            },
        )
        after[key] = db.execute(upsert.returning(table.c.balance)).scalar_one()
    return after


def _tenant(db: Session) -> uuid.UUID:
    tenant_id = current_tenant(db)
    if tenant_id is None:
        raise NoTenantSelected("select the cooperative (set_tenant) before touching its balances")
    return tenant_id


def stored_balances(db: Session, account_ids: Iterable[uuid.UUID]) -> dict[BalanceKey, Decimal]:
    """The running raw balance of each account, per currency (as :func:`raw_balances`)."""
    ids = list(account_ids)
    if not ids:
        return {}
    rows = db.execute(
        select(AccountBalance.account_id, AccountBalance.currency, AccountBalance.balance).where(
            AccountBalance.account_id.in_(ids)
        )
    ).all()
    return {(account, currency): balance for account, currency, balance in rows}


def balance_problems(db: Session) -> list[str]:
    """Where the running balances differ from the sums of the lines (empty when they agree)."""
    rows = db.execute(
        select(AccountBalance.account_id, AccountBalance.currency, AccountBalance.balance,
               AccountBalance.line_count)
    ).all()  # fmt: skip
    stored = {(a, c): (balance, count) for a, c, balance, count in rows}
    summed = {
        (a, c): (total, count)
        for a, c, total, count in db.execute(
            select(
                Posting.account_id, Posting.currency, func.sum(Posting.amount), func.count()
            ).group_by(Posting.account_id, Posting.currency)
        ).all()
    }
    numbers = {row.id: row.number for row in db.execute(select(Account.id, Account.number))}
    problems = []
    for key in sorted(set(stored) | set(summed), key=lambda k: (numbers.get(k[0], ""), k[1])):
        kept = stored.get(key, (ZERO, 0))
        actual = summed.get(key, (ZERO, 0))
        if kept != actual:
            problems.append(
                f"account {numbers.get(key[0], key[0])} in {key[1]}: the running balance is "
                f"{kept[0]} over {kept[1]} line(s) but its lines sum to {actual[0]} over "
                f"{actual[1]}; run `coopkit ledger rebuild-balances`"
            )
    return problems


def rebuild_balances(db: Session) -> int:
    """Recompute every running balance of the session's tenant from its lines; return how many.

    For after a bulk load that bypassed :func:`coopkit.ledger.posting.post`, or
    after :func:`balance_problems` found a difference.
    """
    tenant_id = _tenant(db)
    db.execute(delete(AccountBalance))
    sums = db.execute(
        select(
            Posting.account_id, Posting.currency, func.sum(Posting.amount), func.count()
        ).group_by(Posting.account_id, Posting.currency)
    ).all()
    rows = [
        {"tenant_id": tenant_id, "id": uuid.uuid4(), "account_id": account, "currency": currency,
         "balance": total, "line_count": count}
        for account, currency, total, count in sums
    ]  # fmt: skip
    if rows:
        db.execute(insert(AccountBalance.__table__), rows)  # type: ignore[arg-type]
    return len(rows)


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
    ``activity_id`` is given, else of the whole role (every activity's sub-account).
    Read from the running balances."""
    query = (
        select(Account.type, func.sum(AccountBalance.balance))
        .join(
            AccountBalance,
            (AccountBalance.tenant_id == Account.tenant_id)
            & (AccountBalance.account_id == Account.id),
        )
        .where(Account.role == role, AccountBalance.currency == currency)
        .group_by(Account.type)
    )
    if activity_id is not None:
        query = query.where(Account.activity_id == activity_id)
    total = ZERO
    for kind, raw in db.execute(query).all():
        total += kind.natural(raw)
    return total.quantize(minor_unit(currency))


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    currency: str
    raw: Decimal

    @property
    def natural(self) -> Decimal:
        return self.account.type.natural(self.raw)


def trial_balance(db: Session) -> list[TrialBalanceRow]:
    """Every account with lines, per currency, in account-number order (summed from the lines)."""
    accounts = {a.id: a for a in db.scalars(select(Account))}
    sums = raw_balances(db, accounts)
    rows = [TrialBalanceRow(accounts[a], c, raw) for (a, c), raw in sums.items()]
    return sorted(rows, key=lambda row: (row.account.number, row.currency))


def ledger_problems(db: Session) -> list[str]:
    """Check the invariants over the whole ledger of the session's tenant.

    Each entry balances in each currency; all balances sum to zero per
    currency; no account that may not go negative is below zero; every
    reversal mirrors the entry it reverses; every running balance equals the
    sum of its account's lines. Empty when all hold.
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
    problems += balance_problems(db)
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
