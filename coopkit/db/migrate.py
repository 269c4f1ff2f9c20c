"""Running migrations: `coopkit db upgrade` and the tests call :func:`upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from coopkit.db.base import tenant_owned_models
from coopkit.db.engine import make_engine
from coopkit.db.rls import enable_rls, grant_app_role
from coopkit.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the database to ``revision``, then (re)apply RLS and grants on PostgreSQL."""
    import coopkit.models  # noqa: F401  (registers every model)

    engine = make_engine(settings.owner_database_url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            existing = set(inspect(connection).get_table_names())
            enable_rls(
                connection,
                [m.__tablename__ for m in tenant_owned_models() if m.__tablename__ in existing],
            )
            grant_app_role(connection, settings.app_role)
    finally:
        engine.dispose()


def current_revision(settings: Settings) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(settings.owner_database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def new_revision(settings: Settings, message: str) -> str:
    """Autogenerate a migration from the difference between models and database."""
    import coopkit.models  # noqa: F401

    engine = make_engine(settings.owner_database_url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            script = command.revision(config, message=message, autogenerate=True)
    finally:
        engine.dispose()
    revision = script[0] if isinstance(script, list) else script
    return str(revision.path) if revision is not None else ""
