"""The front page and each cooperative's home."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.people import service as people
from coopkit.people.models import Membership, User
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.templating import page, request_locale


@get("/", include_in_schema=False, sync_to_thread=True)
def index(request: Request[Any, Any, Any], db: NamedDependency[Session]) -> Template | Redirect:
    """A signed-in person sees their cooperatives; going straight in when there is one."""
    who = visitor(request)
    if who.user is None:
        return Redirect("/login")
    memberships = people.tenants_of(db, who.user.id)
    return page(request, "index.html", memberships=memberships)


@get("/t/{slug:str}/", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def tenant_home(
    request: Request[Any, Any, Any], db: NamedDependency[Session], slug: FromPath[str]
) -> Template:
    who = visitor(request)
    assert who.tenant is not None
    plugins = services(request).plugins
    country = plugins.country(who.tenant.country)
    today = date.today()
    holidays = [
        *plugins.public_holidays(country.code, today.year, request_locale(request)),
        *plugins.public_holidays(country.code, today.year + 1, request_locale(request)),
    ]
    upcoming = [h for h in holidays if h.day >= today][:3]
    member_count = len(db.scalars(select(Membership.id)).all())
    return page(
        request, "tenant_home.html", country=country, upcoming=upcoming, member_count=member_count
    )


@get("/t/{slug:str}/members", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def members_page(
    request: Request[Any, Any, Any], db: NamedDependency[Session], slug: FromPath[str]
) -> Template:
    rows = db.execute(
        select(User, Membership).join(Membership, Membership.user_id == User.id).order_by(User.name)
    ).all()
    return page(request, "members.html", rows=list(rows))
