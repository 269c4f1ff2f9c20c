"""Rows that are written once and never changed: issued payslips (and, later, posted entries).

A correction of such a record is a new row pointing at the one it corrects,
never an edit. The rule is kept twice:

1. in the ORM: flushing a change to, or the deletion of, a stored
   :class:`AppendOnly` row raises :class:`FinalRecordError`, and so does an
   ORM ``update()``/``delete()`` statement on such a model;
2. in the database: each append-only table gets triggers, created by its
   migration with :func:`create_append_only_triggers`, that refuse ``UPDATE``
   and ``DELETE`` (on SQLite and on PostgreSQL, and ``TRUNCATE`` there), so
   raw SQL cannot change history either.

SQLite note: a later migration that alters such a table in batch mode copies
it into a new table, which has no triggers: call
:func:`create_append_only_triggers` again at the end of that migration.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session

# One function for every append-only table; its trigger passes the refusal as argument.
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION coopkit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'coopkit: % (% refused)', TG_ARGV[0], TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$
"""


class FinalRecordError(PermissionError):
    """A change to, or the deletion of, a record that is final once written."""


class AppendOnly:
    """Mixin for models whose rows are final once written.

    ``final_reason`` completes the refusal message with what to do instead
    (``"issue a correction"``).
    """

    final_reason: ClassVar[str] = "write a new record that corrects it"


def _refusal(obj_or_model: Any, action: str) -> FinalRecordError:
    model: type[AppendOnly] = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return FinalRecordError(
        f"refusing to {action} a {model.__name__}: it is final once written; {model.final_reason}"
    )


def _check_flush(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, AppendOnly):
            raise _refusal(obj, "delete")
    for obj in session.dirty:
        if isinstance(obj, AppendOnly) and inspect(obj).persistent and session.is_modified(obj):
            raise _refusal(obj, "change")


def _check_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    for mapper in state.all_mappers:
        if issubclass(mapper.class_, AppendOnly):
            raise _refusal(mapper.class_, "update" if state.is_update else "delete")


def install_append_only_guard(session_class: type[Session] | Any) -> None:
    """Refuse changes to append-only rows in sessions of ``session_class`` (idempotent).

    Install it after the tenant scoping, so that a row of another tenant is
    refused as such before it is refused as final.
    """
    for name, listener in (("before_flush", _check_flush), ("do_orm_execute", _check_statement)):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)


def create_append_only_triggers(
    connection: Connection, table: str, refusal: str | None = None
) -> None:
    """Create the triggers refusing UPDATE/DELETE on ``table`` (call from its migration).

    ``refusal`` is what the database says, followed by the operation refused;
    by default "<table> is append-only".
    """
    message = (refusal or f"{table} is append-only").replace("'", "''")
    if connection.dialect.name == "postgresql":
        connection.execute(text(PG_FUNCTION))
        for name, when, each in (
            ("append_only", "UPDATE OR DELETE", "ROW"),
            ("no_truncate", "TRUNCATE", "STATEMENT"),
        ):
            connection.execute(text(f'DROP TRIGGER IF EXISTS "{table}_{name}" ON "{table}"'))
            connection.execute(
                text(
                    f'CREATE TRIGGER "{table}_{name}" BEFORE {when} ON "{table}" '
                    f"FOR EACH {each} EXECUTE FUNCTION coopkit_refuse_change('{message}')"
                )
            )
    elif connection.dialect.name == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            name = f"{table}_no_{operation.lower()}"
            connection.execute(text(f'DROP TRIGGER IF EXISTS "{name}"'))
            connection.execute(
                text(
                    f'CREATE TRIGGER "{name}" BEFORE {operation} ON "{table}" BEGIN '
                    f"SELECT RAISE(ABORT, 'coopkit: {message} ({operation} refused)'); END"
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
