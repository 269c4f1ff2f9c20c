"""The tables of the decisions that change the coop: surplus distributions and data use.

All are append-only: a decision or a consent is never edited. A later data-use
policy (from its ``valid_from``) or a later consent (by ``recorded_at``) wins.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, enum_column


class SurplusDistribution(AppendOnly, TenantOwned, Base):
    """How the general assembly shared one financial year's surplus, and the entry booking it.

    The seven parts add up to ``surplus`` (a check constraint keeps it so). A
    financial year is appropriated once.
    """

    __tablename__ = "surplus_distributions"
    final_reason = "a distribution is decided once; an error needs a new resolution"
    __table_args__ = (
        UniqueConstraint("tenant_id", "financial_year_end"),
        UniqueConstraint("tenant_id", "resolution_id"),
        ForeignKeyConstraint(
            ["tenant_id", "journal_entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            ondelete="RESTRICT",
        ),
        CheckConstraint(
            "legal_reserve >= 0 AND other_reserves >= 0 AND ristourne >= 0 "
            "AND workers_share >= 0 AND dividends >= 0 AND carried_forward >= 0",
            name="parts_not_negative",
        ),
        CheckConstraint(
            "legal_reserve + other_reserves + ristourne + workers_share + dividends "
            "+ carried_forward = surplus",
            name="parts_add_up",
        ),
    )

    resolution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    financial_year_end: Mapped[date] = mapped_column(Date)
    surplus: Mapped[Decimal] = mapped_column(Amount())
    legal_reserve: Mapped[Decimal] = mapped_column(Amount())
    other_reserves: Mapped[Decimal] = mapped_column(Amount())
    ristourne: Mapped[Decimal] = mapped_column(Amount())
    workers_share: Mapped[Decimal] = mapped_column(Amount())
    dividends: Mapped[Decimal] = mapped_column(Amount())
    carried_forward: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    adopted_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(300))
    journal_entry_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurplusAllocation(AppendOnly, TenantOwned, Base):
    """One member's part of a distribution: ristourne for their activity, dividend for their shares.

    ``turnover`` and ``capital`` are the bases the parts were computed from
    (the member's part of the year's invoiced turnover, the nominal value of
    their shares at the year end), kept so the figures can be explained.
    """

    __tablename__ = "surplus_allocations"
    final_reason = "a distribution is decided once; an error needs a new resolution"
    __table_args__ = (
        UniqueConstraint("tenant_id", "distribution_id", "user_id"),
        ForeignKeyConstraint(
            ["tenant_id", "distribution_id"],
            ["surplus_distributions.tenant_id", "surplus_distributions.id"],
            ondelete="RESTRICT",
        ),
        CheckConstraint("ristourne >= 0 AND dividend >= 0", name="parts_not_negative"),
        Index("ix_surplus_allocations_user", "tenant_id", "user_id"),
    )

    distribution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    turnover: Mapped[Decimal] = mapped_column(Amount())
    capital: Mapped[Decimal] = mapped_column(Amount())
    ristourne: Mapped[Decimal] = mapped_column(Amount())
    dividend: Mapped[Decimal] = mapped_column(Amount())


class Purpose(enum.StrEnum):
    """What members' personal data may be used for."""

    DIRECTORY = "directory"  # members listed to other members
    STATISTICS = "statistics"  # aggregated statistics about members
    PARTNER_SHARING = "partner_sharing"  # shared with partner cooperatives


class Rule(enum.StrEnum):
    """What a policy says of one purpose."""

    NEVER = "never"
    WITH_CONSENT = "with_consent"
    ALWAYS = "always"


class DataUsePolicy(AppendOnly, TenantOwned, Base):
    """The cooperative's rule for each purpose, from ``valid_from`` on (decided by its assembly).

    ``rules`` maps every :class:`Purpose` value to a :class:`Rule` value.
    """

    __tablename__ = "data_use_policies"
    final_reason = "record a later policy instead"
    __table_args__ = (Index("ix_data_use_policies_valid_from", "tenant_id", "valid_from"),)

    valid_from: Mapped[date] = mapped_column(Date)
    rules: Mapped[dict[str, str]] = mapped_column(JSON)
    decided_by: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class MemberConsent(AppendOnly, TenantOwned, Base):
    """A member grants (or withdraws) the use of their data for one purpose; the latest wins."""

    __tablename__ = "member_consents"
    final_reason = "record a new consent or withdrawal instead"
    __table_args__ = (Index("ix_member_consents_user", "tenant_id", "user_id", "purpose"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose, 30))
    granted: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
