"""Queueing what the coop owes a member, once per salary request or expense claim."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.money import MoneyError, check_currency, minor_unit, to_decimal
from coopkit.payouts.models import Payout, PayoutKind


class PayoutError(ValueError):
    """A payout that cannot be queued as asked; the message says why."""


def queue_payout(
    db: Session,
    *,
    kind: PayoutKind,
    source_id: uuid.UUID,
    user_id: uuid.UUID,
    activity_id: uuid.UUID,
    amount: object,
    currency: str,
    due_date: dt.date,
    description: str,
) -> Payout:
    """Queue the payout of ``source_id`` (flushed, not committed) and return it.

    Queueing the same source again with the same amount returns the first
    payout (a retry); with another amount it is refused: a source is paid once.
    """
    try:
        code = check_currency(currency.upper())
        value = to_decimal(amount)
    except MoneyError as error:
        raise PayoutError(str(error)) from None
    if value <= 0 or value != value.quantize(minor_unit(code)):
        raise PayoutError(
            f"{value} {code}: a payout is a positive amount in whole {minor_unit(code)} {code}"
        )
    text = " ".join(description.split())[:140]
    if not text:
        raise PayoutError("a payout needs a description (what the member sees on the transfer)")
    existing = db.scalar(select(Payout).where(Payout.kind == kind, Payout.source_id == source_id))
    if existing is not None:
        if (existing.amount, existing.currency, existing.user_id) != (value, code, user_id):
            raise PayoutError(
                f"{kind.value} {source_id} is already queued for {existing.amount} "
                f"{existing.currency}: a salary or an expense claim is paid once"
            )
        return existing
    payout = Payout(
        kind=kind,
        source_id=source_id,
        user_id=user_id,
        activity_id=activity_id,
        amount=value,
        currency=code,
        due_date=due_date,
        description=text,
    )
    db.add(payout)
    db.flush()
    return payout


def payouts_waiting(db: Session, *, due_by: dt.date | None = None) -> list[Payout]:
    """The tenant's unpaid payouts, earliest due first (only those due by ``due_by``)."""
    query = select(Payout).where(Payout.paid_on.is_(None))
    if due_by is not None:
        query = query.where(Payout.due_date <= due_by)
    return list(db.scalars(query.order_by(Payout.due_date, Payout.queued_at)))


def total(payouts: list[Payout]) -> Decimal:
    return sum((p.amount for p in payouts), Decimal(0))
