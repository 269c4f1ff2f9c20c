"""Questions asked of the membership records: status on a day, holdings, voters.

Every function reads the session tenant's rows (the tenancy scoping adds the
filter) and takes a ``day``: a general assembly's record date, a certificate's
date or today.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from coopkit.db.tenancy import NoTenantSelected, current_tenant
from coopkit.membership.models import (
    MemberStatus,
    MemberStatusChange,
    RegisterEntryKind,
    ShareClass,
    ShareRegisterEntry,
)


def status_on(db: Session, user_id: uuid.UUID, day: date) -> MemberStatus | None:
    """The person's status on ``day`` (the latest change on or before it), or None."""
    return db.scalar(
        select(MemberStatusChange.status)
        .where(MemberStatusChange.user_id == user_id, MemberStatusChange.effective_on <= day)
        .order_by(MemberStatusChange.effective_on.desc(), MemberStatusChange.recorded_at.desc())
        .limit(1)
    )


def statuses_on(db: Session, day: date) -> dict[uuid.UUID, MemberStatus]:
    """Everyone's status on ``day``, by user id (people with no change yet are absent)."""
    rows = db.execute(
        select(MemberStatusChange.user_id, MemberStatusChange.status)
        .where(MemberStatusChange.effective_on <= day)
        .order_by(MemberStatusChange.effective_on, MemberStatusChange.recorded_at)
    )
    latest: dict[uuid.UUID, MemberStatus] = {}
    for user_id, status in rows:
        latest[user_id] = status
    return latest


def members_on(db: Session, day: date) -> list[uuid.UUID]:
    """The ids of the people who were members on ``day``, in a stable order."""
    return sorted(
        user_id for user_id, status in statuses_on(db, day).items() if status is MemberStatus.MEMBER
    )


def holdings_on(db: Session, day: date) -> dict[uuid.UUID, dict[str, int]]:
    """Shares held at the end of ``day``: user id → share class code → number (> 0 only)."""
    rows = db.execute(
        select(
            ShareRegisterEntry.user_id,
            ShareClass.code,
            func.sum(ShareRegisterEntry.quantity),
        )
        .join(ShareClass, ShareClass.id == ShareRegisterEntry.share_class_id)
        .where(ShareRegisterEntry.effective_on <= day)
        .group_by(ShareRegisterEntry.user_id, ShareClass.code)
    )
    holdings: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for user_id, code, quantity in rows:
        if quantity:
            holdings[user_id][code] = int(quantity)
    return dict(holdings)


def capital_on(db: Session, day: date) -> Decimal:
    """The subscribed and paid capital at the end of ``day``, at nominal value."""
    rows = db.execute(
        select(ShareClass.nominal, func.sum(ShareRegisterEntry.quantity))
        .join(ShareClass, ShareClass.id == ShareRegisterEntry.share_class_id)
        .where(ShareRegisterEntry.effective_on <= day)
        .group_by(ShareClass.id, ShareClass.nominal)
    )
    return sum((nominal * int(quantity or 0) for nominal, quantity in rows), Decimal("0.00"))


@dataclass(frozen=True)
class Voter:
    """A member entitled to vote on a record date, and the shares behind the right."""

    user_id: uuid.UUID
    shares: dict[str, int] = field(default_factory=dict)


def voters_on(db: Session, day: date) -> list[Voter]:
    """The members entitled to vote on ``day`` (an assembly's record date).

    A person votes who was a member on that day and held at least the minimum
    holding of a voting share class. One member, one vote: the number of shares
    does not weigh (colleges and statutes may weigh groups, see
    ``coopkit.governance``).
    """
    classes = {row.code: row for row in db.scalars(select(ShareClass))}
    holdings = holdings_on(db, day)
    voters = []
    for user_id in members_on(db, day):
        held = holdings.get(user_id, {})
        if _votes(classes, held):
            voters.append(Voter(user_id, held))
    return voters


def voter_on(db: Session, user_id: uuid.UUID, day: date) -> Voter | None:
    """The person as a voter on ``day`` if :func:`voters_on` would list them, else None.

    The same rule for one person, in two indexed queries (their status, their
    holdings: ``tenant_id, user_id, effective_on`` on both tables) and the share
    classes, so that checking one vote does not read the whole register.
    """
    if status_on(db, user_id, day) is not MemberStatus.MEMBER:
        return None
    rows = db.execute(
        select(ShareClass.code, func.sum(ShareRegisterEntry.quantity))
        .join(ShareClass, ShareClass.id == ShareRegisterEntry.share_class_id)
        .where(ShareRegisterEntry.user_id == user_id, ShareRegisterEntry.effective_on <= day)
        .group_by(ShareClass.code)
    )
    held = {code: int(quantity) for code, quantity in rows if quantity}
    if not held:
        return None
    classes = {row.code: row for row in db.scalars(select(ShareClass))}
    return Voter(user_id, held) if _votes(classes, held) else None


def _votes(classes: dict[str, ShareClass], held: dict[str, int]) -> bool:
    """One voting class held at its minimum (at least one share: a minimum of 0 means 1)."""
    return any(
        classes[code].voting and quantity >= max(classes[code].min_holding, 1)
        for code, quantity in held.items()
    )


def _lock_register(db: Session, tenant_id: uuid.UUID) -> None:
    """Serialise line numbering of one tenant's register (PostgreSQL; SQLite has one writer)."""
    if db.get_bind().dialect.name == "postgresql":
        digest = hashlib.sha256(b"share_register:" + tenant_id.bytes).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def append_entry(
    db: Session,
    *,
    user_id: uuid.UUID,
    share_class: ShareClass,
    kind: RegisterEntryKind,
    quantity: int,
    effective_on: date,
    reference: str = "",
    note: str = "",
    recorded_by: uuid.UUID | None = None,
) -> ShareRegisterEntry:
    """Write the next numbered line of the session tenant's register, in the caller's transaction.

    ``quantity`` is given positive; the sign follows ``kind`` (out for a transfer
    out or a redemption). The amount is the class's nominal value × quantity.
    Checks of the law and statutes (minimum holding, redemption window, capital
    floor) belong to the caller, before this.
    """
    tenant_id = current_tenant(db)
    if tenant_id is None:
        raise NoTenantSelected("the share register belongs to a cooperative: select a tenant")
    if quantity <= 0:
        raise ValueError(f"a register line moves at least one share, not {quantity}")
    _lock_register(db, tenant_id)
    last = db.scalar(select(func.max(ShareRegisterEntry.line)))
    signed = (
        quantity
        if kind in (RegisterEntryKind.SUBSCRIPTION, RegisterEntryKind.TRANSFER_IN)
        else -quantity
    )
    entry = ShareRegisterEntry(
        line=(last or 0) + 1,
        user_id=user_id,
        share_class_id=share_class.id,
        kind=kind,
        quantity=signed,
        amount=share_class.nominal * quantity,
        currency=share_class.currency,
        effective_on=effective_on,
        reference=reference,
        note=note,
        recorded_by=recorded_by,
    )
    db.add(entry)
    db.flush()
    return entry
