"""Writing off an invoice its client will not pay: once, with the fund absorbing its advance.

What is still due leaves the client's receivable: the part excluding VAT is a
loss, and the VAT on it is no longer owed to the state (the VAT regularisation
of a debt proven lost)::

    write_off           Dr bad_debts due excl. VAT; Dr vat_collected its VAT;
                        Cr client_receivables[activity] due
    advance_write_off   Dr guarantee_fund; Cr guarantee_advances   (if an advance is outstanding)

The invoice's status becomes ``written_off`` for good: no payment or credit
note is recorded on it afterwards.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.guarantee.advances import GuaranteeError
from coopkit.guarantee.eligibility import money
from coopkit.guarantee.models import Advance, InvoiceWriteOff
from coopkit.guarantee.outstanding import outstanding_advance
from coopkit.guarantee.repayment import absorb_advance
from coopkit.invoicing.errors import UnknownInvoice
from coopkit.invoicing.models import DocumentKind, Invoice, InvoiceStatus
from coopkit.invoicing.payments import share_figures
from coopkit.invoicing.standing import standing
from coopkit.ledger.balances import role_balance
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.posting import Line, credit, debit, post
from coopkit.money import minor_unit

WRITE_OFF = "write_off"
ZERO = Decimal(0)


class WriteOffRefused(GuaranteeError):
    """This invoice cannot be written off (the message says why)."""


class WrittenOffAlready(WriteOffRefused):
    """The invoice was written off before."""


def _writable(db: Session, invoice_id: uuid.UUID) -> Invoice:
    invoice = db.scalar(select(Invoice).where(Invoice.id == invoice_id).with_for_update())
    if invoice is None:
        raise UnknownInvoice(invoice_id)
    label = invoice.number or str(invoice.id)
    if invoice.kind is not DocumentKind.INVOICE:
        raise WriteOffRefused(f"{label} is a credit note: only an invoice is written off")
    if invoice.status is InvoiceStatus.DRAFT:
        raise WriteOffRefused(f"invoice {label} is a draft: nobody owes anything on it")
    if invoice.status is InvoiceStatus.WRITTEN_OFF:
        raise WrittenOffAlready(f"invoice {label} is written off already")
    if invoice.status in (InvoiceStatus.PAID, InvoiceStatus.CREDITED):
        raise WriteOffRefused(
            f"invoice {label} is {invoice.status.value}: nothing is due on it to write off"
        )
    return invoice


def write_off_invoice(
    db: Session,
    invoice_id: uuid.UUID,
    *,
    day: date,
    reason: str,
    written_off_by: uuid.UUID | None,
) -> InvoiceWriteOff:
    """Write off what is still due on an issued invoice, once; flushed, not committed."""
    why = reason.strip()
    if not why or len(why) > 1000:
        raise WriteOffRefused("reason: say why the debt is lost (at most 1000 characters)")
    invoice = _writable(db, invoice_id)
    if invoice.issue_date and day < invoice.issue_date:
        raise WriteOffRefused(f"invoice {invoice.number} cannot be written off before its issue")
    unit = minor_unit(invoice.currency)
    due = standing(db, invoice).due.quantize(unit)
    net = max(min(share_figures(db, invoice).left.quantize(unit), due), ZERO)
    vat = due - net
    absorbed = outstanding_advance(db, invoice.id)
    currency = invoice.currency
    if absorbed > 0:
        fund = role_balance(db, AccountRole.GUARANTEE_FUND, currency)
        if fund < absorbed:
            raise WriteOffRefused(
                f"invoice {invoice.number}: the guarantee fund holds {money(fund, currency)} and "
                f"cannot absorb the {money(absorbed, currency)} advanced on it; pay into the "
                "fund first"
            )
    reference = f"invoice:{invoice.id}"
    lines: list[Line] = [credit(AccountRole.CLIENT_RECEIVABLES, due, invoice.activity_id, currency)]
    if net > 0:
        lines.append(debit(AccountRole.BAD_DEBTS, net, None, currency))
    if vat > 0:
        lines.append(debit(AccountRole.VAT_COLLECTED, vat, None, currency))
    entry = post(
        db,
        kind=WRITE_OFF,
        description=f"Invoice {invoice.number} written off: {why}"[:500],
        day=day,
        reference=reference,
        lines=lines,
    )
    absorb = None
    if absorbed > 0:
        advance = db.scalar(select(Advance).where(Advance.invoice_id == invoice.id))
        assert advance is not None
        absorb = absorb_advance(db, advance, absorbed, day, f"invoice {invoice.number} written off")
    row = InvoiceWriteOff(
        invoice_id=invoice.id,
        day=day,
        reason=why,
        due_written_off=due,
        vat_written_off=vat,
        advance_absorbed=absorbed,
        currency=currency,
        entry_id=entry.id,
        absorb_entry_id=None if absorb is None else absorb.id,
        written_off_by=written_off_by,
    )
    savepoint = db.begin_nested()
    try:
        db.add(row)
        db.flush()
    except IntegrityError:
        savepoint.rollback()
        raise WrittenOffAlready(f"invoice {invoice.number} is written off already") from None
    savepoint.commit()
    invoice.status = InvoiceStatus.WRITTEN_OFF
    db.flush()
    record(
        db,
        "invoice.written_off",
        "invoice",
        invoice.id,
        {
            "number": invoice.number,
            "day": day,
            "reason": why,
            "due": due,
            "vat": vat,
            "advance_absorbed": absorbed,
            "currency": currency,
        },
        actor_id=written_off_by,
    )
    return row
