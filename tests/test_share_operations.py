"""Membership and shares: admission, subscriptions paid into capital, transfers, redemptions.

Worked examples use a class A of 50.00 (BE) or 100.00 (FR) a share; figures in
comments say how each expected value was computed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit.models import AuditEvent
from coopkit.ledger.balances import ledger_problems, role_balance
from coopkit.ledger.chart import AccountRole as R
from coopkit.membership.applications import (
    ApplicationRequest,
    admit,
    apply_for_membership,
    refuse,
)
from coopkit.membership.errors import MembershipConflict, MembershipError, RuleRefused
from coopkit.membership.models import (
    ApplicationStatus,
    MemberStatus,
    RegisterEntryKind,
    ShareRegisterEntry,
    ShareSubscription,
    SubscriptionStatus,
)
from coopkit.membership.policy import set_share_policy
from coopkit.membership.redemptions import highest_capital, redeem_shares
from coopkit.membership.register import capital_on, holdings_on, status_on
from coopkit.membership.statuses import exclude, resign
from coopkit.membership.subscriptions import record_payment, subscribe
from coopkit.membership.transfers import transfer_shares
from coopkit.people.models import Role, User
from coopkit.people.service import NO_PASSWORD, role_in
from coopkit.plugins import PluginHost
from tests.share_world import share_coop

JAN = date(2026, 1, 12)
LATER = date(2030, 1, 1)  # "today" for payments recorded in these tests


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_admission_makes_a_member_and_a_subscription_waiting_for_payment(
    session: Session, plugins: PluginHost
) -> None:
    coop = share_coop(session, plugins)
    application = apply_for_membership(
        session,
        ApplicationRequest("Ana Lopes", "Ana.Lopes@Example.org", "A", 4, "I design books."),
        today=JAN,
    )
    person = session.get(User, application.user_id)
    assert person is not None
    assert (person.email, person.password_hash) == ("ana.lopes@example.org", NO_PASSWORD)
    assert status_on(session, person.id, JAN) is MemberStatus.APPLICANT
    assert role_in(session, person.id) is None
    with pytest.raises(MembershipConflict, match="applied already"):
        apply_for_membership(
            session, ApplicationRequest("Ana", "ana.lopes@example.org", "A", 1), today=JAN
        )

    decided = date(2026, 1, 20)
    admit(session, coop.tenant, application.id, coop.staff.id, decided)
    assert application.status is ApplicationStatus.ADMITTED
    assert status_on(session, person.id, decided - date.resolution) is MemberStatus.APPLICANT
    assert status_on(session, person.id, decided) is MemberStatus.MEMBER
    assert role_in(session, person.id) is Role.MEMBER
    subscription = session.scalar(
        select(ShareSubscription).where(ShareSubscription.id == application.subscription_id)
    )
    assert subscription is not None
    # 4 shares × 50.00 = 200.00, not paid: no shares yet.
    assert (subscription.quantity, subscription.amount) == (4, Decimal("200.00"))
    assert subscription.status is SubscriptionStatus.PENDING
    assert holdings_on(session, decided) == {}
    assert actions(session)[-4:] == [
        "membership.member",
        "membership.added",
        "shares.subscribed",
        "membership.admitted",
    ]
    with pytest.raises(MembershipConflict, match="admitted already"):
        refuse(session, application.id, coop.staff.id, "changed our mind")


def test_refusal_needs_a_reason_and_records_it(session: Session, plugins: PluginHost) -> None:
    coop = share_coop(session, plugins)
    application = apply_for_membership(
        session, ApplicationRequest("Bob", "bob@example.org", "A", 1), today=JAN
    )
    with pytest.raises(MembershipError, match="say why"):
        refuse(session, application.id, coop.staff.id, "   ")
    refuse(session, application.id, coop.staff.id, "Not a freelancer in our field", JAN)
    assert application.status is ApplicationStatus.REFUSED
    assert application.refusal_reason == "Not a freelancer in our field"
    assert status_on(session, application.user_id, JAN) is MemberStatus.REFUSED
    assert role_in(session, application.user_id) is None
    assert actions(session)[-1] == "membership.application_refused"


def test_paying_a_subscription_issues_the_shares_and_posts_the_capital(
    session: Session, plugins: PluginHost
) -> None:
    coop = share_coop(session, plugins)
    application = apply_for_membership(
        session, ApplicationRequest("Cid", "cid@example.org", "A", 4), today=JAN
    )
    admit(session, coop.tenant, application.id, coop.staff.id, JAN)
    assert application.subscription_id is not None
    paid_on = date(2026, 2, 3)
    paid = record_payment(session, application.subscription_id, coop.staff.id, paid_on, "SEPA 1")
    assert paid.status is SubscriptionStatus.PAID
    line = session.scalar(select(ShareRegisterEntry))
    assert line is not None
    # One line: 4 shares in, 4 × 50.00 = 200.00, effective the day the money came in.
    assert (line.line, line.kind, line.quantity, line.amount) == (
        1,
        RegisterEntryKind.SUBSCRIPTION,
        4,
        Decimal("200.00"),
    )
    assert line.effective_on == paid_on
    assert paid.register_line == 1
    assert role_balance(session, R.BANK, "EUR") == Decimal("200.00")
    assert role_balance(session, R.SHARE_CAPITAL, "EUR") == Decimal("200.00")
    assert ledger_problems(session) == []
    assert capital_on(session, paid_on) == Decimal("200.00")
    assert capital_on(session, paid_on - date.resolution) == Decimal("0.00")
    assert "shares.paid" in actions(session)
    # Paying twice is refused: nothing more in the register or the bank.
    with pytest.raises(MembershipConflict, match="paid on 2026-02-03 already"):
        record_payment(session, paid.id, coop.staff.id, paid_on)
    assert role_balance(session, R.BANK, "EUR") == Decimal("200.00")
    assert len(session.scalars(select(ShareRegisterEntry)).all()) == 1


def test_max_per_member_and_first_holding_minimum(session: Session, plugins: PluginHost) -> None:
    coop = share_coop(session, plugins, max_per_member=10)
    dora = coop.member("Dora", 8, JAN)
    # 8 held + 3 asked = 11 > 10.
    with pytest.raises(RuleRefused, match=r"at most 10 A shares.*8 already.*make 11") as refused:
        subscribe(
            session,
            user_id=dora.id,
            share_class=coop.a_shares,
            quantity=3,
            day=JAN,
            requested_by=coop.staff.id,
        )
    assert refused.value.rule == (
        "statutes, share class A: minimum holding 1, maximum per member 10"
    )
    pending = subscribe(
        session,
        user_id=dora.id,
        share_class=coop.a_shares,
        quantity=2,
        day=JAN,
        requested_by=dora.id,
    )
    # 8 held + 2 waiting for payment + 1 = 11: a pending subscription counts too.
    with pytest.raises(RuleRefused, match="make 11"):
        subscribe(
            session,
            user_id=dora.id,
            share_class=coop.a_shares,
            quantity=1,
            day=JAN,
            requested_by=dora.id,
        )
    assert pending.amount == Decimal("100.00")  # 2 × 50.00
    b_shares = coop.a_shares.__class__(
        code="B", name="B", nominal=Decimal("250.00"), currency="EUR", min_holding=2
    )
    session.add(b_shares)
    session.flush()
    with pytest.raises(RuleRefused, match="first holding of B shares is at least 2, not 1"):
        subscribe(
            session,
            user_id=dora.id,
            share_class=b_shares,
            quantity=1,
            day=JAN,
            requested_by=dora.id,
        )


def test_a_member_subscribes_for_themselves_only(session: Session, plugins: PluginHost) -> None:
    coop = share_coop(session, plugins)
    eve, fay = coop.member("Eve", 1, JAN), coop.member("Fay", 1, JAN)
    with pytest.raises(PermissionError, match="for yourself only"):
        subscribe(
            session,
            user_id=fay.id,
            share_class=coop.a_shares,
            quantity=1,
            day=JAN,
            requested_by=eve.id,
        )


def test_transfer_writes_two_lines_and_keeps_both_sides_within_the_limits(
    session: Session, plugins: PluginHost
) -> None:
    coop = share_coop(session, plugins, max_per_member=10)
    gil, hal = coop.member("Gil", 5, JAN), coop.member("Hal", 8, JAN)
    day = date(2026, 3, 2)
    with pytest.raises(RuleRefused, match="at most 10"):  # Hal: 8 + 3 = 11
        transfer_shares(
            session,
            seller_id=gil.id,
            buyer_id=hal.id,
            share_class=coop.a_shares,
            quantity=3,
            day=day,
            staff_id=coop.staff.id,
        )
    with pytest.raises(RuleRefused, match="keeps at least 1"):  # Gil: 5 − 5 = 0, stays
        transfer_shares(
            session,
            seller_id=gil.id,
            buyer_id=hal.id,
            share_class=coop.a_shares,
            quantity=5,
            day=day,
            staff_id=coop.staff.id,
        )
    transfer = transfer_shares(
        session,
        seller_id=gil.id,
        buyer_id=hal.id,
        share_class=coop.a_shares,
        quantity=2,
        day=day,
        staff_id=coop.staff.id,
    )
    lines = session.scalars(
        select(ShareRegisterEntry).where(ShareRegisterEntry.reference == f"transfer:{transfer.id}")
    ).all()
    assert sorted((x.kind, x.quantity) for x in lines) == [
        (RegisterEntryKind.TRANSFER_IN, 2),
        (RegisterEntryKind.TRANSFER_OUT, -2),
    ]
    assert holdings_on(session, day) == {gil.id: {"A": 3}, hal.id: {"A": 10}}
    # The capital does not move: (5 + 8) × 50.00 = 650.00 before and after.
    assert capital_on(session, day) == Decimal("650.00")


def test_exclusion_needs_a_reason(session: Session, plugins: PluginHost) -> None:
    coop = share_coop(session, plugins)
    ivy = coop.member("Ivy", 1, JAN)
    with pytest.raises(MembershipError, match="say why"):
        exclude(session, ivy.id, date(2026, 2, 1), coop.staff.id, "")
    exclude(session, ivy.id, date(2026, 2, 1), coop.staff.id, "Did not pay the fee for a year")
    assert status_on(session, ivy.id, date(2026, 2, 1)) is MemberStatus.EXCLUDED
    with pytest.raises(MembershipConflict, match="not a member"):
        resign(session, ivy.id, date(2026, 2, 2), coop.staff.id)


def test_belgian_redemption_window_refuses_month_seven(
    session: Session, plugins: PluginHost
) -> None:
    coop = share_coop(session, plugins)
    jo = coop.member("Jo", 4, JAN)
    coop.member("Kim", 4, JAN)
    july = date(2026, 7, 15)
    resign(session, jo.id, july, coop.staff.id, "moves abroad")
    # Financial year from January: the first six months end on 30 June.
    with pytest.raises(RuleRefused, match=r"first 6 months.*2026-07-15 is outside") as refused:
        redeem_shares(
            session,
            plugins,
            coop.tenant,
            user_id=jo.id,
            share_class=coop.a_shares,
            quantity=4,
            day=july,
            staff_id=coop.staff.id,
        )
    assert "6:120 §1" in str(refused.value.rule)
    # The same redemption in June passes: 4 × 50.00 = 200.00 owed to Jo.
    june = date(2026, 6, 30)
    lea = coop.member("Lea", 2, JAN)
    resign(session, lea.id, june, coop.staff.id)
    redemption = redeem_shares(
        session,
        plugins,
        coop.tenant,
        user_id=lea.id,
        share_class=coop.a_shares,
        quantity=2,
        day=june,
        staff_id=coop.staff.id,
        reason="resigned",
    )
    assert redemption.amount == Decimal("100.00")
    assert "6:120" in redemption.rules
    assert role_balance(session, R.SHARES_TO_REPAY, "EUR") == Decimal("100.00")
    # Capital: (4 + 4 + 2) × 50.00 = 500.00 paid in, 100.00 redeemed.
    assert role_balance(session, R.SHARE_CAPITAL, "EUR") == Decimal("400.00")
    last = session.scalars(select(ShareRegisterEntry).order_by(ShareRegisterEntry.line)).all()[-1]
    assert (last.kind, last.quantity, last.amount) == (
        RegisterEntryKind.REDEMPTION,
        -2,
        Decimal("100.00"),
    )
    assert ledger_problems(session) == []


def test_statutes_may_open_the_window_and_a_member_who_stays_keeps_the_minimum(
    session: Session, plugins: PluginHost
) -> None:
    coop = share_coop(session, plugins)
    max_ = coop.member("Max", 3, JAN)
    set_share_policy(
        session,
        valid_from=date(2026, 1, 1),
        statutory_minimum="0",
        redemption_window_months=12,
        decided_by="Statutes of 2025-12-10, art. 12",
    )
    september = date(2026, 9, 1)
    with pytest.raises(RuleRefused, match="keeps at least 1"):  # 3 − 3 = 0 and stays a member
        redeem_shares(
            session,
            plugins,
            coop.tenant,
            user_id=max_.id,
            share_class=coop.a_shares,
            quantity=3,
            day=september,
            staff_id=coop.staff.id,
        )
    reduced = redeem_shares(
        session,
        plugins,
        coop.tenant,
        user_id=max_.id,
        share_class=coop.a_shares,
        quantity=2,
        day=september,
        staff_id=coop.staff.id,
    )
    assert reduced.amount == Decimal("100.00")


def test_french_floor_is_a_quarter_of_the_highest_capital(
    session: Session, plugins: PluginHost
) -> None:
    coop = share_coop(session, plugins, country="FR", nominal="100.00")
    noa = coop.member("Noa", 100, JAN)  # 100 × 100.00 = 10 000.00, the highest capital
    coop.member("Oli", 1, JAN)  # 10 100.00 then
    feb = date(2026, 2, 2)
    # Down to 3 000.00: 10 100.00 − 71 × 100.00 = 3 000.00, above a quarter of 10 100.00.
    redeem_shares(
        session,
        plugins,
        coop.tenant,
        user_id=noa.id,
        share_class=coop.a_shares,
        quantity=71,
        day=feb,
        staff_id=coop.staff.id,
    )
    assert capital_on(session, feb) == Decimal("3000.00")
    assert highest_capital(session, feb) == Decimal("10100.00")


def test_french_floor_refuses_a_redemption_under_a_quarter(
    session: Session, plugins: PluginHost
) -> None:
    coop = share_coop(session, plugins, country="FR", nominal="100.00")
    noa = coop.member("Noa", 99, JAN)
    coop.member("Oli", 1, JAN)  # highest capital: 100 × 100.00 = 10 000.00
    feb, mar = date(2026, 2, 2), date(2026, 3, 2)
    redeem_shares(  # 10 000.00 − 70 × 100.00 = 3 000.00
        session,
        plugins,
        coop.tenant,
        user_id=noa.id,
        share_class=coop.a_shares,
        quantity=70,
        day=feb,
        staff_id=coop.staff.id,
    )
    # 3 000.00 − 6 × 100.00 = 2 400.00 < 10 000.00 × 0.25 = 2 500.00: refused.
    with pytest.raises(RuleRefused, match=r"3000.00 to 2400.00, under 2500.00") as refused:
        redeem_shares(
            session,
            plugins,
            coop.tenant,
            user_id=noa.id,
            share_class=coop.a_shares,
            quantity=6,
            day=mar,
            staff_id=coop.staff.id,
        )
    assert "L231-5" in str(refused.value)
    # 5 shares leave exactly 2 500.00: allowed.
    redeem_shares(
        session,
        plugins,
        coop.tenant,
        user_id=noa.id,
        share_class=coop.a_shares,
        quantity=5,
        day=mar,
        staff_id=coop.staff.id,
    )
    assert capital_on(session, mar) == Decimal("2500.00")


def test_statutory_minimum_capital_refuses_with_the_statutes_cited(
    session: Session, plugins: PluginHost
) -> None:
    coop = share_coop(session, plugins)
    pia = coop.member("Pia", 10, JAN)  # 500.00
    set_share_policy(
        session,
        valid_from=date(2026, 1, 1),
        statutory_minimum="450.00",
        decided_by="Statutes of 2025-12-10, art. 9",
    )
    with pytest.raises(RuleRefused, match=r"under the minimum of 450.00.*art. 9"):
        redeem_shares(  # 500.00 − 2 × 50.00 = 400.00 < 450.00
            session,
            plugins,
            coop.tenant,
            user_id=pia.id,
            share_class=coop.a_shares,
            quantity=2,
            day=date(2026, 3, 1),
            staff_id=coop.staff.id,
        )
