"""An expense claim and its receipts.

A claim is submitted by a member of an activity, then approved or rejected by
staff other than the submitter. On approval the ledger entry is posted and the
claim points at it; the coop then owes the member the gross amount
(reimbursement is a payment run, not this model's business).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, Rate, enum_column


class ExpenseStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class ExpenseClaim(TenantOwned, Base):
    """What a member paid for an activity and asks the coop to reimburse.

    ``net`` excludes VAT; ``vat`` is ``net`` × the VAT rate of the day;
    ``recoverable_vat`` the part of it the coop deducts (the category's
    fraction, from the country plugin, with its ``vat_source``); the activity
    bears ``net`` plus the rest of the VAT; ``gross`` = ``net`` + ``vat`` is
    what the coop owes the member once the claim is approved.
    ``held_reason`` says why staff's approval could not be booked (the
    activity lacked the money): the claim stays submitted.
    """

    __tablename__ = "expense_claims"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            ondelete="RESTRICT",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            ondelete="RESTRICT",
        ),
        CheckConstraint("net > 0", name="net_positive"),
        CheckConstraint("vat >= 0", name="vat_not_negative"),
        CheckConstraint("gross = net + vat", name="gross_is_net_plus_vat"),
        CheckConstraint(
            "recoverable_vat >= 0 AND recoverable_vat <= vat", name="recoverable_within_vat"
        ),
        CheckConstraint(
            "status <> 'rejected' OR rejection_reason IS NOT NULL", name="rejection_has_reason"
        ),
        CheckConstraint("status <> 'approved' OR entry_id IS NOT NULL", name="approval_has_entry"),
        Index("ix_expense_claims_queue", "tenant_id", "status", "submitted_at"),
        Index("ix_expense_claims_activity", "tenant_id", "activity_id"),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    submitted_by_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    day: Mapped[dt.date] = mapped_column(Date)
    supplier: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500))
    category: Mapped[str] = mapped_column(String(40))
    vat_source: Mapped[str] = mapped_column(String(1000))
    currency: Mapped[str] = mapped_column(String(3))
    net: Mapped[Decimal] = mapped_column(Amount())
    vat_rate_code: Mapped[str | None] = mapped_column(String(40))
    vat_rate: Mapped[Decimal | None] = mapped_column(Rate())
    vat: Mapped[Decimal] = mapped_column(Amount())
    recoverable_vat: Mapped[Decimal] = mapped_column(Amount())
    gross: Mapped[Decimal] = mapped_column(Amount())
    status: Mapped[ExpenseStatus] = mapped_column(
        enum_column(ExpenseStatus),
        default=ExpenseStatus.SUBMITTED,
    )
    held_reason: Mapped[str | None] = mapped_column(String(1000))
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT")
    )
    decided_at: Mapped[dt.datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(String(1000))
    entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    @property
    def reference(self) -> str:
        """A short reference to quote: the day and the start of the id."""
        return f"{self.day:%Y%m%d}-{self.id.hex[:8]}"


class ExpenseReceipt(TenantOwned, Base):
    """A receipt of a claim: a PDF, JPEG or PNG file, kept in the database.

    ``content`` is loaded only when asked for (it may weigh 10 MB).
    """

    __tablename__ = "expense_receipts"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "claim_id"],
            ["expense_claims.tenant_id", "expense_claims.id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("size > 0", name="size_positive"),
        Index("ix_expense_receipts_claim", "tenant_id", "claim_id"),
    )

    claim_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
