"""An issued invoice as a document: plain data that the PDF and the e-invoice both render.

The invoicing service builds an :class:`InvoiceDocument` from a stored,
issued invoice and its frozen snapshot of the parties; the renderers
(``coopkit.invoicing.pdf``, ``coopkit.invoicing.ubl``) read nothing else.
Field names follow EN 16931's business terms where there is one (``BT-…`` in
the comments), so that a reader of the norm finds their way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class PostalAddress:
    street: str
    postcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2 (BT-40 / BT-55)


@dataclass(frozen=True)
class Party:
    """The seller (BG-4) or the buyer (BG-7)."""

    name: str  # BT-27 / BT-44
    address: PostalAddress
    vat_number: str | None = None  # BT-31 / BT-48, with its country prefix (BE0403170701)
    company_number: str = ""  # BT-30 / BT-47 (legal registration: KBO/BCE, SIREN)
    legal_form: str = ""  # BT-33 (seller's additional legal information)
    register: str = ""
    share_capital: str = ""
    email: str = ""  # BT-34 / BT-49 electronic address when there is no other


@dataclass(frozen=True)
class DocumentLine:
    """BG-25: one invoice line."""

    position: int  # BT-126
    description: str  # BT-153
    quantity: Decimal  # BT-129
    unit: str  # BT-130, UN/ECE Recommendation 20 (C62 one, HUR hour, DAY day)
    unit_price: Decimal  # BT-146, excluding VAT
    net: Decimal  # BT-131 = quantity × unit price, rounded to the minor unit
    vat_category: str  # BT-151, UNCL 5305 (S, AE, K, G, E, O, Z)
    vat_rate: Decimal  # BT-152 as a fraction (0.21); 0 for AE, K, G, E, O


@dataclass(frozen=True)
class VatBreakdown:
    """BG-23: the VAT of one category and rate, with the legal reason of an exemption."""

    category: str  # BT-118
    rate: Decimal  # BT-119 as a fraction
    taxable: Decimal  # BT-116
    vat: Decimal  # BT-117
    exemption_reason: str = ""  # BT-120: the mandatory wording (art. 226 (11), (11a))
    exemption_code: str = ""  # BT-121: VATEX code (VATEX-EU-AE, VATEX-EU-IC…)


@dataclass(frozen=True)
class InvoiceDocument:
    """Everything printed on an issued invoice or credit note."""

    number: str  # BT-1
    is_credit_note: bool  # type code 381 instead of 380 (BT-3)
    issue_date: date  # BT-2
    supply_date: date | None  # BT-72 (actual delivery date) / tax point
    due_date: date | None  # BT-9
    currency: str  # BT-5
    locale: str  # the language it is written in (the client's)
    seller: Party
    buyer: Party
    lines: tuple[DocumentLine, ...]
    vat_breakdown: tuple[VatBreakdown, ...]
    net_total: Decimal  # BT-109 (= sum of line nets, BT-106, no allowances)
    vat_total: Decimal  # BT-110
    gross_total: Decimal  # BT-112
    paid: Decimal  # BT-113
    due: Decimal  # BT-115 = gross − paid
    payment_reference: str | None  # BT-83 (Belgian structured communication or RF)
    iban: str  # BT-84
    bic: str = ""  # BT-86
    payment_terms: str = ""  # BT-20
    buyer_reference: str = ""  # BT-10
    preceding_invoice: str | None = None  # BT-25, for a credit note
    preceding_issue_date: date | None = None  # BT-26
    activity: str = ""  # the activity the coop invoices for (printed, BT-22 note)
    mentions: tuple[str, ...] = field(default_factory=tuple)  # legal texts (BT-22 notes)
    brand_colour: str = "#1f5f8b"
    logo_png: bytes | None = None
