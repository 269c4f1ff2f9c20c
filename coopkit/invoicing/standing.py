"""What an issued invoice stands at: its total, what was paid, what credit notes took off.

The figures are sums of the rows beside the invoice (payments, issued credit
notes), never counters kept on it; the status is derived from them by
:func:`refresh_status`, which every change that pays or credits an invoice
calls in its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.invoicing.models import DocumentKind, Invoice, InvoiceStatus, Payment


@dataclass(frozen=True)
class Standing:
    """An invoice's gross total, what its client paid and what credit notes cancelled."""

    gross: Decimal
    paid: Decimal
    credited: Decimal

    @property
    def due(self) -> Decimal:
        return self.gross - self.paid - self.credited


def standing(db: Session, invoice: Invoice) -> Standing:
    """The invoice's figures from its payments and its issued credit notes."""
    paid = db.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.invoice_id == invoice.id)
    )
    credited = db.scalar(
        select(func.coalesce(func.sum(Invoice.gross_total), 0)).where(
            Invoice.credits_id == invoice.id,
            Invoice.kind == DocumentKind.CREDIT_NOTE,
            Invoice.status != InvoiceStatus.DRAFT,
        )
    )
    return Standing(invoice.gross_total, Decimal(paid or 0), Decimal(credited or 0))


def status_for(kind: DocumentKind, figures: Standing) -> InvoiceStatus:
    """The status of an issued document with these figures."""
    if kind is DocumentKind.CREDIT_NOTE:
        return InvoiceStatus.ISSUED
    if figures.credited and figures.credited >= figures.gross:
        return InvoiceStatus.CREDITED
    if figures.due <= 0:
        return InvoiceStatus.PAID
    if figures.paid or figures.credited:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.ISSUED


def refresh_status(db: Session, invoice: Invoice) -> InvoiceStatus:
    """Set an issued invoice's status from its figures; a draft stays a draft and a
    written-off invoice stays written off."""
    if invoice.status not in (InvoiceStatus.DRAFT, InvoiceStatus.WRITTEN_OFF):
        invoice.status = status_for(invoice.kind, standing(db, invoice))
    return invoice.status
