"""Expense pages: a member's claims and the claim form (with receipts), one claim, and the
staff's approval queue with approve and reject (four eyes)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity
from coopkit.activities.service import list_activities
from coopkit.expenses import queries
from coopkit.expenses.errors import ExpenseError, ExpenseForbidden, ExpenseHeld
from coopkit.expenses.models import ExpenseClaim, ExpenseStatus
from coopkit.expenses.receipts import ReceiptFile
from coopkit.expenses.service import (
    approve_expense,
    categories_for,
    hold_expense,
    reject_expense,
    submit_expense,
)
from coopkit.i18n import _
from coopkit.money import Money
from coopkit.people.models import User
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.api.expense_schemas import ExpenseForm
from coopkit.web.api.expenses import MAX_BODY, parse_request, receipt_response
from coopkit.web.templating import flash, page
from coopkit.web.uploads import uploaded_files
from coopkit.web.visibility import is_staff as _is_staff

Db = NamedDependency[Session]
FIELDS = ("activity_id", "day", "supplier", "description", "category", "net", "vat_rate")


@dataclass(frozen=True)
class ClaimRow:
    """A claim as pages show it: amounts as Money, names instead of ids."""

    claim: ExpenseClaim
    activity: str
    submitter: str
    net: Money
    vat: Money
    recoverable_vat: Money
    gross: Money
    charged: Money


def _own_only(request: Request[Any, Any, Any]) -> uuid.UUID | None:
    return None if _is_staff(request) else visitor(request).user_id


def rows_of(db: Session, claims: list[ExpenseClaim]) -> list[ClaimRow]:
    codes = {row.id: row.code for row in db.execute(select(Activity.id, Activity.code))}
    ids = {c.submitted_by_id for c in claims}
    found = db.execute(select(User.id, User.name).where(User.id.in_(ids)))
    names = {row.id: row.name for row in found}
    return [
        ClaimRow(
            claim=c,
            activity=codes.get(c.activity_id, "?"),
            submitter=names.get(c.submitted_by_id, "?"),
            net=Money(c.net, c.currency),
            vat=Money(c.vat, c.currency),
            recoverable_vat=Money(c.recoverable_vat, c.currency),
            gross=Money(c.gross, c.currency),
            charged=Money(c.gross - c.recoverable_vat, c.currency),
        )
        for c in claims
    ]


@get("/t/{slug:str}/expenses", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def expenses_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    rows = rows_of(db, queries.list_expenses(db, _own_only(request)))
    return page(request, "expenses.html", rows=rows, is_staff=_is_staff(request))


def _form_page(
    request: Request[Any, Any, Any],
    db: Db,
    form: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    who = visitor(request)
    assert who.tenant is not None
    plugins = services(request).plugins
    today = date.today()
    try:
        categories = categories_for(plugins, who.tenant, today)
        rates = plugins.vat_rates(who.tenant.country, today)
    except (ExpenseError, LookupError):
        categories, rates = [], []
    return page(
        request,
        "expense_form.html",
        status_code=status_code,
        form=form,
        errors=errors or {},
        activities=list_activities(db, who.user_id),
        categories=categories,
        rates=rates,
    )


@get(
    "/t/{slug:str}/expenses/new", guards=[member_only], include_in_schema=False, sync_to_thread=True
)
def new_expense_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    return _form_page(request, db, {"day": date.today().isoformat(), "category": "general"})


# Not on the list's path: Litestar 2.25 wraps a sync handler twice when two sync_to_thread
# handlers share a path (see coopkit/web/pages/payslips.py).
@post(
    "/t/{slug:str}/expenses/submit",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
    request_max_body_size=MAX_BODY,
)
def submit_expense_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template | Redirect:
    who = visitor(request)
    assert who.tenant is not None
    assert who.user_id is not None
    form = {name: str(data.get(name) or "") for name in FIELDS}
    receipts = [
        ReceiptFile(u.filename or "", u.file.read()) for u in uploaded_files(data.get("receipts"))
    ]
    try:
        fields = ExpenseForm(
            form["activity_id"],
            form["day"],
            form["supplier"],
            form["description"],
            form["category"],
            form["net"],
            vat_rate=form["vat_rate"],
        )
        wanted = parse_request(fields)
        claim = submit_expense(
            db, services(request).plugins, who.tenant, wanted, receipts, who.user_id
        )
    except ExpenseError as error:
        return _form_page(request, db, form, {error.field or "form": str(error)}, 400)
    except (ExpenseForbidden, LookupError) as error:
        return _form_page(request, db, form, {"activity_id": str(error)}, 400)
    flash(request, _("Expense claim %(ref)s submitted."), "info", ref=claim.reference)
    return Redirect(f"/t/{slug}/expenses/{claim.id}")


@get(
    "/t/{slug:str}/expenses/queue",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def expense_queue_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    """Submitted claims, oldest first, each with its receipts and the decision forms."""
    claims = queries.list_expenses(db, None, ExpenseStatus.SUBMITTED, oldest_first=True)
    receipts = {c.id: queries.receipts_of(db, c) for c in claims}
    return page(
        request,
        "expense_queue.html",
        rows=rows_of(db, claims),
        receipts=receipts,
        me=visitor(request).user_id,
    )


@get(
    "/t/{slug:str}/expenses/{expense_id:uuid}",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def expense_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], expense_id: FromPath[uuid.UUID]
) -> Template:
    claim = queries.get_expense(db, expense_id, _own_only(request))
    decider = None if claim.decided_by_id is None else db.get(User, claim.decided_by_id)
    return page(
        request,
        "expense_page.html",
        row=rows_of(db, [claim])[0],
        receipts=queries.receipts_of(db, claim),
        decider=None if decider is None else decider.name,
        is_staff=_is_staff(request),
        me=visitor(request).user_id,
    )


@get(
    "/t/{slug:str}/expenses/{expense_id:uuid}/receipts/{receipt_id:uuid}",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def expense_receipt_page(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    expense_id: FromPath[uuid.UUID],
    receipt_id: FromPath[uuid.UUID],
) -> Response[bytes]:
    claim = queries.get_expense(db, expense_id, _own_only(request))
    return receipt_response(queries.receipt_file(db, claim, receipt_id))


@dataclass
class DecisionForm:
    reason: str = ""


@post(
    "/t/{slug:str}/expenses/{expense_id:uuid}/approve",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def approve_expense_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], expense_id: FromPath[uuid.UUID]
) -> Redirect:
    staff_id = visitor(request).user_id
    assert staff_id is not None
    try:
        claim = approve_expense(db, expense_id, staff_id)
    except ExpenseHeld as held:
        hold_expense(db, held.claim_id, str(held))
        flash(request, _("Not approved: %(reason)s"), "error", reason=str(held))
    except (ExpenseError, ExpenseForbidden) as error:
        flash(request, _("Not approved: %(reason)s"), "error", reason=str(error))
    else:
        flash(request, _("Expense claim %(ref)s approved."), "info", ref=claim.reference)
    return Redirect(f"/t/{slug}/expenses/queue")


@post(
    "/t/{slug:str}/expenses/{expense_id:uuid}/reject",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def reject_expense_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    expense_id: FromPath[uuid.UUID],
    data: URLEncodedBody[DecisionForm],
) -> Redirect:
    staff_id = visitor(request).user_id
    assert staff_id is not None
    try:
        claim = reject_expense(db, expense_id, staff_id, data.reason)
    except (ExpenseError, ExpenseForbidden) as error:
        flash(request, _("Not rejected: %(reason)s"), "error", reason=str(error))
    else:
        flash(request, _("Expense claim %(ref)s rejected."), "info", ref=claim.reference)
    return Redirect(f"/t/{slug}/expenses/queue")


EXPENSE_PAGES = [
    expenses_page,
    new_expense_page,
    submit_expense_form,
    expense_queue_page,
    expense_page,
    expense_receipt_page,
    approve_expense_form,
    reject_expense_form,
]
