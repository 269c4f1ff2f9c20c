"""Staff pages for the bank: imported statements with the upload form, and the queue of
lines that wait (oldest first, with the reason and the invoices they might pay)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.banking.importing import import_statement, statement_format
from coopkit.banking.matching import OpenInvoice, suggestions
from coopkit.banking.models import BankLine, BankStatement, LineStatus
from coopkit.banking.parsed import StatementError
from coopkit.banking.queue import QueueError, assign_line, ignore_line, list_lines, list_statements
from coopkit.i18n import _
from coopkit.invoicing.models import DocumentKind, Invoice
from coopkit.invoicing.payments import PaymentError
from coopkit.ledger.errors import LedgerError
from coopkit.ledger.policy import PolicyError
from coopkit.money import Money
from coopkit.web.access import staff_only, visitor
from coopkit.web.templating import flash, page

Db = NamedDependency[Session]
REFUSED = (PaymentError, QueueError, LedgerError, PolicyError)
SUFFIXES = {".xml": "camt053", ".csv": "csv"}


@dataclass
class UploadForm:
    file: UploadFile | None = None
    format: str = ""


@dataclass
class AssignForm:
    invoice_id: str = ""
    invoice_number: str = ""


@dataclass
class IgnoreForm:
    reason: str = ""


@dataclass(frozen=True)
class Candidate:
    """An open invoice a waiting line might pay."""

    invoice: Invoice
    client_name: str
    due: Money

    @classmethod
    def of(cls, found: OpenInvoice) -> Candidate:
        return cls(found.invoice, found.client.name, Money(found.due, found.invoice.currency))


@dataclass(frozen=True)
class WaitingLine:
    """A line of the queue with the invoices it might pay."""

    line: BankLine
    amount: Money
    candidates: list[Candidate]


@dataclass(frozen=True)
class StatementRow:
    statement: BankStatement
    closing: Money | None
    counts: dict[LineStatus, int]


def _counts(db: Session) -> dict[uuid.UUID, dict[LineStatus, int]]:
    rows = db.execute(
        select(BankLine.statement_id, BankLine.status, func.count()).group_by(
            BankLine.statement_id, BankLine.status
        )
    ).all()
    counts: dict[uuid.UUID, dict[LineStatus, int]] = defaultdict(
        lambda: dict.fromkeys(LineStatus, 0)
    )
    for statement_id, status, number in rows:
        counts[statement_id][status] = number
    return counts


def _statements_page(
    request: Request[Any, Any, Any], db: Session, error: str = "", status_code: int = 200
) -> Template:
    counts = _counts(db)
    rows = [
        StatementRow(
            s,
            None if s.closing_balance is None else Money(s.closing_balance, s.currency),
            counts[s.id],
        )
        for s in list_statements(db)
    ]
    waiting = db.scalar(
        select(func.count()).select_from(BankLine).where(BankLine.status == LineStatus.UNMATCHED)
    )
    return page(
        request,
        "bank_statements.html",
        status_code=status_code,
        rows=rows,
        waiting=waiting or 0,
        error=error,
        statuses=LineStatus,
    )


@get("/t/{slug:str}/bank", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def bank_statements_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    return _statements_page(request, db)


@post(
    "/t/{slug:str}/bank/import", guards=[staff_only], include_in_schema=False, sync_to_thread=True
)
def import_statement_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template | Redirect:
    upload = data.file
    if upload is None or not upload.filename:
        return _statements_page(request, db, _("Choose the statement file to import."), 400)
    name = upload.filename
    wanted = data.format or SUFFIXES.get(name[name.rfind(".") :].lower(), "")
    if not wanted:
        return _statements_page(request, db, _("Say whether the file is CAMT.053 or CSV."), 400)
    try:
        result = import_statement(
            db,
            upload.file.read(),
            statement_format(wanted),
            file_name=name,
            imported_by=visitor(request).user_id,
        )
    except StatementError as error:
        return _statements_page(request, db, str(error), 400)
    flash(
        request,
        _(
            "%(name)s imported: %(matched)s line(s) paid invoices, %(unmatched)s wait for you, "
            "%(ignored)s money out."
        ),
        "info",
        name=name,
        matched=result.matched,
        unmatched=result.unmatched,
        ignored=result.ignored,
    )
    target = "bank/queue" if result.unmatched else "bank"
    return Redirect(f"/t/{slug}/{target}")


@get("/t/{slug:str}/bank/queue", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def bank_queue_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    lines = list_lines(db, status=LineStatus.UNMATCHED)
    waiting = [
        WaitingLine(
            line,
            Money(line.amount, line.currency),
            [Candidate.of(found) for found in suggestions(db, line)],
        )
        for line in lines
    ]
    return page(request, "bank_queue.html", waiting=waiting)


def _invoice_of(db: Session, form: AssignForm) -> uuid.UUID | None:
    if form.invoice_number.strip():
        return db.scalar(
            select(Invoice.id).where(
                Invoice.number == form.invoice_number.strip(),
                Invoice.kind == DocumentKind.INVOICE,
            )
        )
    try:
        return uuid.UUID(form.invoice_id)
    except ValueError:
        return None


@post(
    "/t/{slug:str}/bank/lines/{line_id:uuid}/assign",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def assign_line_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    line_id: FromPath[uuid.UUID],
    data: URLEncodedBody[AssignForm],
) -> Redirect:
    invoice_id = _invoice_of(db, data)
    if invoice_id is None:
        flash(request, _("Choose the invoice this line pays, or type its number."), "error")
        return Redirect(f"/t/{slug}/bank/queue")
    try:
        payment = assign_line(db, line_id, invoice_id, by=visitor(request).user_id)
    except REFUSED as error:
        flash(request, _("Not assigned: %(reason)s"), "error", reason=str(error))
    else:
        amount = Money(payment.amount, payment.currency)
        flash(request, _("Payment of %(amount)s recorded."), "info", amount=str(amount))
    return Redirect(f"/t/{slug}/bank/queue")


@post(
    "/t/{slug:str}/bank/lines/{line_id:uuid}/ignore",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def ignore_line_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    line_id: FromPath[uuid.UUID],
    data: URLEncodedBody[IgnoreForm],
) -> Redirect:
    try:
        ignore_line(db, line_id, data.reason, by=visitor(request).user_id)
    except QueueError as error:
        flash(request, _("Not ignored: %(reason)s"), "error", reason=str(error))
    else:
        flash(request, _("The line is set aside."), "info")
    return Redirect(f"/t/{slug}/bank/queue")


BANK_PAGES = [
    bank_statements_page,
    import_statement_form,
    bank_queue_page,
    assign_line_form,
    ignore_line_form,
]
