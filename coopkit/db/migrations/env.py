"""Alembic environment: run by `coopkit db upgrade` with the owner's connection."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context

from coopkit.db.base import UtcDateTime
from coopkit.db.types import Amount, Rate
from coopkit.models import Base


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Write coopkit's column types in migrations as what the database stores."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, Amount | Rate):
        autogen_context.imports.add("import coopkit.db.types")
        return f"coopkit.db.types.{type(obj).__name__}()"
    return False


config = context.config
connection = config.attributes["connection"]

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
