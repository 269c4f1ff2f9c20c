"""A client's payment repays the fund's advance on its invoice, exactly once.

:func:`repay_from_payment` is called by coopkit.invoicing.payments.record_payment
right after the payment's share (so bank-statement matching, which records
payments through it, repays too). Of what the share credited to the
activity's funds, as much as is still outstanding goes back to the fund::

    advance_repayment   Dr activity_funds[activity]; Cr guarantee_advances

When the payment settles the invoice and something is still outstanding (the
instalments' fees rounded differently, or the rates changed since the advance),
the activity repays the rest from its funds as far as they go, and the fund
absorbs what they cannot (``advance_write_off``: Dr guarantee_fund; Cr
guarantee_advances): a settled invoice leaves nothing outstanding. A payment
repays at most once (``guarantee_repayments`` is unique per payment), and a
payment posted before the advance repays nothing: the advance was sized on
what was left after it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.guarantee.models import Advance, AdvanceRepayment
from coopkit.guarantee.outstanding import outstanding_advance
from coopkit.invoicing.models import Invoice, InvoiceStatus, Payment
from coopkit.ledger.balances import role_balance
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.ledger.posting import credit, debit, post

ADVANCE_REPAYMENT = "advance_repayment"
ADVANCE_WRITE_OFF = "advance_write_off"
ZERO = Decimal(0)


def credited_to_activity(db: Session, entry: JournalEntry | None) -> Decimal:
    """What ``entry`` credited to activity funds (0 for no entry)."""
    if entry is None:
        return ZERO
    raw = db.scalar(
        select(func.coalesce(func.sum(Posting.amount), 0))
        .join(
            Account, (Account.tenant_id == Posting.tenant_id) & (Account.id == Posting.account_id)
        )
        .where(Posting.entry_id == entry.id, Account.role == AccountRole.ACTIVITY_FUNDS)
    )
    return max(-Decimal(raw or 0), ZERO)


def _before(db: Session, payment: Payment, advance: Advance) -> bool:
    """Whether the payment was posted before the advance: its share was counted out of the
    advance's capacity then, so it repays nothing (even when called again later)."""
    order = dict(
        db.execute(
            select(JournalEntry.id, JournalEntry.sequence).where(
                JournalEntry.id.in_([payment.entry_id, advance.entry_id])
            )
        ).all()
    )
    return bool(order[payment.entry_id] < order[advance.entry_id])


def repay_from_payment(
    db: Session, payment: Payment, share_entry: JournalEntry | None
) -> AdvanceRepayment | None:
    """Repay the advance on the payment's invoice from the payment's share; None if nothing to.

    Called again for the same payment, returns the first repayment and posts nothing.
    """
    done = db.scalar(select(AdvanceRepayment).where(AdvanceRepayment.payment_id == payment.id))
    if done is not None:
        return done
    advance = db.scalar(select(Advance).where(Advance.invoice_id == payment.invoice_id))
    if advance is None or _before(db, payment, advance):
        return None
    outstanding = outstanding_advance(db, payment.invoice_id)
    if outstanding <= 0:
        return None
    repaid = min(outstanding, credited_to_activity(db, share_entry))
    absorbed = ZERO
    invoice = db.scalar(select(Invoice).where(Invoice.id == payment.invoice_id))
    assert invoice is not None
    if invoice.status is InvoiceStatus.PAID and repaid < outstanding:
        funds = role_balance(db, AccountRole.ACTIVITY_FUNDS, advance.currency, advance.activity_id)
        repaid += max(min(outstanding - repaid, funds - repaid), ZERO)
        absorbed = outstanding - repaid
    if repaid + absorbed <= 0:
        return None
    label = f"invoice {invoice.number}"
    reference = f"invoice:{invoice.id}"
    entry = None
    if repaid > 0:
        entry = post(
            db,
            kind=ADVANCE_REPAYMENT,
            description=f"Advance on {label} repaid to the guarantee fund",
            day=payment.day,
            reference=reference,
            lines=[
                debit(AccountRole.ACTIVITY_FUNDS, repaid, advance.activity_id, advance.currency),
                credit(AccountRole.GUARANTEE_ADVANCES, repaid, None, advance.currency),
            ],
        )
    absorb = None
    if absorbed > 0:
        absorb = absorb_advance(db, advance, absorbed, payment.day, f"{label} settled short")
    row = AdvanceRepayment(
        advance_id=advance.id,
        payment_id=payment.id,
        amount=repaid,
        entry_id=None if entry is None else entry.id,
        absorbed=absorbed,
        absorb_entry_id=None if absorb is None else absorb.id,
        day=payment.day,
    )
    db.add(row)
    db.flush()
    return row


def absorb_advance(
    db: Session, advance: Advance, amount: Decimal, day: date, why: str
) -> JournalEntry:
    """The fund takes ``amount`` of the advance on itself (Dr guarantee_fund; Cr advances)."""
    return post(
        db,
        kind=ADVANCE_WRITE_OFF,
        description=f"Guarantee fund absorbs the advance: {why}"[:500],
        day=day,
        reference=f"invoice:{advance.invoice_id}",
        lines=[
            debit(AccountRole.GUARANTEE_FUND, amount, None, advance.currency),
            credit(AccountRole.GUARANTEE_ADVANCES, amount, None, advance.currency),
        ],
    )
