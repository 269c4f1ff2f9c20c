"""The guarantee fund's offer and grant: eligible invoices, capacity, limits, the floor."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit.models import AuditEvent
from coopkit.guarantee.advances import (
    AdvanceOffer,
    AdvanceRefused,
    GuaranteeError,
    grant_advance,
    offer_advance,
    outstanding_advance,
)
from coopkit.guarantee.models import Advance
from coopkit.guarantee.policy import (
    GuaranteePolicyError,
    guarantee_policy_on,
    set_guarantee_policy,
)
from coopkit.invoicing.models import Client
from coopkit.ledger.balances import ledger_problems, role_balance
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import JournalEntry
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.guarantee_world import (
    PAYDAY,
    confirmed_invoice,
    guarantee_world,
    plain_invoice,
)
from tests.invoicing_world import World

D = Decimal


@pytest.fixture
def world(db: Database, plugins: PluginHost) -> World:
    return guarantee_world(db, plugins)


@pytest.fixture
def session(db: Database, world: World) -> Iterator[Session]:
    with world.session(db) as opened:
        yield opened
        opened.rollback()


def offer(session: Session, world: World, amount: str, day: date = PAYDAY) -> AdvanceOffer:
    return offer_advance(
        session, activity_id=world.activity(), member_id=world.books.manager, amount=amount, day=day
    )


def grant(
    session: Session, world: World, amount: str, request: uuid.UUID | None = None
) -> list[Advance]:
    return grant_advance(
        session,
        activity_id=world.activity(),
        member_id=world.books.manager,
        amount=amount,
        day=PAYDAY,
        salary_request_id=request or uuid.uuid4(),
    )


def policy(session: Session, **limits: object) -> None:
    set_guarantee_policy(
        session, valid_from=date(2026, 3, 1), decided_by="GA of 2026-02-20",
        **{"floor": "5000.00", **limits},  # type: ignore[arg-type]
    )  # fmt: skip


# -- capacity and eligibility ---------------------------------------------------------------


def test_capacity_is_what_the_client_still_owes_excluding_vat_less_fee_and_contribution(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = confirmed_invoice(session, world, plugins, "1000.00")  # 1210.00 with VAT
    found = offer(session, world, "2000.00")
    # 1000.00 − 6.5 % fee 65.00 − 2 % contribution 20.00
    assert found.amount == D("915.00")
    assert found.missing == D("1085.00")
    assert [(b.number, b.amount) for b in found.backing] == [(invoice.number, D("915.00"))]
    assert "cover 915.00 EUR of 2000.00 EUR" in found.reasons[-1]


def test_ineligible_invoices_say_why(session: Session, world: World, plugins: PluginHost) -> None:
    plain = plain_invoice(session, world, plugins)
    declined = confirmed_invoice(session, world, plugins, accepted=False)
    abroad = confirmed_invoice(session, world, plugins, client="us_company")
    blocked = confirmed_invoice(session, world, plugins, client="de_company")
    client = session.scalar(select(Client).where(Client.id == blocked.client_id))
    assert client is not None
    client.blocked = True
    overdue = confirmed_invoice(session, world, plugins, issued=date(2026, 1, 5))
    session.flush()
    found = offer(session, world, "100.00")
    assert found.amount == 0
    reasons = "\n".join(found.reasons)
    assert f"invoice {plain.number} was not made from a quote" in reasons
    assert f"invoice {declined.number}: its client has not accepted the quote" in reasons
    assert f"invoice {abroad.number}: client Hudson Pictures Inc. is in US" in reasons
    assert f"invoice {blocked.number}: client Bildwerk GmbH is blocked" in reasons
    assert f"invoice {overdue.number} was due on 2026-02-04" in reasons


def test_the_policy_can_name_the_countries(
    session: Session, world: World, plugins: PluginHost
) -> None:
    confirmed_invoice(session, world, plugins, client="us_company")
    assert offer(session, world, "100.00").amount == 0
    policy(session, eligible_countries=["us", "BE"])
    assert offer(session, world, "100.00").amount == D("100.00")


def test_an_invoice_backs_one_advance_only(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = confirmed_invoice(session, world, plugins, "1000.00")
    [advance] = grant(session, world, "100.00")
    assert advance.invoice_id == invoice.id
    assert advance.amount == D("100.00")
    assert outstanding_advance(session, invoice.id) == D("100.00")
    # 815.00 of its capacity is left, but the invoice is used up.
    found = offer(session, world, "100.00")
    assert found.amount == 0
    assert f"invoice {invoice.number} backs an advance already" in found.reasons


def test_invoices_are_used_oldest_first(
    session: Session, world: World, plugins: PluginHost
) -> None:
    newer = confirmed_invoice(session, world, plugins, "1000.00", issued=date(2026, 3, 3))
    older = confirmed_invoice(session, world, plugins, "500.00", issued=date(2026, 3, 1))
    found = offer(session, world, "1000.00")
    # 500 − 32.50 − 10.00 = 457.50 from the older, the rest from the newer
    assert [(b.invoice_id, b.amount) for b in found.backing] == [
        (older.id, D("457.50")),
        (newer.id, D("542.50")),
    ]


def test_no_policy_no_advance(db: Database, plugins: PluginHost) -> None:
    from tests.invoicing_world import invoicing_world

    bare = invoicing_world(db, plugins, clients=("be_company",))
    with bare.session(db) as session:
        confirmed_invoice(session, bare, plugins)
        found = offer(session, bare, "100.00")
        assert found.amount == 0
        assert "no guarantee-fund policy in force on 2026-03-09" in found.reasons[0]


# -- limits and the floor -------------------------------------------------------------------


def test_the_floor(session: Session, world: World, plugins: PluginHost) -> None:
    confirmed_invoice(session, world, plugins, "10000.00")  # capacity 9150.00
    policy(session, floor="19500.00")
    found = offer(session, world, "800.00")
    # 20000.00 in the fund, nothing advanced, 19500.00 kept: 500.00
    assert found.amount == D("500.00")
    assert (
        "the fund holds 20000.00 EUR with 0.00 EUR advanced and must keep 19500.00 EUR: "
        "500.00 EUR can be advanced" in found.reasons
    )
    grant(session, world, "500.00")
    assert offer(session, world, "0.01").amount == 0


def test_the_member_limit(session: Session, world: World, plugins: PluginHost) -> None:
    confirmed_invoice(session, world, plugins, "1000.00")
    confirmed_invoice(session, world, plugins, "1000.00")
    policy(session, member_limit="1200.00")
    grant(session, world, "900.00")
    found = offer(session, world, "900.00")
    assert found.amount == D("300.00")
    assert "member: 900.00 EUR of 1200.00 EUR already advanced" in found.reasons


def test_the_client_limit(session: Session, world: World, plugins: PluginHost) -> None:
    confirmed_invoice(session, world, plugins, "1000.00")
    confirmed_invoice(session, world, plugins, "1000.00")
    confirmed_invoice(session, world, plugins, "1000.00", client="de_company")
    policy(session, client_limit="1000.00")
    grant(session, world, "800.00")
    found = offer(session, world, "1000.00")
    # Brasserie: 200.00 left under its limit; Bildwerk: 800.00 of its invoice's 915.00
    assert [b.amount for b in found.backing] == [D("200.00"), D("800.00")]
    assert (
        "client Brasserie Bruxelloise SA: 800.00 EUR of 1000.00 EUR already advanced"
        in found.reasons
    )


def test_the_overall_limit(session: Session, world: World, plugins: PluginHost) -> None:
    confirmed_invoice(session, world, plugins, "1000.00")
    confirmed_invoice(session, world, plugins, "1000.00")
    policy(session, overall_limit="1000.00")
    grant(session, world, "700.00")
    found = offer(session, world, "700.00")
    assert found.amount == D("300.00")
    assert "overall: 700.00 EUR of 1000.00 EUR already advanced" in found.reasons


# -- granting -------------------------------------------------------------------------------


def test_a_grant_posts_one_entry_per_invoice_and_is_audited(
    session: Session, world: World, plugins: PluginHost
) -> None:
    first = confirmed_invoice(session, world, plugins, "500.00")
    confirmed_invoice(session, world, plugins, "500.00")
    request = uuid.uuid4()
    advances = grant(session, world, "600.00", request)
    assert [a.amount for a in advances] == [D("457.50"), D("142.50")]
    entries = session.scalars(select(JournalEntry).where(JournalEntry.kind == "advance")).all()
    assert len(entries) == 2
    assert f"invoice:{first.id}" in {e.reference for e in entries}
    assert all(str(request) in e.description for e in entries)
    assert role_balance(session, AccountRole.GUARANTEE_ADVANCES, "EUR") == D("600.00")
    assert role_balance(session, AccountRole.ACTIVITY_FUNDS, "EUR", world.activity()) == D("600.00")
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "guarantee.advance_granted")
    )
    assert event is not None
    assert event.data["amount"] == "600.00"
    assert ledger_problems(session) == []


def test_a_grant_is_all_or_nothing(session: Session, world: World, plugins: PluginHost) -> None:
    confirmed_invoice(session, world, plugins, "1000.00")
    with pytest.raises(AdvanceRefused) as refused:
        grant(session, world, "1000.00")
    assert refused.value.missing == D("85.00")
    assert "can advance 915.00 EUR of 1000.00 EUR" in str(refused.value)
    assert session.scalars(select(Advance)).all() == []


def test_a_grant_is_idempotent_per_salary_request(
    session: Session, world: World, plugins: PluginHost
) -> None:
    confirmed_invoice(session, world, plugins, "1000.00")
    confirmed_invoice(session, world, plugins, "1000.00")
    request = uuid.uuid4()
    first = grant(session, world, "300.00", request)
    again = grant(session, world, "300.00", request)
    assert [a.id for a in again] == [a.id for a in first]
    assert len(session.scalars(select(Advance)).all()) == 1
    assert role_balance(session, AccountRole.GUARANTEE_ADVANCES, "EUR") == D("300.00")


def test_bad_requests(session: Session, world: World, plugins: PluginHost) -> None:
    with pytest.raises(GuaranteeError, match="positive amount"):
        offer(session, world, "-1")
    with pytest.raises(GuaranteeError, match="more decimals"):
        offer(session, world, "1.001")
    with pytest.raises(GuaranteeError, match="does not work in activity SOLO"):
        offer_advance(
            session, activity_id=world.activity("SOLO"), member_id=world.books.member,
            amount="1", day=PAYDAY,
        )  # fmt: skip


def test_policy_refusals_and_dates(session: Session) -> None:
    with pytest.raises(GuaranteePolicyError, match="say who decided"):
        set_guarantee_policy(session, valid_from=date(2026, 4, 1), floor="0", decided_by=" ")
    with pytest.raises(GuaranteePolicyError, match="0 or more"):
        set_guarantee_policy(session, valid_from=date(2026, 4, 1), floor="-5", decided_by="GA")
    with pytest.raises(GuaranteePolicyError, match="ISO 3166"):
        set_guarantee_policy(
            session, valid_from=date(2026, 4, 1), floor="0", eligible_countries=["XX"],
            decided_by="GA",
        )  # fmt: skip
    later = set_guarantee_policy(
        session, valid_from=date(2026, 4, 1), floor="100", member_limit="2000", decided_by="GA"
    )
    assert guarantee_policy_on(session, date(2026, 3, 31)).floor == D("5000.00")  # type: ignore[union-attr]
    assert guarantee_policy_on(session, date(2026, 4, 1)) is later
    assert guarantee_policy_on(session, date(2025, 12, 31)) is None


def test_an_invoice_of_another_cooperative_never_backs_an_advance(
    db: Database, world: World, plugins: PluginHost
) -> None:
    other = guarantee_world(db, plugins)
    with other.session(db) as theirs:
        confirmed_invoice(theirs, other, plugins, "5000.00")
        theirs.commit()
    with world.session(db) as mine:
        found = offer(mine, world, "100.00")
        assert found.amount == 0
        assert found.backing == ()
        assert "has no issued invoice" in found.reasons[-1]


# -- concurrency (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.postgres
def test_two_concurrent_grants_cannot_both_take_the_last_room(
    postgres_db: Database, plugins: PluginHost
) -> None:
    world = guarantee_world(postgres_db, plugins, fund="6000.00")  # 1000.00 above the floor
    with world.session(postgres_db) as session:
        confirmed_invoice(session, world, plugins, "1000.00", activity="SOLO")
        confirmed_invoice(session, world, plugins, "1000.00", activity="SHARED")
        session.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def ask(code: str) -> None:
        with world.session(postgres_db) as session:
            barrier.wait()
            try:
                grant_advance(
                    session, activity_id=world.activity(code), member_id=world.books.manager,
                    amount="800.00", day=PAYDAY, salary_request_id=uuid.uuid4(),
                )  # fmt: skip
                session.commit()
                outcomes.append("granted")
            except AdvanceRefused:
                session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=ask, args=(code,)) for code in ("SOLO", "SHARED")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["granted", "refused"]
    with world.session(postgres_db) as session:
        assert role_balance(session, AccountRole.GUARANTEE_ADVANCES, "EUR") == D("800.00")
        assert ledger_problems(session) == []
