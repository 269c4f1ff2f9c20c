"""Joining the cooperative: the public form (no account needed), and staff's queue of
applications with admit and refuse (with a reason)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.i18n import _
from coopkit.membership import applications
from coopkit.membership.classes import share_classes
from coopkit.membership.errors import MembershipError, MembershipForbidden
from coopkit.membership.models import MembershipApplication
from coopkit.people.models import User
from coopkit.web.access import open_to_anyone, staff_only, visitor
from coopkit.web.templating import flash, page, request_locale

Db = NamedDependency[Session]


@dataclass
class JoinForm:
    name: str = ""
    email: str = ""
    share_class: str = ""
    quantity: str = "1"
    motivation: str = ""


def _join_page(
    request: Request[Any, Any, Any],
    db: Session,
    form: JoinForm,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        request,
        "join.html",
        status_code=status_code,
        form=form,
        errors=errors or {},
        classes=share_classes(db),
    )


@get("/t/{slug:str}/join", guards=[open_to_anyone], include_in_schema=False, sync_to_thread=True)
def join_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    """The public membership form: who you are, the shares you wish, why."""
    classes = share_classes(db)
    return _join_page(request, db, JoinForm(share_class=classes[0].code if classes else ""))


@post(
    "/t/{slug:str}/join/submit",
    guards=[open_to_anyone],
    include_in_schema=False,
    sync_to_thread=True,
)
def join_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: URLEncodedBody[JoinForm]
) -> Template:
    try:
        quantity = int(data.quantity.strip())
    except ValueError:
        return _join_page(request, db, data, {"quantity": _("Give a whole number.")}, 400)
    wanted = applications.ApplicationRequest(
        data.name,
        data.email,
        data.share_class,
        quantity,
        data.motivation,
        locale=request_locale(request),
    )
    try:
        applications.apply_for_membership(db, wanted)
    except MembershipError as error:
        return _join_page(request, db, data, {error.field or "form": str(error)}, 400)
    return page(request, "join_done.html", name=" ".join(data.name.split()))


@dataclass(frozen=True)
class ApplicationRow:
    application: MembershipApplication
    name: str
    email: str
    share_class: str


@get(
    "/t/{slug:str}/shares/applications",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def applications_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    """Applications waiting for a decision, oldest first."""
    pending = applications.pending_applications(db)
    people = {
        row.id: row
        for row in db.scalars(select(User).where(User.id.in_([a.user_id for a in pending])))
    }
    codes = {c.id: c.code for c in share_classes(db)}
    rows = [
        ApplicationRow(a, people[a.user_id].name, people[a.user_id].email, codes[a.share_class_id])
        for a in pending
    ]
    return page(request, "share_applications.html", rows=rows)


@dataclass
class ReasonForm:
    reason: str = ""


@post(
    "/t/{slug:str}/shares/applications/{application_id:uuid}/admit",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def admit_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    application_id: FromPath[uuid.UUID],
) -> Redirect:
    who = visitor(request)
    assert who.tenant is not None
    assert who.user_id is not None
    try:
        applications.admit(db, who.tenant, application_id, who.user_id)
    except (MembershipError, MembershipForbidden) as error:
        flash(request, _("Not admitted: %(reason)s"), "error", reason=str(error))
    else:
        flash(request, _("Admitted: the member's shares now wait for payment."), "info")
    return Redirect(f"/t/{slug}/shares/applications")


@post(
    "/t/{slug:str}/shares/applications/{application_id:uuid}/refuse",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def refuse_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    application_id: FromPath[uuid.UUID],
    data: URLEncodedBody[ReasonForm],
) -> Redirect:
    staff_id = visitor(request).user_id
    assert staff_id is not None
    try:
        applications.refuse(db, application_id, staff_id, data.reason)
    except MembershipError as error:
        flash(request, _("Not refused: %(reason)s"), "error", reason=str(error))
    else:
        flash(request, _("Application refused; the reason is recorded."), "info")
    return Redirect(f"/t/{slug}/shares/applications")


JOIN_PAGES = [join_page, join_form, applications_page, admit_form, refuse_form]
