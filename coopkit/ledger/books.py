"""Opening a cooperative's books from its country's chart, and finding accounts by role."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.tenancy import tenant_scope
from coopkit.ledger.chart import PER_ACTIVITY_ROLES, AccountRole
from coopkit.ledger.errors import BooksNotOpen, UnknownAccount
from coopkit.ledger.models import Account
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant

RoleKey = tuple[AccountRole, uuid.UUID | None]


def open_books(db: Session, plugins: PluginHost, tenant: Tenant, on: date | None = None) -> int:
    """Create the tenant's accounts from its country's chart; return how many were missing.

    Idempotent: a role that already has its account is left as it is, so
    running it again after an upgrade adds only the roles that are new.
    """
    chart = plugins.chart_of_accounts(tenant.country, on or date.today())
    with tenant_scope(db, tenant.id):
        present = set(db.scalars(select(Account.role).where(Account.activity_id.is_(None))))
        missing = [d for d in chart if d.role not in present]
        for definition in missing:
            db.add(
                Account(
                    tenant_id=tenant.id,
                    number=definition.number,
                    name=definition.name,
                    type=definition.type,
                    role=definition.role,
                    may_be_negative=definition.may_be_negative,
                    per_activity=definition.per_activity,
                    activity_id=None,
                    source=definition.source,
                )
            )
    return len(missing)


def open_activity_accounts(
    db: Session, activity_id: uuid.UUID, code: str, name: str
) -> list[Account]:
    """Give an activity its sub-account of every role split by activity (idempotent)."""
    headers = db.scalars(
        select(Account).where(Account.per_activity.is_(True), Account.activity_id.is_(None))
    ).all()
    if not headers:
        raise BooksNotOpen(
            "the cooperative's books are not open, so an activity cannot get its accounts: "
            "run `coopkit ledger open-books --tenant <slug>` (its country plugin must "
            "implement coopkit_chart_of_accounts)"
        )
    present = set(db.scalars(select(Account.role).where(Account.activity_id == activity_id)))
    created = []
    for header in headers:
        if header.role in present:
            continue
        account = Account(
            number=f"{header.number}.{code}",
            name=f"{header.name} — {name}",
            type=header.type,
            role=header.role,
            may_be_negative=header.may_be_negative,
            per_activity=True,
            activity_id=activity_id,
            source=header.source,
        )
        db.add(account)
        created.append(account)
    db.flush()
    return created


def accounts_for(db: Session, keys: Iterable[RoleKey]) -> dict[RoleKey, Account]:
    """The accounts playing each (role, activity) of ``keys``; UnknownAccount names a missing one.

    A role split by activity needs an activity; any other role must have none.
    """
    wanted = set(keys)
    for role, activity_id in wanted:
        split = role in PER_ACTIVITY_ROLES
        if split and activity_id is None:
            raise UnknownAccount(
                f"the {role.value} account is split by activity: say which activity the line is for"
            )
        if not split and activity_id is not None:
            raise UnknownAccount(
                f"the {role.value} account is not split by activity: give no activity for it"
            )
    roles = {role for role, _ in wanted}
    activities = {activity for _, activity in wanted if activity is not None}
    rows = db.scalars(
        select(Account).where(
            Account.role.in_(roles),
            (Account.activity_id.is_(None) | Account.activity_id.in_(activities)),
        )
    ).all()
    found = {(row.role, row.activity_id): row for row in rows}
    for key in sorted(wanted - set(found), key=lambda k: (k[0].value, str(k[1]))):
        role, activity_id = key
        if activity_id is None:
            raise BooksNotOpen(
                f"the cooperative has no {role.value} account: its books are not open "
                "(`coopkit ledger open-books --tenant <slug>`)"
            )
        raise UnknownAccount(f"activity {activity_id} has no {role.value} account")
    return {key: found[key] for key in wanted}
