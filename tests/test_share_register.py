"""The share register's questions: status on a day, holdings, capital, voters on a record date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from coopkit.db.append_only import FinalRecordError
from coopkit.db.tenancy import tenant_scope
from coopkit.membership.models import (
    MemberStatus,
    MemberStatusChange,
    RegisterEntryKind,
    ShareClass,
)
from coopkit.membership.register import (
    append_entry,
    capital_on,
    holdings_on,
    members_on,
    status_on,
    voters_on,
)
from coopkit.plugins import PluginHost
from coopkit.tenants.service import create_tenant
from tests.conftest import unique
from tests.factories import make_user


def test_voters_on_a_record_date_are_members_holding_a_voting_share(
    session: Session, plugins: PluginHost
) -> None:
    tenant = create_tenant(
        session, plugins, slug=unique("shares"), name="Share coop", kind="branch", country="BE"
    )
    ann, bob, cid, dan = (make_user(session, name) for name in ("Ann", "Bob", "Cid", "Dan"))
    with tenant_scope(session, tenant.id):
        a_shares = ShareClass(code="A", name="A", nominal=Decimal("50.00"), currency="EUR")
        b_shares = ShareClass(
            code="B", name="B", nominal=Decimal("250.00"), currency="EUR", voting=False
        )
        session.add_all([a_shares, b_shares])
        for person, status, day in [
            (ann, MemberStatus.MEMBER, date(2026, 1, 10)),
            (bob, MemberStatus.MEMBER, date(2026, 1, 10)),
            (cid, MemberStatus.MEMBER, date(2026, 3, 1)),  # joins after the record date
            (dan, MemberStatus.MEMBER, date(2026, 1, 10)),
            (dan, MemberStatus.RESIGNED, date(2026, 2, 1)),
        ]:
            session.add(MemberStatusChange(user_id=person.id, status=status, effective_on=day))
        session.flush()

        def issue(person_id, shares, kind, quantity, day):  # type: ignore[no-untyped-def]
            return append_entry(
                session,
                user_id=person_id,
                share_class=shares,
                kind=kind,
                quantity=quantity,
                effective_on=day,
            )

        issue(ann.id, a_shares, RegisterEntryKind.SUBSCRIPTION, 4, date(2026, 1, 10))
        issue(bob.id, b_shares, RegisterEntryKind.SUBSCRIPTION, 1, date(2026, 1, 10))
        issue(cid.id, a_shares, RegisterEntryKind.SUBSCRIPTION, 1, date(2026, 3, 1))
        issue(dan.id, a_shares, RegisterEntryKind.SUBSCRIPTION, 2, date(2026, 1, 10))
        last = issue(dan.id, a_shares, RegisterEntryKind.REDEMPTION, 2, date(2026, 2, 1))
        assert last.line == 5
        assert last.quantity == -2
        assert last.amount == Decimal("100.00")

        record_date = date(2026, 2, 15)
        assert status_on(session, dan.id, record_date) is MemberStatus.RESIGNED
        assert status_on(session, cid.id, record_date) is None
        assert members_on(session, record_date) == sorted([ann.id, bob.id])
        assert holdings_on(session, record_date) == {ann.id: {"A": 4}, bob.id: {"B": 1}}
        # Bob is a member but holds only non-voting B shares.
        assert [voter.user_id for voter in voters_on(session, record_date)] == [ann.id]
        # 4 × 50 + 1 × 250 = 450 on the record date; Cid's 50 on 1 March.
        assert capital_on(session, record_date) == Decimal("450.00")
        assert capital_on(session, date(2026, 3, 1)) == Decimal("500.00")

        last.note = "edited"
        with pytest.raises(FinalRecordError):
            session.flush()
        session.rollback()


def test_the_register_refuses_raw_sql_changes(session: Session, plugins: PluginHost) -> None:
    tenant = create_tenant(
        session, plugins, slug=unique("shares"), name="Share coop", kind="branch", country="FR"
    )
    holder = make_user(session)
    with tenant_scope(session, tenant.id):
        shares = ShareClass(code="A", name="A", nominal=Decimal("20.00"), currency="EUR")
        session.add(shares)
        session.flush()
        append_entry(
            session,
            user_id=holder.id,
            share_class=shares,
            kind=RegisterEntryKind.SUBSCRIPTION,
            quantity=1,
            effective_on=date(2026, 1, 1),
        )
        with pytest.raises(DBAPIError), session.begin_nested():
            session.execute(text("UPDATE share_register SET quantity = 5"))
