"""Payment batches: the waiting payouts paid together by one SEPA file on one day.

``create_payment_batch`` takes every waiting payout due by the execution date
whose member has a bank account in force on that date; the others stay waiting
and the result says why. A tenant has one open batch per execution date:
creating again adds the payouts that became payable to it. A payout is in at
most one batch (a unique constraint), so it is never paid twice.

``export_payment_batch`` writes the pain.001 file (coopkit.payouts.sepa),
stores it with its SHA-256, marks the payouts paid on the execution date and
posts one ``payout`` entry per currency: Dr salaries_payable (the salaries),
Dr expense_claims_payable (the expense claims), Cr bank (reference
``payment_batch:<id>``) — all in one transaction, once: a batch exported
already is refused with the day of its export.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.db.base import utcnow
from coopkit.invoicing.cooperative import seller_on
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.posting import Line, credit, debit, post
from coopkit.payouts.bank_accounts import bank_accounts_on, check_bic
from coopkit.payouts.errors import (
    NothingToPay,
    PaymentsConflict,
    PaymentsError,
    UnknownPaymentBatch,
)
from coopkit.payouts.models import (
    MemberBankAccount,
    PaymentBatch,
    PaymentBatchItem,
    Payout,
    PayoutKind,
)
from coopkit.payouts.sepa import EURO, Debtor, Transfer, pain001
from coopkit.people.models import User

PAYOUT = "payout"
PAYABLE = {PayoutKind.SALARY: R.SALARIES_PAYABLE, PayoutKind.EXPENSE: R.EXPENSE_CLAIMS_PAYABLE}


@dataclass(frozen=True)
class LeftWaiting:
    """A payout due by the execution date that the batch could not take, and why."""

    payout: Payout
    reason: str


@dataclass(frozen=True)
class BatchCreated:
    batch: PaymentBatch
    added: list[PaymentBatchItem]
    left: list[LeftWaiting]


def payable_payouts(
    db: Session, due_by: dt.date, kinds: Iterable[PayoutKind] | None = None
) -> list[Payout]:
    """Unpaid payouts due by ``due_by`` in no batch yet, earliest due first (locked on PostgreSQL;
    a concurrent batch skips the ones another is taking)."""
    batched = select(PaymentBatchItem.payout_id)
    query = select(Payout).where(
        Payout.paid_on.is_(None), Payout.due_date <= due_by, Payout.id.not_in(batched)
    )
    if kinds is not None:
        query = query.where(Payout.kind.in_(list(kinds)))
    query = query.order_by(Payout.due_date, Payout.queued_at, Payout.id)
    return list(db.scalars(query.with_for_update(skip_locked=True)))


def why_not_payable(payout: Payout, account: MemberBankAccount | None) -> str | None:
    """Why ``payout`` cannot be paid by a SEPA transfer now, or None."""
    if payout.currency != EURO:
        return f"{payout.amount} {payout.currency}: a SEPA credit transfer is in euro"
    if account is None:
        return "the member has no bank account on record for that day (My bank account)"
    return None


def create_payment_batch(
    db: Session,
    *,
    execution_date: dt.date,
    created_by: uuid.UUID | None,
    kinds: Iterable[PayoutKind] | None = None,
) -> BatchCreated:
    """Put every payable payout due by ``execution_date`` in the open batch of that day
    (created if needed). NothingToPay when the batch would be empty."""
    candidates = payable_payouts(db, execution_date, kinds)
    accounts = bank_accounts_on(db, {p.user_id for p in candidates}, execution_date)
    left: list[LeftWaiting] = []
    payable: list[Payout] = []
    for payout in candidates:
        reason = why_not_payable(payout, accounts.get(payout.user_id))
        if reason is None:
            payable.append(payout)
        else:
            left.append(LeftWaiting(payout, reason))
    batch = _open_batch(db, execution_date)
    if not payable and batch is None:
        reasons = "; ".join(f"{w.payout.description}: {w.reason}" for w in left[:5])
        raise NothingToPay(
            f"nothing to pay on {execution_date}: no waiting payout due by then"
            + (f" can be paid ({reasons})" if reasons else ""),
            "execution_date",
        )
    if batch is None:
        batch = _new_batch(db, execution_date, created_by)
    added = [
        PaymentBatchItem(
            batch_id=batch.id,
            payout_id=payout.id,
            amount=payout.amount,
            currency=payout.currency,
            end_to_end_id=payout.id.hex.upper(),
        )
        for payout in payable
    ]
    db.add_all(added)
    db.flush()
    if added:
        record(
            db,
            "payments.batch_filled",
            "payment_batch",
            batch.id,
            {
                "execution_date": execution_date,
                "payouts": [str(i.payout_id) for i in added],
                "total": sum((i.amount for i in added), Decimal(0)),
                "left_waiting": [str(w.payout.id) for w in left],
            },
            actor_id=created_by,
        )
    return BatchCreated(batch, added, left)


def _open_batch(db: Session, execution_date: dt.date) -> PaymentBatch | None:
    return db.scalar(
        select(PaymentBatch)
        .where(PaymentBatch.execution_date == execution_date, PaymentBatch.exported_at.is_(None))
        .with_for_update()
    )


def _new_batch(db: Session, execution_date: dt.date, created_by: uuid.UUID | None) -> PaymentBatch:
    """A new open batch; if a concurrent request opened one for that day first, that one."""
    batch = PaymentBatch(execution_date=execution_date, created_by=created_by)
    try:
        with db.begin_nested():
            db.add(batch)
            db.flush()
    except IntegrityError:
        found = _open_batch(db, execution_date)
        if found is None:
            raise
        return found
    return batch


def get_payment_batch(db: Session, batch_id: uuid.UUID) -> PaymentBatch:
    batch = db.scalar(select(PaymentBatch).where(PaymentBatch.id == batch_id))
    if batch is None:
        raise UnknownPaymentBatch(f"no payment batch {batch_id} in this cooperative")
    return batch


def list_payment_batches(db: Session) -> list[PaymentBatch]:
    """Open batches first, then exported ones; latest execution date first."""
    return list(
        db.scalars(
            select(PaymentBatch).order_by(
                PaymentBatch.exported_at.is_not(None),
                PaymentBatch.execution_date.desc(),
                PaymentBatch.created_at.desc(),
            )
        )
    )


@dataclass(frozen=True)
class BatchLine:
    item: PaymentBatchItem
    payout: Payout
    member: str


def lines_of(db: Session, batch: PaymentBatch) -> list[BatchLine]:
    """The batch's payouts with the member's name, in file order."""
    rows = db.execute(
        select(PaymentBatchItem, Payout, User.name)
        .join(Payout, Payout.id == PaymentBatchItem.payout_id)
        .join(User, User.id == Payout.user_id)
        .where(PaymentBatchItem.batch_id == batch.id)
        .order_by(Payout.due_date, Payout.queued_at, Payout.id)
    ).all()
    return [BatchLine(item, payout, name) for item, payout, name in rows]


def export_payment_batch(
    db: Session, batch_id: uuid.UUID, *, exported_by: uuid.UUID | None
) -> PaymentBatch:
    """Write, store and book the batch's SEPA file, once (PaymentsConflict the second time)."""
    batch = get_payment_batch(db, batch_id)
    try:
        with db.begin_nested():
            _export(db, batch, exported_by)
    except Exception:
        db.expire(batch)  # the savepoint is gone; what was read in it with it
        raise
    return batch


def _export(db: Session, batch: PaymentBatch, exported_by: uuid.UUID | None) -> None:
    _claim_export(db, batch, exported_by)
    lines = lines_of(db, batch)
    if not lines:
        raise NothingToPay(f"the batch of {batch.execution_date} has no payout to pay")
    debtor = _debtor(db, batch.execution_date)
    accounts = bank_accounts_on(db, {ln.payout.user_id for ln in lines}, batch.execution_date)
    transfers = [_transfer(ln, accounts.get(ln.payout.user_id)) for ln in lines]
    xml = pain001(batch.id.hex, debtor, batch.execution_date, transfers)
    for line in lines:
        line.payout.paid_on = batch.execution_date
    entries = _post_payouts(db, batch, [ln.payout for ln in lines])
    batch.message_id = batch.id.hex
    batch.file_xml = xml
    batch.file_sha256 = hashlib.sha256(xml).hexdigest()
    batch.entry_ids = [str(e) for e in entries]
    db.flush()
    record(
        db,
        "payments.batch_exported",
        "payment_batch",
        batch.id,
        {
            "execution_date": batch.execution_date,
            "transfers": len(lines),
            "total": sum((ln.item.amount for ln in lines), Decimal(0)),
            "sha256": batch.file_sha256,
            "entries": batch.entry_ids,
        },
        actor_id=exported_by,
    )


def _claim_export(db: Session, batch: PaymentBatch, exported_by: uuid.UUID | None) -> None:
    """Mark the batch exported unless it was; two concurrent exports: one wins, one is refused."""
    if batch.exported_at is None:
        claimed = db.execute(
            update(PaymentBatch)
            .where(PaymentBatch.id == batch.id, PaymentBatch.exported_at.is_(None))
            .values(exported_at=utcnow(), exported_by=exported_by)
            .execution_options(synchronize_session=False)
        )
        db.refresh(batch)
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            return
    assert batch.exported_at is not None
    raise PaymentsConflict(
        f"the batch of {batch.execution_date} was exported on {batch.exported_at:%Y-%m-%d} "
        "already: download its file again instead; its payouts are paid"
    )


def _debtor(db: Session, day: dt.date) -> Debtor:
    seller = seller_on(db, day)
    if seller is None or not seller.iban:
        raise PaymentsError(
            f"the cooperative has no bank account in force on {day}: set its seller identity "
            "(coopkit invoices seller … --iban) first"
        )
    # Without a BIC of its own, the one schwifty knows for the bank (banks like it given).
    return Debtor(seller.legal_name, seller.iban, seller.bic or check_bic(seller.iban, ""))


def _transfer(line: BatchLine, account: MemberBankAccount | None) -> Transfer:
    reason = why_not_payable(line.payout, account)
    if reason is not None or account is None:
        raise PaymentsError(f"{line.member}: {reason}")
    line.item.iban, line.item.bic, line.item.holder = account.iban, account.bic, account.holder
    return Transfer(
        end_to_end_id=line.item.end_to_end_id,
        name=account.holder,
        iban=account.iban,
        bic=account.bic,
        amount=line.item.amount,
        remittance=line.payout.description,
    )


def _post_payouts(db: Session, batch: PaymentBatch, payouts: list[Payout]) -> list[uuid.UUID]:
    """One balanced ``payout`` entry per currency: the payables down, the bank down."""
    totals: dict[str, dict[PayoutKind, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for payout in payouts:
        totals[payout.currency][payout.kind] += payout.amount
    entries = []
    for currency, by_kind in sorted(totals.items()):
        lines: list[Line] = [
            debit(PAYABLE[kind], amount, currency=currency)
            for kind, amount in sorted(by_kind.items())
        ]
        lines.append(credit(R.BANK, sum(by_kind.values(), Decimal(0)), currency=currency))
        entry = post(
            db,
            lines=lines,
            kind=PAYOUT,
            description=f"Payment batch of {batch.execution_date}: {len(payouts)} transfer(s)",
            day=batch.execution_date,
            reference=f"payment_batch:{batch.id}",
        )
        entries.append(entry.id)
    return entries


def batch_total(lines: list[BatchLine]) -> Decimal:
    return sum((ln.item.amount for ln in lines), Decimal(0))
