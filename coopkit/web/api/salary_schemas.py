"""What the salary requests API sends and receives (amounts, days and hours as exact
decimal strings)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import msgspec


class SalaryRequestIn(msgspec.Struct, forbid_unknown_fields=True):
    """A work period to be paid for: ``days`` or ``hours`` worked, and ``gross`` (the gross
    salary) or ``budget`` (the employer cost to spend). ``member_id`` is for staff asking
    for a member; a member asks for themself."""

    activity_id: uuid.UUID
    period_start: date
    period_end: date
    days: str | None = None
    hours: str | None = None
    gross: str | None = None
    budget: str | None = None
    member_id: uuid.UUID | None = None


class ReasonIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str = ""


class SalaryRequestOut(msgspec.Struct):
    """A salary request. ``social_contributions`` = ``employer_cost`` − ``net_pay`` −
    ``income_tax_withheld``; ``from_funds`` + ``from_advance`` = ``employer_cost``.
    ``due_date`` is set on approval (``expected_due_date`` before: the end of the
    period plus the cooperative's payment delay). ``paid_on`` is the day the net pay
    left in a payment batch."""

    id: uuid.UUID
    reference: str
    activity_id: uuid.UUID
    member_id: uuid.UUID
    period_start: date
    period_end: date
    days: Decimal | None
    hours: Decimal
    asked: str
    asked_amount: Decimal
    month: str
    currency: str
    gross: Decimal
    net_pay: Decimal
    income_tax_withheld: Decimal
    social_contributions: Decimal
    employer_cost: Decimal
    from_funds: Decimal
    from_advance: Decimal
    status: str
    reason: str | None
    expected_due_date: date
    due_date: date | None
    paid_on: date | None
    payslip_id: uuid.UUID | None
    salary_entry_id: uuid.UUID | None
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    created_by: uuid.UUID
    created_at: datetime
