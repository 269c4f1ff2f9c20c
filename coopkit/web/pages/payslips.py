"""Payslip pages: the list (a member's own, or all for staff), one payslip, its PDF,
and the staff form that issues a payslip or a correction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, ServiceUnavailableException
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.documents import DocumentError, document_locale
from coopkit.i18n import _
from coopkit.payroll import InputSpec
from coopkit.payslips.inputs import GrossPayIn, PayslipError, PayslipRequest, parse_month
from coopkit.payslips.models import Payslip
from coopkit.payslips.service import (
    PayslipConflict,
    get_payslip,
    issue_payslip,
    list_payslips,
)
from coopkit.payslips.view import payslip_rows, payslip_view
from coopkit.people.models import Membership, User
from coopkit.plugins import NoPluginForCountry, PluginError
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.templating import flash, page
from coopkit.web.visibility import is_staff as _is_staff

Db = NamedDependency[Session]


@dataclass
class PayslipForm:
    """The staff form, as typed: every field text, so that it can be shown back."""

    member_id: str = ""
    month: str = ""
    gross: str = ""
    hours: str = ""
    contract: str = ""
    category: str = ""
    tax_rate: str = ""
    corrects: str = ""


def _own_only(request: Request[Any, Any, Any]) -> uuid.UUID | None:
    return None if _is_staff(request) else visitor(request).user_id


@get("/t/{slug:str}/payslips", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def payslips_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    rows = payslip_rows(list_payslips(db, _own_only(request)))
    return page(request, "payslips.html", rows=rows, is_staff=_is_staff(request))


def _choices(request: Request[Any, Any, Any]) -> dict[str, InputSpec]:
    """The contract and category choices of the cooperative's country (empty without payroll)."""
    tenant = visitor(request).tenant
    assert tenant is not None
    try:
        rules = services(request).plugins.payroll_rules(tenant.country)
    except (NoPluginForCountry, PluginError):
        return {}
    return {spec.name: spec for spec in rules.inputs() if spec.name in ("contract", "category")}


def _form_page(
    request: Request[Any, Any, Any],
    db: Db,
    form: PayslipForm,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    members = db.execute(
        select(User.id, User.name)
        .join(Membership, Membership.user_id == User.id)
        .order_by(User.name)
    ).all()
    return page(
        request,
        "payslip_form.html",
        status_code=status_code,
        form=form,
        errors=errors or {},
        members=members,
        choices=_choices(request),
    )


def _form_of(payslip: Payslip) -> PayslipForm:
    """The form filled from the payslip a correction replaces."""
    return PayslipForm(
        member_id=str(payslip.user_id),
        month=f"{payslip.month:%Y-%m}",
        gross=str(payslip.gross.quantize(Decimal("0.01"))),
        hours="" if payslip.hours is None else str(payslip.hours.normalize()),
        contract=payslip.contract,
        category=payslip.category,
        tax_rate="" if payslip.tax_rate is None else str(payslip.tax_rate.normalize()),
        corrects=str(payslip.id),
    )


@get(
    "/t/{slug:str}/payslips/new", guards=[staff_only], include_in_schema=False, sync_to_thread=True
)
def new_payslip_page(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    corrects: FromQuery[uuid.UUID | None] = None,
) -> Template:
    form = PayslipForm() if corrects is None else _form_of(get_payslip(db, corrects, None))
    return _form_page(request, db, form)


def _number(text: str, field: str, errors: dict[str, str]) -> Decimal | None:
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not cleaned:
        return None
    if "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        errors[field] = _("Write a number, such as 2500.00.")
        return None
    return value


def _request_of(form: PayslipForm, errors: dict[str, str]) -> PayslipRequest | None:
    """The request the form asks for, or None with ``errors`` filled per field."""
    try:
        member_id = uuid.UUID(form.member_id)
    except ValueError:
        errors["member"] = _("Choose the member.")
    try:
        month = parse_month(form.month)
    except PayslipError:
        errors["month"] = _("Give the month as YYYY-MM, such as 2025-06.")
    gross = _number(form.gross, "gross", errors)
    if gross is None and "gross" not in errors:
        errors["gross"] = _("Give the gross pay.")
    hours = _number(form.hours, "hours", errors)
    tax_rate = _number(form.tax_rate, "tax_rate", errors)
    corrects = None
    if form.corrects:
        try:
            corrects = uuid.UUID(form.corrects)
        except ValueError:
            errors["corrects"] = _("The payslip to correct is not valid; start again from it.")
    if errors or gross is None:
        return None
    return PayslipRequest(
        member_id=member_id,
        month=month,
        gross_pay=(GrossPayIn(amount=gross),),
        hours=hours,
        contract=form.contract or None,
        category=form.category or None,
        tax_rate=tax_rate,
        corrects=corrects,
    )


# Not on the list's path: Litestar 2.25 wraps a sync handler twice when two sync_to_thread
# handlers share a path (GET list + POST form), and the second then returns a coroutine.
@post(
    "/t/{slug:str}/payslips/issue",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def issue_payslip_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    data: URLEncodedBody[PayslipForm],
) -> Template | Redirect:
    who = visitor(request)
    assert who.tenant is not None
    assert who.user_id is not None
    errors: dict[str, str] = {}
    wanted = _request_of(data, errors)
    if wanted is not None:
        try:
            issued = issue_payslip(db, services(request).plugins, who.tenant, wanted, who.user_id)
        except PayslipConflict as error:
            errors["form"] = str(error)
            if error.existing is not None:
                errors["existing"] = str(error.existing)
        except PayslipError as error:
            errors[error.field or "form"] = str(error)
        else:
            flash(request, _("Payslip %(ref)s issued."), "info", ref=issued.reference)
            return Redirect(f"/t/{slug}/payslips/{issued.id}")
    return _form_page(request, db, data, errors, status_code=400)


def _pdf(request: Request[Any, Any, Any], db: Db, payslip: Payslip) -> Response[bytes]:
    tenant = visitor(request).tenant
    assert tenant is not None
    member = db.get(User, payslip.user_id)
    locale = document_locale(None if member is None else member.locale, tenant.locales)
    try:
        document = services(request).documents.pdf(
            payslip.country,
            "payslip.html",
            locale,
            tenant_slug=tenant.slug,
            view=payslip_view(db, payslip),
            tenant=tenant,
        )
    except DocumentError as error:
        raise ServiceUnavailableException(str(error)) from None
    filename = f"payslip-{payslip.reference}.pdf"
    return Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@get(
    "/t/{slug:str}/payslips/{name:str}",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def payslip_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], name: FromPath[str]
) -> Template | Response[bytes]:
    """A payslip (``<id>``) or its PDF (``<id>.pdf``): staff, or the member it belongs to."""
    as_pdf = name.endswith(".pdf")
    try:
        payslip_id = uuid.UUID(name.removesuffix(".pdf"))
    except ValueError:
        raise NotFoundException(f"no payslip {name!r} here") from None
    payslip = get_payslip(db, payslip_id, _own_only(request))
    if as_pdf:
        return _pdf(request, db, payslip)
    return page(
        request, "payslip_page.html", view=payslip_view(db, payslip), is_staff=_is_staff(request)
    )


PAYSLIP_PAGES = [payslips_page, new_payslip_page, issue_payslip_form, payslip_page]
