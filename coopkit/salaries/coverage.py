"""How a salary is covered: the activity's money first, then the guarantee fund.

The activity's ``available`` money (what it received and did not set aside)
pays first; what it lacks is asked of the mutual guarantee fund, whose advance
is backed by the activity's unpaid confirmed invoices.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from coopkit.activities.service import activity_balance

NO_FUND = (
    "the guarantee fund cannot advance salaries in this installation yet: the activity "
    "must have the money"
)


@dataclass(frozen=True)
class Coverage:
    """``from_funds`` + ``from_advance`` of ``cost``; ``missing`` what neither covers,
    with the fund's ``reasons``."""

    cost: Decimal
    currency: str
    available: Decimal
    from_funds: Decimal
    from_advance: Decimal
    reasons: tuple[str, ...]

    @property
    def missing(self) -> Decimal:
        return self.cost - self.from_funds - self.from_advance


def cover(
    db: Session, *, activity_id: uuid.UUID, member_id: uuid.UUID, cost: Decimal, day: date
) -> Coverage:
    """How ``cost`` would be covered on ``day`` (reads only: nothing is reserved or granted)."""
    del member_id, day  # the guarantee fund's offer will need them
    balance = activity_balance(db, activity_id)
    from_funds = max(min(balance.available, cost), Decimal(0))
    rest = cost - from_funds
    return Coverage(
        cost=cost,
        currency=balance.currency,
        available=balance.available,
        from_funds=from_funds,
        from_advance=Decimal(0),
        reasons=(NO_FUND,) if rest > 0 else (),
    )
