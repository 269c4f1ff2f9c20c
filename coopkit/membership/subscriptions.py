"""Subscribing shares and recording their payment, which issues them.

A subscription is a member's undertaking: ``amount`` = nominal × quantity,
waiting for payment. Recording the payment issues the shares in one
transaction: a balanced ledger entry (the bank receives the money, the share
capital grows by it) and the register line, effective on the payment day.
A subscription is paid once: a second payment is refused (and an API retry
with the same Idempotency-Key replays the first answer).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.posting import credit, debit, post
from coopkit.membership.classes import awaiting_payment, check_can_take, get_share_class, held
from coopkit.membership.errors import (
    MembershipConflict,
    MembershipError,
    MembershipForbidden,
    MembershipNotFound,
)
from coopkit.membership.models import (
    MemberStatus,
    RegisterEntryKind,
    ShareClass,
    ShareSubscription,
    SubscriptionStatus,
)
from coopkit.membership.register import append_entry, status_on
from coopkit.membership.statuses import reason_text
from coopkit.people.models import Role, User
from coopkit.people.service import role_in

PAID_SHARE = "share_subscription"  # the ledger entry's kind (not "paid_share": an activity budget)


def may_act_for(db: Session, actor_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """A member acts for themselves; staff act for anyone. MembershipForbidden otherwise."""
    if actor_id == user_id:
        return
    role = role_in(db, actor_id)
    if role is None or not role.includes(Role.STAFF):
        raise MembershipForbidden("you subscribe shares for yourself only; staff do it for others")


def subscribe(
    db: Session,
    *,
    user_id: uuid.UUID,
    share_class: ShareClass,
    quantity: int,
    day: date,
    requested_by: uuid.UUID,
) -> ShareSubscription:
    """Record a member's subscription of ``quantity`` shares, waiting for payment.

    Refused for a person who is not a member on ``day``, beyond the class's
    maximum per member (shares held and subscribed count), and below its
    minimum holding for a first holding.
    """
    may_act_for(db, requested_by, user_id)
    if status_on(db, user_id, day) is not MemberStatus.MEMBER:
        raise MembershipError(
            f"only members subscribe shares, and on {day} this person is not one: "
            "admit their application first",
            "user",
        )
    holding = held(db, user_id, share_class, day) + awaiting_payment(db, user_id, share_class)
    check_can_take(share_class, holding, quantity)
    row = ShareSubscription(
        user_id=user_id,
        share_class_id=share_class.id,
        quantity=quantity,
        amount=share_class.nominal * quantity,
        currency=share_class.currency,
        requested_on=day,
        requested_by=requested_by,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        "shares.subscribed",
        "share_subscription",
        row.id,
        {
            "user": user_id,
            "class": share_class.code,
            "quantity": quantity,
            "amount": row.amount,
            "currency": row.currency,
        },
        actor_id=requested_by,
    )
    return row


def get_subscription(
    db: Session, subscription_id: uuid.UUID, lock: bool = False
) -> ShareSubscription:
    query = select(ShareSubscription).where(ShareSubscription.id == subscription_id)
    found = db.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise MembershipNotFound(f"share subscription {subscription_id}")
    return found


def _payable(row: ShareSubscription) -> None:
    if row.status is SubscriptionStatus.PAID:
        raise MembershipConflict(
            f"this subscription was paid on {row.paid_on} already: its shares are on line "
            f"{row.register_line} of the register"
        )
    if row.status is SubscriptionStatus.CANCELLED:
        raise MembershipConflict("this subscription was cancelled: subscribe again instead")


def record_payment(
    db: Session,
    subscription_id: uuid.UUID,
    staff_id: uuid.UUID,
    paid_on: date,
    payment_reference: str = "",
    today: date | None = None,
) -> ShareSubscription:
    """Record that the member paid: post the capital, write the register line, mark it paid."""
    row = get_subscription(db, subscription_id, lock=True)
    _payable(row)
    if paid_on > (today or date.today()):
        raise MembershipError(f"{paid_on} is in the future: give the day the money came in")
    if paid_on < row.requested_on:
        raise MembershipError(
            f"{paid_on} is before the subscription ({row.requested_on}): shares are paid for "
            "once subscribed; give the day the money came in"
        )
    share_class = get_share_class(db, row.share_class_id)
    # Others may have been paid meanwhile: the maximum is checked again with this one pending.
    others = awaiting_payment(db, row.user_id, share_class) - row.quantity
    check_can_take(share_class, held(db, row.user_id, share_class, paid_on) + others, row.quantity)
    member = db.get(User, row.user_id)
    entry = post(
        db,
        lines=[
            debit(R.BANK, row.amount, currency=row.currency),
            credit(R.SHARE_CAPITAL, row.amount, currency=row.currency),
        ],
        kind=PAID_SHARE,
        description=(
            f"{row.quantity} {share_class.code} shares paid by {member.name if member else '?'}"
        )[:500],
        day=paid_on,
        reference=f"share_subscription:{row.id}",
    )
    line = append_entry(
        db,
        user_id=row.user_id,
        share_class=share_class,
        kind=RegisterEntryKind.SUBSCRIPTION,
        quantity=row.quantity,
        effective_on=paid_on,
        reference=f"subscription:{row.id}",
        recorded_by=staff_id,
    )
    row.status = SubscriptionStatus.PAID
    row.paid_on = paid_on
    row.payment_reference = payment_reference.strip()[:200]
    row.entry_id = entry.id
    row.register_line = line.line
    db.flush()
    audit.record(
        db,
        "shares.paid",
        "share_subscription",
        row.id,
        {"paid_on": paid_on, "amount": row.amount, "entry": entry.id, "line": line.line},
        actor_id=staff_id,
    )
    return row


def cancel_subscription(
    db: Session, subscription_id: uuid.UUID, staff_id: uuid.UUID, reason: str
) -> ShareSubscription:
    """Cancel a subscription not paid yet, with the reason (the member is told)."""
    row = get_subscription(db, subscription_id, lock=True)
    _payable(row)
    row.cancelled_reason = reason_text(reason, True, "subscription is cancelled")
    row.status = SubscriptionStatus.CANCELLED
    db.flush()
    audit.record(
        db,
        "shares.subscription_cancelled",
        "share_subscription",
        row.id,
        {"reason": row.cancelled_reason},
        actor_id=staff_id,
    )
    return row
