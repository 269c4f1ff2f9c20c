"""Append-only tables: legal records that, once written, are never changed or removed.

The audit log (and, as they come, issued payslips, posted journal entries and
the share register) is protected twice:

- the ORM refuses to flush an update or a delete of a row of a model marked
  with :func:`append_only` (:class:`AppendOnlyViolation`, before any SQL runs);
- the database refuses ``UPDATE``, ``DELETE`` (and on PostgreSQL ``TRUNCATE``)
  with triggers that the table's migration creates with
  :func:`create_append_only_triggers`, so raw SQL cannot either.

A correction is always a new row that points at the one it corrects.

SQLite note: a later migration that alters such a table in batch mode copies
it into a new table, which has no triggers: call
:func:`create_append_only_triggers` again at the end of that migration.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

T = TypeVar("T", bound=type[Any])

_APPEND_ONLY: set[type[Any]] = set()

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION coopkit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'coopkit: % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$
"""


class AppendOnlyViolation(PermissionError):
    """An attempt to change or remove a row of an append-only table."""


def append_only(model: T) -> T:
    """Class decorator: rows of ``model`` may be added, never updated or deleted."""
    _APPEND_ONLY.add(model)
    return model


def is_append_only(model: type[Any]) -> bool:
    return any(issubclass(model, marked) for marked in _APPEND_ONLY)


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if is_append_only(type(obj)):
            raise AppendOnlyViolation(
                f"{type(obj).__name__} rows are append-only: it cannot be deleted; "
                "record a correction instead"
            )
    for obj in session.dirty:
        if is_append_only(type(obj)) and session.is_modified(obj, include_collections=False):
            raise AppendOnlyViolation(
                f"{type(obj).__name__} rows are append-only: it cannot be changed; "
                "record a correction instead"
            )


def create_append_only_triggers(connection: Connection, table: str) -> None:
    """Create the triggers refusing UPDATE/DELETE on ``table`` (call from its migration)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(PG_FUNCTION))
        connection.execute(text(f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"'))
        connection.execute(
            text(
                f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION coopkit_refuse_change()"
            )
        )
        connection.execute(text(f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}"'))
        connection.execute(
            text(
                f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION coopkit_refuse_change()"
            )
        )
    elif connection.dialect.name == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            name = f"{table}_no_{operation.lower()}"
            connection.execute(text(f'DROP TRIGGER IF EXISTS "{name}"'))
            connection.execute(
                text(
                    f'CREATE TRIGGER "{name}" BEFORE {operation} ON "{table}" BEGIN '
                    f"SELECT RAISE(ABORT, 'coopkit: {table} is append-only: "
                    f"{operation} refused'); END"
                )
            )
    else:  # pragma: no cover - coopkit supports SQLite and PostgreSQL
        raise NotImplementedError(f"append-only triggers for {connection.dialect.name}")


def drop_append_only_triggers(connection: Connection, table: str) -> None:
    """Remove what :func:`create_append_only_triggers` made (for a downgrade)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"'))
        connection.execute(text(f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}"'))
    else:
        for operation in ("update", "delete"):
            connection.execute(text(f'DROP TRIGGER IF EXISTS "{table}_no_{operation}"'))
