"""Approving a salary request: the salary posted, the payslip issued, the net pay queued.

Staff other than the member approve. In one savepoint of the caller's
transaction: the guarantee fund's advance is granted for the part the activity
lacked, the payslip is issued (it must price the request as it was priced),
ONE ``salary`` entry is posted — Dr activity_reserved[a] the activity's part,
Dr activity_funds[a] the advance; Cr salaries_payable the net pay, Cr
withholding_tax_payable the tax withheld, Cr social_security_payable the
contributions — and the net pay is queued for payment by the due date. If the
money or the price is no longer right, nothing of it is kept and
:class:`SalaryRequestHeld` says why (the request stays requested). Approving an
approved request returns it as it is.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.db.base import utcnow
from coopkit.guarantee.advances import AdvanceRefused, GuaranteeError, grant_advance
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.errors import InsufficientFunds
from coopkit.ledger.posting import Line, credit, debit, post
from coopkit.payouts.models import PayoutKind
from coopkit.payouts.queue import queue_payout
from coopkit.payslips.inputs import PayslipError
from coopkit.payslips.models import Payslip
from coopkit.payslips.service import issue_payslip
from coopkit.plugins import PluginHost
from coopkit.salaries.errors import SalaryRequestConflict, SalaryRequestHeld
from coopkit.salaries.models import SalaryRequest, SalaryStatus
from coopkit.salaries.pricing import payslip_request
from coopkit.salaries.queries import get_salary_request
from coopkit.salaries.service import check_staff_decides, due_date_of
from coopkit.tenants.models import Tenant

SALARY = "salary"
PRICED = ("gross", "net_pay", "income_tax_withheld", "employer_cost")


def salary_lines(request: SalaryRequest, payslip: Payslip) -> list[Line]:
    """The salary entry's lines, from the payslip's totals (zero lines left out)."""
    tax = payslip.income_tax_withheld
    contributions = payslip.employer_cost - payslip.net_pay - tax
    a, c = request.activity_id, request.currency
    debits = [(R.ACTIVITY_RESERVED, request.from_funds), (R.ACTIVITY_FUNDS, request.from_advance)]
    credits = [
        (R.SALARIES_PAYABLE, payslip.net_pay),
        (R.WITHHOLDING_TAX_PAYABLE, tax),
        (R.SOCIAL_SECURITY_PAYABLE, contributions),
    ]
    return [debit(role, amount, a, c) for role, amount in debits if amount] + [
        credit(role, amount, currency=c) for role, amount in credits if amount
    ]


def _issue(
    db: Session, plugins: PluginHost, tenant: Tenant, request: SalaryRequest, by: uuid.UUID
) -> Payslip:
    wanted = payslip_request(
        request.user_id, request.month, request.gross, request.hours, request.id
    )
    payslip = issue_payslip(db, plugins, tenant, wanted, by)
    changed = [name for name in PRICED if getattr(payslip, name) != getattr(request, name)]
    if changed:
        raise SalaryRequestHeld(
            request.id,
            f"the payroll now prices this request differently ({', '.join(changed)}): "
            "cancel it and ask again",
        )
    return payslip


def _grant_advance(db: Session, request: SalaryRequest, day: dt.date) -> None:
    if request.from_advance <= 0:
        return
    try:
        grant_advance(
            db,
            activity_id=request.activity_id,
            member_id=request.user_id,
            amount=request.from_advance,
            day=day,
            salary_request_id=request.id,
        )
    except AdvanceRefused as refused:
        raise SalaryRequestHeld(
            request.id,
            f"the guarantee fund can no longer advance {request.from_advance} "
            f"{request.currency}: {refused.missing} is missing ({'; '.join(refused.reasons)})",
        ) from None
    except GuaranteeError as error:
        raise SalaryRequestHeld(request.id, f"the guarantee fund refuses: {error}") from None


def _book(
    db: Session,
    plugins: PluginHost,
    tenant: Tenant,
    request: SalaryRequest,
    approved_by: uuid.UUID,
    day: dt.date,
) -> None:
    _grant_advance(db, request, day)
    payslip = _issue(db, plugins, tenant, request, approved_by)
    try:
        entry = post(
            db,
            lines=salary_lines(request, payslip),
            kind=SALARY,
            description=f"Salary {request.reference}: {request.period}",
            day=day,
            reference=f"salary_request:{request.id}",
        )
    except InsufficientFunds as error:
        raise SalaryRequestHeld(
            request.id, f"the activity cannot pay this salary now ({error})"
        ) from None
    due = due_date_of(db, request.period_end)
    queue_payout(
        db,
        kind=PayoutKind.SALARY,
        source_id=request.id,
        user_id=request.user_id,
        activity_id=request.activity_id,
        amount=payslip.net_pay,
        currency=request.currency,
        due_date=due,
        description=f"Salary {request.period_start:%Y-%m-%d}/{request.period_end:%Y-%m-%d} "
        f"{request.reference}",
    )
    request.status = SalaryStatus.APPROVED
    request.payslip_id = payslip.id
    request.salary_entry_id = entry.id
    request.due_date = due
    request.reason = None
    request.decided_by_id = approved_by
    request.decided_at = utcnow()
    db.flush()


def approve_salary_request(
    db: Session,
    plugins: PluginHost,
    tenant: Tenant,
    request_id: uuid.UUID,
    *,
    approved_by: uuid.UUID,
    day: dt.date,
) -> SalaryRequest:
    """Approve a requested salary (staff other than the member) and book it (see the module).

    Raises SalaryRequestForbidden (not staff, or their own request),
    SalaryRequestConflict (rejected or cancelled), SalaryRequestHeld (the
    money or the price changed: nothing is booked; record the reason with
    :func:`coopkit.salaries.service.hold_salary_request`).
    """
    request = get_salary_request(db, request_id)
    check_staff_decides(db, request, approved_by)
    if request.status is SalaryStatus.APPROVED:
        return request
    if request.status is not SalaryStatus.REQUESTED:
        raise SalaryRequestConflict(f"this salary request was {request.status.value} already")
    try:
        with db.begin_nested():
            _book(db, plugins, tenant, request, approved_by, day)
    except PayslipError as error:
        db.refresh(request)
        raise SalaryRequestHeld(request.id, f"the payslip cannot be issued: {error}") from None
    except SalaryRequestHeld:
        db.refresh(request)
        raise
    audit.record(
        db,
        "salary_request.approved",
        "salary_request",
        request.id,
        {
            "entry": request.salary_entry_id,
            "payslip": request.payslip_id,
            "due_date": request.due_date,
            "net_pay": request.net_pay,
            "employer_cost": request.employer_cost,
            "from_funds": request.from_funds,
            "from_advance": request.from_advance,
        },
        actor_id=approved_by,
    )
    return request
