"""Rows that are written once and never changed: posted journal entries and their lines.

A model opts in with the :class:`AppendOnly` mixin. Two layers refuse a change:

1. the ORM: updating or deleting such a row through the session raises
   :class:`ImmutableRow` before any SQL is sent;
2. the database: triggers created by the migration refuse ``UPDATE`` and
   ``DELETE`` on the table on SQLite and PostgreSQL, for raw SQL and bulk
   statements too (they raise an ``IntegrityError`` whose message says
   "append-only").

A correction is a new row (for the ledger: a reversing entry), never an edit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Mapper


class ImmutableRow(PermissionError):
    """An attempt to change or delete a row that may only be added."""


class AppendOnly:
    """Mixin for models whose rows are never updated or deleted once written."""

    __append_only__ = True


def is_append_only(model: type[Any]) -> bool:
    return bool(getattr(model, "__append_only__", False))


def _refuse(verb: str) -> Any:
    def listener(mapper: Mapper[Any], connection: Any, target: Any) -> None:
        raise ImmutableRow(
            f"a {type(target).__name__} cannot be {verb} once written; "
            "record a correction instead (for a journal entry: reverse it)"
        )

    return listener


event.listen(AppendOnly, "before_update", _refuse("changed"), propagate=True)
event.listen(AppendOnly, "before_delete", _refuse("deleted"), propagate=True)
