"""A Belgian cooperative that owes its members salaries and expenses, for the payout tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.posting import credit, debit, post
from coopkit.payouts.bank_accounts import set_bank_account
from coopkit.payouts.models import Payout, PayoutKind
from coopkit.payouts.queue import queue_payout
from coopkit.people.models import Role
from coopkit.people.service import add_membership
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.factories import make_user
from tests.invoicing_world import World, invoicing_world
from tests.ledger_world import fund

DAY = date(2026, 3, 2)
EXECUTION = date(2026, 3, 9)
IBANS = {
    "BE": "BE68 5390 0754 7034",
    "FR": "FR76 3000 6000 0112 3456 7890 189",
    "DE": "DE89 3704 0044 0532 0130 00",
}


@dataclass
class Payroll:
    """The world, its staff member, and the members the coop owes money to."""

    world: World
    tenant_id: uuid.UUID
    staff: uuid.UUID
    members: dict[str, uuid.UUID]

    def session(self, db: Database) -> Session:
        return self.world.session(db)


def payroll_world(db: Database, plugins: PluginHost, country: str = "BE") -> Payroll:
    """Three members (ana, ben with a bank account; cleo without), money in the bank."""
    world = invoicing_world(db, plugins, country, clients=())
    with world.session(db) as session:
        tenant = session.get(Tenant, world.books.tenant_id)
        assert tenant is not None
        staff = make_user(session, "Payments Staff")
        add_membership(session, tenant, staff, Role.STAFF)
        members = {}
        for name in ("ana", "ben", "cleo"):
            user = make_user(session, name.title())
            add_membership(session, tenant, user, Role.MEMBER)
            members[name] = user.id
        fund(session, world.activity(), "10000.00")
        set_bank_account(
            session,
            members["ana"],
            iban=IBANS["BE"],
            holder="Ana Peeters",
            valid_from=date(2026, 1, 1),
            plugins=plugins,
        )
        set_bank_account(
            session,
            members["ben"],
            iban=IBANS["FR"],
            holder="Ben Martin",
            valid_from=date(2026, 1, 1),
            plugins=plugins,
        )
        session.commit()
    return Payroll(world, world.books.tenant_id, staff.id, members)


def owe(
    session: Session,
    payroll: Payroll,
    member: str,
    kind: PayoutKind,
    amount: str,
    due: date = DAY,
    currency: str = "EUR",
) -> Payout:
    """Book what the coop owes (the activity pays the payable) and queue it as a payout."""
    payable = R.SALARIES_PAYABLE if kind is PayoutKind.SALARY else R.EXPENSE_CLAIMS_PAYABLE
    activity = payroll.world.activity()
    post(
        session,
        kind=kind.value,
        description=f"{kind.value} owed to {member}",
        day=due,
        lines=[debit(R.ACTIVITY_FUNDS, amount, activity), credit(payable, amount)],
    )
    return queue_payout(
        session,
        kind=kind,
        source_id=uuid.uuid4(),
        user_id=payroll.members[member],
        activity_id=activity,
        amount=Decimal(amount),
        currency=currency,
        due_date=due,
        description=f"{kind.value.title()} of {member} {due:%Y-%m}",
    )
