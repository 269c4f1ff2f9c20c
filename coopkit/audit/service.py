"""Recording audit events and verifying a tenant's chain."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from coopkit.audit.models import AuditEvent
from coopkit.db.base import utcnow
from coopkit.db.tenancy import USER_KEY, NoTenantSelected, current_tenant

GENESIS = "0" * 64


class AuditDataError(TypeError):
    """Event data that cannot be recorded exactly (a float, an unknown object)."""


def _plain(value: Any, path: str = "data") -> Any:
    """``value`` as exact JSON: Decimal, dates, UUIDs and enums become strings; floats refused."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise AuditDataError(f"{path} is a float ({value!r}): give a Decimal or a string")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date | uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return _plain(value.value, path)
    if isinstance(value, dict):
        return {str(key): _plain(item, f"{path}.{key}") for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item, f"{path}[{index}]") for index, item in enumerate(value)]
    raise AuditDataError(f"{path} is a {type(value).__name__}, which an audit event cannot hold")


def event_hash(event: AuditEvent) -> str:
    """SHA-256 of the event's canonical JSON (sorted keys, no spaces, UTF-8)."""
    content = {
        "tenant": str(event.tenant_id),
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": None if event.actor_id is None else str(event.actor_id),
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_chain(db: Session, tenant_id: uuid.UUID) -> None:
    """Serialise appends to one tenant's chain (PostgreSQL; SQLite has one writer)."""
    bind = db.get_bind()
    if bind.dialect.name == "postgresql":
        key = int.from_bytes(tenant_id.bytes[:8], "big", signed=True)
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def record(
    db: Session,
    action: str,
    subject_type: str,
    subject_id: object,
    data: dict[str, Any] | None = None,
    *,
    actor_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Append an event to the chain of the session's tenant, in the caller's transaction.

    ``action`` is a dotted verb (``membership.role_changed``), the subject is what
    it happened to, ``data`` what changed (exact values only: no floats).
    """
    tenant_id = current_tenant(db)
    if tenant_id is None:
        raise NoTenantSelected("an audit event belongs to a cooperative: select a tenant first")
    content = _plain(data or {})
    _lock_chain(db, tenant_id)
    last = db.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (1, GENESIS) if last is None else (last.seq + 1, last.hash)
    event = AuditEvent(
        tenant_id=tenant_id,
        seq=seq,
        occurred_at=utcnow(),
        actor_id=actor_id or db.info.get(USER_KEY),
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        data=content,
        prev_hash=prev_hash,
        hash="",
    )
    event.hash = event_hash(event)
    db.add(event)
    db.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    """The result of checking one tenant's chain; ``problem`` is None when intact."""

    events: int
    head: str = GENESIS
    problem: str | None = None
    broken_at: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify(db: Session) -> ChainReport:
    """Re-hash the session tenant's events in order and check every link.

    The report's ``head`` is the hash of the last good event: written down
    elsewhere (in the minutes of an assembly, say), it also proves later that no
    event was removed from the end.
    """
    if current_tenant(db) is None:
        raise NoTenantSelected("select the tenant whose audit chain to verify")
    expected_prev, count = GENESIS, 0
    events = db.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(1000)
    for count, event in enumerate(events, start=1):
        if event.seq != count:
            problem = f"event {count} is missing (the next one is {event.seq})"
        elif event.prev_hash != expected_prev:
            problem = f"event {count} does not follow event {count - 1}"
        elif event_hash(event) != event.hash:
            problem = f"event {count} was changed after it was recorded"
        else:
            expected_prev = event.hash
            continue
        return ChainReport(count - 1, expected_prev, problem, count)
    return ChainReport(count, expected_prev)
