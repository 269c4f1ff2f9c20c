"""Issuing payslips, correcting them, and finding them.

Issuing computes the payslip through the payroll engine with the rules of
the cooperative's country and stores it, inputs, lines and totals, in one
transaction. A stored payslip is final (coopkit.db.append_only): a mistake is
fixed by issuing a correction, a new payslip that names the one it replaces.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.law import LawNotInForce, ParameterSet, UnknownParameter
from coopkit.payroll import PayInputs, PayLine, PayrollInputError, PayrollRules, compute_payslip
from coopkit.payroll import Payslip as Computed
from coopkit.payslips.inputs import PayslipError, PayslipRequest, pay_inputs
from coopkit.payslips.models import TOTALS, Payslip
from coopkit.people.models import Membership, User
from coopkit.plugins import NoPluginForCountry, PluginError, PluginHost
from coopkit.tenants.models import Tenant


class PayslipConflict(PayslipError):
    """The payslip exists already (same member and month, or the same correction).

    ``existing`` is the payslip to look at or to correct instead.
    """

    def __init__(self, message: str, existing: uuid.UUID | None = None) -> None:
        super().__init__(message)
        self.existing = existing


class PayslipNotFound(LookupError):
    """No payslip with this id that the person may see in this cooperative."""


def _member(db: Session, member_id: uuid.UUID) -> User:
    role = db.scalar(select(Membership.role).where(Membership.user_id == member_id))
    user = db.get(User, member_id) if role is not None else None
    if user is None:
        raise PayslipError(f"no member {member_id} in this cooperative", "member")
    return user


def _month(value: dt.date) -> str:
    return f"{value:%Y-%m}"


def _check_original(db: Session, user: User, month: dt.date) -> None:
    existing = db.scalar(
        select(Payslip).where(
            Payslip.user_id == user.id, Payslip.month == month, Payslip.corrects_id.is_(None)
        )
    )
    if existing is not None:
        raise PayslipConflict(
            f"{user.name} already has a payslip for {_month(month)} ({existing.reference}): "
            "to change it, issue a correction of it",
            existing.id,
        )


def _check_request_unpaid(db: Session, salary_request: uuid.UUID) -> None:
    existing = db.scalar(select(Payslip).where(Payslip.salary_request_id == salary_request))
    if existing is not None:
        raise PayslipConflict(
            f"salary request {salary_request} already has its payslip ({existing.reference})",
            existing.id,
        )


def _check_correction(db: Session, user: User, month: dt.date, corrects: uuid.UUID) -> None:
    corrected = db.scalar(select(Payslip).where(Payslip.id == corrects))
    if corrected is None:
        raise PayslipError(f"no payslip {corrects} to correct in this cooperative", "corrects")
    if (corrected.user_id, corrected.month) != (user.id, month):
        raise PayslipError(
            "a correction keeps the member and the month of the payslip it corrects "
            f"({corrected.member_name}, {_month(corrected.month)})",
            "corrects",
        )
    later = correction_of(db, corrected)
    if later is not None:
        raise PayslipConflict(
            f"payslip {corrected.reference} was already corrected by {later.reference}: "
            "correct that one instead (each payslip is corrected once, the chain goes on "
            "from the latest)",
            later.id,
        )


def _rules(plugins: PluginHost, country: str) -> PayrollRules:
    try:
        return plugins.payroll_rules(country)
    except (NoPluginForCountry, PluginError) as error:
        raise PayslipError(f"no payroll for this cooperative's country: {error}") from None


def _compute(rules: PayrollRules, request: PayslipRequest) -> Computed:
    inputs: PayInputs = pay_inputs(rules, request)
    try:
        return compute_payslip(rules, inputs)
    except (LawNotInForce, UnknownParameter) as error:
        raise PayslipError(
            f"no {rules.country} payroll law for {_month(inputs.month)} in the country "
            f"profile: {error}",
            "month",
        ) from None
    except PayrollInputError as error:
        raise PayslipError(str(error)) from None


def parameter_value(law: ParameterSet, line: PayLine, month: dt.date) -> str:
    """The value of the parameter a line names, as it stood in ``month``.

    A parameter of the country's law (a rate, a reduction's maximum) is read
    from the law; an input given with the payslip (the accident rate, a
    personal tax rate) or a grid is shown as the rate the line applied.
    """
    try:
        value = law.value(line.parameter, month)
    except LookupError:  # not a parameter of the law
        value = None
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    applied = line.employer_rate if line.employer_rate is not None else line.employee_rate
    return "" if applied is None else str(applied)


def _line(law: ParameterSet, line: PayLine, month: dt.date) -> dict[str, Any]:
    return {**line.as_dict(), "parameter_value": parameter_value(law, line, month)}


def _optional(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _row(tenant: Tenant, user: User, computed: Computed, law: ParameterSet) -> Payslip:
    inputs, profile = computed.inputs, computed.inputs.profile
    return Payslip(
        tenant_id=tenant.id,
        user_id=user.id,
        member_name=user.name,
        month=computed.month,
        country=computed.country,
        currency=computed.currency,
        gross_pay=[
            {
                "code": g.code,
                "label": g.label,
                "amount": str(g.amount),
                "quantity": _optional(g.quantity),
                "unit_rate": _optional(g.unit_rate),
            }
            for g in inputs.gross_lines
        ],
        hours=inputs.hours,
        contract=profile.contract,
        category=profile.category,
        employees=profile.employees,
        accident_rate=profile.accident_rate,
        options=dict(profile.options),
        tax_rate=inputs.tax_rate,
        ceiling=Decimal(computed.ceiling_cents).scaleb(-2),
        lines=[_line(law, line, computed.month) for line in computed.lines],
        **{name: computed.amount(name) for name in TOTALS},
    )


def issue_payslip(
    db: Session,
    plugins: PluginHost,
    tenant: Tenant,
    request: PayslipRequest,
    issued_by: uuid.UUID,
) -> Payslip:
    """Compute and store the payslip asked for, in the session's tenant (``tenant``).

    Raises :class:`PayslipError` (what to fix, with the field) or
    :class:`PayslipConflict` (a second original for the member and month, or a
    second correction of one payslip). The session stays usable after either.
    """
    user = _member(db, request.member_id)
    month = request.month.replace(day=1)
    if request.salary_request is not None:
        _check_request_unpaid(db, request.salary_request)
    elif request.corrects is None:
        _check_original(db, user, month)
    else:
        _check_correction(db, user, month, request.corrects)
    rules = _rules(plugins, tenant.country)
    computed = _compute(rules, request)
    row = _row(tenant, user, computed, plugins.law(tenant.country))
    row.issued_by_id = issued_by
    row.corrects_id = request.corrects
    row.salary_request_id = request.salary_request
    try:
        with db.begin_nested():
            db.add(row)
    except IntegrityError:  # issued at the same moment by another request
        raise PayslipConflict(
            f"a payslip for {user.name} and {_month(month)} was just issued: reload and "
            "correct it if needed"
        ) from None
    audit.record(
        db,
        "payslip.corrected" if request.corrects else "payslip.issued",
        "payslip",
        row.id,
        {
            "member_id": user.id,
            "month": _month(month),
            "corrects": request.corrects,
            "salary_request": request.salary_request,
            "gross": row.gross,
            "net_pay": row.net_pay,
            "employer_cost": row.employer_cost,
        },
        actor_id=issued_by,
    )
    return row


def get_payslip(db: Session, payslip_id: uuid.UUID, member_id: uuid.UUID | None) -> Payslip:
    """The payslip ``payslip_id`` of the session's tenant.

    With ``member_id`` (a member looking at their own payslips), a payslip of
    somebody else is not found, exactly like one that does not exist.
    """
    query = select(Payslip).where(Payslip.id == payslip_id)
    if member_id is not None:
        query = query.where(Payslip.user_id == member_id)
    found = db.scalar(query)
    if found is None:
        raise PayslipNotFound(f"no payslip {payslip_id} here")
    return found


def correction_of(db: Session, payslip: Payslip) -> Payslip | None:
    """The payslip that corrects ``payslip``, if any (derived: nothing is updated)."""
    return db.scalar(select(Payslip).where(Payslip.corrects_id == payslip.id))


def list_payslips(
    db: Session, member_id: uuid.UUID | None = None, month: dt.date | None = None
) -> list[tuple[Payslip, uuid.UUID | None]]:
    """Payslips of the session's tenant, newest month first, each with its correction's id."""
    query = select(Payslip).order_by(Payslip.month.desc(), Payslip.member_name, Payslip.issued_at)
    if member_id is not None:
        query = query.where(Payslip.user_id == member_id)
    if month is not None:
        query = query.where(Payslip.month == month.replace(day=1))
    rows = list(db.scalars(query))
    corrected_by = {row.corrects_id: row.id for row in rows if row.corrects_id is not None}
    return [(row, corrected_by.get(row.id)) for row in rows]
