"""Salary pages: a member asks for their salary (priced first, nothing written, then sent)
and follows their requests; staff see the queue with the on-time report, and approve or
reject (four eyes)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from coopkit.activities.service import UnknownActivity, list_activities
from coopkit.i18n import _
from coopkit.salaries.approval import approve_salary_request
from coopkit.salaries.errors import (
    SalaryRequestError,
    SalaryRequestForbidden,
    SalaryRequestHeld,
)
from coopkit.salaries.models import SalaryStatus
from coopkit.salaries.queries import list_salary_requests
from coopkit.salaries.report import on_time_report
from coopkit.salaries.service import (
    cancel_salary_request,
    create_salary_request,
    hold_salary_request,
    quote_salary,
    reject_salary_request,
)
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.pages.salary_views import (
    QuoteView,
    SalaryForm,
    ask_of,
    form_field,
    quote_view,
    rows_of,
)
from coopkit.web.templating import flash, page
from coopkit.web.visibility import is_staff as _is_staff

Db = NamedDependency[Session]


@get("/t/{slug:str}/salaries", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def salaries_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    """Staff: the queue and the on-time report; a member: their own requests, newest first."""
    today = date.today()
    if _is_staff(request):
        requested = list_salary_requests(db, None, SalaryStatus.REQUESTED)
        approved = list_salary_requests(db, None, SalaryStatus.APPROVED)
        approved.sort(key=lambda r: (r.due_date or r.period_end, r.period_end))
        return page(
            request,
            "salary_queue.html",
            requested=rows_of(db, requested, today),
            approved=rows_of(db, approved, today),
            report=on_time_report(db, today=today),
            me=visitor(request).user_id,
        )
    mine = list_salary_requests(db, visitor(request).user_id)
    return page(request, "salaries.html", rows=rows_of(db, mine[::-1], today))


def _form_page(
    request: Request[Any, Any, Any],
    db: Db,
    form: SalaryForm,
    errors: dict[str, str] | None = None,
    quote: QuoteView | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        request,
        "salary_form.html",
        status_code=status_code,
        form=form,
        errors=errors or {},
        quote=quote,
        activities=list_activities(db, visitor(request).user_id),
    )


@get(
    "/t/{slug:str}/salaries/new", guards=[member_only], include_in_schema=False, sync_to_thread=True
)
def new_salary_page(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    activity: FromQuery[uuid.UUID | None] = None,
) -> Template:
    chosen = "" if activity is None else str(activity)
    return _form_page(request, db, SalaryForm(activity_id=chosen))


# Not on the list's path: Litestar 2.25 wraps a sync handler twice when two sync_to_thread
# handlers share a path (see coopkit/web/pages/payslips.py).
@post(
    "/t/{slug:str}/salaries/ask", guards=[member_only], include_in_schema=False, sync_to_thread=True
)
def ask_salary_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: URLEncodedBody[SalaryForm]
) -> Template | Redirect:
    """ "Price it" shows the price and the coverage, writing nothing; "Send the request"
    records it. Whatever is refused comes back on the form, as typed."""
    who = visitor(request)
    assert who.tenant is not None
    assert who.user_id is not None
    errors: dict[str, str] = {}
    ask = ask_of(data, who.user_id, errors)
    if ask is None:
        return _form_page(request, db, data, errors, status_code=400)
    plugins, today = services(request).plugins, date.today()
    try:
        if data.step != "send":
            quote = quote_salary(db, plugins, who.tenant, ask, today)
            return _form_page(request, db, data, quote=quote_view(quote))
        with db.begin_nested():
            made = create_salary_request(
                db, plugins, who.tenant, ask, day=today, created_by=who.user_id
            )
    except SalaryRequestError as error:
        errors[form_field(error.field)] = str(error)
    except UnknownActivity:
        errors["activity_id"] = _("Choose one of your activities.")
    else:
        flash(request, _("Salary request %(ref)s sent."), "info", ref=made.reference)
        return Redirect(f"/t/{slug}/salaries")
    return _form_page(request, db, data, errors, status_code=400)


@dataclass
class DecisionForm:
    reason: str = ""


@post(
    "/t/{slug:str}/salaries/{request_id:uuid}/cancel",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def cancel_salary_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    request_id: FromPath[uuid.UUID],
    data: URLEncodedBody[DecisionForm],
) -> Redirect:
    """The member withdraws their own request (anybody else's is not found)."""
    member_id = visitor(request).user_id
    assert member_id is not None
    try:
        made = cancel_salary_request(
            db, request_id, member_id=member_id, day=date.today(), reason=data.reason
        )
    except SalaryRequestError as error:
        flash(request, _("Not cancelled: %(reason)s"), "error", reason=str(error))
    else:
        flash(request, _("Salary request %(ref)s cancelled."), "info", ref=made.reference)
    return Redirect(f"/t/{slug}/salaries")


@post(
    "/t/{slug:str}/salaries/{request_id:uuid}/approve",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def approve_salary_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], request_id: FromPath[uuid.UUID]
) -> Redirect:
    who = visitor(request)
    assert who.tenant is not None
    assert who.user_id is not None
    try:
        made = approve_salary_request(
            db, services(request).plugins, who.tenant, request_id, approved_by=who.user_id,
            day=date.today(),
        )  # fmt: skip
    except SalaryRequestHeld as held:
        hold_salary_request(db, held.request_id, str(held))
        flash(request, _("Not approved: %(reason)s"), "error", reason=str(held))
    except (SalaryRequestError, SalaryRequestForbidden) as error:
        flash(request, _("Not approved: %(reason)s"), "error", reason=str(error))
    else:
        flash(request, _("Salary request %(ref)s approved."), "info", ref=made.reference)
    return Redirect(f"/t/{slug}/salaries")


@post(
    "/t/{slug:str}/salaries/{request_id:uuid}/reject",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def reject_salary_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    request_id: FromPath[uuid.UUID],
    data: URLEncodedBody[DecisionForm],
) -> Redirect:
    staff_id = visitor(request).user_id
    assert staff_id is not None
    try:
        made = reject_salary_request(
            db, request_id, rejected_by=staff_id, reason=data.reason, day=date.today()
        )
    except (SalaryRequestError, SalaryRequestForbidden) as error:
        flash(request, _("Not rejected: %(reason)s"), "error", reason=str(error))
    else:
        flash(request, _("Salary request %(ref)s rejected."), "info", ref=made.reference)
    return Redirect(f"/t/{slug}/salaries")


SALARY_PAGES = [
    salaries_page,
    new_salary_page,
    ask_salary_form,
    cancel_salary_form,
    approve_salary_form,
    reject_salary_form,
]
