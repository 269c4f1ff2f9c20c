"""Rows that are written once and never changed: issued payslips (and, later, posted entries).

A correction of such a record is a new row pointing at the one it corrects,
never an edit. The rule is kept twice:

1. in the ORM: flushing a change to, or the deletion of, a stored
   :class:`AppendOnly` row raises :class:`FinalRecordError`, and so does an
   ORM ``update()``/``delete()`` statement on such a model;
2. in the database: each append-only table gets triggers, created by its
   migration, that refuse ``UPDATE`` and ``DELETE`` (on SQLite and on
   PostgreSQL), so raw SQL cannot change history either.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session


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
