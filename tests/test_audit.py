"""The audit log: append-only in the ORM and the database, hash-chained, verifiable."""

from __future__ import annotations

import threading
import uuid
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from coopkit.audit.models import AuditEvent
from coopkit.audit.service import GENESIS, AuditDataError, event_hash, record, verify
from coopkit.cli import cli
from coopkit.db.append_only import FinalRecordError, create_append_only_triggers
from coopkit.db.tenancy import NoTenantSelected, tenant_scope
from coopkit.people.models import Role
from coopkit.people.service import add_membership
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from coopkit.tenants.service import create_tenant
from tests.conftest import Database, unique
from tests.factories import make_user


def new_tenant(session: Session, plugins: PluginHost) -> Tenant:
    return create_tenant(
        session, plugins, slug=unique("audit"), name="Audit coop", kind="branch", country="BE"
    )


def events(session: Session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def test_tenant_and_membership_changes_are_recorded_in_a_chain(
    session: Session, plugins: PluginHost
) -> None:
    tenant = new_tenant(session, plugins)
    user = make_user(session)
    add_membership(session, tenant, user, Role.MEMBER)
    add_membership(session, tenant, user, Role.MEMBER)  # no change, no event
    add_membership(session, tenant, user, Role.STAFF)
    with tenant_scope(session, tenant.id):
        chain = events(session)
        assert [e.action for e in chain] == [
            "tenant.created",
            "membership.added",
            "membership.role_changed",
        ]
        assert [e.seq for e in chain] == [1, 2, 3]
        assert chain[0].prev_hash == GENESIS
        assert chain[1].prev_hash == chain[0].hash
        assert chain[2].data == {"role": "staff", "was": "member"}
        assert chain[2].subject_id == str(user.id)
        report = verify(session)
    assert report.intact
    assert report.events == 3
    assert report.head == chain[2].hash


def test_hash_covers_every_field(session: Session, plugins: PluginHost) -> None:
    tenant = new_tenant(session, plugins)
    with tenant_scope(session, tenant.id):
        event = record(session, "fee.changed", "policy", "fee", {"rate": Decimal("0.065")})
        assert event.data == {"rate": "0.065"}
        original = event.hash
        for field, value in [
            ("action", "fee.removed"),
            ("subject_id", "other"),
            ("data", {"rate": "0.07"}),
            ("seq", 9),
            ("prev_hash", "f" * 64),
            ("actor_id", uuid.uuid4()),
        ]:
            kept = getattr(event, field)
            setattr(event, field, value)
            assert event_hash(event) != original, field
            setattr(event, field, kept)
        assert event_hash(event) == original
        session.expire(event)  # forget the in-memory edits, never flushed


def test_exact_values_only(session: Session, plugins: PluginHost) -> None:
    tenant = new_tenant(session, plugins)
    with tenant_scope(session, tenant.id), pytest.raises(AuditDataError, match=r"data.amount"):
        record(session, "payment.recorded", "invoice", "1", {"amount": 12.5})


def test_an_event_needs_a_tenant(session: Session) -> None:
    with pytest.raises(NoTenantSelected):
        record(session, "x.happened", "x", "1")


def test_the_orm_refuses_to_change_or_delete_an_event(
    session: Session, plugins: PluginHost
) -> None:
    tenant = new_tenant(session, plugins)
    session.commit()
    with tenant_scope(session, tenant.id):
        event = events(session)[0]
        event.action = "tenant.forgotten"
        with pytest.raises(FinalRecordError, match="refusing to change"):
            session.flush()
        session.rollback()
        session.delete(events(session)[0])
        with pytest.raises(FinalRecordError, match="refusing to delete"):
            session.flush()
        session.rollback()
        assert [e.action for e in events(session)] == ["tenant.created"]


@pytest.mark.parametrize("statement", ["UPDATE", "DELETE"])
def test_the_database_refuses_raw_changes(
    db: Database, plugins: PluginHost, statement: str
) -> None:
    with db.sessions() as session:
        tenant = new_tenant(session, plugins)
        session.commit()
        with tenant_scope(session, tenant.id):
            sql = {
                "UPDATE": "UPDATE audit_events SET action = 'forged'",
                "DELETE": "DELETE FROM audit_events",
            }[statement]
            with pytest.raises(DBAPIError, match="append-only"):
                session.execute(text(sql))
            session.rollback()
        with tenant_scope(session, tenant.id):
            assert [e.action for e in events(session)] == ["tenant.created"]


def _tamper(db: Database, tenant_id: uuid.UUID, sql: str) -> None:
    """What an intruder with the owner's rights could do: lift the trigger, edit, restore."""
    with db.owner_engine.begin() as connection:
        if db.dialect == "postgresql":
            connection.execute(
                text("SELECT set_config('coopkit.tenant_id', :t, true)"), {"t": str(tenant_id)}
            )
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            connection.execute(text('DROP TRIGGER "audit_events_no_update"'))
            connection.execute(text('DROP TRIGGER "audit_events_no_delete"'))
        connection.execute(
            text(sql), {"tenant": tenant_id.hex if db.dialect == "sqlite" else tenant_id}
        )
        if db.dialect == "postgresql":
            connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
        else:
            create_append_only_triggers(connection, "audit_events")


@pytest.mark.parametrize(
    ("sql", "problem", "broken_at"),
    [
        (
            'UPDATE audit_events SET data = \'{"role": "admin"}\' '
            "WHERE tenant_id = :tenant AND seq = 2",
            "event 2 was changed after it was recorded",
            2,
        ),
        (
            "DELETE FROM audit_events WHERE tenant_id = :tenant AND seq = 2",
            "event 2 is missing (the next one is 3)",
            2,
        ),
        (
            "UPDATE audit_events SET prev_hash = hash WHERE tenant_id = :tenant AND seq = 3",
            "event 3 does not follow event 2",
            3,
        ),
    ],
    ids=["edited", "removed", "relinked"],
)
def test_verify_finds_where_the_chain_was_tampered_with(
    db: Database, plugins: PluginHost, sql: str, problem: str, broken_at: int
) -> None:
    with db.sessions() as session:
        tenant = new_tenant(session, plugins)
        user = make_user(session)
        add_membership(session, tenant, user, Role.MEMBER)
        add_membership(session, tenant, user, Role.ADMIN)
        session.commit()
        tenant_id = tenant.id
    _tamper(db, tenant_id, sql)
    with db.sessions() as session, tenant_scope(session, tenant_id):
        report = verify(session)
    assert not report.intact
    assert report.problem == problem
    assert report.broken_at == broken_at
    assert report.events == broken_at - 1


@pytest.mark.postgres
def test_concurrent_appends_keep_one_unbroken_chain(
    postgres_db: Database, plugins: PluginHost
) -> None:
    with postgres_db.sessions() as session:
        tenant = new_tenant(session, plugins)
        session.commit()
        tenant_id = tenant.id
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            for step in range(10):
                with postgres_db.sessions() as session, tenant_scope(session, tenant_id):
                    record(session, "load.test", "worker", worker, {"step": step})
                    session.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=append, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with postgres_db.sessions() as session, tenant_scope(session, tenant_id):
        report = verify(session)
        seqs = [e.seq for e in events(session)]
    assert report.intact, report.problem
    assert seqs == list(range(1, 62))


def test_cli_verify(demo_env: dict[str, str]) -> None:
    env, runner = demo_env, CliRunner()
    result = runner.invoke(cli, ["audit", "verify"], env=env)
    assert result.exit_code == 0, result.output
    assert "demo-fr:" in result.output
    assert "chain intact" in result.output
    result = runner.invoke(cli, ["audit", "verify", "--tenant", "nope"], env=env)
    assert result.exit_code == 1
    assert "no cooperative with slug 'nope'" in result.output

    from coopkit.db.engine import make_engine

    engine = make_engine(env["COOPKIT_DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(text('DROP TRIGGER "audit_events_no_update"'))
        connection.execute(update(AuditEvent).values(action="forged").where(AuditEvent.seq == 1))
    engine.dispose()
    result = runner.invoke(cli, ["audit", "verify", "--json"], env=env)
    assert result.exit_code == 1
    assert '"problem": "event 1 was changed after it was recorded"' in result.output


def test_issuing_and_correcting_a_payslip_is_recorded(demo_db: Database) -> None:
    with demo_db.sessions() as session:
        tenant = session.scalar(select(Tenant).where(Tenant.slug == "demo-fr"))
        assert tenant is not None
        with tenant_scope(session, tenant.id):
            chain = events(session)
            payslip_events = [e for e in chain if e.subject_type == "payslip"]
            assert [e.action for e in payslip_events].count("payslip.corrected") == 1
            assert len(payslip_events) >= 4
            corrected = next(e for e in payslip_events if e.action == "payslip.corrected")
            assert corrected.data["corrects"] is not None
            assert corrected.data["net_pay"].count(".") == 1  # an exact decimal string
            assert verify(session).intact
