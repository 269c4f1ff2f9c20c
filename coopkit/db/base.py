"""The declarative base every model derives from.

Constraint names follow one convention so that Alembic migrations can name
what they drop. Tenant-owned models derive from :class:`TenantOwned`: their
primary key is ``(tenant_id, id)`` and every foreign key between them carries
``tenant_id`` too, so a row can never point into another tenant and the schema
can be distributed by tenant (Citus) later.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, MetaData, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp; SQLite keeps no zone, so it is put back on load."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"refusing naive datetime {value!r}: give a timezone-aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime()}


class TenantOwned:
    """Mixin for every row that belongs to one cooperative.

    The ORM scopes every query on such a model to the session's tenant and
    refuses to flush a row of another tenant (coopkit.db.tenancy); PostgreSQL
    row-level security enforces the same again (coopkit.db.rls).
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            Uuid,
            ForeignKey("tenants.id", ondelete="RESTRICT"),
            primary_key=True,
            index=True,
            sort_order=-20,
        )

    id: Mapped[uuid.UUID] = mapped_column(
        Uuid, primary_key=True, default=uuid.uuid4, sort_order=-10
    )


def tenant_owned_models() -> list[type[Base]]:
    """Every mapped class that belongs to a tenant, sorted by table name."""
    found: list[type[Base]] = []
    for mapper in Base.registry.mappers:
        model: type[Base] = mapper.class_
        if issubclass(model, TenantOwned):
            found.append(model)
    return sorted(found, key=lambda cls: str(cls.__tablename__))
