"""API: draft, issue, read and credit invoices (createInvoice, issueInvoice, getInvoice…).

A member works with the invoices of the activities they work in, staff with
all; anyone else gets 404, as for an invoice that does not exist. Issuing and
crediting create numbered documents and post to the ledger: they take an
``Idempotency-Key`` header, so a retry returns the first answer.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.orm import Session

from coopkit.invoicing import drafts
from coopkit.invoicing.credit_notes import create_credit_note as credit_invoice
from coopkit.invoicing.errors import UnknownInvoice
from coopkit.invoicing.from_quote import draft_from_quote
from coopkit.invoicing.issuing import issue_invoice as issue
from coopkit.invoicing.models import Invoice, InvoiceStatus
from coopkit.invoicing.queries import credit_notes_of
from coopkit.invoicing.queries import list_invoices as find_invoices
from coopkit.invoicing.references import printed_reference
from coopkit.invoicing.standing import standing
from coopkit.invoicing.vat import vat_groups
from coopkit.money import minor_unit
from coopkit.web.access import member_only, services, visitor
from coopkit.web.api.idempotent import IdempotencyKeyHeader, once
from coopkit.web.api.invoice_schemas import (
    CreditNoteIn,
    DocumentRef,
    InvoiceIn,
    InvoiceLineIn,
    InvoiceLineOut,
    InvoiceOut,
    IssueIn,
    StandingOut,
    VatBreakdownOut,
)
from coopkit.web.quote_access import visible_quote
from coopkit.web.visibility import is_staff as _is_staff
from coopkit.web.visibility import visible_activity as _visible

Db = NamedDependency[Session]
Status = Annotated[InvoiceStatus | None, QueryParameter(description="draft, issued, paid…")]


def _plain(number: Decimal) -> Decimal:
    """A quantity, price or rate without the storage's trailing zeros (2.0000 → 2)."""
    return Decimal(format(number.normalize(), "f"))


def invoice_out(db: Session, invoice: Invoice) -> InvoiceOut:
    unit = minor_unit(invoice.currency)

    def money(amount: Decimal) -> Decimal:
        return amount.quantize(unit)

    lines = drafts.lines_of(db, invoice)
    figures = None if invoice.status is InvoiceStatus.DRAFT else standing(db, invoice)
    credited = drafts.get_invoice(db, invoice.credits_id) if invoice.credits_id else None
    return InvoiceOut(
        id=invoice.id,
        kind=invoice.kind.value,
        status=invoice.status.value,
        number=invoice.number,
        activity_id=invoice.activity_id,
        client_id=invoice.client_id,
        credits=DocumentRef(credited.id, credited.number) if credited else None,
        currency=invoice.currency,
        locale=invoice.locale,
        issue_date=invoice.issue_date,
        supply_date=invoice.supply_date,
        due_date=invoice.due_date,
        payment_terms_days=invoice.payment_terms_days,
        payment_reference=printed_reference(invoice.payment_reference) or None,
        buyer_reference=invoice.buyer_reference,
        note=invoice.note,
        net_total=money(invoice.net_total),
        vat_total=money(invoice.vat_total),
        gross_total=money(invoice.gross_total),
        lines=[
            InvoiceLineOut(
                x.position,
                x.description,
                _plain(x.quantity),
                x.unit,
                _plain(x.unit_price),
                money(x.net),
                x.vat_category,
                x.vat_code,
                _plain(x.vat_rate),
                x.vat_exemption_code,
                x.vat_exemption_reason,
            )
            for x in lines
        ],
        vat_breakdown=[
            VatBreakdownOut(g.category, g.rate, g.taxable, g.vat)
            for g in vat_groups(lines, invoice.currency)
        ],
        standing=None
        if figures is None
        else StandingOut(
            money(figures.gross), money(figures.paid), money(figures.credited), money(figures.due)
        ),
        mentions=list(invoice.mentions or ()),
        credit_notes=[DocumentRef(n.id, n.number) for n in credit_notes_of(db, invoice)],
    )


def visible_invoice(request: Request[Any, Any, Any], db: Session, invoice_id: uuid.UUID) -> Invoice:
    """The invoice if the visitor works in its activity or is staff; 404 otherwise."""
    try:
        invoice = drafts.get_invoice(db, invoice_id)
        _visible(request, db, invoice.activity_id)
    except (UnknownInvoice, NotFoundException):
        raise NotFoundException(f"no invoice {invoice_id} here") from None
    return invoice


def draft_in(data: InvoiceIn) -> drafts.DraftIn:
    return drafts.DraftIn(
        activity_id=data.activity_id,
        client_id=data.client_id,
        lines=tuple(line_in(x) for x in data.lines),
        supply_date=data.supply_date,
        payment_terms_days=data.payment_terms_days,
        buyer_reference=data.buyer_reference,
        note=data.note,
    )


def line_in(line: InvoiceLineIn) -> drafts.LineIn:
    return drafts.LineIn(line.description, line.quantity, line.unit_price, line.vat_code, line.unit)


@post(
    "/t/{slug:str}/invoices",
    operation_id="createInvoice",
    guards=[member_only],
    sync_to_thread=True,
)
def create_invoice(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: JSONBody[InvoiceIn]
) -> InvoiceOut:
    """Draft an invoice for an activity you work in: client, lines (VAT code of the
    cooperative's country for the supply date), payment terms. A draft has no number."""
    _visible(request, db, data.activity_id)
    invoice = drafts.create_draft(
        db, draft_in(data), created_by=visitor(request).user_id, plugins=services(request).plugins
    )
    return invoice_out(db, invoice)


@post(
    "/t/{slug:str}/quotes/{quote_id:uuid}/invoice",
    operation_id="createInvoiceFromQuote",
    guards=[member_only],
    sync_to_thread=True,
)
def create_invoice_from_quote(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], quote_id: FromPath[uuid.UUID]
) -> InvoiceOut:
    """Draft the invoice of a quote its client accepted through the link: same activity,
    client and lines, the quote's number as buyer reference, linked to the confirmation."""
    visible_quote(request, db, quote_id)
    invoice = draft_from_quote(
        db, quote_id, created_by=visitor(request).user_id, plugins=services(request).plugins
    )
    return invoice_out(db, invoice)


@put(
    "/t/{slug:str}/invoices/{invoice_id:uuid}",
    operation_id="updateInvoice",
    guards=[member_only],
    sync_to_thread=True,
)
def update_invoice(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    invoice_id: FromPath[uuid.UUID],
    data: JSONBody[InvoiceIn],
) -> InvoiceOut:
    """Replace a draft's fields and lines (an issued invoice never changes: 409)."""
    visible_invoice(request, db, invoice_id)
    _visible(request, db, data.activity_id)
    invoice = drafts.update_draft(db, invoice_id, draft_in(data), plugins=services(request).plugins)
    return invoice_out(db, invoice)


@get(
    "/t/{slug:str}/invoices", operation_id="listInvoices", guards=[member_only], sync_to_thread=True
)
def list_invoices(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    activity_id: FromQuery[uuid.UUID | None] = None,
    client_id: FromQuery[uuid.UUID | None] = None,
    status: Status = None,
) -> list[InvoiceOut]:
    """Invoices and credit notes, newest first: of the activities you work in (staff: all)."""
    member = None if _is_staff(request) else visitor(request).user_id
    found = find_invoices(
        db, member=member, activity_id=activity_id, client_id=client_id, status=status
    )
    return [invoice_out(db, invoice) for invoice in found]


@get(
    "/t/{slug:str}/invoices/{invoice_id:uuid}",
    operation_id="getInvoice",
    guards=[member_only],
    sync_to_thread=True,
)
def get_invoice(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], invoice_id: FromPath[uuid.UUID]
) -> InvoiceOut:
    """An invoice or credit note with its lines, VAT breakdown and standing (paid, credited,
    due)."""
    return invoice_out(db, visible_invoice(request, db, invoice_id))


@post(
    "/t/{slug:str}/invoices/{invoice_id:uuid}/issue",
    operation_id="issueInvoice",
    guards=[member_only],
    sync_to_thread=True,
)
def issue_invoice(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    invoice_id: FromPath[uuid.UUID],
    data: JSONBody[IssueIn | None] = None,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Issue a draft: the mandatory mentions are checked (422 lists each one missing), it
    gets its number, due date and payment reference, and is posted to the ledger."""
    visible_invoice(request, db, invoice_id)
    day = (data.day if data else None) or date.today()

    def work() -> Any:
        issued = issue(
            db,
            invoice_id,
            day=day,
            issued_by=visitor(request).user_id,
            plugins=services(request).plugins,
        )
        return msgspec.to_builtins(invoice_out(db, issued))

    payload = {"invoice": str(invoice_id), "day": day.isoformat()}
    return once(db, idempotency_key, "issueInvoice", payload, work, status_code=200)


@post(
    "/t/{slug:str}/invoices/{invoice_id:uuid}/credit-notes",
    operation_id="createCreditNote",
    guards=[member_only],
    sync_to_thread=True,
)
def create_credit_note(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    invoice_id: FromPath[uuid.UUID],
    data: JSONBody[CreditNoteIn],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Cancel an issued invoice with a numbered credit note: all of it, or ``lines`` under
    the VAT codes it used; never more than is still due."""
    visible_invoice(request, db, invoice_id)
    day = data.day or date.today()

    def work() -> Any:
        note = credit_invoice(
            db,
            invoice_id,
            day=day,
            lines=None if data.lines is None else [line_in(x) for x in data.lines],
            reason=data.reason,
            issued_by=visitor(request).user_id,
        )
        return msgspec.to_builtins(invoice_out(db, note))

    payload = {
        "invoice": str(invoice_id),
        "day": day.isoformat(),
        "body": msgspec.to_builtins(data),
    }
    return once(db, idempotency_key, "createCreditNote", payload, work)


INVOICE_HANDLERS = [
    create_invoice,
    create_invoice_from_quote,
    update_invoice,
    list_invoices,
    get_invoice,
    issue_invoice,
    create_credit_note,
]
