"""Who is asking and what they may do: sign-in state, tenants in the path, role guards.

Every route under ``/t/{slug}`` (pages) and ``/api/v1/t/{slug}`` (API) carries a
:class:`RequireRole` guard; a test fails if one does not. The guard resolves the
tenant from the path and the person from the session cookie (pages) or the
``Authorization: Bearer`` token (API), and checks their role *in that tenant*.
A tenant the person does not belong to answers 404, exactly like one that does
not exist, so that nobody can probe which cooperatives are on the installation.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.tenancy import tenant_scope
from coopkit.people import service as people
from coopkit.people.models import Role, User
from coopkit.tenants.models import Tenant
from coopkit.web.state import AppServices, Visitor

SESSION_USER = "user_id"
VISITOR = "coopkit_visitor"


def services(connection: ASGIConnection[Any, Any, Any, Any]) -> AppServices:
    return connection.app.state.services  # type: ignore[no-any-return]


def is_api(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    return connection.url.path.startswith("/api/")


def _bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _session_user_id(connection: ASGIConnection[Any, Any, Any, Any]) -> uuid.UUID | None:
    if "session" not in connection.scope:
        return None
    raw = connection.session.get(SESSION_USER) if connection.session else None
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def identify(connection: ASGIConnection[Any, Any, Any, Any], db: Session) -> Visitor:
    """The visitor behind this request: API by bearer token only, pages by session cookie."""
    if is_api(connection):
        token = _bearer(connection)
        user = people.user_for_token(db, token) if token else None
        return Visitor(user=user, via_token=user is not None)
    user_id = _session_user_id(connection)
    user = db.get(User, user_id) if user_id else None
    return Visitor(user=user)


def visitor(connection: ASGIConnection[Any, Any, Any, Any]) -> Visitor:
    """The visitor a guard already identified, or identify now (pages outside tenants)."""
    found = connection.scope.get("state", {}).get(VISITOR)
    if isinstance(found, Visitor):
        return found
    with services(connection).sessions() as db:
        found = identify(connection, db)
    connection.scope.setdefault("state", {})[VISITOR] = found
    return found


class RequireRole:
    """Guard: the visitor must hold at least ``role`` in the tenant named in the path."""

    def __init__(self, role: Role) -> None:
        self.role = role

    def __repr__(self) -> str:
        return f"RequireRole({self.role.value})"

    def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        slug = connection.path_params.get("slug")
        with services(connection).sessions() as db:
            found = identify(connection, db)
            if found.user is None:
                raise NotAuthorizedException(
                    "sign in first"
                    if not is_api(connection)
                    else "send Authorization: Bearer <token>"
                )
            tenant = db.scalar(select(Tenant).where(Tenant.slug == slug)) if slug else None
            if tenant is None:
                raise NotFoundException(f"no cooperative {slug!r} here")
            with tenant_scope(db, tenant.id):
                role = people.role_in(db, found.user.id)
        if role is None:
            raise NotFoundException(f"no cooperative {slug!r} here")
        if not role.includes(self.role):
            raise PermissionDeniedException(
                f"this needs the {self.role.value} role in {tenant.name}"
            )
        found.tenant, found.role = tenant, role
        connection.scope.setdefault("state", {})[VISITOR] = found


class OpenToAnyone(RequireRole):
    """Guard of a cooperative's public routes (the membership form): anyone may come, signed
    in or not. The cooperative must exist (404 otherwise); a visitor who belongs to it gets
    their role, as under :class:`RequireRole`. Declaring it keeps such routes deliberate:
    the meta-test still finds a guard on every tenant route."""

    def __init__(self) -> None:
        super().__init__(Role.MEMBER)

    def __repr__(self) -> str:
        return "OpenToAnyone()"

    def __call__(self, connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        slug = connection.path_params.get("slug")
        with services(connection).sessions() as db:
            found = identify(connection, db)
            tenant = db.scalar(select(Tenant).where(Tenant.slug == slug)) if slug else None
            if tenant is None:
                raise NotFoundException(f"no cooperative {slug!r} here")
            role = None
            if found.user is not None:
                with tenant_scope(db, tenant.id):
                    role = people.role_in(db, found.user.id)
        found.tenant, found.role = tenant, role
        connection.scope.setdefault("state", {})[VISITOR] = found


def require_signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard for pages and API calls outside a tenant that still need a person."""
    if visitor(connection).user is None:
        raise NotAuthorizedException(
            "send Authorization: Bearer <token>" if is_api(connection) else "sign in first"
        )


member_only = RequireRole(Role.MEMBER)
staff_only = RequireRole(Role.STAFF)
admin_only = RequireRole(Role.ADMIN)
open_to_anyone = OpenToAnyone()
