"""API version 1: each operation has a stable operationId, used by generated clients."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath, FromQuery, JSONBody, PathParameter, QueryParameter
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.people import service as people
from coopkit.people.models import Membership, User
from coopkit.web.access import member_only, require_signed_in, services, staff_only, visitor
from coopkit.web.api.activities import ACTIVITY_HANDLERS
from coopkit.web.api.assemblies import ASSEMBLY_HANDLERS
from coopkit.web.api.banking import BANKING_HANDLERS
from coopkit.web.api.clients import CLIENT_HANDLERS
from coopkit.web.api.collection import COLLECTION_HANDLERS
from coopkit.web.api.expenses import EXPENSE_HANDLERS
from coopkit.web.api.exports import EXPORT_HANDLERS
from coopkit.web.api.guarantee import GUARANTEE_HANDLERS
from coopkit.web.api.incubator import INCUBATOR_HANDLERS
from coopkit.web.api.invoice_files import INVOICE_FILE_HANDLERS
from coopkit.web.api.invoices import INVOICE_HANDLERS
from coopkit.web.api.payments import PAYMENT_HANDLERS
from coopkit.web.api.payslips import PAYSLIP_HANDLERS
from coopkit.web.api.quotes import QUOTE_HANDLERS
from coopkit.web.api.salaries import SALARY_HANDLERS
from coopkit.web.api.schemas import (
    CountryOut,
    HolidayOut,
    IdentifierCheckIn,
    IdentifierCheckOut,
    Me,
    MemberOut,
    TenantOut,
    TenantRef,
    VatRateOut,
)
from coopkit.web.api.shares import SHARE_HANDLERS
from coopkit.web.api.simulator import simulate_salary
from coopkit.web.api.write_offs import WRITE_OFF_HANDLERS

CountryCode = Annotated[
    str, PathParameter(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")
]
Db = NamedDependency[Session]


@get("/me", operation_id="getMe", guards=[require_signed_in], sync_to_thread=True)
def get_me(request: Request[Any, Any, Any], db: Db) -> Me:
    """The person behind the token and the cooperatives they belong to."""
    user = visitor(request).user
    assert user is not None
    tenants = [TenantRef(t.slug, t.name, r.value) for t, r in people.tenants_of(db, user.id)]
    return Me(id=user.id, email=user.email, name=user.name, locale=user.locale, tenants=tenants)


@get("/t/{slug:str}", operation_id="getTenant", guards=[member_only], sync_to_thread=False)
def get_tenant(request: Request[Any, Any, Any], slug: FromPath[str]) -> TenantOut:
    """The cooperative named in the path (you must belong to it)."""
    tenant = visitor(request).tenant
    assert tenant is not None
    return TenantOut(
        id=tenant.id,
        slug=tenant.slug,
        name=tenant.name,
        kind=tenant.kind.value,
        country=tenant.country,
        currency=tenant.currency,
        locales=list(tenant.locales),
        parent_id=tenant.parent_id,
    )


@get("/t/{slug:str}/members", operation_id="listMembers", guards=[staff_only], sync_to_thread=True)
def list_members(db: Db, slug: FromPath[str]) -> list[MemberOut]:
    """Everyone with a role in the cooperative (staff only)."""
    rows = db.execute(
        select(User, Membership).join(Membership, Membership.user_id == User.id).order_by(User.name)
    ).all()
    return [MemberOut(user.id, user.name, user.email, m.role.value) for user, m in rows]


@get("/countries", operation_id="listCountries", sync_to_thread=False)
def list_countries(request: Request[Any, Any, Any]) -> list[CountryOut]:
    """The countries served by the installed plugins."""
    countries = services(request).plugins.countries.values()
    return [
        CountryOut(c.code, c.name, c.currency, list(c.locales), c.plugin)
        for c in sorted(countries, key=lambda c: c.code)
    ]


@get("/countries/{code:str}/vat-rates", operation_id="listVatRates", sync_to_thread=False)
def list_vat_rates(
    request: Request[Any, Any, Any], code: CountryCode, on: FromQuery[date | None] = None
) -> list[VatRateOut]:
    """The VAT rates in force on a day (today by default), each with its legal source."""
    rates = services(request).plugins.vat_rates(code, on or date.today())
    return [VatRateOut(r.code, r.rate, r.valid_from, r.source) for r in rates]


@get("/countries/{code:str}/holidays", operation_id="listPublicHolidays", sync_to_thread=False)
def list_public_holidays(
    request: Request[Any, Any, Any],
    code: CountryCode,
    year: Annotated[int, QueryParameter(ge=1900, le=2200)],
    language: Annotated[
        str, QueryParameter(pattern=r"^[a-z]{2}(_[A-Z]{2})?$", description="e.g. nl_BE")
    ] = "en",
) -> list[HolidayOut]:
    """The national public holidays of a year, named in ``language`` where available."""
    holidays = services(request).plugins.public_holidays(code, year, language)
    return [HolidayOut(h.day, h.name) for h in holidays]


@post(
    "/countries/{code:str}/identifiers/check",
    operation_id="checkIdentifier",
    status_code=200,
    sync_to_thread=False,
)
def check_identifier(
    request: Request[Any, Any, Any], code: CountryCode, data: JSONBody[IdentifierCheckIn]
) -> IdentifierCheckOut:
    """Check a national id, VAT number or IBAN with the country's rules."""
    plugins = services(request).plugins
    if len(data.value) > 64:
        raise ValidationException("value: at most 64 characters")
    check = {
        "national_id": plugins.validate_national_id,
        "vat_number": plugins.validate_vat_number,
        "iban": plugins.validate_iban,
    }[data.kind](code, data.value)
    return IdentifierCheckOut(data.kind, check.valid, check.compact, check.formatted, check.error)


api_v1 = Router(
    path="/api/v1",
    route_handlers=[
        get_me,
        get_tenant,
        list_members,
        list_countries,
        list_vat_rates,
        list_public_holidays,
        check_identifier,
        simulate_salary,
        *PAYSLIP_HANDLERS,
        *ACTIVITY_HANDLERS,
        *EXPENSE_HANDLERS,
        *SALARY_HANDLERS,
        *BANKING_HANDLERS,
        *QUOTE_HANDLERS,
        *CLIENT_HANDLERS,
        *INVOICE_HANDLERS,
        *WRITE_OFF_HANDLERS,
        *INVOICE_FILE_HANDLERS,
        *EXPORT_HANDLERS,
        *GUARANTEE_HANDLERS,
        *COLLECTION_HANDLERS,
        *PAYMENT_HANDLERS,
        *SHARE_HANDLERS,
        *ASSEMBLY_HANDLERS,
        *INCUBATOR_HANDLERS,
    ],
    tags=["v1"],
)
