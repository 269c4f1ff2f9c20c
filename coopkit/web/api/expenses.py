"""Expense claims in API v1: createExpense (multipart, with receipts), approveExpense and
rejectExpense (staff, never the submitter), getExpense, listExpenses, the receipts.

A member sees the claims of the activities they work in; anybody else's answers
404, like one that does not exist. Refusals are problem+json: 422 with what to
fix (``errors[].key`` names the field; a claim above the activity's money adds
``available`` and ``gross``), 403 for the four-eyes rule, 409 for a claim
decided already. ``Idempotency-Key`` makes a retried create or approval safe.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.orm import Session

from coopkit.expenses import queries
from coopkit.expenses.errors import ExpenseError, ExpenseHeld
from coopkit.expenses.models import ExpenseClaim, ExpenseStatus
from coopkit.expenses.receipts import MAX_RECEIPT_BYTES, MAX_RECEIPTS, ReceiptFile
from coopkit.expenses.service import (
    ExpenseRequest,
    approve_expense,
    categories_for,
    hold_expense,
    reject_expense,
    submit_expense,
)
from coopkit.money import minor_unit
from coopkit.tenants.models import Tenant
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.api.expense_schemas import (
    ExpenseCategoryOut,
    ExpenseForm,
    ExpenseOut,
    ReceiptOut,
    RejectionIn,
)
from coopkit.web.api.idempotent import IdempotencyKeyHeader, once
from coopkit.web.errors import problem
from coopkit.web.visibility import is_staff, visible_activity

Db = NamedDependency[Session]
# Every receipt at its largest, and room for the form's fields.
MAX_BODY = MAX_RECEIPTS * MAX_RECEIPT_BYTES + 1024 * 1024
StatusFilter = Annotated[
    ExpenseStatus | None, QueryParameter(description="submitted, approved or rejected")
]


def expense_out(db: Session, slug: str, claim: ExpenseClaim) -> ExpenseOut:
    base = f"/api/v1/t/{slug}/expenses/{claim.id}/receipts"
    receipts = [
        ReceiptOut(r.id, r.file_name, r.content_type, r.size, r.sha256, f"{base}/{r.id}")
        for r in queries.receipts_of(db, claim)
    ]
    unit = minor_unit(claim.currency)
    return ExpenseOut(
        id=claim.id,
        reference=claim.reference,
        activity_id=claim.activity_id,
        submitted_by=claim.submitted_by_id,
        submitted_at=claim.submitted_at,
        day=claim.day,
        supplier=claim.supplier,
        description=claim.description,
        category=claim.category,
        vat_source=claim.vat_source,
        currency=claim.currency,
        net=claim.net.quantize(unit),
        vat_rate=claim.vat_rate_code,
        vat=claim.vat.quantize(unit),
        recoverable_vat=claim.recoverable_vat.quantize(unit),
        gross=claim.gross.quantize(unit),
        charged_to_activity=(claim.gross - claim.recoverable_vat).quantize(unit),
        status=claim.status.value,
        held_reason=claim.held_reason,
        decided_by=claim.decided_by_id,
        decided_at=claim.decided_at,
        rejection_reason=claim.rejection_reason,
        entry_id=claim.entry_id,
        receipts=receipts,
    )


def _own_only(request: Request[Any, Any, Any]) -> uuid.UUID | None:
    return None if is_staff(request) else visitor(request).user_id


def parse_request(form: ExpenseForm) -> ExpenseRequest:
    """The claim a form asks for; ExpenseError names the field that cannot be read."""
    try:
        activity_id = uuid.UUID(form.activity_id.strip())
    except ValueError:
        raise ExpenseError("activity_id: give the activity's id", "activity_id") from None
    try:
        day = date.fromisoformat(form.day.strip())
    except ValueError:
        raise ExpenseError("day: give the day you paid as YYYY-MM-DD", "day") from None
    typed = "".join(form.net.split()).replace("\u202f", "").replace("\xa0", "")
    if "." not in typed:  # "30,50" as many readers type it
        typed = typed.replace(",", ".")
    try:
        net = Decimal(typed)
    except InvalidOperation:
        net = Decimal("NaN")
    if not net.is_finite():
        raise ExpenseError("net: give the amount excluding VAT, such as 12.50", "net")
    return ExpenseRequest(
        activity_id=activity_id,
        day=day,
        supplier=form.supplier,
        description=form.description,
        category=form.category.strip(),
        net=net,
        vat_rate=form.vat_rate.strip() or None,
        currency=form.currency.strip().upper() or None,
    )


def read_receipts(uploads: list[Any]) -> list[ReceiptFile]:
    """The uploaded files' names and bytes (an empty file input sends a nameless empty part)."""
    files = []
    for upload in uploads:
        content = upload.file.read(MAX_RECEIPT_BYTES + 1)
        if upload.filename or content:
            files.append(ReceiptFile(upload.filename or "", content))
    return files


@post(
    "/t/{slug:str}/expenses",
    operation_id="createExpense",
    guards=[member_only],
    sync_to_thread=True,
    request_max_body_size=MAX_BODY,
)
def create_expense(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    data: Annotated[ExpenseForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Claim an expense on an activity you work in, with its receipts (multipart/form-data).
    Refused when the activity has less available than the gross amount."""
    who = visitor(request)
    assert who.tenant is not None
    assert who.user_id is not None
    tenant: Tenant = who.tenant
    user_id: uuid.UUID = who.user_id
    wanted = parse_request(data)
    visible_activity(request, db, wanted.activity_id)
    receipts = read_receipts(data.receipts)

    def work() -> Any:
        claim = submit_expense(db, services(request).plugins, tenant, wanted, receipts, user_id)
        return msgspec.to_builtins(expense_out(db, slug, claim))

    payload = {
        "request": msgspec.to_builtins(wanted),
        "receipts": [(f.file_name, len(f.content), hash_of(f.content)) for f in receipts],
    }
    return once(db, idempotency_key, "createExpense", payload, work)


def hash_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@get(
    "/t/{slug:str}/expenses",
    operation_id="listExpenses",
    guards=[member_only],
    sync_to_thread=True,
)
def list_expenses(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], status: StatusFilter = None
) -> list[ExpenseOut]:
    """Claims, newest first: staff see every claim, a member those of their activities.
    ``status=submitted`` is the approval queue (oldest first)."""
    oldest_first = status is ExpenseStatus.SUBMITTED
    claims = queries.list_expenses(db, _own_only(request), status, oldest_first=oldest_first)
    return [expense_out(db, slug, c) for c in claims]


@get(
    "/t/{slug:str}/expenses/{expense_id:uuid}",
    operation_id="getExpense",
    guards=[member_only],
    sync_to_thread=True,
)
def get_expense(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], expense_id: FromPath[uuid.UUID]
) -> ExpenseOut:
    """One claim with its status, amounts and receipts."""
    return expense_out(db, slug, queries.get_expense(db, expense_id, _own_only(request)))


@get(
    "/t/{slug:str}/expenses/{expense_id:uuid}/receipts/{receipt_id:uuid}",
    operation_id="getExpenseReceipt",
    guards=[member_only],
    sync_to_thread=True,
)
def get_expense_receipt(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    expense_id: FromPath[uuid.UUID],
    receipt_id: FromPath[uuid.UUID],
) -> Response[bytes]:
    """A receipt's file, as it was uploaded."""
    claim = queries.get_expense(db, expense_id, _own_only(request))
    return receipt_response(queries.receipt_file(db, claim, receipt_id))


def receipt_response(receipt: Any) -> Response[bytes]:
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in receipt.file_name)
    return Response(
        receipt.content,
        media_type=receipt.content_type,
        headers={
            "Content-Disposition": f'inline; filename="{safe}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@post(
    "/t/{slug:str}/expenses/{expense_id:uuid}/approval",
    operation_id="approveExpense",
    guards=[staff_only],
    sync_to_thread=True,
)
def approve(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    expense_id: FromPath[uuid.UUID],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Approve a submitted claim (staff other than the submitter) and post it to the ledger.
    If the activity cannot bear it now, the claim stays submitted with the reason (422)."""
    staff_id = visitor(request).user_id
    assert staff_id is not None

    def work() -> Any:
        claim = approve_expense(db, expense_id, staff_id)
        return msgspec.to_builtins(expense_out(db, slug, claim))

    try:
        return once(db, idempotency_key, "approveExpense", {"expense": str(expense_id)}, work, 200)
    except ExpenseHeld as held:
        hold_expense(db, held.claim_id, str(held))
        return problem(request, 422, str(held), expense=str(held.claim_id))


@post(
    "/t/{slug:str}/expenses/{expense_id:uuid}/rejection",
    operation_id="rejectExpense",
    guards=[staff_only],
    sync_to_thread=True,
    status_code=200,
)
def reject(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    expense_id: FromPath[uuid.UUID],
    data: JSONBody[RejectionIn],
) -> ExpenseOut:
    """Reject a submitted claim with a reason the member reads (staff other than the submitter)."""
    staff_id = visitor(request).user_id
    assert staff_id is not None
    return expense_out(db, slug, reject_expense(db, expense_id, staff_id, data.reason))


@get(
    "/t/{slug:str}/expense-categories",
    operation_id="listExpenseCategories",
    guards=[member_only],
    sync_to_thread=False,
)
def list_expense_categories(
    request: Request[Any, Any, Any], slug: FromPath[str], day: FromQuery[date | None] = None
) -> list[ExpenseCategoryOut]:
    """The kinds of expense of the cooperative's country on a day (today by default), each
    with the fraction of its VAT the coop recovers and the legal source."""
    tenant = visitor(request).tenant
    assert tenant is not None
    return [
        ExpenseCategoryOut(
            c.code, c.label, c.recoverable, c.source, c.valid_from, c.max_gross, c.below_net
        )
        for c in categories_for(services(request).plugins, tenant, day or date.today())
    ]


EXPENSE_HANDLERS = [
    create_expense,
    list_expenses,
    get_expense,
    get_expense_receipt,
    approve,
    reject,
    list_expense_categories,
]
