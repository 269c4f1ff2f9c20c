"""The dunning schedule: each step once, in order, at its day; payment stops it; tenants apart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from coopkit.audit.models import AuditEvent
from coopkit.collection.models import DunningStep, DunningStepKind
from coopkit.collection.policy import DunningPolicyError, set_dunning_policy
from coopkit.collection.schedule import AdvanceReport, advance_dunning
from coopkit.outbox.models import OutboxMessage
from coopkit.plugins import PluginHost
from tests.collection_world import DUE, overdue_invoice, steps_of
from tests.conftest import Database
from tests.invoicing_world import World, invoicing_world, pay

pytestmark = pytest.mark.usefixtures("weasyprint")


@pytest.fixture
def world(db: Database, plugins: PluginHost) -> World:
    return invoicing_world(db, plugins, "BE")


def run(db: Database, world: World, plugins: PluginHost, day: date) -> AdvanceReport:
    with world.session(db) as session:
        report = advance_dunning(session, day=day, plugins=plugins)
        session.commit()
    assert report.errors == []
    return report


def test_each_step_once_in_order_at_its_day(
    db: Database, world: World, plugins: PluginHost
) -> None:
    with world.session(db) as session:
        invoice_id = overdue_invoice(session, world, plugins)
    assert run(db, world, plugins, date(2025, 6, 21)).total == 0  # 6 days late
    first = run(db, world, plugins, date(2025, 6, 22))
    assert first.steps == {DunningStepKind.REMINDER: 1}
    assert first.emails == 1
    assert run(db, world, plugins, date(2025, 6, 22)).total == 0  # the same day again
    # Long after every step's day: still one step per run, in order.
    late = date(2025, 8, 20)
    assert run(db, world, plugins, late).steps == {DunningStepKind.SECOND_REMINDER: 1}
    assert run(db, world, plugins, late).steps == {DunningStepKind.FORMAL_NOTICE: 1}
    assert run(db, world, plugins, late).steps == {DunningStepKind.FINAL: 1}
    assert run(db, world, plugins, late).total == 0
    steps = steps_of(db, world, invoice_id)
    assert [s.step for s in steps] == list(DunningStepKind)
    reminder, *_, final = steps
    assert (reminder.day, reminder.days_late) == (date(2025, 6, 22), 7)
    # 1210 × 0.115 × 7 / 365 = 2.6686… → 2.67; compensation 40 (loi du 2 août 2002, art. 6).
    assert (reminder.amount_due, reminder.interest, reminder.compensation) == (
        Decimal("1210.00"),
        Decimal("2.67"),
        Decimal("40.00"),
    )
    assert reminder.letter_pdf is not None
    assert reminder.letter_pdf.startswith(b"%PDF")
    assert reminder.outbox_message_id is not None
    assert final.letter_pdf is None
    assert final.outbox_message_id is None
    with world.session(db) as session:
        audited = session.scalar(
            select(func.count()).where(AuditEvent.action.like("invoice.dunning.%"))
        )
        assert audited == 4
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_a_client_who_pays_leaves_the_schedule(
    db: Database, world: World, plugins: PluginHost
) -> None:
    with world.session(db) as session:
        invoice_id = overdue_invoice(session, world, plugins)
    run(db, world, plugins, date(2025, 6, 22))
    with world.session(db) as session:
        from coopkit.invoicing.drafts import get_invoice

        pay(session, get_invoice(session, invoice_id), "1210.00", date(2025, 6, 30))
        session.commit()
    assert run(db, world, plugins, date(2025, 7, 10)).total == 0
    assert [s.step for s in steps_of(db, world, invoice_id)] == [DunningStepKind.REMINDER]


def test_a_partly_paid_invoice_is_chased_for_the_rest(
    db: Database, world: World, plugins: PluginHost
) -> None:
    with world.session(db) as session:
        invoice_id = overdue_invoice(session, world, plugins)
        from coopkit.invoicing.drafts import get_invoice

        pay(session, get_invoice(session, invoice_id), "500.00", date(2025, 6, 10))
        session.commit()
    run(db, world, plugins, date(2025, 6, 22))
    (step,) = steps_of(db, world, invoice_id)
    # 710 × 0.115 × 7 / 365 = 1.5658… → 1.57
    assert (step.amount_due, step.interest) == (Decimal("710.00"), Decimal("1.57"))


def test_a_consumer_gets_reminders_without_interest_or_compensation(
    db: Database, world: World, plugins: PluginHost
) -> None:
    with world.session(db) as session:
        invoice_id = overdue_invoice(session, world, plugins, client="be_person")
    run(db, world, plugins, date(2025, 7, 30))
    (step,) = steps_of(db, world, invoice_id)
    assert (step.step, step.interest, step.compensation) == (
        DunningStepKind.REMINDER,
        Decimal("0.00"),
        Decimal("0.00"),
    )


def test_a_client_without_e_mail_gets_a_letter_to_post(
    db: Database, world: World, plugins: PluginHost
) -> None:
    with world.session(db) as session:
        invoice_id = overdue_invoice(session, world, plugins, email="")
    report = run(db, world, plugins, date(2025, 6, 22))
    assert (report.emails, report.to_post) == (0, 1)
    (step,) = steps_of(db, world, invoice_id)
    assert step.letter_pdf is not None
    assert step.outbox_message_id is None


def test_the_tenants_policy_sets_the_days(db: Database, world: World, plugins: PluginHost) -> None:
    with world.session(db) as session:
        invoice_id = overdue_invoice(session, world, plugins)
        set_dunning_policy(
            session,
            valid_from=date(2025, 1, 1),
            reminder=14,
            second_reminder=28,
            formal_notice=42,
            final=90,
            decided_by="Board of 2025-01-10",
        )
        with pytest.raises(DunningPolicyError, match="later than the one before"):
            set_dunning_policy(
                session,
                valid_from=date(2025, 1, 1),
                reminder=14,
                second_reminder=10,
                formal_notice=42,
                final=90,
                decided_by="Board",
            )
        session.commit()
    assert run(db, world, plugins, date(2025, 6, 22)).total == 0
    assert run(db, world, plugins, DUE.replace(day=29)).steps == {DunningStepKind.REMINDER: 1}
    assert len(steps_of(db, world, invoice_id)) == 1


def test_a_rate_missing_from_the_law_is_reported_and_the_others_go_on(
    db: Database, world: World, plugins: PluginHost
) -> None:
    with world.session(db) as session:
        company = overdue_invoice(session, world, plugins)
        person = overdue_invoice(session, world, plugins, client="be_person")
        report = advance_dunning(session, day=date(2026, 7, 15), plugins=plugins)
        session.commit()
    assert len(report.errors) == 1
    assert "commercial_rate: no value in force on 2026-07-15" in report.errors[0]
    assert steps_of(db, world, company) == []
    assert [s.step for s in steps_of(db, world, person)] == [DunningStepKind.REMINDER]


def test_collecting_for_one_tenant_never_touches_another(db: Database, plugins: PluginHost) -> None:
    belgium = invoicing_world(db, plugins, "BE")
    france = invoicing_world(db, plugins, "FR")
    with belgium.session(db) as session:
        belgian = overdue_invoice(session, belgium, plugins)
    with france.session(db) as session:
        french = overdue_invoice(session, france, plugins, client="fr_company")
    assert run(db, belgium, plugins, date(2025, 6, 22)).total == 1
    assert len(steps_of(db, belgium, belgian)) == 1
    assert steps_of(db, france, french) == []
    with france.session(db) as session:
        assert session.scalar(select(func.count()).select_from(DunningStep)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
