"""Posting journal entries: balanced, checked, all at once, and never edited afterwards.

Callers name account *roles*, never account numbers::

    post(db, kind="invoice", description="Invoice 2026-0042", day=date(2026, 3, 2),
         reference="invoice:…", lines=[
             debit(AccountRole.CLIENT_RECEIVABLES, Decimal("1210.00"), activity=activity),
             credit(AccountRole.TURNOVER, Decimal("1000.00"), activity=activity),
             credit(AccountRole.VAT_COLLECTED, Decimal("210.00")),
         ])

An entry is refused when its lines do not balance in each currency, when an
amount has more decimals than its currency, or when it would take an account
that may not go negative below zero. The running balances of its accounts
(``account_balances``) are updated first, in a fixed order, which locks their
rows until the transaction ends (SQLite serialises writers); the overdraft
check reads them there, so two concurrent entries cannot both spend the same
money. A posted entry is never changed: :func:`reverse` posts its mirror image.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from coopkit.db.tenancy import USER_KEY, current_tenant
from coopkit.idempotency import run_once
from coopkit.ledger.balances import BalanceKey, Delta, add_to_balances
from coopkit.ledger.books import RoleKey, accounts_for
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.errors import AlreadyReversed, InsufficientFunds, LedgerError, UnbalancedEntry
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.money import MoneyError, check_currency, minor_unit, to_decimal
from coopkit.tenants.models import Tenant


class HasId(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


ActivityRef = uuid.UUID | HasId | None
CURRENCY_KEY = "coopkit_tenant_currency"


def _activity_id(activity: ActivityRef) -> uuid.UUID | None:
    if activity is None or isinstance(activity, uuid.UUID):
        return activity
    return activity.id


@dataclass(frozen=True)
class Line:
    """A signed amount on a role's account (of an activity, for roles split by activity).

    Positive is a debit, negative a credit. ``currency`` defaults to the tenant's.
    """

    role: AccountRole
    amount: Decimal
    activity_id: uuid.UUID | None = None
    currency: str | None = None


def debit(
    role: AccountRole, amount: object, activity: ActivityRef = None, currency: str | None = None
) -> Line:
    return Line(role, _positive(amount), _activity_id(activity), currency)


def credit(
    role: AccountRole, amount: object, activity: ActivityRef = None, currency: str | None = None
) -> Line:
    return Line(role, -_positive(amount), _activity_id(activity), currency)


def _positive(amount: object) -> Decimal:
    try:
        value = to_decimal(amount)
    except MoneyError as error:
        raise LedgerError(str(error)) from None
    if value <= 0:
        raise LedgerError(
            f"{value}: debit and credit take a positive amount (credit(…) makes it a credit)"
        )
    return value


def post(
    db: Session,
    *,
    lines: Sequence[Line],
    kind: str,
    description: str,
    day: date,
    reference: str | None = None,
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Post a balanced entry in the session's tenant and return it (flushed, not committed).

    With ``idempotency_key``, posting the same entry again with the same key
    returns the first entry and posts nothing; the same key with another entry
    raises IdempotencyConflict.
    """
    if idempotency_key is None:
        return _post(db, lines, kind, description, day, reference, None)
    payload = {
        "kind": kind,
        "description": description,
        "day": day.isoformat(),
        "reference": reference,
        "lines": [
            [ln.role.value, _canonical(ln.amount), str(ln.activity_id), ln.currency] for ln in lines
        ],
    }
    outcome = run_once(
        db,
        idempotency_key,
        "ledger.post",
        payload,
        lambda: {"entry_id": str(_post(db, lines, kind, description, day, reference, None).id)},
    )
    return _entry(db, uuid.UUID(outcome.response["entry_id"]))


def reverse(
    db: Session,
    entry: JournalEntry,
    *,
    day: date | None = None,
    description: str | None = None,
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Cancel ``entry`` with its mirror image (same accounts, opposite amounts, same kind).

    An entry is reversed at most once, and a reversal is not itself reversed:
    post the original again instead. The reversal is checked like any entry, so
    reversing money that was already spent is refused.
    """
    if entry.reverses_id is not None:
        raise AlreadyReversed(
            f"entry {entry.id} is itself a reversal; to restore the original, post it again"
        )
    reversed_by = db.scalar(select(JournalEntry.id).where(JournalEntry.reverses_id == entry.id))
    if reversed_by is not None:
        raise AlreadyReversed(f"entry {entry.id} was already reversed by entry {reversed_by}")
    mirror = mirror_lines(db, entry)
    text = description or f"Reversal of: {entry.description}"[:500]
    when = day or date.today()

    def work() -> JournalEntry:
        return _post(db, mirror, entry.kind, text, when, entry.reference, entry.id)

    if idempotency_key is None:
        return work()
    payload = {"reverses": str(entry.id), "day": when.isoformat(), "description": text}
    outcome = run_once(
        db, idempotency_key, "ledger.reverse", payload, lambda: {"entry_id": str(work().id)}
    )
    return _entry(db, uuid.UUID(outcome.response["entry_id"]))


def _canonical(amount: Decimal) -> str:
    """100, 100.0 and 100.00 are one amount, so one request for idempotency."""
    return format(Decimal(amount).normalize(), "f")


def lines_of(db: Session, entry: JournalEntry) -> list[Posting]:
    return list(db.scalars(select(Posting).where(Posting.entry_id == entry.id)))


def mirror_lines(db: Session, entry: JournalEntry) -> list[Line]:
    """The lines that cancel ``entry``: same roles and activities, opposite amounts."""
    lines = lines_of(db, entry)
    ids = {line.account_id for line in lines}
    accounts = {a.id: a for a in db.scalars(select(Account).where(Account.id.in_(ids)))}
    return [
        Line(accounts[x.account_id].role, -x.amount, accounts[x.account_id].activity_id, x.currency)
        for x in lines
    ]


def _entry(db: Session, entry_id: uuid.UUID) -> JournalEntry:
    entry = db.scalar(select(JournalEntry).where(JournalEntry.id == entry_id))
    if entry is None:  # the stored result names an entry that is gone: cannot happen
        raise LedgerError(f"entry {entry_id} recorded for this idempotency key is missing")
    return entry


def _post(
    db: Session,
    lines: Sequence[Line],
    kind: str,
    description: str,
    day: date,
    reference: str | None,
    reverses: uuid.UUID | None,
) -> JournalEntry:
    _check_text(kind, description, reference)
    currency = tenant_currency(db)
    checked = [_checked_line(line, currency) for line in lines]
    if len(checked) < 2:
        raise LedgerError("an entry needs at least two lines (a debit and a credit)")
    _check_balanced(checked)
    accounts = accounts_for(db, {(line.role, line.activity_id) for line in checked})
    user = db.info.get(USER_KEY)
    with db.begin_nested():
        # The running balances first: updating them locks their rows in a fixed
        # order, and an overdraft found there rolls the savepoint back.
        _check_not_overdrawn(checked, accounts, add_to_balances(db, _deltas(checked, accounts)))
        entry = JournalEntry(
            sequence=next_sequence(db),
            day=day,
            kind=kind,
            description=description,
            reference=reference,
            reverses_id=reverses,
            posted_by=user if isinstance(user, uuid.UUID) else None,
        )
        db.add(entry)
        db.flush()
        db.add_all(
            Posting(
                entry_id=entry.id,
                account_id=accounts[line.role, line.activity_id].id,
                amount=line.amount,
                currency=line.currency,
            )
            for line in checked
        )
        db.flush()
    return entry


def next_sequence(db: Session) -> int:
    """The posting order of the next entry of the session's tenant.

    PostgreSQL draws it from one sequence (concurrent postings never wait for
    each other); SQLite has one writer at a time, so the tenant's highest
    number plus one cannot be taken twice.
    """
    if db.get_bind().dialect.name == "postgresql":
        return int(db.execute(text("SELECT nextval('journal_entry_sequence')")).scalar_one())
    return int(db.scalar(select(func.coalesce(func.max(JournalEntry.sequence), 0) + 1)) or 1)


def _check_text(kind: str, description: str, reference: str | None) -> None:
    if not kind.strip() or len(kind) > 40:
        raise LedgerError("an entry needs a kind of at most 40 characters (invoice, payment…)")
    if not description.strip() or len(description) > 500:
        raise LedgerError("an entry needs a description of at most 500 characters")
    if reference is not None and len(reference) > 200:
        raise LedgerError("a reference has at most 200 characters")


def tenant_currency(db: Session) -> str:
    """The currency of the session's tenant, the default of every line.

    Kept in the session once read (a cooperative's currency never changes), so
    reading a balance costs one query, not two.
    """
    tenant_id = current_tenant(db)
    known: dict[uuid.UUID, str] = db.info.setdefault(CURRENCY_KEY, {})
    if tenant_id in known:
        return known[tenant_id]
    tenant = db.get(Tenant, tenant_id) if tenant_id else None
    if tenant is None:
        raise LedgerError("select the cooperative (set_tenant) before posting")
    known[tenant.id] = tenant.currency
    return tenant.currency


def _checked_line(line: Line, default_currency: str) -> Line:
    currency = (line.currency or default_currency).upper()
    try:
        check_currency(currency)
        amount = to_decimal(line.amount)
    except MoneyError as error:
        raise LedgerError(str(error)) from None
    if amount == 0:
        raise LedgerError(
            f"a line of 0 {currency} on {line.role.value} moves nothing: leave it out"
        )
    if amount != amount.quantize(minor_unit(currency)):
        raise LedgerError(
            f"{amount} {currency} on {line.role.value} has more decimals than {currency} has "
            f"(its smallest unit is {minor_unit(currency)}): round it first"
        )
    return Line(line.role, amount, line.activity_id, currency)


def _check_balanced(lines: Sequence[Line]) -> None:
    debits: dict[str, Decimal] = defaultdict(Decimal)
    credits: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        assert line.currency is not None
        if line.amount > 0:
            debits[line.currency] += line.amount
        else:
            credits[line.currency] -= line.amount
    for currency in sorted(set(debits) | set(credits)):
        if debits[currency] != credits[currency]:
            raise UnbalancedEntry(
                f"the entry does not balance in {currency}: debits {debits[currency]}, "
                f"credits {credits[currency]} (difference {debits[currency] - credits[currency]}); "
                "every entry needs equal debits and credits in each currency"
            )


def _deltas(lines: Sequence[Line], accounts: dict[RoleKey, Account]) -> dict[BalanceKey, Delta]:
    """What the entry adds to each account in each currency: (debits − credits, line count)."""
    sums: dict[BalanceKey, Decimal] = defaultdict(Decimal)
    counts: dict[BalanceKey, int] = defaultdict(int)
    for line in lines:
        assert line.currency is not None
        key = (accounts[line.role, line.activity_id].id, line.currency)
        sums[key] += line.amount
        counts[key] += 1
    return {key: Delta(sums[key], counts[key]) for key in sums}


def _check_not_overdrawn(
    lines: Sequence[Line], accounts: dict[RoleKey, Account], after: dict[BalanceKey, Decimal]
) -> None:
    """Refuse the entry if it leaves an account that may not go negative below zero.

    ``after`` holds the raw balances with the entry applied, read while their
    rows are locked, so two concurrent entries cannot both spend the same money.
    """
    by_id = {account.id: account for account in accounts.values()}
    moved = _deltas(lines, accounts)
    for key in sorted(moved, key=lambda k: (str(k[0]), k[1])):
        account, currency = by_id[key[0]], key[1]
        delta = account.type.natural(moved[key].amount)
        if account.may_be_negative or delta >= 0:
            continue
        unit = minor_unit(currency)
        left = account.type.natural(after[key]).quantize(unit)
        if left < 0:
            raise InsufficientFunds(
                f"account {account.number} ({account.name}) holds {left - delta} {currency}; this "
                f"entry takes {-delta} {currency} from it, which would leave {left}, and it may "
                "not go below zero"
            )
