"""A payout: one amount the coop owes one member, paid once by transfer."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, enum_column


class PayoutKind(enum.StrEnum):
    """What the payout pays, and so which ledger account it settles."""

    SALARY = "salary"  # salaries_payable
    EXPENSE = "expense"  # expense_claims_payable


class Payout(TenantOwned, Base):
    """A net salary or an expense reimbursement waiting to be paid, or paid.

    ``source_id`` is the salary request or the expense claim it pays; a source
    is queued at most once (unique per kind), so it cannot be paid twice.
    ``due_date`` is the day the member must have the money by; ``paid_on`` is
    the execution date of the payment batch that paid it (None while waiting).
    """

    __tablename__ = "payouts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "source_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_payouts_waiting", "tenant_id", "paid_on", "due_date"),
    )

    kind: Mapped[PayoutKind] = mapped_column(enum_column(PayoutKind))
    source_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    activity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    due_date: Mapped[dt.date] = mapped_column(Date)
    # The remittance information the member sees on their statement (SEPA: ≤ 140).
    description: Mapped[str] = mapped_column(String(140))
    queued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    paid_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
