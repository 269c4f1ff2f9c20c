"""A cooperative for the decisions' tests: members, shares, activities and their turnover.

The story (financial year 2025, the assembly on 2026-05-12):

- Ann, Bob and Cid are members from 2025-01-10; Dan is a member from then but
  resigns on 2025-06-01, so he is not one on the year end;
- A shares of 50.00: Ann holds 4 (200.00), Bob 2 (100.00), Cid none: capital 300.00;
- activities and the turnover invoiced in 2025 (VAT excluded):
  ANN-SOLO (Ann) 1000.00, DUO (Bob manager, Cid member) 500.00, DAN-SOLO (Dan)
  700.00; ANN-SOLO also invoices 400.00 in January 2026 (the next year).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from coopkit.activities.service import create_activity
from coopkit.db.tenancy import set_tenant
from coopkit.governance.effects import Adoption
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.posting import credit, debit, post
from coopkit.membership.models import (
    MemberStatus,
    MemberStatusChange,
    RegisterEntryKind,
    ShareClass,
)
from coopkit.membership.register import append_entry
from coopkit.people.models import Role
from coopkit.people.service import add_membership
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from coopkit.tenants.service import create_tenant
from tests.conftest import unique
from tests.factories import make_user

YEAR_END = date(2025, 12, 31)
ASSEMBLY = date(2026, 5, 12)


@dataclass
class Coop:
    tenant: Tenant
    people: dict[str, uuid.UUID]  # Ann, Bob, Cid, Dan
    staff: uuid.UUID


def adoption(title: str = "Resolution", on: date = ASSEMBLY) -> Adoption:
    return Adoption(
        resolution_id=uuid.uuid4(),
        title=title,
        adopted_on=on,
        decided_by=f"General assembly of {on.isoformat()}, {title}",
    )


def invoice(session: Session, activity: uuid.UUID, net: str, day: date) -> None:
    """Book turnover the short way (no VAT): Dr client receivables, Cr turnover."""
    post(
        session,
        kind="invoice",
        description="Invoice",
        day=day,
        lines=[
            debit(AccountRole.CLIENT_RECEIVABLES, Decimal(net), activity),
            credit(AccountRole.TURNOVER, Decimal(net), activity),
        ],
    )


def make_coop(session: Session, plugins: PluginHost, country: str = "BE") -> Coop:
    """The story's cooperative, selected as the session's tenant (flushed, not committed)."""
    tenant = create_tenant(
        session, plugins, slug=unique("decide"), name="Decide coop", kind="branch", country=country
    )
    people = {name: make_user(session, name).id for name in ("Ann", "Bob", "Cid", "Dan")}
    staff = make_user(session, "Staff")
    for user_id in people.values():
        add_membership(session, tenant, session.get_one(type(staff), user_id), Role.MEMBER)
    add_membership(session, tenant, staff, Role.STAFF)
    set_tenant(session, tenant.id, staff.id)
    for user_id in people.values():
        session.add(
            MemberStatusChange(
                user_id=user_id, status=MemberStatus.MEMBER, effective_on=date(2025, 1, 10)
            )
        )
    session.add(
        MemberStatusChange(
            user_id=people["Dan"], status=MemberStatus.RESIGNED, effective_on=date(2025, 6, 1)
        )
    )
    shares = ShareClass(code="A", name="A shares", nominal=Decimal("50.00"), currency="EUR")
    session.add(shares)
    session.flush()
    for name, quantity in (("Ann", 4), ("Bob", 2)):
        append_entry(
            session,
            user_id=people[name],
            share_class=shares,
            kind=RegisterEntryKind.SUBSCRIPTION,
            quantity=quantity,
            effective_on=date(2025, 1, 10),
        )
    solo = create_activity(session, code="ANN-SOLO", name="Ann", managers=[people["Ann"]])
    duo = create_activity(
        session, code="DUO", name="Duo", managers=[people["Bob"]], members=[people["Cid"]]
    )
    dan = create_activity(session, code="DAN-SOLO", name="Dan", managers=[people["Dan"]])
    invoice(session, solo.id, "1000.00", date(2025, 3, 3))
    invoice(session, duo.id, "500.00", date(2025, 9, 15))
    invoice(session, dan.id, "700.00", date(2025, 4, 1))
    invoice(session, solo.id, "400.00", date(2026, 1, 20))
    session.flush()
    return Coop(tenant, people, staff.id)
