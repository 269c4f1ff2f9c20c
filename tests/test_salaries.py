"""Salary requests: pricing, coverage, overlaps, four eyes, booking, release, due dates."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from coopkit.activities.service import activity_balance
from coopkit.audit.models import AuditEvent
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.models import JournalEntry
from coopkit.payouts.models import Payout, PayoutKind
from coopkit.payslips.models import Payslip
from coopkit.payslips.service import issue_payslip
from coopkit.salaries.approval import approve_salary_request
from coopkit.salaries.errors import (
    SalaryRequestConflict,
    SalaryRequestError,
    SalaryRequestForbidden,
    SalaryRequestNotFound,
    SalaryRequestRefused,
)
from coopkit.salaries.models import Asked, SalaryRequest, SalaryStatus
from coopkit.salaries.policy import SalaryPolicyError, payment_days_on, set_salary_policy
from coopkit.salaries.pricing import WorkAsked, payslip_request, price
from coopkit.salaries.queries import list_salary_requests
from coopkit.salaries.service import (
    cancel_salary_request,
    due_date_of,
    reject_salary_request,
)
from coopkit.web.payroll import tenant_payroll_rules
from tests.conftest import Database
from tests.salaries_world import DAY, World, entry_lines, make_world
from tests.salaries_world import world as world


def approve(world: World, request: SalaryRequest) -> SalaryRequest:
    return approve_salary_request(
        world.session, world.plugins, world.tenant, request.id, approved_by=world.staff, day=DAY
    )


def test_the_price_is_the_payslip_issued_the_same_way(world: World) -> None:
    made = world.request()
    assert made.status is SalaryStatus.REQUESTED
    assert made.month == date(2026, 3, 1)
    rules = tenant_payroll_rules(world.plugins, world.tenant)
    assert made.hours == rules.hours_for_days(made.month, Decimal(5))
    # A payslip issued by hand (a monthly one) with the same gross and hours.
    by_hand = issue_payslip(
        world.session,
        world.plugins,
        world.tenant,
        payslip_request(world.books.member, made.month, made.gross, made.hours),
        world.staff,
    )
    for name in ("gross", "net_pay", "income_tax_withheld", "employer_cost"):
        assert getattr(made, name) == getattr(by_hand, name), name
    assert made.social_contributions == (
        by_hand.employee_contributions + by_hand.employer_contributions
    )
    assert made.employer_cost == made.net_pay + made.income_tax_withheld + made.social_contributions


def test_a_budget_buys_the_largest_gross_it_pays(world: World) -> None:
    rules = tenant_payroll_rules(world.plugins, world.tenant)
    budget = Decimal("1500.00")
    work = WorkAsked(date(2026, 3, 2), Asked.BUDGET, budget, days=Decimal(5))
    priced = price(rules, world.books.member, work)
    assert priced.employer_cost <= budget
    one_cent_more = WorkAsked(
        date(2026, 3, 2), Asked.GROSS, priced.gross + Decimal("0.01"), days=Decimal(5)
    )
    assert price(rules, world.books.member, one_cent_more).employer_cost > budget
    made = world.request(gross=None, budget=budget)
    assert (made.asked, made.asked_amount, made.gross) == (Asked.BUDGET, budget, priced.gross)


def test_a_budget_below_the_minimum_wage_is_refused_with_the_shortfall(world: World) -> None:
    with pytest.raises(SalaryRequestRefused, match="minimum wage") as refused:
        world.request(gross=None, budget=Decimal("100.00"))
    assert refused.value.missing > 0
    assert refused.value.field == "budget"
    with pytest.raises(SalaryRequestRefused, match="below the minimum wage"):
        world.request(gross=Decimal("100.00"))


def test_the_activity_covers_it_and_reserves_it(world: World) -> None:
    before = activity_balance(world.session, world.activity)
    made = world.request()
    assert (made.from_funds, made.from_advance) == (made.employer_cost, Decimal(0))
    after = activity_balance(world.session, world.activity)
    assert after.reserved == before.reserved + made.employer_cost
    assert after.available == before.available - made.employer_cost
    assert made.reservation_entry_id is not None
    actions = world.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-1] == "salary_request.created"


def test_without_the_money_it_is_refused_with_the_amount_missing(
    db: Database, plugins: object
) -> None:
    small = make_world(db, plugins, "BE", "300.00")  # type: ignore[arg-type]
    try:
        with pytest.raises(SalaryRequestRefused) as refused:
            small.request()
        rules = tenant_payroll_rules(small.plugins, small.tenant)
        cost = price(
            rules,
            small.books.member,
            WorkAsked(date(2026, 3, 2), Asked.GROSS, Decimal("1000.00"), days=Decimal(5)),
        ).employer_cost
        assert refused.value.missing == cost - Decimal("300.00")
        assert refused.value.currency == "EUR"
        assert refused.value.reasons
        assert f"{cost - Decimal('300.00')} EUR" in str(refused.value)
        assert small.session.scalar(select(func.count()).select_from(SalaryRequest)) == 0
        assert activity_balance(small.session, small.activity).available == Decimal("300.00")
    finally:
        small.session.rollback()
        small.session.close()


def test_overlapping_and_paid_periods_are_refused(world: World) -> None:
    first = world.request()
    with pytest.raises(SalaryRequestConflict, match="overlaps") as overlap:
        world.request(period_start=date(2026, 3, 6), period_end=date(2026, 3, 10))
    assert overlap.value.other == first.id
    assert first.reference in str(overlap.value)
    assert "2026-03-02 – 2026-03-06" in str(overlap.value)
    approve(world, first)
    with pytest.raises(SalaryRequestConflict, match="already paid"):
        world.request(period_start=date(2026, 3, 1), period_end=date(2026, 3, 2), days=Decimal(1))
    # The next week is free.
    later = world.request(period_start=date(2026, 3, 9), period_end=date(2026, 3, 13))
    cancel_salary_request(world.session, later.id, member_id=world.books.member, day=DAY)
    # A cancelled request frees its days.
    world.request(period_start=date(2026, 3, 9), period_end=date(2026, 3, 13))


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"period_end": date(2026, 4, 2)}, "period_end", "one calendar month"),
        ({"period_start": date(2026, 3, 7)}, "period_end", "after it ends"),
        ({"days": Decimal(6)}, "days", "period of 5 days"),
        ({"days": None}, "days", "days or the hours"),
        ({"days": None, "hours": Decimal(0)}, "hours", "more than 0"),
        ({"gross": None}, "gross", "gross salary or the budget"),
        ({"gross": Decimal("1000.001")}, "gross", "in cents"),
    ],
)
def test_bad_requests_name_the_field(
    world: World, changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(SalaryRequestError, match=words) as refused:
        world.request(**changes)
    assert refused.value.field == field


def test_only_the_people_of_the_activity_are_paid_by_it(world: World) -> None:
    with pytest.raises(SalaryRequestError, match="does not work in activity") as refused:
        world.request(member_id=world.staff)
    assert refused.value.field == "member_id"


def test_four_eyes(world: World) -> None:
    made = world.request()
    with pytest.raises(SalaryRequestForbidden, match="staff"):
        approve_salary_request(
            world.session,
            world.plugins,
            world.tenant,
            made.id,
            approved_by=world.books.member,
            day=DAY,
        )
    for_member = world.session  # staff asking for a member may not approve it themself
    other = world.request(period_start=date(2026, 3, 16), period_end=date(2026, 3, 20))
    other.created_by_id = world.staff
    for_member.flush()
    with pytest.raises(SalaryRequestForbidden, match="four eyes"):
        approve(world, other)
    approve_salary_request(
        world.session, world.plugins, world.tenant, other.id, approved_by=world.other_staff, day=DAY
    )


def test_approval_books_one_salary_entry_equal_to_the_payslip(world: World) -> None:
    made = world.request()
    approved = approve(world, made)
    again = approve(world, made)
    assert again is approved
    assert approved.status is SalaryStatus.APPROVED
    entries = world.session.scalars(
        select(JournalEntry).where(JournalEntry.reference == f"salary_request:{made.id}")
    ).all()
    assert [e.kind for e in entries] == ["salary"]
    assert approved.salary_entry_id == entries[0].id
    payslip = world.session.scalar(select(Payslip).where(Payslip.id == approved.payslip_id))
    assert payslip is not None
    assert payslip.salary_request_id == made.id
    lines = entry_lines(world.session, entries[0].id)
    assert lines[R.ACTIVITY_RESERVED] == payslip.employer_cost
    assert -lines[R.SALARIES_PAYABLE] == payslip.net_pay
    assert -lines.get(R.WITHHOLDING_TAX_PAYABLE, Decimal(0)) == payslip.income_tax_withheld
    assert -lines[R.SOCIAL_SECURITY_PAYABLE] == (
        payslip.employee_contributions + payslip.employer_contributions
    )
    assert sum(lines.values()) == 0
    balance = activity_balance(world.session, world.activity)
    assert balance.reserved == 0
    payouts = world.session.scalars(select(Payout)).all()
    assert [(p.kind, p.source_id, p.amount) for p in payouts] == [
        (PayoutKind.SALARY, made.id, payslip.net_pay)
    ]
    assert payouts[0].due_date == approved.due_date == date(2026, 3, 13)


def test_two_contracts_in_a_month_have_a_payslip_each(world: World) -> None:
    first = approve(world, world.request())
    second = approve(
        world, world.request(period_start=date(2026, 3, 16), period_end=date(2026, 3, 20))
    )
    assert first.payslip_id != second.payslip_id
    assert first.month == second.month


def test_the_due_date_follows_the_policy_in_force_at_the_end_of_the_period(
    world: World,
) -> None:
    assert payment_days_on(world.session, date(2026, 3, 6)) == 7
    set_salary_policy(
        world.session, valid_from=date(2026, 3, 1), payment_days=3, decided_by="GA 2026-02-20"
    )
    assert due_date_of(world.session, date(2026, 3, 6)) == date(2026, 3, 9)
    assert due_date_of(world.session, date(2026, 2, 27)) == date(2026, 3, 6)
    approved = approve(world, world.request())
    assert approved.due_date == date(2026, 3, 6) + timedelta(days=3)
    with pytest.raises(SalaryPolicyError):
        set_salary_policy(world.session, valid_from=DAY, payment_days=-1, decided_by="GA")
    with pytest.raises(SalaryPolicyError):
        set_salary_policy(world.session, valid_from=DAY, payment_days=7, decided_by=" ")


def test_rejection_releases_the_reservation(world: World) -> None:
    before = activity_balance(world.session, world.activity)
    made = world.request()
    with pytest.raises(SalaryRequestError, match="say why"):
        reject_salary_request(world.session, made.id, rejected_by=world.staff, reason=" ", day=DAY)
    rejected = reject_salary_request(
        world.session, made.id, rejected_by=world.staff, reason="Not worked", day=DAY
    )
    assert (rejected.status, rejected.reason) == (SalaryStatus.REJECTED, "Not worked")
    assert activity_balance(world.session, world.activity) == before
    with pytest.raises(SalaryRequestConflict, match="rejected already"):
        approve(world, made)
    with pytest.raises(SalaryRequestConflict, match="rejected already"):
        cancel_salary_request(world.session, made.id, member_id=world.books.member, day=DAY)


def test_only_the_member_cancels_their_request(world: World) -> None:
    made = world.request()
    with pytest.raises(SalaryRequestNotFound):
        cancel_salary_request(world.session, made.id, member_id=world.staff, day=DAY)
    cancelled = cancel_salary_request(world.session, made.id, member_id=world.books.member, day=DAY)
    assert cancelled.status is SalaryStatus.CANCELLED
    assert activity_balance(world.session, world.activity).reserved == 0


def test_staff_see_requests_by_due_date(world: World) -> None:
    late = world.request(period_start=date(2026, 3, 16), period_end=date(2026, 3, 20))
    early = world.request()
    assert list_salary_requests(world.session) == [early, late]
    assert list_salary_requests(world.session, member_id=world.staff) == []
    approve(world, early)
    assert list_salary_requests(world.session, status=SalaryStatus.REQUESTED) == [late]


def test_unknown_requests_are_not_found(world: World) -> None:
    with pytest.raises(SalaryRequestNotFound):
        approve_salary_request(
            world.session,
            world.plugins,
            world.tenant,
            uuid.uuid4(),
            approved_by=world.staff,
            day=DAY,
        )
