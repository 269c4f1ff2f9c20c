"""A cooperative with open books, fee rates and activities, for the ledger's tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from coopkit.activities.service import create_activity
from coopkit.db.tenancy import set_tenant
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.policy import set_rates
from coopkit.ledger.posting import credit, debit, post
from coopkit.people.models import Role
from coopkit.people.service import add_membership
from coopkit.plugins import PluginHost
from coopkit.tenants.service import create_tenant
from tests.conftest import Database, unique
from tests.factories import make_user

DAY = date(2026, 3, 2)
FEE = Decimal("0.065")
GUARANTEE = Decimal("0.02")


@dataclass
class Books:
    """A committed cooperative: its id, two people, and activities by code."""

    tenant_id: uuid.UUID
    manager: uuid.UUID
    member: uuid.UUID
    activities: dict[str, uuid.UUID]

    def session(self, db: Database) -> Session:
        session = db.sessions()
        set_tenant(session, self.tenant_id, self.manager)
        return session


def open_cooperative(
    db: Database,
    plugins: PluginHost,
    country: str = "BE",
    codes: tuple[str, ...] = ("SOLO", "SHARED"),
) -> Books:
    with db.sessions() as session:
        tenant = create_tenant(
            session, plugins, slug=unique("books"), name="Books", kind="branch", country=country
        )
        manager, member = make_user(session, "Manager"), make_user(session, "Member")
        add_membership(session, tenant, manager, Role.MEMBER)
        add_membership(session, tenant, member, Role.MEMBER)
        set_tenant(session, tenant.id, manager.id)
        set_rates(
            session,
            valid_from=date(2026, 1, 1),
            fee_rate=FEE,
            guarantee_rate=GUARANTEE,
            decided_by="General assembly of 2025-12-10",
        )
        activities = {
            code: create_activity(
                session,
                code=code,
                name=f"Activity {code}",
                managers=[manager.id],
                members=[member.id] if code == "SHARED" else [],
            ).id
            for code in codes
        }
        session.commit()
        return Books(tenant.id, manager.id, member.id, activities)


def fund(session: Session, activity: uuid.UUID, amount: str) -> None:
    """Put money in an activity's funds the short way: capital into the bank, then a budget."""
    post(
        session,
        kind="capital",
        description="Members' shares paid in",
        day=DAY,
        lines=[debit(AccountRole.BANK, amount), credit(AccountRole.SHARE_CAPITAL, amount)],
    )
    post(
        session,
        kind="paid_share",
        description="Budget made available",
        day=DAY,
        lines=[
            debit(AccountRole.ACTIVITY_BUDGETS, amount, activity),
            credit(AccountRole.ACTIVITY_FUNDS, amount, activity),
        ],
    )
