"""Asking for a salary, and staff approving or rejecting it (four eyes).

A member asks to be paid for a work period on an activity they work in. The
request is priced (:mod:`coopkit.salaries.pricing`) and covered
(:mod:`coopkit.salaries.coverage`); the activity's part is reserved at once so
that it cannot be spent twice. Staff other than the member approve it: the
salary is posted, the payslip issued, and the net pay queued for the next SEPA
batch, due a fixed number of days after the period
(:mod:`coopkit.salaries.policy`). Everything happens in the caller's
transaction; approving twice changes nothing more.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import ActivityStatus
from coopkit.activities.service import get_activity, reserve, role_in_activity
from coopkit.audit import service as audit
from coopkit.db.base import utcnow
from coopkit.ledger.models import JournalEntry
from coopkit.ledger.posting import reverse
from coopkit.people.models import Membership, Role
from coopkit.people.service import role_in
from coopkit.plugins import PluginHost
from coopkit.salaries.coverage import Coverage, cover
from coopkit.salaries.errors import (
    SalaryRequestConflict,
    SalaryRequestError,
    SalaryRequestForbidden,
    SalaryRequestRefused,
)
from coopkit.salaries.models import Asked, SalaryRequest, SalaryStatus
from coopkit.salaries.policy import payment_days_on
from coopkit.salaries.pricing import Price, WorkAsked, price
from coopkit.salaries.queries import get_salary_request
from coopkit.tenants.models import Tenant
from coopkit.web.payroll import PayrollNotServed, tenant_payroll_rules

OPEN = (SalaryStatus.REQUESTED, SalaryStatus.APPROVED)


@dataclass(frozen=True)
class SalaryAsk:
    """A request as the member (or staff for them) gives it: days or hours, gross or budget."""

    member_id: uuid.UUID
    activity_id: uuid.UUID
    period_start: dt.date
    period_end: dt.date
    days: Decimal | None = None
    hours: Decimal | None = None
    gross: Decimal | None = None
    budget: Decimal | None = None

    def work(self) -> WorkAsked:
        if (self.gross is None) == (self.budget is None):
            raise SalaryRequestError("give the gross salary or the budget to spend (one)", "gross")
        asked, amount = (
            (Asked.GROSS, self.gross) if self.gross is not None else (Asked.BUDGET, self.budget)
        )
        assert amount is not None
        return WorkAsked(self.period_start, asked, amount, self.days, self.hours)


@dataclass(frozen=True)
class Quote:
    """A request priced and covered, before anything is written."""

    price: Price
    coverage: Coverage


def due_date_of(db: Session, period_end: dt.date) -> dt.date:
    """The day the salary of a period ending ``period_end`` must be paid by."""
    return period_end + dt.timedelta(days=payment_days_on(db, period_end))


def _check_period(ask: SalaryAsk) -> None:
    start, end = ask.period_start, ask.period_end
    if start > end:
        raise SalaryRequestError(
            f"the period starts {start} after it ends {end}: swap them", "period_end"
        )
    if (start.year, start.month) != (end.year, end.month):
        last = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        raise SalaryRequestError(
            f"a period lies within one calendar month (one payslip): end it on {last} at the "
            "latest and ask again for the rest",
            "period_end",
        )
    length = (end - start).days + 1  # at most 31: one month
    if ask.days is not None and ask.days > length:
        raise SalaryRequestError(
            f"{ask.days} days worked in a period of {length} days: check the days", "days"
        )


def _check_member(db: Session, ask: SalaryAsk) -> None:
    activity = get_activity(db, ask.activity_id)
    if role_in_activity(db, ask.activity_id, ask.member_id) is None:
        raise SalaryRequestError(
            f"member {ask.member_id} does not work in activity {activity.code}", "member_id"
        )
    if activity.status is not ActivityStatus.ACTIVE:
        raise SalaryRequestError(f"activity {activity.code} is closed", "activity_id")


def _check_no_overlap(db: Session, ask: SalaryAsk) -> None:
    # Lock the member's membership row so that two requests of one member are checked one
    # after the other (PostgreSQL; SQLite has one writer at a time).
    db.execute(
        select(Membership.user_id).where(Membership.user_id == ask.member_id).with_for_update()
    )
    other = db.scalar(
        select(SalaryRequest)
        .where(
            SalaryRequest.user_id == ask.member_id,
            SalaryRequest.status.in_(OPEN),
            SalaryRequest.period_start <= ask.period_end,
            SalaryRequest.period_end >= ask.period_start,
        )
        .order_by(SalaryRequest.period_start)
        .limit(1)
    )
    if other is None:
        return
    what = "was already paid by" if other.status is SalaryStatus.APPROVED else "overlaps"
    raise SalaryRequestConflict(
        f"this period {what} salary request {other.reference} ({other.period}, "
        f"{other.status.value}): a day of work is paid once; choose other days"
        + (" or cancel that request" if other.status is SalaryStatus.REQUESTED else ""),
        other.id,
    )


def quote_salary(
    db: Session, plugins: PluginHost, tenant: Tenant, ask: SalaryAsk, day: dt.date
) -> Quote:
    """Price and cover ``ask`` without writing anything (the form's preview)."""
    _check_period(ask)
    _check_member(db, ask)
    try:
        rules = tenant_payroll_rules(plugins, tenant)
    except PayrollNotServed as error:
        raise SalaryRequestError(str(error)) from None
    priced = price(rules, ask.member_id, ask.work())
    coverage = cover(
        db,
        activity_id=ask.activity_id,
        member_id=ask.member_id,
        cost=priced.employer_cost,
        day=day,
    )
    return Quote(priced, coverage)


def _refuse_uncovered(coverage: Coverage) -> None:
    if coverage.missing <= 0:
        return
    reasons = "; ".join(coverage.reasons) or "no reason given"
    raise SalaryRequestRefused(
        f"the activity has {coverage.available} {coverage.currency} available and the "
        f"guarantee fund advances {coverage.from_advance}: {coverage.missing} "
        f"{coverage.currency} of the employer cost {coverage.cost} is missing ({reasons})",
        missing=coverage.missing,
        currency=coverage.currency,
        reasons=coverage.reasons,
        field="gross",
    )


def create_salary_request(
    db: Session,
    plugins: PluginHost,
    tenant: Tenant,
    ask: SalaryAsk,
    *,
    day: dt.date,
    created_by: uuid.UUID | None = None,
) -> SalaryRequest:
    """Record ``ask`` priced and covered, and reserve the activity's part of it.

    Refused (SalaryRequestError naming the field) for a period that is not
    within one month, a member who does not work in the activity, days that
    another open request covers (SalaryRequestConflict naming it) or money
    that neither the activity nor the guarantee fund has (SalaryRequestRefused
    with the amount missing and the fund's reasons).
    """
    quote = quote_salary(db, plugins, tenant, ask, day)
    _check_no_overlap(db, ask)
    _refuse_uncovered(quote.coverage)
    priced, coverage, work = quote.price, quote.coverage, ask.work()
    request = SalaryRequest(
        activity_id=ask.activity_id,
        user_id=ask.member_id,
        period_start=ask.period_start,
        period_end=ask.period_end,
        days=ask.days,
        hours=priced.hours,
        asked=work.asked,
        asked_amount=work.amount,
        month=priced.month,
        currency=priced.currency,
        gross=priced.gross,
        net_pay=priced.net_pay,
        income_tax_withheld=priced.income_tax_withheld,
        social_contributions=priced.social_contributions,
        employer_cost=priced.employer_cost,
        from_funds=coverage.from_funds,
        from_advance=coverage.from_advance,
        status=SalaryStatus.REQUESTED,
        created_by_id=created_by or ask.member_id,
    )
    db.add(request)
    db.flush()
    if coverage.from_funds > 0:
        entry = reserve(
            db,
            ask.activity_id,
            coverage.from_funds,
            day=day,
            description=f"Salary request {request.reference}: {request.period}",
        )
        request.reservation_entry_id = entry.id
        db.flush()
    audit.record(
        db,
        "salary_request.created",
        "salary_request",
        request.id,
        {
            "member_id": ask.member_id,
            "activity_id": ask.activity_id,
            "period": request.period,
            "employer_cost": request.employer_cost,
            "from_funds": request.from_funds,
            "from_advance": request.from_advance,
        },
        actor_id=request.created_by_id,
    )
    return request


def _release(db: Session, request: SalaryRequest, day: dt.date) -> None:
    if request.reservation_entry_id is None:
        return
    entry = db.scalar(select(JournalEntry).where(JournalEntry.id == request.reservation_entry_id))
    assert entry is not None
    reverse(db, entry, day=day, description=f"Salary request {request.reference} released")


def check_staff_decides(db: Session, request: SalaryRequest, staff_id: uuid.UUID) -> None:
    role = role_in(db, staff_id)
    if role is None or not role.includes(Role.STAFF):
        raise SalaryRequestForbidden("only the cooperative's staff approve or reject salaries")
    if staff_id in (request.user_id, request.created_by_id):
        raise SalaryRequestForbidden(
            "this is your own salary request: another member of staff decides on it (four eyes)"
        )


def _close(
    db: Session,
    request: SalaryRequest,
    status: SalaryStatus,
    by: uuid.UUID,
    reason: str,
    day: dt.date,
) -> SalaryRequest:
    if request.status is not SalaryStatus.REQUESTED:
        raise SalaryRequestConflict(f"this salary request was {request.status.value} already")
    _release(db, request, day)
    request.status = status
    request.reason = reason
    request.decided_by_id = by
    request.decided_at = utcnow()
    db.flush()
    audit.record(
        db,
        f"salary_request.{status.value}",
        "salary_request",
        request.id,
        {"reason": reason, "released": request.from_funds},
        actor_id=by,
    )
    return request


def _reason(text: str) -> str:
    reason = " ".join(text.split())
    if not reason or len(reason) > 1000:
        raise SalaryRequestError("say why (at most 1000 characters): the member reads it", "reason")
    return reason


def reject_salary_request(
    db: Session, request_id: uuid.UUID, *, rejected_by: uuid.UUID, reason: str, day: dt.date
) -> SalaryRequest:
    """Reject a requested salary (staff other than the member), giving its money back."""
    request = get_salary_request(db, request_id)
    check_staff_decides(db, request, rejected_by)
    return _close(db, request, SalaryStatus.REJECTED, rejected_by, _reason(reason), day)


def cancel_salary_request(
    db: Session, request_id: uuid.UUID, *, member_id: uuid.UUID, day: dt.date, reason: str = ""
) -> SalaryRequest:
    """The member withdraws their own request while it is requested; its money is released."""
    request = get_salary_request(db, request_id, member_id)
    text = " ".join(reason.split())[:1000] or "cancelled by the member"
    return _close(db, request, SalaryStatus.CANCELLED, member_id, text, day)


def hold_salary_request(db: Session, request_id: uuid.UUID, reason: str) -> SalaryRequest:
    """Keep a request waiting, with why staff's approval could not go through."""
    request = get_salary_request(db, request_id)
    request.reason = reason[:1000]
    db.flush()
    return request
