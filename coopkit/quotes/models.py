"""The quote tables: quotes, their lines, and the client's recorded answer.

A quote is a draft while its activity prepares it; sending it gives it the
next number of the tenant's quote series and freezes what the client will see
(``shown``, a canonical JSON text). The client answers through a signed link
(coopkit.quotes.link); the answer is a :class:`QuoteConfirmation`, final once
written: who answered, when, from where, what they saw (that JSON and its
SHA-256) and their decision. An accepted quote is a confirmed order, the
guarantee fund's basis for advancing a salary on it.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, Rate, enum_column


class QuoteStatus(enum.StrEnum):
    """draft → sent → confirmed | declined | expired."""

    DRAFT = "draft"
    SENT = "sent"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    EXPIRED = "expired"


class QuoteDecision(enum.StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Quote(TenantOwned, Base):
    """An offer the cooperative makes to a client on behalf of one activity.

    ``net_total`` is the sum of the lines excluding VAT, in ``currency``.
    ``link_nonce`` is drawn when the quote is sent and goes into its signed
    link; ``shown`` is the canonical JSON of the quote as the client sees it
    (coopkit.quotes.shown), frozen at the same moment.
    """

    __tablename__ = "quotes"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        ForeignKeyConstraint(
            ["tenant_id", "activity_id"], ["activities.tenant_id", "activities.id"]
        ),
        ForeignKeyConstraint(["tenant_id", "client_id"], ["clients.tenant_id", "clients.id"]),
        Index("ix_quotes_activity", "tenant_id", "activity_id", "status"),
        CheckConstraint("(status = 'draft') = (number IS NULL)", name="number_exactly_when_sent"),
        CheckConstraint("(status = 'draft') = (link_nonce IS NULL)", name="link_exactly_when_sent"),
        CheckConstraint("net_total >= 0", name="net_total_not_negative"),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    status: Mapped[QuoteStatus] = mapped_column(enum_column(QuoteStatus), default=QuoteStatus.DRAFT)
    number: Mapped[str | None] = mapped_column(String(40), default=None)
    title: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(10))
    valid_until: Mapped[date] = mapped_column(Date)
    net_total: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    link_nonce: Mapped[str | None] = mapped_column(String(32), default=None)
    shown: Mapped[str | None] = mapped_column(Text, default=None)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_on: Mapped[date | None] = mapped_column(Date, default=None)
    sent_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), default=None
    )


class QuoteLine(TenantOwned, Base):
    """One line of a quote: what is offered, how much, at which price excluding VAT.

    ``unit`` is a UN/ECE Recommendation 20 code (``C62`` one, ``DAY``, ``HUR``),
    as on invoices; ``vat_code`` names one of the country plugin's VAT rates,
    ``vat_rate`` its value on the day the quote was written. ``net`` is
    quantity × unit price rounded to the currency's minor unit.
    """

    __tablename__ = "quote_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "quote_id", "position"),
        ForeignKeyConstraint(
            ["tenant_id", "quote_id"], ["quotes.tenant_id", "quotes.id"], ondelete="CASCADE"
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )

    quote_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Rate)
    unit: Mapped[str] = mapped_column(String(3), default="C62")
    unit_price: Mapped[Decimal] = mapped_column(Amount)
    net: Mapped[Decimal] = mapped_column(Amount)
    vat_code: Mapped[str] = mapped_column(String(40))
    vat_rate: Mapped[Decimal] = mapped_column(Rate)


class QuoteConfirmation(AppendOnly, TenantOwned, Base):
    """The client's answer to a quote, as it was given: final once written.

    Who (``signer_*``, as they typed it), when (``decided_at``, the server's
    UTC clock), from where (``ip``, ``user_agent``), what (``shown``, the
    canonical JSON of the quote they saw, and ``shown_sha256``, its SHA-256
    in hexadecimal) and the ``decision`` with an optional ``comment``. One
    answer per quote: the unique key makes a second one fail even when two
    arrive at the same moment.
    """

    __tablename__ = "quote_confirmations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "quote_id"),
        ForeignKeyConstraint(["tenant_id", "quote_id"], ["quotes.tenant_id", "quotes.id"]),
        CheckConstraint("length(shown_sha256) = 64", name="sha256_hex"),
    )

    final_reason: ClassVar[str] = "a client's answer stands as given"

    quote_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    decision: Mapped[QuoteDecision] = mapped_column(enum_column(QuoteDecision))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_email: Mapped[str] = mapped_column(String(254))
    signer_role: Mapped[str] = mapped_column(String(200), default="")
    signer_company: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(500), default="")
    shown: Mapped[str] = mapped_column(Text)
    shown_sha256: Mapped[str] = mapped_column(String(64))
