"""How many days after a work period its salary is due, per cooperative and dated.

The cooperative promises to pay a salary within N days after the end of the
work period (7 unless it decided otherwise). Like the fee rates
(:mod:`coopkit.ledger.policy`), the decision is per tenant, holds from its
``valid_from`` until the next one, and rows are append-only: a mistake is
corrected by a later row for the same day.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, Session, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.dated import in_force
from coopkit.db.tenancy import USER_KEY

DEFAULT_PAYMENT_DAYS = 7
MAX_PAYMENT_DAYS = 366


class SalaryPolicyError(ValueError):
    """A salary policy that cannot be recorded; the message says what to fix."""


class SalaryPolicy(AppendOnly, TenantOwned, Base):
    """The number of days after a work period's end its salary must be paid by, from a day on."""

    final_reason = "record a later policy instead"

    __tablename__ = "salary_policies"
    __table_args__ = (
        CheckConstraint("payment_days >= 0", name="payment_days_not_negative"),
        Index("ix_salary_policies_valid_from", "tenant_id", "valid_from"),
    )

    valid_from: Mapped[date] = mapped_column(Date)
    payment_days: Mapped[int] = mapped_column(Integer)
    decided_by: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


def set_salary_policy(
    db: Session, *, valid_from: date, payment_days: int, decided_by: str
) -> SalaryPolicy:
    """Record the payment delay decided (by the general assembly) from ``valid_from`` on."""
    if not decided_by.strip():
        raise SalaryPolicyError(
            "say who decided this delay (for example 'General assembly of 2026-05-12')"
        )
    if isinstance(payment_days, bool) or not 0 <= payment_days <= MAX_PAYMENT_DAYS:
        raise SalaryPolicyError(
            f"payment days {payment_days}: give a whole number of days from 0 to "
            f"{MAX_PAYMENT_DAYS} (7 to pay within a week after the work)"
        )
    user = db.info.get(USER_KEY)
    row = SalaryPolicy(
        valid_from=valid_from,
        payment_days=payment_days,
        decided_by=decided_by.strip()[:300],
        recorded_by=user if isinstance(user, uuid.UUID) else None,
    )
    db.add(row)
    db.flush()
    return row


def payment_days_on(db: Session, day: date) -> int:
    """The session's tenant's payment delay in force on ``day`` (7 when none is recorded)."""
    row = in_force(db, SalaryPolicy, day)
    return DEFAULT_PAYMENT_DAYS if row is None else row.payment_days
