"""The invoicing tables: the coop as a seller, its clients, invoices, credit notes, payments.

The cooperative is the legal seller of everything its activities sell: an
invoice is issued by the tenant (its :class:`SellerIdentity`) on behalf of one
activity, to a :class:`Client` the tenant's activities share.

A draft invoice has no number and can change. Issuing it assigns the next
number of its series (:class:`InvoiceSeries`, one row per tenant, kind and
year, locked in the issuing transaction), freezes the parties as they are that
day (the ``seller_*`` / ``client_*`` snapshot columns), and posts it to the
ledger. From then on the invoice's lines and amounts never change; what
happens to it afterwards (payments, a credit note) is recorded beside it and
summed into its status.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, Rate, enum_column


class SellerIdentity(TenantOwned, Base):
    """Who the cooperative is on its invoices, from a day on.

    A move or a new bank account is a new row with its ``valid_from``; the
    row in force on an invoice's issue day is the one printed (and frozen in
    the invoice's snapshot).

    Its legal name, address and identifiers (VAT number, company number and
    register), the legal form and capital some countries require on invoices
    (France: Code de commerce R. 123-237), the bank account clients pay into,
    and its branding (colour, logo) for documents.
    """

    __tablename__ = "seller_identities"
    __table_args__ = (UniqueConstraint("tenant_id", "valid_from"),)

    valid_from: Mapped[date] = mapped_column(Date)
    legal_name: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[str] = mapped_column(String(200), default="")
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    vat_number: Mapped[str] = mapped_column(String(20))
    company_number: Mapped[str] = mapped_column(String(30), default="")
    register: Mapped[str] = mapped_column(String(200), default="")
    share_capital: Mapped[str] = mapped_column(String(200), default="")
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str] = mapped_column(String(11), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    brand_colour: Mapped[str] = mapped_column(String(7), default="#1f5f8b")
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ClientKind(enum.StrEnum):
    COMPANY = "company"
    PERSON = "person"


class Client(TenantOwned, Base):
    """A customer of the cooperative, shared by all its activities.

    ``vat_number`` is stored compact (``BE0403170701``) once the country plugin
    has accepted it; a company in another EU country needs one for reverse
    charge. ``locale`` is the language its documents are written in.
    """

    __tablename__ = "clients"
    __table_args__ = (
        Index("ix_clients_name", "tenant_id", "name"),
        UniqueConstraint("tenant_id", "vat_number"),
    )

    kind: Mapped[ClientKind] = mapped_column(enum_column(ClientKind))
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    vat_number: Mapped[str | None] = mapped_column(String(20), default=None)
    company_number: Mapped[str] = mapped_column(String(30), default="")
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), default="")
    locale: Mapped[str] = mapped_column(String(10))
    blocked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentKind(enum.StrEnum):
    """What an invoicing document is; each kind has its own number series."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    QUOTE = "quote"


class InvoiceStatus(enum.StrEnum):
    """Where an invoice stands (coopkit.invoicing.standing derives it).

    A credit note is ``issued`` for good: it reduces what its invoice's client owes.
    An invoice ``written_off`` stays so: what was due left the books.
    """

    DRAFT = "draft"
    ISSUED = "issued"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    CREDITED = "credited"
    WRITTEN_OFF = "written_off"  # given up as lost (coopkit.guarantee.write_off)


class InvoiceSeries(TenantOwned, Base):
    """The counter of one number series: per tenant, document kind and year.

    ``last_number`` is read with a row lock and incremented in the issuing
    transaction, so numbers have no gaps and no duplicates. ``pattern`` is a
    ``str.format`` template with ``{prefix}``, ``{year}`` and ``{number}``
    (``"{prefix}{year}-{number:05d}"`` gives ``F2026-00042``).
    """

    __tablename__ = "invoice_series"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "year"),
        CheckConstraint("last_number >= 0", name="last_number_not_negative"),
    )

    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind))
    year: Mapped[int] = mapped_column(Integer)
    prefix: Mapped[str] = mapped_column(String(20))
    pattern: Mapped[str] = mapped_column(String(60))
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Invoice(TenantOwned, Base):
    """An invoice or a credit note issued by the cooperative for one activity.

    Amounts are exact and in ``currency``; the totals are computed from the
    lines and written at issue. A credit note names the invoice it cancels
    (``credits_id``), in whole or in part. ``quote_id`` links an invoice to the
    order its client confirmed online (the guarantee fund's basis).
    """

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "number"),
        ForeignKeyConstraint(
            ["tenant_id", "activity_id"], ["activities.tenant_id", "activities.id"]
        ),
        ForeignKeyConstraint(["tenant_id", "client_id"], ["clients.tenant_id", "clients.id"]),
        ForeignKeyConstraint(["tenant_id", "credits_id"], ["invoices.tenant_id", "invoices.id"]),
        Index("ix_invoices_activity", "tenant_id", "activity_id", "status"),
        Index("ix_invoices_payment_reference", "tenant_id", "payment_reference"),
        CheckConstraint("(status = 'draft') = (number IS NULL)", name="number_exactly_when_issued"),
        CheckConstraint(
            "(kind = 'credit_note') = (credits_id IS NOT NULL)", name="credit_note_credits"
        ),
        CheckConstraint("kind IN ('invoice', 'credit_note')", name="invoice_or_credit_note"),
    )

    kind: Mapped[DocumentKind] = mapped_column(
        enum_column(DocumentKind), default=DocumentKind.INVOICE
    )
    status: Mapped[InvoiceStatus] = mapped_column(
        enum_column(InvoiceStatus), default=InvoiceStatus.DRAFT
    )
    activity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    credits_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    quote_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    number: Mapped[str | None] = mapped_column(String(40), default=None)
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(10))
    issue_date: Mapped[date | None] = mapped_column(Date, default=None)
    supply_date: Mapped[date | None] = mapped_column(Date, default=None)
    due_date: Mapped[date | None] = mapped_column(Date, default=None)
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    payment_reference: Mapped[str | None] = mapped_column(String(40), default=None)
    buyer_reference: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    net_total: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    vat_total: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    gross_total: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    # The parties as they stood on the day of issue, and the legal texts printed.
    seller: Mapped[dict[str, object] | None] = mapped_column(JSON, default=None)
    buyer: Mapped[dict[str, object] | None] = mapped_column(JSON, default=None)
    mentions: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    journal_entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[datetime | None] = mapped_column(default=None)


class InvoiceLine(TenantOwned, Base):
    """One line of an invoice: what was sold, how much, at which VAT treatment.

    ``vat_category`` is the UNCL 5305 code EN 16931 uses (``S`` standard or
    reduced rate, ``AE`` reverse charge, ``K`` intra-EU supply, ``G`` export,
    ``E`` exempt, ``O`` outside the scope, ``Z`` zero rate); ``vat_code`` is
    the country plugin's code for the rate or the exemption, whose legal
    wording the invoice prints. ``net`` is quantity × unit price, rounded to
    the currency's minor unit.
    """

    __tablename__ = "invoice_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "invoice_id", "position"),
        ForeignKeyConstraint(
            ["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"], ondelete="CASCADE"
        ),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Rate)
    unit: Mapped[str] = mapped_column(String(3), default="C62")
    unit_price: Mapped[Decimal] = mapped_column(Amount)
    net: Mapped[Decimal] = mapped_column(Amount)
    vat_category: Mapped[str] = mapped_column(String(2))
    vat_code: Mapped[str] = mapped_column(String(40))
    vat_rate: Mapped[Decimal] = mapped_column(Rate)
    # For an exemption or reverse charge: its VATEX code and the wording printed
    # (in the plugin's English while a draft, in the invoice's language once issued).
    vat_exemption_code: Mapped[str] = mapped_column(String(30), default="")
    vat_exemption_reason: Mapped[str] = mapped_column(Text, default="")


class PaymentMethod(enum.StrEnum):
    TRANSFER = "transfer"
    BANK_STATEMENT = "bank_statement"
    CASH = "cash"
    CARD = "card"
    OTHER = "other"


class Payment(TenantOwned, Base):
    """Money received from a client for one invoice, as it was posted to the ledger.

    ``entry_id`` is the payment entry (bank against receivables),
    ``share_entry_id`` the activity's share with the fee and the guarantee
    contribution (coopkit.ledger.fees). ``bank_line_id`` names the bank
    statement line it came from, when it did.
    """

    __tablename__ = "payments"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        Index("ix_payments_invoice", "tenant_id", "invoice_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    day: Mapped[date] = mapped_column(Date)
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    payer: Mapped[str] = mapped_column(String(200), default="")
    bank_line_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    share_entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
