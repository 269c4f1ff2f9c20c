"""A cooperative's branding on its pages: the look for the layout, and the logo's address.

The layout turns the colours into CSS variables (``--ink``, ``--accent`` in
base.html); the logo is served from ``/t/<slug>/branding/logo`` to anyone,
since the public membership form shows it too. An SVG logo could carry a
script, so the logo answers with a sandboxing Content-Security-Policy.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from sqlalchemy.orm import Session

from coopkit.branding.service import Look, branding_on, look_of
from coopkit.db.tenancy import tenant_scope
from coopkit.i18n import _
from coopkit.web.access import open_to_anyone, services, visitor

LOGO_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "public, max-age=300",
}


def tenant_look(request: Request[Any, Any, Any]) -> Look | None:
    """The branding of the tenant in the path today, or None (outside a tenant, or unset)."""
    tenant = visitor(request).tenant
    if tenant is None:
        return None
    with services(request).sessions() as db, tenant_scope(db, tenant.id):
        return look_of(branding_on(db, date.today()))


@get(
    "/t/{slug:str}/branding/logo",
    guards=[open_to_anyone],
    include_in_schema=False,
    sync_to_thread=True,
)
def branding_logo(db: NamedDependency[Session], slug: FromPath[str]) -> Response[bytes]:
    """The cooperative's logo as it was recorded, or 404 when it has none."""
    row = branding_on(db, date.today())
    if row is None or row.logo is None or row.logo_media_type is None:
        raise NotFoundException(_("This cooperative has no logo."))
    return Response(row.logo, media_type=row.logo_media_type, headers=LOGO_HEADERS)
