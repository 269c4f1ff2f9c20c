"""A person's status with the cooperative over time: recording each change, audited.

Statuses are append-only (coopkit.membership.models.MemberStatusChange): a
resignation or an exclusion is a new row from its day, never an edit.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.membership.errors import MembershipConflict, MembershipError
from coopkit.membership.models import MemberStatus, MemberStatusChange
from coopkit.membership.register import status_on

MAX_REASON = 2000


def reason_text(reason: str | None, required: bool, what: str) -> str | None:
    """The reason cleaned of extra spaces; MembershipError when required and missing."""
    text = " ".join((reason or "").split())
    if required and not text:
        raise MembershipError(f"say why the {what}: the person is told the reason", "reason")
    if len(text) > MAX_REASON:
        raise MembershipError(f"the reason: at most {MAX_REASON} characters", "reason")
    return text or None


def record_status(
    db: Session,
    user_id: uuid.UUID,
    status: MemberStatus,
    day: date,
    *,
    reason: str | None = None,
    recorded_by: uuid.UUID | None = None,
) -> MemberStatusChange:
    """Append the person's status from ``day`` and the audit event that says so."""
    row = MemberStatusChange(
        user_id=user_id, status=status, effective_on=day, reason=reason, recorded_by=recorded_by
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        f"membership.{status.value}",
        "user",
        user_id,
        {"status": status, "effective_on": day, "reason": reason},
        actor_id=recorded_by,
    )
    return row


def _member_on(db: Session, user_id: uuid.UUID, day: date) -> None:
    status = status_on(db, user_id, day)
    if status is not MemberStatus.MEMBER:
        held = "no status" if status is None else status.value
        raise MembershipConflict(f"on {day} this person is not a member ({held})", "user")


def resign(
    db: Session, user_id: uuid.UUID, day: date, staff_id: uuid.UUID, reason: str | None = None
) -> MemberStatusChange:
    """Record a member's resignation from ``day``; their shares are redeemed separately."""
    _member_on(db, user_id, day)
    text = reason_text(reason, False, "member resigns")
    return record_status(db, user_id, MemberStatus.RESIGNED, day, reason=text, recorded_by=staff_id)


def exclude(
    db: Session, user_id: uuid.UUID, day: date, staff_id: uuid.UUID, reason: str
) -> MemberStatusChange:
    """Record a member's exclusion from ``day``, with the reason (required)."""
    _member_on(db, user_id, day)
    text = reason_text(reason, True, "member is excluded")
    return record_status(db, user_id, MemberStatus.EXCLUDED, day, reason=text, recorded_by=staff_id)
