"""Salary requests the guarantee fund covers: the offer at request time, the grant on approval."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.service import activity_balance
from coopkit.guarantee.models import Advance
from coopkit.ledger.balances import ledger_problems
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.models import JournalEntry
from coopkit.people.models import Role
from coopkit.people.service import add_membership
from coopkit.plugins import PluginHost
from coopkit.salaries.approval import approve_salary_request
from coopkit.salaries.errors import SalaryRequestHeld, SalaryRequestRefused
from coopkit.salaries.models import SalaryRequest, SalaryStatus
from coopkit.salaries.service import SalaryAsk, create_salary_request, hold_salary_request
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.factories import make_user
from tests.guarantee_world import PAYDAY, confirmed_invoice, guarantee_world
from tests.invoicing_world import World
from tests.ledger_world import fund
from tests.salaries_world import entry_lines


@dataclass
class Fund:
    world: World
    session: Session
    tenant: Tenant
    staff: uuid.UUID
    plugins: PluginHost

    def ask(self, gross: str = "300.00", first_day: int = 2) -> SalaryRequest:
        # The manager works alone in SOLO.
        return create_salary_request(
            self.session,
            self.plugins,
            self.tenant,
            SalaryAsk(
                member_id=self.world.books.manager,
                activity_id=self.world.activity("SOLO"),
                period_start=date(2026, 3, first_day),
                period_end=date(2026, 3, first_day + 1),
                days=Decimal(2),
                gross=Decimal(gross),
            ),
            day=PAYDAY,
        )

    def approve(self, request: SalaryRequest) -> SalaryRequest:
        return approve_salary_request(
            self.session, self.plugins, self.tenant, request.id, approved_by=self.staff, day=PAYDAY
        )


@pytest.fixture
def with_fund(db: Database, plugins: PluginHost) -> Iterator[Fund]:
    world = guarantee_world(db, plugins)
    with world.session(db) as session:
        tenant = session.get(Tenant, world.books.tenant_id)
        assert tenant is not None
        staff = make_user(session, "Staff")
        add_membership(session, tenant, staff, Role.STAFF)
        yield Fund(world, session, tenant, staff.id, plugins)
        session.rollback()


def test_the_fund_covers_what_the_activity_lacks(with_fund: Fund) -> None:
    confirmed_invoice(with_fund.session, with_fund.world, with_fund.plugins, "1000.00")
    fund(with_fund.session, with_fund.world.activity("SOLO"), "100.00")
    made = with_fund.ask()
    assert made.from_funds == Decimal("100.00")
    assert made.from_advance == made.employer_cost - Decimal("100.00") > 0
    # Nothing is granted before approval.
    assert with_fund.session.scalars(select(Advance)).all() == []

    approved = with_fund.approve(made)
    assert approved.status is SalaryStatus.APPROVED
    advances = with_fund.session.scalars(select(Advance)).all()
    assert [(a.salary_request_id, a.amount) for a in advances] == [(made.id, made.from_advance)]
    assert approved.salary_entry_id is not None
    lines = entry_lines(with_fund.session, approved.salary_entry_id)
    assert lines[R.ACTIVITY_RESERVED] == Decimal("100.00")
    assert lines[R.ACTIVITY_FUNDS] == made.from_advance
    balance = activity_balance(with_fund.session, with_fund.world.activity("SOLO"))
    assert (balance.available, balance.reserved) == (Decimal(0), Decimal(0))
    # Approving again grants nothing more.
    with_fund.approve(made)
    assert len(with_fund.session.scalars(select(Advance)).all()) == 1
    kinds = with_fund.session.scalars(
        select(JournalEntry.kind).where(JournalEntry.kind.in_(("advance", "salary")))
    ).all()
    assert sorted(kinds) == ["advance", "salary"]
    assert ledger_problems(with_fund.session) == []


def test_without_invoices_the_fund_gives_nothing_and_says_why(with_fund: Fund) -> None:
    with pytest.raises(SalaryRequestRefused, match="no issued invoice waiting") as refused:
        with_fund.ask()
    assert refused.value.missing > 0
    assert any("no issued invoice" in reason for reason in refused.value.reasons)


def test_an_advance_the_fund_can_no_longer_give_holds_the_approval(with_fund: Fund) -> None:
    invoice = confirmed_invoice(with_fund.session, with_fund.world, with_fund.plugins, "500.00")
    first = with_fund.ask()
    assert first.from_advance == first.employer_cost
    # Another request leans on the same invoice and is approved first.
    second = with_fund.ask(first_day=4)
    with_fund.approve(second)
    with pytest.raises(SalaryRequestHeld, match="can no longer advance") as held:
        with_fund.approve(first)
    hold_salary_request(with_fund.session, first.id, str(held.value))
    assert first.status is SalaryStatus.REQUESTED
    assert "guarantee fund" in (first.reason or "")
    assert (first.salary_entry_id, first.payslip_id) == (None, None)
    granted = with_fund.session.scalars(select(Advance.invoice_id)).all()
    assert granted == [invoice.id]
