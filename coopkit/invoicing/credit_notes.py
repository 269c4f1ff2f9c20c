"""Credit notes: cancelling an issued invoice, in whole or in part, with a numbered document.

A credit note credits what its invoice's client still owes, never more: the
whole invoice when nothing of it is paid or credited yet, or the lines and
amounts asked for. Each line takes a VAT code the invoice used (same
category, rate and exemption wording), and no (category, rate) is credited
beyond what the invoice taxed at it. A paid invoice is refunded, not
credited. The credit note is numbered in its own series (``credit_note``),
posted (``credit_note``: the mirror of the invoice for the credited amounts),
and the invoice's status follows (coopkit.invoicing.standing).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.db.base import utcnow
from coopkit.invoicing.drafts import MAX_AMOUNT, LineIn, get_invoice, lines_of
from coopkit.invoicing.errors import InvoicingConflict, InvoicingError
from coopkit.invoicing.issuing import invoice_lines
from coopkit.invoicing.models import DocumentKind, Invoice, InvoiceLine, InvoiceStatus
from coopkit.invoicing.numbering import take_number
from coopkit.invoicing.standing import refresh_status, standing
from coopkit.invoicing.vat import line_net, totals, vat_groups
from coopkit.ledger.posting import Line, post
from coopkit.money import minor_unit

CREDIT_NOTE_ENTRY = "credit_note"
Key = tuple[str, Decimal]


def create_credit_note(
    db: Session,
    invoice_id: uuid.UUID,
    *,
    day: date,
    lines: Sequence[LineIn] | None = None,
    reason: str = "",
    issued_by: uuid.UUID | None = None,
) -> Invoice:
    """Issue a credit note for ``invoice_id`` on ``day``: all of it, or ``lines``."""
    invoice = get_invoice(db, invoice_id)
    if invoice.kind is not DocumentKind.INVOICE:
        raise InvoicingError("a credit note credits an invoice, not another credit note")
    if invoice.status is InvoiceStatus.DRAFT:
        raise InvoicingConflict("a draft has no number yet: change or delete it instead")
    if invoice.status is InvoiceStatus.WRITTEN_OFF:
        raise InvoicingConflict(
            f"invoice {invoice.number} was written off: what was due has left the books already"
        )
    if invoice.issue_date and day < invoice.issue_date:
        raise InvoicingError("a credit note cannot be dated before its invoice", "day")
    figures = standing(db, invoice)
    unit = minor_unit(invoice.currency)
    due = figures.due.quantize(unit)
    if due <= 0:
        raise InvoicingConflict(
            "nothing of this invoice is left to credit: "
            + (
                "it is paid, and a paid invoice is refunded, not credited"
                if figures.paid
                else "it is fully credited already"
            )
        )
    original = lines_of(db, invoice)
    if lines is None:
        if figures.paid or figures.credited:
            raise InvoicingError(
                "part of this invoice is paid or credited already: say which lines and "
                f"amounts to credit (at most {due} {invoice.currency} is still due)",
                "lines",
            )
        credited = [_copy(line) for line in original]
    else:
        credited = _asked(original, lines, invoice.currency)
    groups = vat_groups(credited, invoice.currency)
    amounts = totals(groups, invoice.currency)
    if amounts.gross <= 0:
        raise InvoicingError("a credit note credits a positive amount", "lines")
    if amounts.gross > due:
        raise InvoicingError(
            f"this credits {amounts.gross} {invoice.currency} but only {due} is still "
            "due; the rest is paid, and a paid amount is refunded, not credited",
            "lines",
        )
    _check_per_rate(db, invoice, original, {(g.category, g.rate): g.taxable for g in groups})
    with db.begin_nested():
        note = _issue(db, invoice, credited, day, reason, issued_by, amounts.net, amounts.vat)
        refresh_status(db, invoice)
        db.flush()
    return note


def _copy(line: InvoiceLine) -> InvoiceLine:
    return InvoiceLine(
        position=line.position,
        description=line.description,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        net=line.net,
        vat_category=line.vat_category,
        vat_code=line.vat_code,
        vat_rate=line.vat_rate,
        vat_exemption_code=line.vat_exemption_code,
        vat_exemption_reason=line.vat_exemption_reason,
    )


def _asked(
    original: list[InvoiceLine], asked: Sequence[LineIn], currency: str
) -> list[InvoiceLine]:
    by_code = {line.vat_code: line for line in original}
    if not asked:
        raise InvoicingError("say which lines and amounts to credit", "lines")
    made = []
    for position, line in enumerate(asked, start=1):
        where = f"lines[{position - 1}]"
        model = by_code.get(line.vat_code)
        if model is None:
            raise InvoicingError(
                f"line {position}: the invoice has no line under VAT code {line.vat_code!r}; "
                f"use one of: {', '.join(by_code)}",
                f"{where}.vat_code",
            )
        description = " ".join(line.description.split())
        if not description or len(description) > 500:
            raise InvoicingError(f"line {position}: say what is credited", f"{where}.description")
        if not line.quantity.is_finite() or not 0 < line.quantity < MAX_AMOUNT:
            raise InvoicingError(
                f"line {position}: the quantity must be positive", f"{where}.quantity"
            )
        if not line.unit_price.is_finite() or not 0 < line.unit_price < MAX_AMOUNT:
            raise InvoicingError(
                f"line {position}: the unit price must be positive", f"{where}.unit_price"
            )
        copy = _copy(model)
        copy.position, copy.description, copy.unit = position, description, line.unit
        copy.quantity, copy.unit_price = line.quantity, line.unit_price
        copy.net = line_net(line.quantity, line.unit_price, currency)
        made.append(copy)
    return made


def _check_per_rate(
    db: Session, invoice: Invoice, original: list[InvoiceLine], asked: dict[Key, Decimal]
) -> None:
    """No (category, rate) credited beyond what the invoice taxed at it, earlier notes included."""
    left: dict[Key, Decimal] = defaultdict(Decimal)
    for group in vat_groups(original, invoice.currency):
        left[group.category, group.rate] += group.taxable
    earlier = db.scalars(
        select(InvoiceLine)
        .join(
            Invoice,
            (Invoice.tenant_id == InvoiceLine.tenant_id) & (Invoice.id == InvoiceLine.invoice_id),
        )
        .where(Invoice.credits_id == invoice.id, Invoice.status != InvoiceStatus.DRAFT)
    )
    for group in vat_groups(list(earlier), invoice.currency):
        left[group.category, group.rate] -= group.taxable
    unit = minor_unit(invoice.currency)
    for (category, rate), amount in asked.items():
        if amount > left[category, rate]:
            raise InvoicingError(
                f"this credits {amount} {invoice.currency} excluding VAT at {category} "
                f"{rate:%}; only {left[category, rate].quantize(unit)} taxed so is left on the "
                "invoice",
                "lines",
            )


def _issue(
    db: Session,
    invoice: Invoice,
    lines: list[InvoiceLine],
    day: date,
    reason: str,
    issued_by: uuid.UUID | None,
    net: Decimal,
    vat: Decimal,
) -> Invoice:
    number, _sequence = take_number(db, DocumentKind.CREDIT_NOTE, day.year)
    note = Invoice(
        kind=DocumentKind.CREDIT_NOTE,
        status=InvoiceStatus.ISSUED,
        activity_id=invoice.activity_id,
        client_id=invoice.client_id,
        credits_id=invoice.id,
        number=number,
        currency=invoice.currency,
        locale=invoice.locale,
        issue_date=day,
        supply_date=invoice.supply_date,
        payment_terms_days=0,
        buyer_reference=invoice.buyer_reference,
        note=" ".join(reason.split())[:2000],
        net_total=net,
        vat_total=vat,
        gross_total=net + vat,
        seller=invoice.seller,
        buyer=invoice.buyer,
        mentions=invoice.mentions,
        created_by=issued_by,
        issued_at=utcnow(),
    )
    db.add(note)
    db.flush()
    for line in lines:
        line.invoice_id = note.id
    db.add_all(lines)
    entry = post(
        db,
        kind=CREDIT_NOTE_ENTRY,
        description=f"Credit note {number} for invoice {invoice.number}",
        day=day,
        reference=f"invoice:{invoice.id}",
        lines=credit_note_lines(note),
    )
    note.journal_entry_id = entry.id
    db.flush()
    record(
        db,
        "invoice.credited",
        "invoice",
        invoice.id,
        {
            "credit_note": number,
            "credit_note_id": note.id,
            "net": net,
            "vat": vat,
            "gross": net + vat,
        },
        actor_id=issued_by,
    )
    return note


def credit_note_lines(note: Invoice) -> list[Line]:
    """The ledger lines of a credit note: the mirror of its invoice for the credited amounts."""
    return [
        Line(line.role, -line.amount, line.activity_id, line.currency)
        for line in invoice_lines(note)
    ]
