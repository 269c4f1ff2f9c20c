"""Payslips in API v1: createPayslip (staff), getPayslip and listPayslips (staff, or the member).

A member sees only their own payslips; anybody else's answers 404, exactly
like one that does not exist. Refusals are problem+json: 422 with what to fix
(``errors[].key`` names the field), 409 for a payslip that already exists.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.orm import Session

from coopkit.money import minor_unit
from coopkit.payslips.inputs import GrossPayIn, PayslipError, PayslipRequest, parse_month
from coopkit.payslips.models import TOTALS, Payslip
from coopkit.payslips.service import correction_of, get_payslip, issue_payslip, list_payslips
from coopkit.people.models import Role
from coopkit.web.access import member_only, services, staff_only, visitor

Db = NamedDependency[Session]
Month = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")]
Code = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Choice = Annotated[str, msgspec.Meta(max_length=40)]


class GrossLineIn(msgspec.Struct, forbid_unknown_fields=True):
    """An element of gross pay: ``amount``, or ``quantity`` × ``unit_rate``."""

    amount: Decimal | None = None
    code: Code = "salary"
    label: Label = "Salary"
    quantity: Decimal | None = None
    unit_rate: Decimal | None = None


class PayslipCreate(msgspec.Struct, forbid_unknown_fields=True):
    """What to issue: give ``gross`` or ``gross_lines``; omitted facts take the country's
    defaults. ``corrects`` names the payslip this one corrects (same member and month)."""

    member_id: uuid.UUID
    month: Month
    gross: Decimal | None = None
    gross_lines: list[GrossLineIn] | None = None
    hours: Decimal | None = None
    contract: Choice | None = None
    category: Choice | None = None
    employees: int | None = None
    accident_rate: Decimal | None = None
    options: dict[str, str] = msgspec.field(default_factory=dict)
    tax_rate: Decimal | None = None
    corrects: uuid.UUID | None = None


class GrossLineOut(msgspec.Struct):
    code: str
    label: str
    amount: Decimal
    quantity: Decimal | None
    unit_rate: Decimal | None


class PayslipLineOut(msgspec.Struct):
    code: str
    label: str
    base: Decimal
    employee_rate: Decimal | None
    employer_rate: Decimal | None
    employee: Decimal
    employer: Decimal
    parameter: str
    parameter_value: str
    source: str


class PayslipSummary(msgspec.Struct):
    id: uuid.UUID
    reference: str
    member_id: uuid.UUID
    member_name: str
    month: str
    currency: str
    gross: Decimal
    net_pay: Decimal
    employer_cost: Decimal
    issued_at: datetime
    corrects: uuid.UUID | None
    corrected_by: uuid.UUID | None


class PayslipOut(msgspec.Struct):
    id: uuid.UUID
    reference: str
    member_id: uuid.UUID
    member_name: str
    month: str
    country: str
    currency: str
    contract: str
    category: str
    employees: int
    accident_rate: Decimal
    options: dict[str, str]
    hours: Decimal | None
    tax_rate: Decimal | None
    gross_lines: list[GrossLineOut]
    ceiling: Decimal
    lines: list[PayslipLineOut]
    totals: dict[str, Decimal]
    issued_at: datetime
    issued_by: uuid.UUID
    corrects: uuid.UUID | None
    corrected_by: uuid.UUID | None


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored rate or quantity without the column's padding: 0.009000 → 0.009."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _amount(payslip: Payslip, value: Decimal) -> Decimal:
    return value.quantize(minor_unit(payslip.currency))


def _summary(payslip: Payslip, corrected_by: uuid.UUID | None) -> PayslipSummary:
    return PayslipSummary(
        id=payslip.id,
        reference=payslip.reference,
        member_id=payslip.user_id,
        member_name=payslip.member_name,
        month=f"{payslip.month:%Y-%m}",
        currency=payslip.currency,
        gross=_amount(payslip, payslip.gross),
        net_pay=_amount(payslip, payslip.net_pay),
        employer_cost=_amount(payslip, payslip.employer_cost),
        issued_at=payslip.issued_at,
        corrects=payslip.corrects_id,
        corrected_by=corrected_by,
    )


def payslip_out(payslip: Payslip, corrected_by: uuid.UUID | None) -> PayslipOut:
    return PayslipOut(
        id=payslip.id,
        reference=payslip.reference,
        member_id=payslip.user_id,
        member_name=payslip.member_name,
        month=f"{payslip.month:%Y-%m}",
        country=payslip.country,
        currency=payslip.currency,
        contract=payslip.contract,
        category=payslip.category,
        employees=payslip.employees,
        accident_rate=_plain(payslip.accident_rate) or Decimal(0),
        options=dict(payslip.options),
        hours=_plain(payslip.hours),
        tax_rate=_plain(payslip.tax_rate),
        gross_lines=[
            GrossLineOut(g.code, g.label, g.amount, g.quantity, g.unit_rate)
            for g in payslip.gross_items
        ],
        ceiling=_amount(payslip, payslip.ceiling),
        lines=[
            PayslipLineOut(
                line.code,
                line.label,
                line.base,
                line.employee_rate,
                line.employer_rate,
                line.employee,
                line.employer,
                line.parameter,
                line.parameter_value,
                line.source,
            )
            for line in payslip.line_items
        ],
        totals={name: _amount(payslip, getattr(payslip, name)) for name in TOTALS},
        issued_at=payslip.issued_at,
        issued_by=payslip.issued_by_id,
        corrects=payslip.corrects_id,
        corrected_by=corrected_by,
    )


def _request_of(data: PayslipCreate) -> PayslipRequest:
    if (data.gross is None) == (data.gross_lines is None):
        raise PayslipError("give either gross (one amount) or gross_lines, not both", "gross")
    if data.gross is not None:
        gross_pay: tuple[GrossPayIn, ...] = (GrossPayIn(amount=data.gross),)
    else:
        gross_pay = tuple(
            GrossPayIn(line.amount, line.code, line.label, line.quantity, line.unit_rate)
            for line in data.gross_lines or []
        )
    return PayslipRequest(
        member_id=data.member_id,
        month=parse_month(data.month),
        gross_pay=gross_pay,
        hours=data.hours,
        contract=data.contract,
        category=data.category,
        employees=data.employees,
        accident_rate=data.accident_rate,
        options=data.options,
        tax_rate=data.tax_rate,
        corrects=data.corrects,
    )


def _own_only(request: Request[Any, Any, Any]) -> uuid.UUID | None:
    """None for staff (they see every payslip), else the member's own id."""
    who = visitor(request)
    if who.role is not None and who.role.includes(Role.STAFF):
        return None
    return who.user_id


@post(
    "/t/{slug:str}/payslips",
    operation_id="createPayslip",
    guards=[staff_only],
    status_code=201,
    sync_to_thread=True,
)
def create_payslip(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: JSONBody[PayslipCreate]
) -> Response[PayslipOut]:
    """Issue a payslip for a member and a month, computed with the cooperative's country law
    (staff only). It is final once issued: to change it, issue a correction (``corrects``)."""
    who = visitor(request)
    assert who.tenant is not None
    assert who.user_id is not None
    issued = issue_payslip(
        db, services(request).plugins, who.tenant, _request_of(data), who.user_id
    )
    location = f"/api/v1/t/{slug}/payslips/{issued.id}"
    return Response(payslip_out(issued, None), status_code=201, headers={"Location": location})


@get(
    "/t/{slug:str}/payslips/{payslip_id:uuid}",
    operation_id="getPayslip",
    guards=[member_only],
    sync_to_thread=True,
)
def get_one_payslip(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], payslip_id: FromPath[uuid.UUID]
) -> PayslipOut:
    """One payslip with its inputs, every line with its legal source, and its totals
    (staff, or the member it belongs to)."""
    payslip = get_payslip(db, payslip_id, _own_only(request))
    correction = correction_of(db, payslip)
    return payslip_out(payslip, None if correction is None else correction.id)


@get(
    "/t/{slug:str}/payslips",
    operation_id="listPayslips",
    guards=[member_only],
    sync_to_thread=True,
)
def list_all_payslips(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    member_id: FromQuery[uuid.UUID | None] = None,
    month: Annotated[
        str | None, QueryParameter(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")
    ] = None,
) -> list[PayslipSummary]:
    """Payslips of the cooperative, newest month first: all of them for staff, a member's own."""
    own = _own_only(request)
    if own is not None:
        member_id = own
    rows = list_payslips(db, member_id, None if month is None else parse_month(month))
    return [_summary(payslip, corrected_by) for payslip, corrected_by in rows]


PAYSLIP_HANDLERS = [create_payslip, get_one_payslip, list_all_payslips]
