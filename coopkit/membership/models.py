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
