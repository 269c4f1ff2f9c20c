"""Issuing an invoice: checks, number, dates, payment reference, snapshots, ledger, audit.

All in the caller's transaction, inside a savepoint: an issue that fails at
any step (a missing mention, a ledger refusal) leaves the draft as it was and
gives its number back, so the series has no hole.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.db.base import utcnow
from coopkit.i18n import gettext
from coopkit.invoicing.clients import get_client
from coopkit.invoicing.cooperative import current_cooperative, seller_on
from coopkit.invoicing.drafts import get_invoice, lines_of
from coopkit.invoicing.errors import InvoicingConflict, InvoicingError, MissingMentions
from coopkit.invoicing.mentions import missing_mentions, printed_mentions
from coopkit.invoicing.models import Client, DocumentKind, Invoice, InvoiceLine, InvoiceStatus
from coopkit.invoicing.numbering import take_number
from coopkit.invoicing.references import payment_reference
from coopkit.invoicing.snapshots import buyer_snapshot, seller_snapshot
from coopkit.invoicing.vat import buyer_refusal, line_net, totals, treatment, vat_groups
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.posting import Line, credit, debit, post
from coopkit.plugins import PluginHost, default_host

INVOICE_ENTRY = "invoice"


def issue_invoice(
    db: Session,
    invoice_id: uuid.UUID,
    *,
    day: date,
    issued_by: uuid.UUID | None = None,
    plugins: PluginHost | None = None,
) -> Invoice:
    """Issue the draft ``invoice_id`` on ``day`` and post it; return it, numbered.

    Refused (InvoicingError, MissingMentions listing every missing mention) when
    it is not a draft, its client is blocked, it has no line or no positive
    total, a VAT code is not valid on the supply date or not for this client.
    """
    host = plugins or default_host()
    invoice = get_invoice(db, invoice_id)
    if invoice.kind is not DocumentKind.INVOICE or invoice.status is not InvoiceStatus.DRAFT:
        raise InvoicingConflict(f"invoice {invoice.number or invoice.id} is already issued")
    with db.begin_nested():
        _issue(db, host, invoice, day, issued_by)
    return invoice


def _issue(
    db: Session, host: PluginHost, invoice: Invoice, day: date, issued_by: uuid.UUID | None
) -> None:
    tenant = current_cooperative(db)
    client = get_client(db, invoice.client_id)
    if client.blocked:
        raise InvoicingError(f"the client {client.name} is blocked: ask staff", "client_id")
    supply = invoice.supply_date or day
    lines = lines_of(db, invoice)
    for line in lines:
        _retax(host, tenant.country, invoice.currency, client, line, supply)
    seller = seller_on(db, day)
    national = host.invoice_mentions(tenant.country, day)
    missing = missing_mentions(seller, client, lines, national)
    if missing:
        raise MissingMentions(missing)
    assert seller is not None
    figures = totals(vat_groups(lines, invoice.currency), invoice.currency)
    if figures.gross <= 0:
        raise InvoicingError("the total must be positive: add a line with a price", "lines")
    number, sequence = take_number(db, DocumentKind.INVOICE, day.year)
    invoice.number = number
    invoice.status = InvoiceStatus.ISSUED
    invoice.issue_date, invoice.supply_date = day, supply
    invoice.due_date = day + timedelta(days=invoice.payment_terms_days)
    invoice.payment_reference = payment_reference(
        host.country(tenant.country).payment_reference, day.year, sequence, number
    )
    invoice.net_total, invoice.vat_total, invoice.gross_total = (
        figures.net,
        figures.vat,
        figures.gross,
    )
    invoice.locale = client.locale
    invoice.seller = seller_snapshot(seller)
    invoice.buyer = buyer_snapshot(client)
    invoice.mentions = printed_mentions(national, client, invoice.locale)
    invoice.issued_at = utcnow()
    for line in lines:
        if line.vat_exemption_reason:
            line.vat_exemption_reason = gettext(invoice.locale, line.vat_exemption_reason)
    db.flush()
    entry = post(
        db,
        kind=INVOICE_ENTRY,
        description=f"Invoice {number} to {client.name}"[:500],
        day=day,
        reference=f"invoice:{invoice.id}",
        lines=invoice_lines(invoice),
    )
    invoice.journal_entry_id = entry.id
    db.flush()
    record(
        db,
        "invoice.issued",
        "invoice",
        invoice.id,
        {
            "number": number,
            "activity": invoice.activity_id,
            "client": client.id,
            "issue_date": day,
            "net": figures.net,
            "vat": figures.vat,
            "gross": figures.gross,
            "currency": invoice.currency,
        },
        actor_id=issued_by,
    )


def invoice_lines(invoice: Invoice) -> list[Line]:
    """The ledger lines of an issued invoice (docs/ledger.md: kind ``invoice``)."""
    lines = [
        debit(
            AccountRole.CLIENT_RECEIVABLES,
            invoice.gross_total,
            invoice.activity_id,
            invoice.currency,
        ),
    ]
    if invoice.net_total:
        lines.append(
            credit(AccountRole.TURNOVER, invoice.net_total, invoice.activity_id, invoice.currency)
        )
    if invoice.vat_total:
        lines.append(credit(AccountRole.VAT_COLLECTED, invoice.vat_total, None, invoice.currency))
    return lines


def _retax(
    host: PluginHost, country: str, currency: str, client: Client, line: InvoiceLine, supply: date
) -> None:
    """Take the line's VAT treatment again on the supply date (the rate of that day)."""
    field = f"lines[{line.position - 1}].vat_code"
    chosen = treatment(host, country, line.vat_code, supply, field)
    refusal = buyer_refusal(chosen, client, country, supply)
    if refusal:
        raise InvoicingError(f"line {line.position}: {refusal}", field)
    line.vat_category, line.vat_rate = chosen.category, chosen.rate
    line.vat_exemption_code, line.vat_exemption_reason = chosen.vatex, chosen.wording
    line.net = line_net(line.quantity, line.unit_price, currency)
