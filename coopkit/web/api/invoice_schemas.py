"""What the invoicing API sends and receives; amounts are exact decimals written as strings."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

import msgspec


class ClientIn(msgspec.Struct):
    kind: Literal["company", "person"]
    name: str
    country: str
    street: str
    postcode: str
    city: str
    email: str = ""
    locale: str | None = None
    vat_number: str | None = None
    company_number: str = ""


class ClientOut(msgspec.Struct):
    id: uuid.UUID
    kind: str
    name: str
    country: str
    vat_number: str | None
    company_number: str
    street: str
    postcode: str
    city: str
    email: str
    locale: str
    blocked: bool


class InvoiceLineIn(msgspec.Struct):
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_code: str
    unit: str = "C62"


class InvoiceIn(msgspec.Struct):
    activity_id: uuid.UUID
    client_id: uuid.UUID
    lines: list[InvoiceLineIn] = msgspec.field(default_factory=list)
    supply_date: date | None = None
    payment_terms_days: int = 30
    buyer_reference: str = ""
    note: str = ""


class IssueIn(msgspec.Struct):
    day: date | None = None


class CreditNoteIn(msgspec.Struct):
    day: date | None = None
    reason: str = ""
    lines: list[InvoiceLineIn] | None = None


class InvoiceLineOut(msgspec.Struct):
    position: int
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    net: Decimal
    vat_category: str
    vat_code: str
    vat_rate: Decimal
    vat_exemption_code: str
    vat_exemption_reason: str


class VatBreakdownOut(msgspec.Struct):
    category: str
    rate: Decimal
    taxable: Decimal
    vat: Decimal


class StandingOut(msgspec.Struct):
    gross: Decimal
    paid: Decimal
    credited: Decimal
    due: Decimal


class DocumentRef(msgspec.Struct):
    id: uuid.UUID
    number: str | None


class InvoiceOut(msgspec.Struct):
    """An invoice or a credit note (``kind``); a draft has no number and no dates of issue."""

    id: uuid.UUID
    kind: str
    status: str
    number: str | None
    activity_id: uuid.UUID
    client_id: uuid.UUID
    credits: DocumentRef | None
    currency: str
    locale: str
    issue_date: date | None
    supply_date: date | None
    due_date: date | None
    payment_terms_days: int
    payment_reference: str | None
    buyer_reference: str
    note: str
    net_total: Decimal
    vat_total: Decimal
    gross_total: Decimal
    lines: list[InvoiceLineOut]
    vat_breakdown: list[VatBreakdownOut]
    standing: StandingOut | None
    mentions: list[str]
    credit_notes: list[DocumentRef]
