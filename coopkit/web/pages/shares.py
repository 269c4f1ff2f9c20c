"""Share pages: a member's "My shares" and certificate; staff's register (with PDF and CSV)
and share classes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ServiceUnavailableException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.documents import DocumentError, document_locale
from coopkit.i18n import _
from coopkit.membership.classes import add_share_class, share_classes
from coopkit.membership.documents import (
    certificate_pdf,
    holdings_of,
    register_csv,
    register_pdf,
    register_rows,
)
from coopkit.membership.errors import MembershipError
from coopkit.membership.models import ShareSubscription, SubscriptionStatus
from coopkit.membership.register import capital_on, status_on
from coopkit.money import Money
from coopkit.people.models import User
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.templating import flash, page

Db = NamedDependency[Session]


def pdf_response(content: bytes, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def subscriptions_of(db: Session, user_id: uuid.UUID) -> list[ShareSubscription]:
    return list(
        db.scalars(
            select(ShareSubscription)
            .where(ShareSubscription.user_id == user_id)
            .order_by(ShareSubscription.created_at.desc())
        )
    )


def member_certificate(
    request: Request[Any, Any, Any], db: Session, member: User
) -> Response[bytes]:
    """The member's share certificate for today, in their language."""
    tenant = visitor(request).tenant
    assert tenant is not None
    locale = document_locale(member.locale, tenant.locales)
    try:
        content = certificate_pdf(
            services(request).documents, db, tenant, member, locale, date.today()
        )
    except DocumentError as error:
        raise ServiceUnavailableException(str(error)) from None
    return pdf_response(content, f"share-certificate-{date.today().isoformat()}.pdf")


@get("/t/{slug:str}/my-shares", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def my_shares_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    """What I hold today, my subscriptions waiting for payment, my certificate."""
    who = visitor(request)
    assert who.tenant is not None
    assert who.user_id is not None
    today = date.today()
    holdings = holdings_of(db, who.user_id, today)
    pending = [
        s for s in subscriptions_of(db, who.user_id) if s.status is SubscriptionStatus.PENDING
    ]
    return page(
        request,
        "my_shares.html",
        as_money=Money,
        status=status_on(db, who.user_id, today),
        holdings=holdings,
        total=sum((h.value for h in holdings), Money.zero(who.tenant.currency)),
        pending=pending,
        codes={c.id: c.code for c in share_classes(db)},
        rows=register_rows(db, who.user_id),
    )


@get(
    "/t/{slug:str}/my-shares/certificate.pdf",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def my_certificate(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Response[bytes]:
    member = visitor(request).user
    assert member is not None
    return member_certificate(request, db, member)


@get(
    "/t/{slug:str}/shares/register",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def register_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    """Every line of the register, the capital today, links to the PDF and the CSV."""
    tenant = visitor(request).tenant
    assert tenant is not None
    return page(
        request,
        "share_register.html",
        rows=register_rows(db),
        capital=Money(capital_on(db, date.today()), tenant.currency),
    )


@get(
    "/t/{slug:str}/shares/register.pdf",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def register_pdf_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str]
) -> Response[bytes]:
    who = visitor(request)
    assert who.tenant is not None
    locale = document_locale(who.user.locale if who.user else None, who.tenant.locales)
    try:
        content = register_pdf(services(request).documents, db, who.tenant, locale, date.today())
    except DocumentError as error:
        raise ServiceUnavailableException(str(error)) from None
    return pdf_response(content, f"share-register-{slug}-{date.today().isoformat()}.pdf")


@get(
    "/t/{slug:str}/shares/register.csv",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def register_csv_page(db: Db, slug: FromPath[str]) -> Response[str]:
    return Response(
        register_csv(register_rows(db)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="share-register-{slug}.csv"'},
    )


@dataclass
class ClassForm:
    code: str = ""
    name: str = ""
    nominal: str = ""
    min_holding: str = "1"
    max_per_member: str = ""
    voting: str = ""
    description: str = ""


def _classes_page(
    request: Request[Any, Any, Any],
    db: Session,
    form: ClassForm,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        request,
        "share_classes.html",
        status_code=status_code,
        classes=share_classes(db),
        form=form,
        errors=errors or {},
    )


@get(
    "/t/{slug:str}/shares/classes",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def classes_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    return _classes_page(request, db, ClassForm(voting="on"))


@post(
    "/t/{slug:str}/shares/classes/add",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def add_class_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: URLEncodedBody[ClassForm]
) -> Template | Redirect:
    try:
        minimum = int(data.min_holding.strip() or "0")
        maximum = int(data.max_per_member.strip()) if data.max_per_member.strip() else None
    except ValueError:
        return _classes_page(request, db, data, {"form": _("Give whole numbers of shares.")}, 400)
    try:
        row = add_share_class(
            db,
            code=data.code,
            name=data.name,
            nominal=data.nominal.strip().replace(",", "."),
            min_holding=minimum,
            max_per_member=maximum,
            voting=bool(data.voting),
            description=data.description,
        )
    except MembershipError as error:
        return _classes_page(request, db, data, {error.field or "form": str(error)}, 400)
    flash(request, _("Share class %(code)s added."), "info", code=row.code)
    return Redirect(f"/t/{slug}/shares/classes")


SHARE_PAGES = [
    my_shares_page,
    my_certificate,
    register_page,
    register_pdf_page,
    register_csv_page,
    classes_page,
    add_class_form,
]
