"""Building the :class:`InvoiceDocument` of a stored, issued invoice or credit note.

Everything comes from what was frozen at issue (the parties' snapshots, the
lines with their VAT treatment and wording, the national mentions), plus the
invoice's standing today (what is paid) and the seller's logo of the issue day.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity
from coopkit.i18n import gettext
from coopkit.invoicing.cooperative import seller_on
from coopkit.invoicing.document import (
    DocumentLine,
    InvoiceDocument,
    Party,
    PostalAddress,
    VatBreakdown,
)
from coopkit.invoicing.drafts import get_invoice, lines_of
from coopkit.invoicing.errors import InvoicingError
from coopkit.invoicing.models import DocumentKind, Invoice, InvoiceLine, InvoiceStatus
from coopkit.invoicing.references import document_reference
from coopkit.invoicing.standing import standing
from coopkit.invoicing.vat import vat_groups


def _party(snapshot: dict[str, Any], name_key: str) -> Party:
    return Party(
        name=str(snapshot[name_key]),
        address=PostalAddress(
            street=str(snapshot["street"]),
            postcode=str(snapshot["postcode"]),
            city=str(snapshot["city"]),
            country=str(snapshot["country"]),
        ),
        vat_number=snapshot.get("vat_number") or None,
        company_number=str(snapshot.get("company_number") or ""),
        legal_form=str(snapshot.get("legal_form") or ""),
        register=str(snapshot.get("register") or ""),
        share_capital=str(snapshot.get("share_capital") or ""),
        email=str(snapshot.get("email") or ""),
    )


def _breakdown(lines: list[InvoiceLine], currency: str) -> tuple[VatBreakdown, ...]:
    reasons = {
        (line.vat_category, Decimal(line.vat_rate).normalize()): (
            line.vat_exemption_reason,
            line.vat_exemption_code,
        )
        for line in lines
    }
    return tuple(
        VatBreakdown(
            category=group.category,
            rate=group.rate,
            taxable=group.taxable,
            vat=group.vat,
            exemption_reason=reasons[group.category, group.rate][0],
            exemption_code=reasons[group.category, group.rate][1],
        )
        for group in vat_groups(lines, currency)
    )


def invoice_document(db: Session, invoice: Invoice) -> InvoiceDocument:
    """The document of an issued invoice or credit note (a draft has none: InvoicingError)."""
    if invoice.status is InvoiceStatus.DRAFT or invoice.seller is None or invoice.buyer is None:
        raise InvoicingError("a draft is not a document yet: issue it first")
    assert invoice.number is not None
    assert invoice.issue_date is not None
    lines = lines_of(db, invoice)
    figures = standing(db, invoice)
    is_credit_note = invoice.kind is DocumentKind.CREDIT_NOTE
    preceding = get_invoice(db, invoice.credits_id) if invoice.credits_id else None
    identity = seller_on(db, invoice.issue_date)
    activity = db.scalar(select(Activity).where(Activity.id == invoice.activity_id))
    terms = ""
    if invoice.due_date is not None and not is_credit_note:
        terms = gettext(
            invoice.locale, "Payable within %(days)s days.", days=invoice.payment_terms_days
        )
    return InvoiceDocument(
        number=invoice.number,
        is_credit_note=is_credit_note,
        issue_date=invoice.issue_date,
        supply_date=invoice.supply_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        locale=invoice.locale,
        seller=_party(invoice.seller, "legal_name"),
        buyer=_party(invoice.buyer, "name"),
        lines=tuple(
            DocumentLine(
                position=line.position,
                description=line.description,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                net=line.net,
                vat_category=line.vat_category,
                vat_rate=line.vat_rate,
            )
            for line in lines
        ),
        vat_breakdown=_breakdown(lines, invoice.currency),
        net_total=invoice.net_total,
        vat_total=invoice.vat_total,
        gross_total=invoice.gross_total,
        paid=Decimal(0) if is_credit_note else figures.paid,
        # A credit note's amount is what it credits: EN 16931 BR-CO-16 (BT-115 = BT-112 − BT-113).
        due=figures.gross if is_credit_note else figures.gross - figures.paid,
        payment_reference=document_reference(invoice.payment_reference),
        iban=str(invoice.seller.get("iban") or ""),
        bic=str(invoice.seller.get("bic") or ""),
        payment_terms=terms,
        buyer_reference=invoice.buyer_reference,
        preceding_invoice=preceding.number if preceding else None,
        preceding_issue_date=preceding.issue_date if preceding else None,
        activity=activity.name if activity else "",
        mentions=tuple(invoice.mentions or ()),
        brand_colour=str(invoice.seller.get("brand_colour") or "#1f5f8b"),
        logo_png=identity.logo_png if identity else None,
    )
