"""Schemas of debt collection's API (listDunning); amounts are exact decimals (strings)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import msgspec


class DunningStepOut(msgspec.Struct):
    """A step taken: its day and the interest and compensation counted on that day."""

    id: uuid.UUID
    step: str
    day: date
    days_late: int
    amount_due: Decimal
    interest: Decimal
    compensation: Decimal
    has_letter: bool


class DunningRowOut(msgspec.Struct):
    """An overdue open invoice; ``interest`` and ``compensation`` are counted to the day
    asked for, or null with ``figures_error`` when the law has no rate for a late day."""

    invoice_id: uuid.UUID
    number: str
    client_id: uuid.UUID
    client: str
    due_date: date
    days_late: int
    amount_due: Decimal
    currency: str
    steps: list[DunningStepOut]
    last_step: str | None
    last_step_day: date | None
    next_step: str | None
    next_step_day: date | None
    interest: Decimal | None
    compensation: Decimal | None
    figures_error: str | None


class WrittenOffOut(msgspec.Struct):
    invoice_id: uuid.UUID
    number: str
    day: date
    amount: Decimal
    advance_absorbed: Decimal
    currency: str


class DunningOut(msgspec.Struct):
    """``chased``: steps still to come; ``ready``: final step taken, for collection or
    write-off; ``written_off``: the invoices given up, latest first."""

    day: date
    chased: list[DunningRowOut]
    ready: list[DunningRowOut]
    written_off: list[WrittenOffOut]
