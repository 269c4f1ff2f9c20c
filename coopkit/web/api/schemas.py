"""What the API sends and receives."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

import msgspec


class TenantRef(msgspec.Struct):
    slug: str
    name: str
    role: str


class Me(msgspec.Struct):
    id: uuid.UUID
    email: str
    name: str
    locale: str | None
    tenants: list[TenantRef]


class TenantOut(msgspec.Struct):
    id: uuid.UUID
    slug: str
    name: str
    kind: str
    country: str
    currency: str
    locales: list[str]
    parent_id: uuid.UUID | None


class MemberOut(msgspec.Struct):
    user_id: uuid.UUID
    name: str
    email: str
    role: str


class CountryOut(msgspec.Struct):
    code: str
    name: str
    currency: str
    locales: list[str]
    plugin: str


class VatRateOut(msgspec.Struct):
    code: str
    rate: Decimal
    valid_from: date
    source: str


class HolidayOut(msgspec.Struct):
    day: date
    name: str


IdentifierKind = Literal["national_id", "vat_number", "iban"]


class IdentifierCheckIn(msgspec.Struct):
    kind: IdentifierKind
    value: str = msgspec.field()


class IdentifierCheckOut(msgspec.Struct):
    kind: str
    valid: bool
    compact: str
    formatted: str
    error: str


class Health(msgspec.Struct):
    status: str
    database: str


class ActivityPersonOut(msgspec.Struct):
    user_id: uuid.UUID
    role: str


class ActivityOut(msgspec.Struct):
    id: uuid.UUID
    code: str
    name: str
    status: str
    people: list[ActivityPersonOut]


class ActivityCreate(msgspec.Struct):
    code: str
    name: str
    managers: list[uuid.UUID]
    members: list[uuid.UUID] = msgspec.field(default_factory=list)


class ActivityBalanceOut(msgspec.Struct):
    """An activity's money in one currency; amounts are exact decimals as strings."""

    activity_id: uuid.UUID
    currency: str
    invoiced: Decimal
    receivable: Decimal
    received: Decimal
    fees: Decimal
    reserved: Decimal
    available: Decimal
    spent: Decimal


class ReservationIn(msgspec.Struct):
    amount: Decimal
    description: str
    release: bool = False
    day: date | None = None


class ReservationOut(msgspec.Struct):
    entry_id: uuid.UUID
    balance: ActivityBalanceOut
