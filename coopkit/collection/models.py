"""The tables of debt collection: the tenant's dunning policy and the steps taken."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, enum_column


class DunningStepKind(enum.StrEnum):
    """The steps of the schedule, in the order an overdue invoice takes them."""

    REMINDER = "reminder"
    SECOND_REMINDER = "second_reminder"
    FORMAL_NOTICE = "formal_notice"
    FINAL = "final"  # staff decide: collection or write-off


STEP_ORDER = tuple(DunningStepKind)


class DunningPolicy(AppendOnly, TenantOwned, Base):
    """How many days after the due date each step is taken, from a day on.

    Append-only like the fee policy: a new decision is a new row; a correction
    is a new row for the same day, which wins because it was recorded later.
    """

    final_reason = "record a later policy instead"

    __tablename__ = "dunning_policies"
    __table_args__ = (
        CheckConstraint("reminder_days >= 1", name="reminder_after_due_date"),
        CheckConstraint(
            "reminder_days < second_reminder_days AND second_reminder_days < formal_notice_days "
            "AND formal_notice_days < final_days",
            name="steps_in_order",
        ),
        Index("ix_dunning_policies_valid_from", "tenant_id", "valid_from"),
    )

    valid_from: Mapped[date] = mapped_column(Date)
    reminder_days: Mapped[int] = mapped_column(Integer)
    second_reminder_days: Mapped[int] = mapped_column(Integer)
    formal_notice_days: Mapped[int] = mapped_column(Integer)
    final_days: Mapped[int] = mapped_column(Integer)
    decided_by: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class DunningStep(AppendOnly, TenantOwned, Base):
    """A step of the schedule taken for one invoice: once per invoice and step.

    The figures are those of the step's day (``amount_due`` still owed,
    ``interest`` to that day, ``compensation``); ``letter_pdf`` is the letter
    sent (none for the final step), ``outbox_message_id`` the e-mail queued
    (none when the client has no e-mail address: the letter is to be posted).
    """

    final_reason = "a step taken stays taken; the next step is a new row"

    __tablename__ = "dunning_steps"
    __table_args__ = (
        UniqueConstraint("tenant_id", "invoice_id", "step"),
        ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        Index("ix_dunning_steps_day", "tenant_id", "day"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    step: Mapped[DunningStepKind] = mapped_column(enum_column(DunningStepKind))
    day: Mapped[date] = mapped_column(Date)
    days_late: Mapped[int] = mapped_column(Integer)
    amount_due: Mapped[Decimal] = mapped_column(Amount)
    interest: Mapped[Decimal] = mapped_column(Amount)
    compensation: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    letter_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    outbox_message_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
