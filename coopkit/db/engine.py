"""Engines and sessions for the application."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from coopkit.db.append_only import install_append_only_guard
from coopkit.db.tenancy import install_tenant_scoping


class DatabaseUrlError(ValueError):
    """A database URL coopkit cannot use."""


def _normalise(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(
            f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql://"
        )
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with foreign keys enforced on SQLite."""
    engine = create_engine(_normalise(url), **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A sessionmaker whose sessions are scoped to a tenant and keep final rows final."""
    # Scoping goes on the Session class itself: no session of coopkit escapes it.
    install_tenant_scoping(Session)
    install_append_only_guard(Session)
    return sessionmaker(engine, expire_on_commit=False)
