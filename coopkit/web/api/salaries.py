"""Salary requests in API v1: createSalaryRequest, getSalaryRequest, listSalaryRequests,
approveSalaryRequest and rejectSalaryRequest (staff, never for themself),
cancelSalaryRequest (the member).

A member sees their own requests; anybody else's answers 404, like one that
does not exist. Refusals are problem+json: 422 naming the field
(``errors[].key``; money missing adds ``missing``, ``currency`` and the
guarantee fund's ``reasons``), 409 for days another request covers (with
``other``) or a request decided already, 403 for the four-eyes rule.
``Idempotency-Key`` makes a retried create or approval safe.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.payouts.models import Payout, PayoutKind
from coopkit.salaries.approval import approve_salary_request
from coopkit.salaries.errors import SalaryRequestError, SalaryRequestHeld
from coopkit.salaries.models import SalaryRequest, SalaryStatus
from coopkit.salaries.queries import get_salary_request, list_salary_requests
from coopkit.salaries.service import (
    SalaryAsk,
    cancel_salary_request,
    create_salary_request,
    due_date_of,
    hold_salary_request,
    reject_salary_request,
)
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.api.idempotent import IdempotencyKeyHeader, once
from coopkit.web.api.salary_schemas import ReasonIn, SalaryRequestIn, SalaryRequestOut
from coopkit.web.errors import problem
from coopkit.web.visibility import is_staff, visible_activity

Db = NamedDependency[Session]
StatusFilter = Annotated[
    SalaryStatus | None,
    QueryParameter(description="requested, approved, rejected or cancelled"),
]


def request_out(db: Session, made: SalaryRequest) -> SalaryRequestOut:
    paid_on = db.scalar(
        select(Payout.paid_on).where(Payout.kind == PayoutKind.SALARY, Payout.source_id == made.id)
    )
    return SalaryRequestOut(
        id=made.id,
        reference=made.reference,
        activity_id=made.activity_id,
        member_id=made.user_id,
        period_start=made.period_start,
        period_end=made.period_end,
        days=None if made.days is None else made.days.quantize(Decimal("0.01")),
        hours=made.hours.quantize(Decimal("0.01")),
        asked=made.asked.value,
        asked_amount=made.asked_amount.quantize(Decimal("0.01")),
        month=f"{made.month:%Y-%m}",
        currency=made.currency,
        gross=made.gross.quantize(Decimal("0.01")),
        net_pay=made.net_pay.quantize(Decimal("0.01")),
        income_tax_withheld=made.income_tax_withheld.quantize(Decimal("0.01")),
        social_contributions=made.social_contributions.quantize(Decimal("0.01")),
        employer_cost=made.employer_cost.quantize(Decimal("0.01")),
        from_funds=made.from_funds.quantize(Decimal("0.01")),
        from_advance=made.from_advance.quantize(Decimal("0.01")),
        status=made.status.value,
        reason=made.reason,
        expected_due_date=made.due_date or due_date_of(db, made.period_end),
        due_date=made.due_date,
        paid_on=paid_on,
        payslip_id=made.payslip_id,
        salary_entry_id=made.salary_entry_id,
        decided_by=made.decided_by_id,
        decided_at=made.decided_at,
        created_by=made.created_by_id,
        created_at=made.created_at,
    )


def number(text: str | None, name: str) -> Decimal | None:
    """An exact decimal from the body's text (None when left out); the field is named."""
    if text is None or not text.strip():
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise SalaryRequestError(f'{name}: {text!r} is not a number (give e.g. "5")', name)
    return value


def ask_of(request: Request[Any, Any, Any], data: SalaryRequestIn) -> SalaryAsk:
    me = visitor(request).user_id
    assert me is not None
    member = data.member_id or me
    if member != me and not is_staff(request):
        raise SalaryRequestError("a member asks for their own salary only", "member_id")
    return SalaryAsk(
        member_id=member,
        activity_id=data.activity_id,
        period_start=data.period_start,
        period_end=data.period_end,
        days=number(data.days, "days"),
        hours=number(data.hours, "hours"),
        gross=number(data.gross, "gross"),
        budget=number(data.budget, "budget"),
    )


@post(
    "/t/{slug:str}/salary-requests",
    operation_id="createSalaryRequest",
    guards=[member_only],
    sync_to_thread=True,
)
def create(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    data: JSONBody[SalaryRequestIn],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Ask to be paid for a work period on an activity you work in (staff: for a member).
    The request is priced by the country's payroll and covered by the activity's money,
    then the guarantee fund; the activity's part is reserved at once."""
    who = visitor(request)
    assert who.tenant is not None
    tenant = who.tenant
    ask = ask_of(request, data)
    visible_activity(request, db, ask.activity_id)

    def work() -> Any:
        made = create_salary_request(
            db, services(request).plugins, tenant, ask, day=date.today(), created_by=who.user_id
        )
        return msgspec.to_builtins(request_out(db, made))

    return once(db, idempotency_key, "createSalaryRequest", msgspec.to_builtins(data), work)


def _own_only(request: Request[Any, Any, Any]) -> uuid.UUID | None:
    return None if is_staff(request) else visitor(request).user_id


@get(
    "/t/{slug:str}/salary-requests",
    operation_id="listSalaryRequests",
    guards=[member_only],
    sync_to_thread=True,
)
def list_requests(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], status: StatusFilter = None
) -> list[SalaryRequestOut]:
    """Requests by due date, earliest first: staff see every one, a member their own.
    ``status=requested`` is staff's approval queue."""
    return [request_out(db, r) for r in list_salary_requests(db, _own_only(request), status)]


@get(
    "/t/{slug:str}/salary-requests/{request_id:uuid}",
    operation_id="getSalaryRequest",
    guards=[member_only],
    sync_to_thread=True,
)
def get_request(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], request_id: FromPath[uuid.UUID]
) -> SalaryRequestOut:
    """One request with its price, coverage, status and due date."""
    return request_out(db, get_salary_request(db, request_id, _own_only(request)))


@post(
    "/t/{slug:str}/salary-requests/{request_id:uuid}/approval",
    operation_id="approveSalaryRequest",
    guards=[staff_only],
    sync_to_thread=True,
)
def approve(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    request_id: FromPath[uuid.UUID],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Approve a request (staff, not for themself): the guarantee fund's advance is granted,
    the salary posted, the payslip issued and the net pay queued, due by ``due_date``.
    If the money is no longer there, it stays requested with the reason (422)."""
    who = visitor(request)
    assert who.tenant is not None
    assert who.user_id is not None
    tenant, staff_id = who.tenant, who.user_id

    def work() -> Any:
        made = approve_salary_request(
            db, services(request).plugins, tenant, request_id, approved_by=staff_id,
            day=date.today(),
        )  # fmt: skip
        return msgspec.to_builtins(request_out(db, made))

    payload = {"salary_request": str(request_id)}
    try:
        return once(db, idempotency_key, "approveSalaryRequest", payload, work, 200)
    except SalaryRequestHeld as held:
        hold_salary_request(db, held.request_id, str(held))
        return problem(request, 422, str(held), salary_request=str(held.request_id))


@post(
    "/t/{slug:str}/salary-requests/{request_id:uuid}/rejection",
    operation_id="rejectSalaryRequest",
    guards=[staff_only],
    sync_to_thread=True,
    status_code=200,
)
def reject(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    request_id: FromPath[uuid.UUID],
    data: JSONBody[ReasonIn],
) -> SalaryRequestOut:
    """Reject a request with a reason the member reads (staff, not for themself); the
    activity's reserved money is released."""
    staff_id = visitor(request).user_id
    assert staff_id is not None
    made = reject_salary_request(
        db, request_id, rejected_by=staff_id, reason=data.reason, day=date.today()
    )
    return request_out(db, made)


@post(
    "/t/{slug:str}/salary-requests/{request_id:uuid}/cancellation",
    operation_id="cancelSalaryRequest",
    guards=[member_only],
    sync_to_thread=True,
    status_code=200,
)
def cancel(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    request_id: FromPath[uuid.UUID],
    data: JSONBody[ReasonIn],
) -> SalaryRequestOut:
    """Withdraw your own request while it is requested; its reserved money is released."""
    member_id = visitor(request).user_id
    assert member_id is not None
    made = cancel_salary_request(
        db, request_id, member_id=member_id, day=date.today(), reason=data.reason
    )
    return request_out(db, made)


SALARY_HANDLERS = [create, list_requests, get_request, approve, reject, cancel]
