"""What the payments API sends and receives (amounts are exact decimals as strings)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import msgspec


class BankAccountIn(msgspec.Struct):
    """An account a member is paid on: the IBAN (spaces allowed), the holder's name, and the
    BIC only if you want it checked (SEPA transfers need only the IBAN)."""

    iban: str
    holder: str
    bic: str = ""
    valid_from: date | None = None


class BankAccountOut(msgspec.Struct):
    user_id: uuid.UUID
    iban: str
    iban_formatted: str
    bic: str
    holder: str
    valid_from: date
    recorded_at: datetime


class PaymentBatchIn(msgspec.Struct):
    """The day the bank executes the transfers; the batch takes the payouts due by then.
    ``kinds``: salary, expense (both when left out)."""

    execution_date: date
    kinds: list[str] | None = None


class PayoutOut(msgspec.Struct):
    id: uuid.UUID
    kind: str
    user_id: uuid.UUID
    member: str
    amount: Decimal
    currency: str
    due_date: date
    description: str
    paid_on: date | None


class BatchItemOut(msgspec.Struct):
    payout: PayoutOut
    end_to_end_id: str
    iban: str | None
    bic: str | None
    holder: str | None


class PaymentBatchOut(msgspec.Struct):
    id: uuid.UUID
    execution_date: date
    status: str
    transfers: int
    total: Decimal
    created_at: datetime
    exported_at: datetime | None
    file_sha256: str | None
    file_url: str | None
    items: list[BatchItemOut] | None = None


class LeftWaitingOut(msgspec.Struct):
    payout_id: uuid.UUID
    reason: str


class BatchCreatedOut(msgspec.Struct):
    batch: PaymentBatchOut
    added: list[uuid.UUID]
    left_waiting: list[LeftWaitingOut]
