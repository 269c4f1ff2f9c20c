"""Recording what a client paid on an invoice: the payment, the activity's share, the status.

:func:`record_payment` posts two entries in the caller's transaction
(docs/ledger.md, "The flows the invoicing code will post")::

    payment     Dr bank paid; Cr client_receivables[activity] paid
    paid_share  coopkit.ledger.fees.post_paid_share on the paid amount excluding VAT

The paid amount excluding VAT is proportional: ``paid × net_total / gross_total``
rounded half-up to the currency's minor unit. Rounding each payment separately
could make the shares of an invoice paid in instalments add up to a cent more
or less than its net total, so the payment that settles the invoice takes
exactly what is left: the shares of one invoice always add up to its net total
(less what credit notes took off).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.guarantee.repayment import repay_from_payment
from coopkit.invoicing.errors import UnknownInvoice
from coopkit.invoicing.models import (
    DocumentKind,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
)
from coopkit.invoicing.standing import Standing, refresh_status, standing
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.fees import post_paid_share
from coopkit.ledger.models import Account, Posting
from coopkit.ledger.posting import credit, debit, post
from coopkit.money import Money, MoneyError, minor_unit, to_decimal

PAYMENT = "payment"


class PaymentError(ValueError):
    """A payment that cannot be recorded as asked; the message says why and what to do."""


class Overpayment(PaymentError):
    """More than what is still due on the invoice."""

    def __init__(self, message: str, *, due: Decimal, amount: Decimal) -> None:
        super().__init__(message)
        self.due = due
        self.amount = amount


@dataclass(frozen=True)
class ShareFigures:
    """What a settled invoice's shares must add up to, and what earlier payments took."""

    target: Decimal
    taken: Decimal

    @property
    def left(self) -> Decimal:
        return self.target - self.taken


def payable_invoice(db: Session, invoice_id: uuid.UUID, *, lock: bool = False) -> Invoice:
    """The invoice, if a payment may be recorded on it; PaymentError otherwise."""
    query = select(Invoice).where(Invoice.id == invoice_id)
    invoice = db.scalar(query.with_for_update() if lock else query)
    if invoice is None:
        raise UnknownInvoice(invoice_id)
    label = invoice.number or str(invoice.id)
    if invoice.kind is not DocumentKind.INVOICE:
        raise PaymentError(
            f"{label} is a credit note: payments are recorded on the invoice it credits"
        )
    if invoice.status is InvoiceStatus.DRAFT:
        raise PaymentError(f"invoice {label} is a draft: issue it before recording a payment")
    if invoice.status is InvoiceStatus.WRITTEN_OFF:
        raise PaymentError(
            f"invoice {label} was written off as lost: a payment on it cannot be recorded as "
            "paying it (book it as a recovery with the accountant)"
        )
    if invoice.status in (InvoiceStatus.PAID, InvoiceStatus.CREDITED):
        raise PaymentError(
            f"invoice {label} is {invoice.status.value}: nothing is due on it any more"
        )
    return invoice


def checked_amount(amount: object, currency: str) -> Decimal:
    """A positive amount with no more decimals than ``currency`` has."""
    try:
        value = to_decimal(amount)
    except MoneyError as error:
        raise PaymentError(str(error)) from None
    if value <= 0:
        raise PaymentError(f"{value} {currency}: a payment is a positive amount")
    unit = minor_unit(currency)
    if value != value.quantize(unit):
        raise PaymentError(
            f"{value} {currency} has more decimals than {currency} has "
            f"(its smallest unit is {unit})"
        )
    return value


def _check_not_more_than_due(invoice: Invoice, figures: Standing, amount: Decimal) -> None:
    if amount > figures.due:
        due = Money(figures.due, invoice.currency)
        raise Overpayment(
            f"{Money(amount, invoice.currency)} is more than the {due} still due on invoice "
            f"{invoice.number}: record at most what is due",
            due=due.amount,
            amount=amount,
        )


def share_figures(db: Session, invoice: Invoice) -> ShareFigures:
    """The net total the shares settle (less credited net) and the shares already posted."""
    credited_net = db.scalar(
        select(func.coalesce(func.sum(Invoice.net_total), 0)).where(
            Invoice.credits_id == invoice.id,
            Invoice.kind == DocumentKind.CREDIT_NOTE,
            Invoice.status != InvoiceStatus.DRAFT,
        )
    )
    share_entries = select(Payment.share_entry_id).where(
        Payment.invoice_id == invoice.id, Payment.share_entry_id.is_not(None)
    )
    taken = db.scalar(
        select(func.coalesce(func.sum(Posting.amount), 0))
        .join(
            Account, (Account.tenant_id == Posting.tenant_id) & (Account.id == Posting.account_id)
        )
        .where(
            Posting.entry_id.in_(share_entries),
            Account.role == AccountRole.ACTIVITY_BUDGETS,
        )
    )
    return ShareFigures(invoice.net_total - Decimal(credited_net or 0), Decimal(taken or 0))


def share_excluding_vat(
    invoice: Invoice, amount: Decimal, *, settles: bool, figures: ShareFigures
) -> Decimal:
    """The part of ``amount`` that is not VAT.

    Proportional and rounded half-up; never more than what is left of the net
    total; exactly what is left when this payment settles the invoice.
    """
    if settles:
        return max(figures.left, Decimal(0))
    if not invoice.gross_total:
        return Decimal(0)
    unit = minor_unit(invoice.currency)
    proportional = (amount * invoice.net_total / invoice.gross_total).quantize(unit, ROUND_HALF_UP)
    return max(min(proportional, figures.left), Decimal(0))


def record_payment(
    db: Session,
    invoice_id: uuid.UUID,
    amount: object,
    *,
    day: date,
    method: PaymentMethod | str,
    payer: str = "",
    bank_line_id: uuid.UUID | None = None,
    recorded_by: uuid.UUID | None = None,
) -> Payment:
    """Record ``amount`` received on an issued invoice, post it and its share, refresh the status.

    Refuses a draft, a credit note, an invoice paid or credited already, an
    amount that is not positive or has more decimals than the currency, and
    more than what is still due (:class:`Overpayment`, with both amounts).
    Flushed, not committed.
    """
    invoice = payable_invoice(db, invoice_id, lock=True)
    value = checked_amount(amount, invoice.currency)
    figures = standing(db, invoice)
    _check_not_more_than_due(invoice, figures, value)
    try:
        how = PaymentMethod(method)
    except ValueError:
        choices = ", ".join(m.value for m in PaymentMethod)
        raise PaymentError(f"payment method {method!r}: use one of {choices}") from None
    reference = f"invoice:{invoice.id}"
    entry = post(
        db,
        kind=PAYMENT,
        description=f"Payment of invoice {invoice.number}"[:500],
        day=day,
        reference=reference,
        lines=[
            debit(AccountRole.BANK, value, None, invoice.currency),
            credit(AccountRole.CLIENT_RECEIVABLES, value, invoice.activity_id, invoice.currency),
        ],
    )
    share = share_excluding_vat(
        invoice, value, settles=value == figures.due, figures=share_figures(db, invoice)
    )
    share_entry = None
    if share > 0:
        share_entry = post_paid_share(
            db,
            activity=invoice.activity_id,
            paid_excluding_vat=share,
            day=day,
            description=f"Share of the payment of invoice {invoice.number}"[:500],
            reference=reference,
            currency=invoice.currency,
        )
    payment = Payment(
        invoice_id=invoice.id,
        amount=value,
        currency=invoice.currency,
        day=day,
        method=how,
        payer=payer[:200],
        bank_line_id=bank_line_id,
        entry_id=entry.id,
        share_entry_id=None if share_entry is None else share_entry.id,
        recorded_by=recorded_by,
    )
    db.add(payment)
    db.flush()
    refresh_status(db, invoice)
    db.flush()
    repayment = repay_from_payment(db, payment, share_entry)
    record(
        db,
        "invoice.payment_recorded",
        "invoice",
        invoice.id,
        {
            "number": invoice.number,
            "payment": payment.id,
            "amount": value,
            "currency": invoice.currency,
            "excluding_vat": share,
            "day": day,
            "method": how,
            "bank_line": bank_line_id,
            "status": invoice.status,
            "advance_repaid": None if repayment is None else repayment.amount,
        },
        actor_id=recorded_by,
    )
    return payment
