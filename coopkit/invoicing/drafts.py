"""Draft invoices: what an activity is about to invoice, editable until it is issued.

A draft has no number. Each line names a VAT code of the cooperative's
country (coopkit.invoicing.vat) valid on the supply date (today while it is
not given); reverse charge and the other treatments reserved to some buyers
are refused for a client that does not qualify, with the reason. The totals
are computed from the lines every time the draft changes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coopkit.activities.service import get_activity
from coopkit.invoicing.clients import get_client
from coopkit.invoicing.cooperative import current_cooperative
from coopkit.invoicing.errors import InvoicingConflict, InvoicingError, UnknownInvoice
from coopkit.invoicing.models import (
    Client,
    DocumentKind,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
)
from coopkit.invoicing.vat import buyer_refusal, line_net, totals, treatment, vat_groups
from coopkit.plugins import PluginHost, default_host

UNIT = re.compile(r"^[A-Z0-9]{2,3}$")  # UN/ECE Recommendation 20 (C62, HUR, DAY…)
MAX_LINES = 200
MAX_AMOUNT = Decimal("100000000")


@dataclass(frozen=True)
class LineIn:
    """One line as asked: what, how much, at which price excluding VAT, under which VAT code."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_code: str
    unit: str = "C62"


@dataclass(frozen=True)
class DraftIn:
    activity_id: uuid.UUID
    client_id: uuid.UUID
    lines: Sequence[LineIn] = field(default_factory=tuple)
    supply_date: date | None = None
    payment_terms_days: int = 30
    buyer_reference: str = ""
    note: str = ""


def get_invoice(db: Session, invoice_id: uuid.UUID) -> Invoice:
    invoice = db.scalar(select(Invoice).where(Invoice.id == invoice_id))
    if invoice is None:
        raise UnknownInvoice(invoice_id)
    return invoice


def lines_of(db: Session, invoice: Invoice) -> list[InvoiceLine]:
    return list(
        db.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id == invoice.id)
            .order_by(InvoiceLine.position)
        )
    )


def create_draft(
    db: Session,
    data: DraftIn,
    *,
    created_by: uuid.UUID | None = None,
    plugins: PluginHost | None = None,
    today: date | None = None,
) -> Invoice:
    """A new draft invoice of the session's cooperative (InvoicingError says what to fix)."""
    tenant = current_cooperative(db)
    client = get_client(db, data.client_id)
    invoice = Invoice(
        kind=DocumentKind.INVOICE,
        status=InvoiceStatus.DRAFT,
        activity_id=get_activity(db, data.activity_id).id,
        client_id=client.id,
        currency=tenant.currency,
        locale=client.locale,
        created_by=created_by,
    )
    _fill(db, invoice, client, data, plugins or default_host(), today or date.today())
    return invoice


def update_draft(
    db: Session,
    invoice_id: uuid.UUID,
    data: DraftIn,
    *,
    plugins: PluginHost | None = None,
    today: date | None = None,
) -> Invoice:
    """Replace a draft's fields and lines; an issued invoice never changes (409)."""
    invoice = get_invoice(db, invoice_id)
    if invoice.status is not InvoiceStatus.DRAFT:
        raise InvoicingConflict(
            f"invoice {invoice.number} is issued and never changes: to cancel it, "
            "create a credit note"
        )
    client = get_client(db, data.client_id)
    invoice.activity_id = get_activity(db, data.activity_id).id
    invoice.client_id = client.id
    invoice.locale = client.locale
    _fill(db, invoice, client, data, plugins or default_host(), today or date.today())
    return invoice


def _fill(
    db: Session, invoice: Invoice, client: Client, data: DraftIn, plugins: PluginHost, today: date
) -> None:
    tenant = current_cooperative(db)
    if client.blocked:
        raise InvoicingError(f"the client {client.name} is blocked: ask staff", "client_id")
    if not 0 <= data.payment_terms_days <= 365:
        raise InvoicingError("payment terms are 0 to 365 days", "payment_terms_days")
    if len(data.lines) > MAX_LINES:
        raise InvoicingError(f"an invoice has at most {MAX_LINES} lines", "lines")
    if len(data.buyer_reference) > 100:
        raise InvoicingError("the buyer reference has at most 100 characters", "buyer_reference")
    on = data.supply_date or today
    lines = [
        _line(plugins, tenant.country, tenant.currency, client, index, line, on)
        for index, line in enumerate(data.lines, start=1)
    ]
    invoice.supply_date = data.supply_date
    invoice.payment_terms_days = data.payment_terms_days
    invoice.buyer_reference = data.buyer_reference.strip()
    invoice.note = data.note.strip()
    figures = totals(vat_groups(lines, tenant.currency), tenant.currency)
    invoice.net_total, invoice.vat_total, invoice.gross_total = (
        figures.net,
        figures.vat,
        figures.gross,
    )
    db.add(invoice)
    db.flush()
    db.execute(delete(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))
    for line in lines:
        line.invoice_id = invoice.id
    db.add_all(lines)
    db.flush()


def _line(
    plugins: PluginHost,
    country: str,
    currency: str,
    client: Client,
    position: int,
    line: LineIn,
    on: date,
) -> InvoiceLine:
    where = f"lines[{position - 1}]"
    description = " ".join(line.description.split())
    if not description or len(description) > 500:
        raise InvoicingError(
            f"line {position}: say what was sold (at most 500 characters)", f"{where}.description"
        )
    if not line.quantity.is_finite() or not 0 < line.quantity < MAX_AMOUNT:
        raise InvoicingError(f"line {position}: the quantity must be positive", f"{where}.quantity")
    if not line.unit_price.is_finite() or not 0 <= line.unit_price < MAX_AMOUNT:
        raise InvoicingError(
            f"line {position}: the unit price excluding VAT is zero or more "
            "(a refund is a credit note)",
            f"{where}.unit_price",
        )
    if not UNIT.match(line.unit):
        raise InvoicingError(
            f"line {position}: unit {line.unit!r} is not a UN/ECE Recommendation 20 code "
            "(C62 one, HUR hour, DAY day)",
            f"{where}.unit",
        )
    chosen = treatment(plugins, country, line.vat_code, on, f"{where}.vat_code")
    refusal = buyer_refusal(chosen, client, country, on)
    if refusal:
        raise InvoicingError(f"line {position}: {refusal}", f"{where}.vat_code")
    return InvoiceLine(
        position=position,
        description=description,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        net=line_net(line.quantity, line.unit_price, currency),
        vat_category=chosen.category,
        vat_code=chosen.code,
        vat_rate=chosen.rate,
        vat_exemption_code=chosen.vatex,
        vat_exemption_reason=chosen.wording,
    )
