"""Payments and bank statements in API v1, for staff.

``recordPayment`` records money received on an invoice; ``importBankStatement``
takes a CAMT.053 or CSV file (multipart field ``file``, or the raw body with
``?format=``), matches its credits to invoices and answers with the counts;
``listBankLines``, ``assignBankLine`` and ``ignoreBankLine`` work through the
lines that wait. Everything that moves money takes an ``Idempotency-Key``.
Refusals are problem+json (coopkit/web/errors.py): 404 for what is not in the
cooperative, 409 for a statement imported before, 422 for the rest.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from pathlib import PurePath
from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.banking.importing import import_statement, statement_format
from coopkit.banking.models import LineStatus, StatementFormat
from coopkit.banking.queue import (
    assign_line,
    get_line,
    get_statement,
    ignore_line,
    list_lines,
    list_statements,
)
from coopkit.invoicing.models import Invoice, Payment
from coopkit.invoicing.payments import record_payment
from coopkit.invoicing.standing import standing
from coopkit.web.access import staff_only, visitor
from coopkit.web.api.banking_schemas import (
    AssignIn,
    AssignOut,
    BankLineOut,
    BankStatementOut,
    IgnoreIn,
    PaymentIn,
    PaymentOut,
    bank_line_out,
    bank_statement_out,
    import_out,
    payment_out,
)
from coopkit.web.api.idempotent import IdempotencyKeyHeader, once

Db = NamedDependency[Session]
Format = Annotated[
    str | None,
    QueryParameter(
        pattern=r"^(camt053|csv)$",
        description="camt053 or csv; else taken from the uploaded file's name (.xml, .csv)",
    ),
]
SUFFIXES = {".xml": StatementFormat.CAMT053, ".csv": StatementFormat.CSV}
CONTENT_TYPES = {
    "application/xml": StatementFormat.CAMT053,
    "text/xml": StatementFormat.CAMT053,
    "text/csv": StatementFormat.CSV,
}


@post(
    "/t/{slug:str}/invoices/{invoice_id:uuid}/payments",
    operation_id="recordPayment",
    guards=[staff_only],
    sync_to_thread=True,
)
def record_invoice_payment(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    invoice_id: FromPath[uuid.UUID],
    data: JSONBody[PaymentIn],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Record money received on an issued invoice (staff only): posts the payment and the
    activity's share with the fee and the guarantee contribution. More than what is due is
    refused (422, with ``due`` and ``amount``). Send an ``Idempotency-Key``."""
    user = visitor(request).user_id

    def work() -> Any:
        payment = record_payment(
            db,
            invoice_id,
            data.amount,
            day=data.day or date.today(),
            method=data.method,
            payer=data.payer,
            recorded_by=user,
        )
        return msgspec.to_builtins(_paid(db, payment))

    payload = {"invoice": str(invoice_id), "body": msgspec.to_builtins(data)}
    return once(db, idempotency_key, "recordPayment", payload, work)


def _paid(db: Session, payment: Payment) -> PaymentOut:
    """The payment with its invoice's status and what is still due after it."""
    invoice = db.scalars(select(Invoice).where(Invoice.id == payment.invoice_id)).one()
    return payment_out(payment, invoice, standing(db, invoice).due)


async def _upload(request: Request[Any, Any, Any], wanted: str | None) -> tuple[bytes, str, str]:
    """The file's bytes, its name and its format, from a multipart upload or the raw body."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    name = ""
    if content_type == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ClientException("send the statement in the multipart field 'file'")
        data, name = await upload.read(), upload.filename or ""
        wanted = wanted or form.get("format") or None
    else:
        data = await request.body()
    if wanted is None:
        found = SUFFIXES.get(PurePath(name).suffix.lower()) or CONTENT_TYPES.get(content_type)
        if found is None:
            raise ClientException(
                "say which format the statement is in: ?format=camt053 or ?format=csv"
            )
        wanted = found.value
    return data, name, wanted


@post(
    "/t/{slug:str}/bank-statements",
    operation_id="importBankStatement",
    guards=[staff_only],
    status_code=201,
)
async def import_bank_statement(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    format: Format = None,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Import a bank statement (staff only): a CAMT.053 file (ISO 20022, version 2 or later)
    or a CSV file (docs/banking.md), as the multipart field ``file`` or as the raw request
    body with ``?format=camt053|csv``. The whole file is imported or nothing: a malformed
    file is a 422 naming what is wrong; a file or statement imported before is a 409.
    Credits are matched to invoices and recorded as payments; the answer counts the lines
    matched, waiting (unmatched) and ignored (money out). Send an ``Idempotency-Key``."""
    data, name, wanted = await _upload(request, format)
    kind = statement_format(wanted)
    user = visitor(request).user_id

    def work() -> Any:
        result = import_statement(db, data, kind, file_name=name, imported_by=user)
        return msgspec.to_builtins(import_out(result))

    payload = {"format": kind.value, "sha256": hashlib.sha256(data).hexdigest()}
    return await anyio.to_thread.run_sync(
        lambda: once(db, idempotency_key, "importBankStatement", payload, work)
    )


@get(
    "/t/{slug:str}/bank-statements",
    operation_id="listBankStatements",
    guards=[staff_only],
    sync_to_thread=True,
)
def list_bank_statements(db: Db, slug: FromPath[str]) -> list[BankStatementOut]:
    """The imported statements, the latest import first (staff only)."""
    return [bank_statement_out(s) for s in list_statements(db)]


@get(
    "/t/{slug:str}/bank-lines",
    operation_id="listBankLines",
    guards=[staff_only],
    sync_to_thread=True,
)
def list_bank_lines(
    db: Db,
    slug: FromPath[str],
    status: Annotated[
        str | None,
        QueryParameter(pattern=r"^(matched|unmatched|ignored)$", description="only these"),
    ] = None,
    statement_id: Annotated[uuid.UUID | None, QueryParameter()] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 200,
    offset: Annotated[int, QueryParameter(ge=0)] = 0,
) -> list[BankLineOut]:
    """Bank statement lines, the oldest booking first (staff only);
    ``status=unmatched`` is the queue of lines waiting for staff, each with its reason."""
    if statement_id is not None:
        get_statement(db, statement_id)
    lines = list_lines(
        db,
        status=None if status is None else LineStatus(status),
        statement_id=statement_id,
        limit=limit,
        offset=offset,
    )
    return [bank_line_out(line) for line in lines]


@post(
    "/t/{slug:str}/bank-lines/{line_id:uuid}/assignment",
    operation_id="assignBankLine",
    guards=[staff_only],
    sync_to_thread=True,
)
def assign_bank_line(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    line_id: FromPath[uuid.UUID],
    data: JSONBody[AssignIn],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Record a waiting line as a payment of an invoice (staff only): its whole amount, a
    partial payment if less than is due; more than is due is refused (422)."""
    user = visitor(request).user_id

    def work() -> Any:
        payment = assign_line(db, line_id, data.invoice_id, by=user)
        out = AssignOut(bank_line_out(get_line(db, line_id)), _paid(db, payment))
        return msgspec.to_builtins(out)

    payload = {"line": str(line_id), "body": msgspec.to_builtins(data)}
    return once(db, idempotency_key, "assignBankLine", payload, work, status_code=200)


@post(
    "/t/{slug:str}/bank-lines/{line_id:uuid}/ignore",
    operation_id="ignoreBankLine",
    guards=[staff_only],
    status_code=200,
    sync_to_thread=True,
)
def ignore_bank_line(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    line_id: FromPath[uuid.UUID],
    data: JSONBody[IgnoreIn],
) -> BankLineOut:
    """Set a waiting line aside for good, saying why (staff only)."""
    return bank_line_out(ignore_line(db, line_id, data.reason, by=visitor(request).user_id))


BANKING_HANDLERS = [
    record_invoice_payment,
    import_bank_statement,
    list_bank_statements,
    list_bank_lines,
    assign_bank_line,
    ignore_bank_line,
]
