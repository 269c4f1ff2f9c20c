"""The public directory of member coops launched by incubators: who they are, what they offer.

It reads each incubator's launched projects inside that incubator's own tenant
scope (one scope at a time, so row-level security holds on PostgreSQL too) and
shows only what a project published for the world: name, purpose, country and
the coop's address on this installation.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.tenancy import tenant_scope
from coopkit.incubator.models import IncubatorProject, ProjectStage
from coopkit.tenants.models import Tenant, TenantKind


@dataclass(frozen=True)
class DirectoryEntry:
    """A launched member coop as the public directory lists it."""

    name: str
    slug: str
    purpose: str
    country: str
    incubator: str


def launched_coops(db: Session) -> list[DirectoryEntry]:
    """Every member coop launched by an incubator of this installation, by name."""
    found: list[DirectoryEntry] = []
    incubators = db.scalars(select(Tenant).where(Tenant.kind == TenantKind.INCUBATOR))
    for incubator in list(incubators):
        with tenant_scope(db, incubator.id):
            projects = db.scalars(
                select(IncubatorProject).where(
                    IncubatorProject.stage == ProjectStage.LAUNCHED,
                    IncubatorProject.launched_tenant_id.is_not(None),
                )
            )
            found.extend(
                DirectoryEntry(p.name, p.slug, p.purpose, p.country, incubator.name)
                for p in projects
            )
    return sorted(found, key=lambda entry: entry.name.casefold())
