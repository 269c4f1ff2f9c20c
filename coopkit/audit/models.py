"""One audit event in a tenant's hash chain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow


class AuditEvent(AppendOnly, TenantOwned, Base):
    """What happened (``action`` on a subject), who did it, and the chain link.

    ``seq`` numbers the tenant's events from 1 without gaps; ``prev_hash`` is
    the ``hash`` of event ``seq - 1`` (64 zeros for the first); ``hash`` is the
    SHA-256 of the event's canonical JSON, ``prev_hash`` included.
    """

    __tablename__ = "audit_events"
    final_reason = "record a new event that says what changed"
    __table_args__ = (UniqueConstraint("tenant_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(100))
    subject_type: Mapped[str] = mapped_column(String(100))
    subject_id: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
