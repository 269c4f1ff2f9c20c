"""Migrations and models agree, and upgrading is repeatable."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from coopkit.db.engine import make_engine
from coopkit.db.migrate import alembic_config, current_revision, upgrade
from coopkit.models import Base
from coopkit.settings import Settings
from tests.conftest import Database


def test_models_match_the_migrations(db: Database) -> None:
    with db.owner_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], (
        "the models differ from the migrations: write a migration (see README, 'Schema changes')"
    )


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def test_upgrade_twice_is_harmless(sqlite_db: Database) -> None:
    upgrade(sqlite_db.settings)
    assert current_revision(sqlite_db.settings) == head_revision()


def test_constraints_follow_the_naming_convention(sqlite_db: Database) -> None:
    for table in Base.metadata.sorted_tables:
        for constraint in table.constraints:
            assert constraint.name, f"{table.name}: unnamed constraint {constraint!r}"


def test_0010_numbers_existing_entries_and_fills_running_balances(tmp_path: Path) -> None:
    """Entries posted before revision 0010 get a posting order and their balances."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'old.sqlite3'}", secret_key="x" * 20)
    upgrade(settings, "0004")
    engine = make_engine(settings.database_url)
    tenant, account, other = uuid.uuid4().hex, uuid.uuid4().hex, uuid.uuid4().hex
    entries = [uuid.uuid4().hex for _ in range(3)]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO tenants (id, slug, name, kind, country, currency, locales, created_at)"
                " VALUES (:t, 'old', 'Old', 'branch', 'BE', 'EUR', '[\"fr_BE\"]', '2026-01-01')"
            ),
            {"t": tenant},
        )
        for number, account_id in (("550", account), ("100", other)):
            conn.execute(
                text(
                    "INSERT INTO ledger_accounts (tenant_id, id, number, name, type, role, "
                    "may_be_negative, per_activity, source, created_at) VALUES (:t, :a, :n, 'x', "
                    "'asset', :r, 1, 0, 's', '2026-01-01')"
                ),
                {"t": tenant, "a": account_id, "n": number,
                 "r": "bank" if number == "550" else "share_capital"},
            )  # fmt: skip
        for i, entry in enumerate(entries):
            conn.execute(
                text(
                    "INSERT INTO journal_entries (tenant_id, id, day, kind, description, posted_at)"
                    " VALUES (:t, :e, '2026-01-02', 'capital', 'x', :at)"
                ),
                {"t": tenant, "e": entry, "at": f"2026-01-0{3 - i} 10:00:00"},
            )
            for account_id, amount in ((account, 1000 * (i + 1)), (other, -1000 * (i + 1))):
                conn.execute(
                    text(
                        "INSERT INTO journal_lines (tenant_id, id, entry_id, account_id, amount, "
                        "currency) VALUES (:t, :i, :e, :a, :m, 'EUR')"
                    ),
                    {"t": tenant, "i": uuid.uuid4().hex, "e": entry, "a": account_id, "m": amount},
                )
    upgrade(settings)
    with engine.connect() as conn:
        order = conn.execute(text("SELECT id FROM journal_entries ORDER BY sequence")).scalars()
        assert list(order) == entries[::-1]  # by posted_at
        balances = {
            row.account_id: row.balance
            for row in conn.execute(text("SELECT account_id, balance FROM account_balances"))
        }
    assert balances == {account: 6000, other: -6000}  # scaled integers on SQLite
    engine.dispose()
