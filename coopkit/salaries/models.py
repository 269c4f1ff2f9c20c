"""A salary request: a member's work period on an activity, priced, covered and decided."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, ForeignKeyConstraint, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, Rate, enum_column


class SalaryStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Asked(enum.StrEnum):
    """What the member asked for: a gross salary, or a budget (the employer cost to spend)."""

    GROSS = "gross"
    BUDGET = "budget"


class SalaryRequest(TenantOwned, Base):
    """A member asks to be paid for ``period_start``..``period_end`` on an activity.

    The figures are the payroll's for the paid ``hours`` (given, or ``days`` ×
    the country's full-time monthly hours / 21.67) in the period's ``month``:
    ``social_contributions`` = ``employer_cost`` − ``net_pay`` −
    ``income_tax_withheld`` (employee and employer contributions together).
    ``from_funds`` + ``from_advance`` = ``employer_cost``: the activity's money
    (reserved at once by ``reservation_entry_id``) and the guarantee fund's
    advance. On approval the salary is posted (``salary_entry_id``), the
    payslip issued (``payslip_id``) and the net pay queued, due on
    ``due_date``. ``reason`` says why a request was rejected or cancelled, or
    why staff's approval could not go through (the request then stays
    requested).
    """

    __tablename__ = "salary_requests"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            ondelete="RESTRICT",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "reservation_entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            ondelete="RESTRICT",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "salary_entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            ondelete="RESTRICT",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "payslip_id"],
            ["payslips.tenant_id", "payslips.id"],
            ondelete="RESTRICT",
        ),
        CheckConstraint("period_start <= period_end", name="period_in_order"),
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint("asked_amount > 0", name="asked_positive"),
        CheckConstraint("from_funds >= 0 AND from_advance >= 0", name="coverage_not_negative"),
        CheckConstraint("from_funds + from_advance = employer_cost", name="coverage_is_cost"),
        CheckConstraint(
            "employer_cost = net_pay + income_tax_withheld + social_contributions",
            name="cost_adds_up",
        ),
        CheckConstraint(
            "status <> 'approved' OR (salary_entry_id IS NOT NULL AND payslip_id IS NOT NULL "
            "AND due_date IS NOT NULL)",
            name="approval_is_booked",
        ),
        CheckConstraint(
            "status NOT IN ('rejected', 'cancelled') OR reason IS NOT NULL",
            name="closing_has_reason",
        ),
        Index("ix_salary_requests_queue", "tenant_id", "status", "due_date"),
        Index("ix_salary_requests_member", "tenant_id", "user_id", "period_start"),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[Decimal | None] = mapped_column(Rate())
    hours: Mapped[Decimal] = mapped_column(Rate())
    asked: Mapped[Asked] = mapped_column(enum_column(Asked))
    asked_amount: Mapped[Decimal] = mapped_column(Amount())

    month: Mapped[dt.date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    gross: Mapped[Decimal] = mapped_column(Amount())
    net_pay: Mapped[Decimal] = mapped_column(Amount())
    income_tax_withheld: Mapped[Decimal] = mapped_column(Amount())
    social_contributions: Mapped[Decimal] = mapped_column(Amount())
    employer_cost: Mapped[Decimal] = mapped_column(Amount())

    from_funds: Mapped[Decimal] = mapped_column(Amount())
    from_advance: Mapped[Decimal] = mapped_column(Amount())

    status: Mapped[SalaryStatus] = mapped_column(
        enum_column(SalaryStatus), default=SalaryStatus.REQUESTED
    )
    reason: Mapped[str | None] = mapped_column(String(1000))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    payslip_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reservation_entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    salary_entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Who approved, rejected or cancelled it, and when.
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT")
    )
    decided_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def reference(self) -> str:
        """A short reference to quote: the period's start and the start of the id."""
        return f"{self.period_start:%Y%m%d}-{self.id.hex[:8]}"

    @property
    def period(self) -> str:
        return f"{self.period_start.isoformat()} – {self.period_end.isoformat()}"
