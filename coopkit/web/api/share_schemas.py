"""What the membership and shares API sends and receives (amounts are exact decimals)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import msgspec


class ApplicationIn(msgspec.Struct, forbid_unknown_fields=True):
    """An application from the public form: who, which shares (class code, number), why."""

    name: str
    email: str
    share_class: str
    quantity: int
    motivation: str = ""


class ApplicationOut(msgspec.Struct):
    id: uuid.UUID
    user_id: uuid.UUID
    share_class: str
    quantity: int
    status: str
    submitted_at: datetime
    decided_on: date | None
    refusal_reason: str | None
    subscription_id: uuid.UUID | None


class PublicApplicationOut(msgspec.Struct):
    """What the applicant is told: their application is recorded and waits for staff."""

    id: uuid.UUID
    status: str


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    """A decision on an application: the day it takes effect (today by default)."""

    day: date | None = None


class RefusalIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str
    day: date | None = None


class SubscriptionIn(msgspec.Struct, forbid_unknown_fields=True):
    """Shares to subscribe: for yourself, or (staff) for the member ``user_id``."""

    share_class: str
    quantity: int
    user_id: uuid.UUID | None = None


class SubscriptionOut(msgspec.Struct):
    """A subscription; ``amount`` = nominal × ``quantity``, issued as shares once paid."""

    id: uuid.UUID
    user_id: uuid.UUID
    share_class: str
    quantity: int
    amount: Decimal
    currency: str
    status: str
    requested_on: date
    paid_on: date | None
    entry_id: uuid.UUID | None
    register_line: int | None


class PaymentIn(msgspec.Struct, forbid_unknown_fields=True):
    """The day the member's money came in, and the bank's reference for it."""

    paid_on: date
    reference: str = ""


class RedemptionIn(msgspec.Struct, forbid_unknown_fields=True):
    user_id: uuid.UUID
    share_class: str
    quantity: int
    day: date
    reason: str = ""


class RedemptionOut(msgspec.Struct):
    """A redemption: ``amount`` (at nominal) is owed to the member (``shares_to_repay``);
    ``rules`` lists the legal sources it was checked against."""

    id: uuid.UUID
    user_id: uuid.UUID
    share_class: str
    quantity: int
    amount: Decimal
    currency: str
    effective_on: date
    entry_id: uuid.UUID
    rules: str


class RegisterLineOut(msgspec.Struct):
    """A line of the share register: ``quantity`` signed (out is negative), ``amount`` the
    capital moved (positive)."""

    line: int
    effective_on: date
    user_id: uuid.UUID
    member: str
    share_class: str
    kind: str
    quantity: int
    amount: Decimal
    currency: str
    reference: str
    recorded_at: datetime
