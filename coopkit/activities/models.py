"""Activities: what members run inside the cooperative, each with its own money."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import enum_column


class ActivityStatus(enum.StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class ActivityRole(enum.StrEnum):
    """A person's place in an activity: a manager may also move its money."""

    MEMBER = "member"
    MANAGER = "manager"


class Activity(TenantOwned, Base):
    """An activity run by one member, or shared by several with one or more managers.

    Its money lives in the ledger, in its own sub-accounts (coopkit.ledger.books).
    """

    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint("length(code) >= 2", name="code_not_too_short"),
    )

    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[ActivityStatus] = mapped_column(
        enum_column(ActivityStatus),
        default=ActivityStatus.ACTIVE,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActivityMember(TenantOwned, Base):
    """A person working in an activity, as a member or a manager."""

    __tablename__ = "activity_members"
    __table_args__ = (
        UniqueConstraint("tenant_id", "activity_id", "user_id"),
        ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            ondelete="CASCADE",
        ),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[ActivityRole] = mapped_column(enum_column(ActivityRole))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
