"""Transfers of shares between members, recorded by staff.

The capital does not change (the buyer pays the seller, outside the coop's
books), so no ledger entry: two register lines, out of the seller's holding
and into the buyer's, on the same day. The class's limits apply on both
sides: the seller keeps the minimum holding while they stay a member, the
buyer stays within the maximum per member and reaches the minimum on a first
holding. Both must be members on the day.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.membership.classes import awaiting_payment, check_can_give, check_can_take, held
from coopkit.membership.errors import MembershipError
from coopkit.membership.models import (
    MemberStatus,
    RegisterEntryKind,
    ShareClass,
    ShareTransfer,
)
from coopkit.membership.register import append_entry, holdings_on, status_on


def other_shares(db: Session, user_id: uuid.UUID, share_class: ShareClass, day: date) -> int:
    """Shares the person holds in classes other than ``share_class`` at the end of ``day``."""
    held_by = holdings_on(db, day).get(user_id, {})
    return sum(n for code, n in held_by.items() if code != share_class.code)


def transfer_shares(
    db: Session,
    *,
    seller_id: uuid.UUID,
    buyer_id: uuid.UUID,
    share_class: ShareClass,
    quantity: int,
    day: date,
    staff_id: uuid.UUID,
    note: str = "",
) -> ShareTransfer:
    """Record ``quantity`` shares passing from the seller to the buyer on ``day``."""
    if seller_id == buyer_id:
        raise MembershipError("a transfer is between two members", "buyer")
    for who, person in (("seller", seller_id), ("buyer", buyer_id)):
        if status_on(db, person, day) is not MemberStatus.MEMBER:
            raise MembershipError(f"the {who} is not a member on {day}", who)
    check_can_give(
        share_class,
        held(db, seller_id, share_class, day),
        quantity,
        stays=True,
        other_shares=other_shares(db, seller_id, share_class, day),
    )
    buyer_holding = held(db, buyer_id, share_class, day) + awaiting_payment(
        db, buyer_id, share_class
    )
    check_can_take(share_class, buyer_holding, quantity)
    row = ShareTransfer(
        seller_id=seller_id,
        buyer_id=buyer_id,
        share_class_id=share_class.id,
        quantity=quantity,
        effective_on=day,
        note=" ".join(note.split())[:2000],
        recorded_by=staff_id,
    )
    db.add(row)
    db.flush()
    lines = [
        append_entry(
            db,
            user_id=person,
            share_class=share_class,
            kind=kind,
            quantity=quantity,
            effective_on=day,
            reference=f"transfer:{row.id}",
            recorded_by=staff_id,
        ).line
        for person, kind in (
            (seller_id, RegisterEntryKind.TRANSFER_OUT),
            (buyer_id, RegisterEntryKind.TRANSFER_IN),
        )
    ]
    audit.record(
        db,
        "shares.transferred",
        "share_transfer",
        row.id,
        {
            "seller": seller_id,
            "buyer": buyer_id,
            "class": share_class.code,
            "quantity": quantity,
            "effective_on": day,
            "lines": lines,
        },
        actor_id=staff_id,
    )
    return row
