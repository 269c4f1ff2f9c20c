"""Migrations and models agree, and upgrading is repeatable."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from coopkit.db.migrate import alembic_config, current_revision, upgrade
from coopkit.models import Base
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
