"""The tables of membership: status over time, share classes, the share register."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, enum_column


class MemberStatus(enum.StrEnum):
    """Where a person stands with the cooperative, from a day on."""

    APPLICANT = "applicant"
    MEMBER = "member"
    REFUSED = "refused"
    RESIGNED = "resigned"
    EXCLUDED = "excluded"


class MemberStatusChange(AppendOnly, TenantOwned, Base):
    """A person's status from ``effective_on``; the latest change on or before a day holds.

    Two changes on the same day are ordered by ``recorded_at``. A refusal or an
    exclusion carries its ``reason``.
    """

    __tablename__ = "member_status_changes"
    final_reason = "record a later status change"
    __table_args__ = (
        CheckConstraint(
            "status NOT IN ('refused', 'excluded') OR reason IS NOT NULL",
            name="refusal_and_exclusion_have_a_reason",
        ),
        Index("ix_member_status_changes_user", "tenant_id", "user_id", "effective_on"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    status: Mapped[MemberStatus] = mapped_column(enum_column(MemberStatus))
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShareClass(TenantOwned, Base):
    """A class of shares of one cooperative (SMart: A for the members who use the coop,
    B for staff, partners and clients), its nominal value and holding limits."""

    __tablename__ = "share_classes"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint("nominal > 0", name="nominal_positive"),
        CheckConstraint("min_holding >= 0", name="min_holding_not_negative"),
        CheckConstraint(
            "max_per_member IS NULL OR max_per_member >= min_holding", name="max_not_below_min"
        ),
    )

    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    nominal: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    # A member must hold at least this many shares of the class to count as holding it.
    min_holding: Mapped[int] = mapped_column(Integer, default=1)
    max_per_member: Mapped[int | None] = mapped_column(Integer, default=None)
    # Holders of a voting class vote in general assemblies (one member, one vote).
    voting: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegisterEntryKind(enum.StrEnum):
    """Why shares enter or leave a member's holding."""

    SUBSCRIPTION = "subscription"  # paid subscription: shares issued (quantity > 0)
    TRANSFER_IN = "transfer_in"  # quantity > 0
    TRANSFER_OUT = "transfer_out"  # quantity < 0
    REDEMPTION = "redemption"  # shares repaid to a leaving or reducing member (quantity < 0)


class ShareRegisterEntry(AppendOnly, TenantOwned, Base):
    """One line of the share register, a legal record: numbered, never changed.

    ``line`` numbers the tenant's register from 1 without gaps (assign it with
    :func:`coopkit.membership.register.append_entry`). ``quantity`` is signed:
    shares in are positive, out negative; ``amount`` is the capital moved, always
    positive (``nominal × |quantity|`` at nominal value). A correction is a new
    line, never an edit.
    """

    __tablename__ = "share_register"
    final_reason = "write a new register line that corrects it"
    __table_args__ = (
        UniqueConstraint("tenant_id", "line"),
        ForeignKeyConstraint(
            ["tenant_id", "share_class_id"], ["share_classes.tenant_id", "share_classes.id"]
        ),
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint(
            "(kind IN ('subscription', 'transfer_in')) = (quantity > 0)",
            name="sign_follows_kind",
        ),
        Index("ix_share_register_holder", "tenant_id", "user_id", "effective_on"),
    )

    line: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    share_class_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[RegisterEntryKind] = mapped_column(enum_column(RegisterEntryKind))
    quantity: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    effective_on: Mapped[date] = mapped_column(Date)
    # What the line comes from: a subscription, a transfer or a redemption (its id).
    reference: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApplicationStatus(enum.StrEnum):
    PENDING = "pending"
    ADMITTED = "admitted"
    REFUSED = "refused"


class MembershipApplication(TenantOwned, Base):
    """A person's request to join, sent from the cooperative's public form.

    It names the shares the applicant wishes to subscribe; admission turns
    that wish into a :class:`ShareSubscription` waiting for payment. A refusal
    keeps its reason, which the applicant is told.
    """

    __tablename__ = "membership_applications"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "share_class_id"], ["share_classes.tenant_id", "share_classes.id"]
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "status <> 'refused' OR refusal_reason IS NOT NULL", name="refusal_has_reason"
        ),
        Index("ix_membership_applications_queue", "tenant_id", "status", "submitted_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    share_class_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    quantity: Mapped[int] = mapped_column(Integer)
    motivation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus), default=ApplicationStatus.PENDING
    )
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    decided_on: Mapped[date | None] = mapped_column(Date, default=None)
    refusal_reason: Mapped[str | None] = mapped_column(Text, default=None)
    subscription_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)


class SubscriptionStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the member's payment
    PAID = "paid"  # paid: the shares are issued (a register line) and booked as capital
    CANCELLED = "cancelled"


class ShareSubscription(TenantOwned, Base):
    """Shares a member undertakes to pay for: ``amount`` = nominal × ``quantity``.

    Shares exist only once paid (CSA art. 6:109 in Belgium: paid in full on
    issue unless the statutes say otherwise): recording the payment writes the
    register line and the ledger entry, and points at both.
    """

    __tablename__ = "share_subscriptions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "share_class_id"], ["share_classes.tenant_id", "share_classes.id"]
        ),
        ForeignKeyConstraint(
            ["tenant_id", "entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            ondelete="RESTRICT",
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "status <> 'paid' OR (paid_on IS NOT NULL AND entry_id IS NOT NULL)",
            name="payment_has_entry",
        ),
        Index("ix_share_subscriptions_member", "tenant_id", "user_id", "status"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    share_class_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    quantity: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[SubscriptionStatus] = mapped_column(
        enum_column(SubscriptionStatus), default=SubscriptionStatus.PENDING
    )
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    paid_on: Mapped[date | None] = mapped_column(Date, default=None)
    payment_reference: Mapped[str] = mapped_column(String(200), default="")
    entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    register_line: Mapped[int | None] = mapped_column(Integer, default=None)
    cancelled_reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShareTransfer(AppendOnly, TenantOwned, Base):
    """Shares passed from one member to another, recorded by staff (two register lines)."""

    __tablename__ = "share_transfers"
    final_reason = "record a transfer back"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "share_class_id"], ["share_classes.tenant_id", "share_classes.id"]
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("seller_id <> buyer_id", name="between_two_people"),
    )

    seller_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    buyer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    share_class_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    quantity: Mapped[int] = mapped_column(Integer)
    effective_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShareRedemption(AppendOnly, TenantOwned, Base):
    """Shares taken back from a member who leaves or reduces their holding.

    ``amount`` is what the cooperative owes them (at nominal value), booked on
    the payable ``shares_to_repay``; ``rules`` keeps the legal sources the
    redemption was checked against.
    """

    __tablename__ = "share_redemptions"
    final_reason = "record a new subscription instead"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "share_class_id"], ["share_classes.tenant_id", "share_classes.id"]
        ),
        ForeignKeyConstraint(
            ["tenant_id", "entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            ondelete="RESTRICT",
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    share_class_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    quantity: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class SharePolicy(AppendOnly, TenantOwned, Base):
    """What the cooperative's statutes say about its capital, from a day on (dated).

    ``statutory_minimum``: the fixed part of the capital no redemption may cut
    into (BE: the statutes may fix one, the CSA has none for an SC; FR: the sum
    the statutes fix under L231-5). ``year_start_month``: the first month of
    the financial year (the redemption window counts from it).
    ``redemption_window_months``: the statutes' own window, replacing the
    country's default (12: any time); None keeps the law's.
    """

    __tablename__ = "share_policies"
    final_reason = "record a later policy instead"
    __table_args__ = (
        CheckConstraint("statutory_minimum >= 0", name="minimum_not_negative"),
        CheckConstraint("year_start_month BETWEEN 1 AND 12", name="month_of_the_year"),
        CheckConstraint(
            "redemption_window_months IS NULL OR redemption_window_months BETWEEN 1 AND 12",
            name="window_within_a_year",
        ),
        Index("ix_share_policies_valid_from", "tenant_id", "valid_from"),
    )

    valid_from: Mapped[date] = mapped_column(Date)
    statutory_minimum: Mapped[Decimal] = mapped_column(Amount)
    year_start_month: Mapped[int] = mapped_column(Integer, default=1)
    redemption_window_months: Mapped[int | None] = mapped_column(Integer, default=None)
    decided_by: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
