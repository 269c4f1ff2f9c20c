"""The outbox tables: one row per e-mail, one per attachment."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import enum_column


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # tried and failed: tried again on the next run


class OutboxMessage(TenantOwned, Base):
    """An e-mail to send: to whom, its subject and plain-text body, where it stands."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_waiting", "tenant_id", "status", "created_at"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_exactly_when_sent"),
    )

    to_address: Mapped[str] = mapped_column(String(254))
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class OutboxAttachment(TenantOwned, Base):
    """A file sent with a message (a letter's PDF)."""

    __tablename__ = "outbox_attachments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "message_id", "position"),
        ForeignKeyConstraint(
            ["tenant_id", "message_id"],
            ["outbox_messages.tenant_id", "outbox_messages.id"],
            ondelete="CASCADE",
        ),
    )

    message_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
