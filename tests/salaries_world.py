"""A cooperative whose member works in an activity with money, for salary requests' tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.tenancy import set_tenant
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.models import Account, Posting
from coopkit.people.models import Role
from coopkit.people.service import add_membership
from coopkit.plugins import PluginHost
from coopkit.salaries.models import SalaryRequest
from coopkit.salaries.service import SalaryAsk, create_salary_request
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.factories import make_user
from tests.ledger_world import Books, fund, open_cooperative

DAY = date(2026, 3, 9)
WEEK = SalaryAsk(
    member_id=uuid.UUID(int=0),
    activity_id=uuid.UUID(int=0),
    period_start=date(2026, 3, 2),
    period_end=date(2026, 3, 6),
    days=Decimal(5),
    gross=Decimal("1000.00"),
)


@dataclass
class World:
    books: Books
    tenant: Tenant
    staff: uuid.UUID
    other_staff: uuid.UUID
    session: Session
    plugins: PluginHost

    @property
    def activity(self) -> uuid.UUID:
        return self.books.activities["SHARED"]

    def ask(self, **changes: object) -> SalaryAsk:
        base = replace(WEEK, member_id=self.books.member, activity_id=self.activity)
        return replace(base, **changes)  # type: ignore[arg-type]

    def request(self, **changes: object) -> SalaryRequest:
        return create_salary_request(
            self.session, self.plugins, self.tenant, self.ask(**changes), day=DAY
        )


def make_world(db: Database, plugins: PluginHost, country: str, funds: str) -> World:
    books = open_cooperative(db, plugins, country=country)
    session = books.session(db)
    tenant = session.get(Tenant, books.tenant_id)
    assert tenant is not None
    staff, other = make_user(session, "Staff One"), make_user(session, "Staff Two")
    add_membership(session, tenant, staff, Role.STAFF)
    add_membership(session, tenant, other, Role.STAFF)
    set_tenant(session, tenant.id, books.manager)
    fund(session, books.activities["SHARED"], funds)
    return World(books, tenant, staff.id, other.id, session, plugins)


@pytest.fixture(params=["BE", "FR"])
def world(request: pytest.FixtureRequest, db: Database, plugins: PluginHost) -> Iterator[World]:
    made = make_world(db, plugins, request.param, "5000.00")
    yield made
    made.session.rollback()
    made.session.close()


def entry_lines(session: Session, entry_id: uuid.UUID) -> dict[R, Decimal]:
    """An entry's amounts by role (debit positive)."""
    rows = session.execute(
        select(Account.role, Posting.amount)
        .join(Posting, Posting.account_id == Account.id)
        .where(Posting.entry_id == entry_id)
    ).all()
    return dict(rows)
