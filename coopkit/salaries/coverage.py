"""How a salary is covered: the activity's money first, then the guarantee fund.

The activity's ``available`` money (what it received and did not set aside)
pays first; what it lacks is asked of the mutual guarantee fund, whose advance
is backed by the activity's unpaid confirmed invoices
(:func:`coopkit.guarantee.advances.offer_advance`). Only the activity's part is
reserved when a member asks; the advance is granted when staff approve, if the
fund can still give it then.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from coopkit.activities.service import activity_balance
from coopkit.guarantee.advances import Backing, GuaranteeError, offer_advance


@dataclass(frozen=True)
class Coverage:
    """``from_funds`` + ``from_advance`` of ``cost``; ``missing`` what neither covers,
    with the fund's ``reasons``; ``backing`` the invoices the advance would rest on."""

    cost: Decimal
    currency: str
    available: Decimal
    from_funds: Decimal
    from_advance: Decimal
    reasons: tuple[str, ...]
    backing: tuple[Backing, ...] = ()

    @property
    def missing(self) -> Decimal:
        return self.cost - self.from_funds - self.from_advance


def cover(
    db: Session, *, activity_id: uuid.UUID, member_id: uuid.UUID, cost: Decimal, day: date
) -> Coverage:
    """How ``cost`` would be covered on ``day`` (reads only: nothing is reserved or granted)."""
    balance = activity_balance(db, activity_id)
    from_funds = max(min(balance.available, cost), Decimal(0))
    covered = Coverage(cost, balance.currency, balance.available, from_funds, Decimal(0), ())
    rest = cost - from_funds
    if rest <= 0:
        return covered
    try:
        offer = offer_advance(
            db, activity_id=activity_id, member_id=member_id, amount=rest, day=day
        )
    except GuaranteeError as error:
        return replace(covered, reasons=(str(error),))
    return replace(covered, from_advance=offer.amount, reasons=offer.reasons, backing=offer.backing)
