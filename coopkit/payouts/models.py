"""A payout: one amount the coop owes one member, paid once by transfer; the member's
bank account; the payment batches (SEPA files) that pay them."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
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


class MemberBankAccount(TenantOwned, Base):
    """The account a member is paid on, from ``valid_from`` on.

    A new account (a change or a correction) is a new row: the history stays,
    and a batch pays the latest account in force on its execution date.
    ``iban`` is the electronic form (no spaces); ``bic`` may be empty when the
    bank is known from the IBAN (SEPA transfers need only the IBAN).
    """

    __tablename__ = "member_bank_accounts"
    __table_args__ = (
        Index("ix_member_bank_accounts_latest", "tenant_id", "user_id", "valid_from"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str] = mapped_column(String(11), default="")
    holder: Mapped[str] = mapped_column(String(70))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PaymentBatch(TenantOwned, Base):
    """Payouts paid together by one SEPA credit-transfer file on one execution date.

    Open (``exported_at`` None) it takes new payouts; exported, it keeps the
    file it produced (pain.001 XML and its SHA-256) and never changes again. A
    tenant has at most one open batch per execution date (a partial unique index).
    """

    __tablename__ = "payment_batches"
    __table_args__ = (
        Index(
            "uq_payment_batches_open_date",
            "tenant_id",
            "execution_date",
            unique=True,
            sqlite_where=text("exported_at IS NULL"),
            postgresql_where=text("exported_at IS NULL"),
        ),
    )

    execution_date: Mapped[dt.date] = mapped_column(Date)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    exported_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    exported_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    message_id: Mapped[str | None] = mapped_column(String(35), default=None)
    file_xml: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    file_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    entry_ids: Mapped[list[str] | None] = mapped_column(JSON, default=None)


class PaymentBatchItem(TenantOwned, Base):
    """One payout in one batch; a payout is in at most one batch (unique), so paid once.

    The creditor's account is copied here at export, as the file shows it.
    """

    __tablename__ = "payment_batch_items"
    __table_args__ = (
        UniqueConstraint("tenant_id", "payout_id"),
        ForeignKeyConstraint(
            ["tenant_id", "batch_id"],
            ["payment_batches.tenant_id", "payment_batches.id"],
            ondelete="RESTRICT",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "payout_id"], ["payouts.tenant_id", "payouts.id"], ondelete="RESTRICT"
        ),
    )

    batch_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    payout_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    end_to_end_id: Mapped[str] = mapped_column(String(35))
    iban: Mapped[str | None] = mapped_column(String(34), default=None)
    bic: Mapped[str | None] = mapped_column(String(11), default=None)
    holder: Mapped[str | None] = mapped_column(String(70), default=None)
