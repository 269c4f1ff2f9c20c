"""The cooperative the session works for, and its seller identity on a day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.tenancy import NoTenantSelected, current_tenant
from coopkit.invoicing.models import SellerIdentity
from coopkit.tenants.models import Tenant


def current_cooperative(db: Session) -> Tenant:
    """The tenant selected on the session (raises NoTenantSelected)."""
    tenant_id = current_tenant(db)
    tenant = db.get(Tenant, tenant_id) if tenant_id else None
    if tenant is None:
        raise NoTenantSelected("select the cooperative (set_tenant) first")
    return tenant


def seller_on(db: Session, day: date) -> SellerIdentity | None:
    """The cooperative's identity as a seller in force on ``day``, if one is set."""
    return db.scalar(
        select(SellerIdentity)
        .where(SellerIdentity.valid_from <= day)
        .order_by(SellerIdentity.valid_from.desc())
        .limit(1)
    )
