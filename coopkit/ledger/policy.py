"""The cooperative's contribution rates: its fee and the guarantee-fund contribution.

Both are fractions of the turnover excluding VAT that a client has paid, set by
the cooperative (its general assembly), so they are per tenant and dated: a
rate holds from its ``valid_from`` until the next one. Rows are append-only, so
the history of decisions is the audit trail; a mistake is corrected by a new
row for the same day, which wins because it was recorded later.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Index, String, Uuid
from sqlalchemy.orm import Mapped, Session, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.dated import in_force
from coopkit.db.tenancy import USER_KEY
from coopkit.db.types import Rate
from coopkit.money import MoneyError, to_decimal


class PolicyError(ValueError):
    """Rates that cannot be recorded, or no rate in force."""


class FeePolicy(AppendOnly, TenantOwned, Base):
    """The fee rate and the guarantee-fund contribution rate from a day on."""

    final_reason = "record a later policy instead"

    __tablename__ = "fee_policies"
    __table_args__ = (
        CheckConstraint("fee_rate >= 0", name="fee_rate_not_negative"),
        CheckConstraint("guarantee_rate >= 0", name="guarantee_rate_not_negative"),
        Index("ix_fee_policies_valid_from", "tenant_id", "valid_from"),
    )

    valid_from: Mapped[date] = mapped_column(Date)
    fee_rate: Mapped[Decimal] = mapped_column(Rate())
    guarantee_rate: Mapped[Decimal] = mapped_column(Rate())
    decided_by: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Rates:
    """The rates in force on a day, with the decision they come from."""

    fee_rate: Decimal
    guarantee_rate: Decimal
    valid_from: date
    decided_by: str


def check_rate(value: object, what: str) -> Decimal:
    """``value`` as an exact fraction from 0 to less than 1 with at most 6 decimals."""
    try:
        rate = to_decimal(value)
    except MoneyError as error:
        raise PolicyError(f"{what}: {error}") from None
    if not Decimal(0) <= rate < Decimal(1):
        raise PolicyError(f"{what} {rate}: give a fraction from 0 to less than 1 (0.065 for 6.5 %)")
    if rate != rate.quantize(Decimal("0.000001")):
        raise PolicyError(f"{what} {rate}: at most 6 decimal places")
    return rate


def set_rates(
    db: Session,
    *,
    valid_from: date,
    fee_rate: object,
    guarantee_rate: object,
    decided_by: str,
) -> FeePolicy:
    """Record the rates decided (by the general assembly) from ``valid_from`` on."""
    if not decided_by.strip():
        raise PolicyError(
            "say who decided these rates (for example 'General assembly of 2026-05-12')"
        )
    fee = check_rate(fee_rate, "fee rate")
    guarantee = check_rate(guarantee_rate, "guarantee-fund contribution rate")
    if fee + guarantee >= 1:
        raise PolicyError(
            f"fee {fee} and guarantee contribution {guarantee} together take the whole paid "
            "amount or more: they must add up to less than 1"
        )
    user = db.info.get(USER_KEY)
    row = FeePolicy(
        valid_from=valid_from,
        fee_rate=fee,
        guarantee_rate=guarantee,
        decided_by=decided_by.strip(),
        recorded_by=user if isinstance(user, uuid.UUID) else None,
    )
    db.add(row)
    db.flush()
    return row


def rates_on(db: Session, day: date) -> Rates:
    """The rates of the session's tenant in force on ``day``; PolicyError if none is."""
    row = in_force(db, FeePolicy, day)
    if row is None:
        raise PolicyError(
            f"the cooperative has no fee rate in force on {day.isoformat()}: record the rates "
            "its general assembly decided first"
        )
    return Rates(row.fee_rate, row.guarantee_rate, row.valid_from, row.decided_by)
