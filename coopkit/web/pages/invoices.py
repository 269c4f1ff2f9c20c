"""Invoice pages for members: the invoices of their activities, the draft form (lines as
rows), one invoice with its standing, the issue button; staff see every activity's."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.service import list_activities
from coopkit.collection.overview import STEP_LABELS, steps_of
from coopkit.guarantee.advances import GuaranteeError
from coopkit.guarantee.write_off import WriteOffRefused, write_off_invoice
from coopkit.i18n import _
from coopkit.invoicing import drafts
from coopkit.invoicing.clients import list_clients
from coopkit.invoicing.errors import InvoicingError, MissingMentions, UnknownInvoice
from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.models import Client, Invoice, InvoiceStatus, Payment
from coopkit.invoicing.queries import credit_notes_of, list_invoices
from coopkit.invoicing.references import printed_reference
from coopkit.invoicing.standing import standing
from coopkit.invoicing.vat import treatments, vat_groups
from coopkit.money import Money
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.pages.invoice_forms import DraftForm, LineForm, draft_of, field_of
from coopkit.web.templating import flash, page
from coopkit.web.visibility import is_staff as _is_staff

Db = NamedDependency[Session]
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _activities(request: Request[Any, Any, Any], db: Session) -> list[Any]:
    return list_activities(db, None if _is_staff(request) else visitor(request).user_id)


def _visible(request: Request[Any, Any, Any], db: Session, invoice_id: uuid.UUID) -> Invoice:
    try:
        invoice = drafts.get_invoice(db, invoice_id)
    except UnknownInvoice:
        raise NotFoundException(f"no invoice {invoice_id} here") from None
    if not _is_staff(request) and invoice.activity_id not in {
        a.id for a in _activities(request, db)
    }:
        raise NotFoundException(f"no invoice {invoice_id} here")
    return invoice


def _money(amount: Any, currency: str) -> Money:
    return Money(amount, currency)


@get("/t/{slug:str}/invoices", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def invoices_page(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    activity: FromQuery[uuid.UUID | None] = None,
) -> Template:
    mine = _activities(request, db)
    member = None if _is_staff(request) else visitor(request).user_id
    found = list_invoices(db, member=member, activity_id=activity)
    clients = {c.id: c.name for c in db.scalars(select(Client))}
    rows = [
        {
            "invoice": i,
            "client": clients.get(i.client_id, ""),
            "gross": _money(i.gross_total, i.currency),
            "due": None
            if i.status is InvoiceStatus.DRAFT
            else _money(standing(db, i).due, i.currency),
        }
        for i in found
    ]
    return page(request, "invoices.html", rows=rows, activities=mine, chosen=activity)


def _form_page(
    request: Request[Any, Any, Any],
    db: Session,
    form: DraftForm,
    errors: dict[str, str] | None = None,
    invoice: Invoice | None = None,
    status_code: int = 200,
) -> Template:
    tenant = visitor(request).tenant
    assert tenant is not None
    on = date.fromisoformat(form.supply_date) if _is_date(form.supply_date) else date.today()
    return page(
        request,
        "invoice_form.html",
        status_code=status_code,
        form=form,
        errors=errors or {},
        invoice=invoice,
        activities=_activities(request, db),
        clients=list_clients(db),
        vat_codes=list(treatments(services(request).plugins, tenant.country, on).values()),
    )


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _form_of(db: Session, invoice: Invoice) -> DraftForm:
    return DraftForm(
        activity_id=str(invoice.activity_id),
        client_id=str(invoice.client_id),
        supply_date=invoice.supply_date.isoformat() if invoice.supply_date else "",
        payment_terms_days=str(invoice.payment_terms_days),
        buyer_reference=invoice.buyer_reference,
        note=invoice.note,
        lines=[
            LineForm(
                x.description,
                format(x.quantity.normalize(), "f"),
                x.unit,
                format(x.unit_price.normalize(), "f"),
                x.vat_code,
            )
            for x in drafts.lines_of(db, invoice)
        ],
    )


@get(
    "/t/{slug:str}/invoices/new", guards=[member_only], include_in_schema=False, sync_to_thread=True
)
def new_invoice_page(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    activity: FromQuery[uuid.UUID | None] = None,
    edit: FromQuery[uuid.UUID | None] = None,
) -> Template:
    if edit is not None:
        invoice = _visible(request, db, edit)
        return _form_page(request, db, _form_of(db, invoice).with_empty_rows(1), invoice=invoice)
    mine = _activities(request, db)
    chosen = str(activity) if activity else (str(mine[0].id) if len(mine) == 1 else "")
    return _form_page(request, db, DraftForm(activity_id=chosen).with_empty_rows())


@post(
    "/t/{slug:str}/invoices/save",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def save_invoice_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    data: Form,
    edit: FromQuery[uuid.UUID | None] = None,
) -> Template | Redirect:
    form = DraftForm.parse(data)
    invoice = _visible(request, db, edit) if edit else None
    if data.get("action") == "add_row":
        return _form_page(request, db, form.with_another_row(), invoice=invoice)
    errors: dict[str, str] = {}
    wanted = draft_of(form, errors)
    if wanted is not None and wanted.activity_id not in {a.id for a in _activities(request, db)}:
        errors["activity_id"] = _("Choose one of your activities.")
    if wanted is not None and not errors:
        plugins = services(request).plugins
        try:
            with db.begin_nested():
                if invoice is None:
                    invoice = drafts.create_draft(
                        db, wanted, created_by=visitor(request).user_id, plugins=plugins
                    )
                else:
                    drafts.update_draft(db, invoice.id, wanted, plugins=plugins)
        except InvoicingError as error:
            errors[field_of(error.field)] = str(error)
        else:
            flash(request, _("Draft saved."), "info")
            return Redirect(f"/t/{slug}/invoices/{invoice.id}")
    return _form_page(request, db, form.with_empty_rows(1), errors, invoice, status_code=400)


def _view(db: Session, invoice: Invoice) -> dict[str, Any]:
    lines = drafts.lines_of(db, invoice)
    currency = invoice.currency
    figures = None if invoice.status is InvoiceStatus.DRAFT else standing(db, invoice)
    client = db.scalar(select(Client).where(Client.id == invoice.client_id))
    return {
        "invoice": invoice,
        "client": client,
        "lines": lines,
        "money": lambda amount: _money(amount, currency),
        "groups": vat_groups(lines, currency),
        "standing": figures,
        "reference": printed_reference(invoice.payment_reference),
        "credit_notes": credit_notes_of(db, invoice),
        "credits": drafts.get_invoice(db, invoice.credits_id) if invoice.credits_id else None,
        "reminders": steps_of(db, invoice.id),
        "step_labels": STEP_LABELS,
        "payments": list(
            db.scalars(
                select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.day)
            )
        ),
    }


@get(
    "/t/{slug:str}/invoices/{invoice_id:uuid}",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def invoice_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], invoice_id: FromPath[uuid.UUID]
) -> Template:
    invoice = _visible(request, db, invoice_id)
    return page(
        request,
        "invoice_page.html",
        missing=[],
        is_staff=_is_staff(request),
        **_view(db, invoice),
    )


@post(
    "/t/{slug:str}/invoices/{invoice_id:uuid}/issue",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def issue_invoice_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], invoice_id: FromPath[uuid.UUID]
) -> Template | Redirect:
    invoice = _visible(request, db, invoice_id)
    try:
        with db.begin_nested():
            issued = issue_invoice(
                db,
                invoice.id,
                day=date.today(),
                issued_by=visitor(request).user_id,
                plugins=services(request).plugins,
            )
    except MissingMentions as error:
        missing = error.missing
    except InvoicingError as error:
        missing = [str(error)]
    else:
        flash(request, _("Invoice %(number)s issued."), "info", number=issued.number)
        return Redirect(f"/t/{slug}/invoices/{invoice.id}")
    db.refresh(invoice)
    return page(
        request, "invoice_page.html", status_code=422, missing=missing, **_view(db, invoice)
    )


class WriteOffForm(msgspec.Struct):
    reason: str = ""


@post(
    "/t/{slug:str}/invoices/{invoice_id:uuid}/write-off",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def write_off_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    invoice_id: FromPath[uuid.UUID],
    data: Annotated[WriteOffForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Staff write the invoice off (coopkit.guarantee.write_off); the refusal is shown on it."""
    invoice = _visible(request, db, invoice_id)
    try:
        with db.begin_nested():
            write_off_invoice(
                db,
                invoice.id,
                day=date.today(),
                reason=data.reason,
                written_off_by=visitor(request).user_id,
            )
    except (WriteOffRefused, GuaranteeError) as error:
        db.refresh(invoice)
        return page(
            request,
            "invoice_page.html",
            status_code=422,
            missing=[],
            write_off_error=str(error),
            is_staff=True,
            **_view(db, invoice),
        )
    flash(request, _("Invoice %(number)s written off."), "info", number=invoice.number)
    return Redirect(f"/t/{slug}/invoices/{invoice.id}")


INVOICE_PAGES = [
    invoices_page,
    new_invoice_page,
    save_invoice_form,
    invoice_page,
    issue_invoice_form,
    write_off_form,
]
