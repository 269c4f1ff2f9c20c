"""What the quote operations receive and send. Amounts are exact decimals as strings."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

Text200 = Annotated[str, msgspec.Meta(max_length=200)]


class QuoteLineIn(msgspec.Struct, forbid_unknown_fields=True):
    """One line: ``quantity`` × ``unit_price`` (excluding VAT); ``vat_code`` is one of the
    country's VAT rates (``listVatRates``); ``unit`` a UN/ECE Recommendation 20 code."""

    description: Annotated[str, msgspec.Meta(max_length=500)]
    quantity: Decimal
    unit_price: Decimal
    vat_code: Annotated[str, msgspec.Meta(max_length=40)]
    unit: Annotated[str, msgspec.Meta(max_length=3)] = "C62"


class QuoteCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A draft quote for an activity you work in; currency and language default to the
    cooperative's and the client's."""

    activity_id: uuid.UUID
    client_id: uuid.UUID
    valid_until: date
    lines: list[QuoteLineIn]
    title: Text200 = ""
    note: Annotated[str, msgspec.Meta(max_length=5000)] = ""
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")] | None = None
    locale: Annotated[str, msgspec.Meta(max_length=10)] | None = None


class QuoteLineOut(msgspec.Struct):
    position: int
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    net: Decimal
    vat_code: str
    vat_rate: Decimal


class QuoteConfirmationOut(msgspec.Struct):
    """The client's answer as recorded: who, when, from where, what (the SHA-256 of the
    quote as shown) and the decision."""

    decision: str
    signer_name: str
    signer_email: str
    signer_role: str
    signer_company: str
    comment: str
    decided_at: datetime
    ip: str
    user_agent: str
    shown_sha256: str


class QuoteOut(msgspec.Struct):
    """A quote. ``link`` is the address the client answers at, while the quote waits
    for an answer; ``shown_sha256`` the hash of what the client is shown, once sent."""

    id: uuid.UUID
    number: str | None
    status: str
    activity_id: uuid.UUID
    client_id: uuid.UUID
    title: str
    note: str
    currency: str
    locale: str
    valid_until: date
    net_total: Decimal
    created_at: datetime
    sent_on: date | None
    lines: list[QuoteLineOut]
    link: str | None
    shown_sha256: str | None
    confirmation: QuoteConfirmationOut | None


class QuoteAnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    """The client's answer: the ``token`` of their link, ``decision``, who they are, and
    ``accept: true`` (the "I accept this quote" box) to accept. Give ``shown_sha256`` to
    make sure the quote recorded is the one you showed."""

    token: Annotated[str, msgspec.Meta(max_length=400)]
    decision: Literal["accepted", "declined"]
    name: Text200
    email: Annotated[str, msgspec.Meta(max_length=254)]
    accept: bool = False
    role: Text200 = ""
    company: Text200 = ""
    comment: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    shown_sha256: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")] | None = None


class QuoteAnswerOut(msgspec.Struct):
    quote_number: str
    status: str
    decision: str
    decided_at: datetime
    shown_sha256: str
