"""The tenant: one cooperative on this installation."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.base import Base, utcnow


class TenantKind(enum.StrEnum):
    BRANCH = "branch"
    INCUBATOR = "incubator"
    MEMBER_COOP = "member_coop"


class Tenant(Base):
    """A cooperative: a national branch, an incubator, or a member coop with its parent."""

    __tablename__ = "tenants"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'member_coop') = (parent_id IS NOT NULL)", name="member_coop_has_parent"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[TenantKind] = mapped_column(
        Enum(
            TenantKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
        )
    )
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    locales: Mapped[list[str]] = mapped_column(JSON)
    # The company's registration number in its country (FR: SIREN, BE: enterprise
    # number), in the compact form its country plugin validated.
    company_id: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("tenants.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def default_locale(self) -> str:
        return self.locales[0]
