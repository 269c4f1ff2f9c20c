"""InvoiceDocuments for the e-invoice and PDF tests: no database, the arithmetic of an issue.

``document(...)`` rounds each line's net and each VAT group's tax the way the
invoicing engine does (half-up to the currency's minor unit, VAT per group),
so the documents are what an issued invoice would print. The identifiers are
real-looking and pass their check digits (KBO/BCE mod 97, SIREN Luhn, VAT keys).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from coopkit.invoicing.document import (
    DocumentLine,
    InvoiceDocument,
    Party,
    PostalAddress,
    VatBreakdown,
)
from coopkit.money import minor_unit

# A 1×1 PNG, the tenant's "logo".
LOGO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)

BE_COOP = Party(
    name="Coopkit Bruxelles SC",
    address=PostalAddress("Rue de la Loi 16", "1000", "Bruxelles", "BE"),
    vat_number="BE0765432146",
    company_number="0765.432.146",
    legal_form="Société coopérative",
    register="RPM Bruxelles",
    email="factures@coop-be.example",
)
FR_COOP = Party(
    name="Coopkit Lyon SCOP SA",
    address=PostalAddress("12 rue de la République", "69002", "Lyon", "FR"),
    vat_number="FR44732829320",
    company_number="732829320",
    legal_form="SCOP SA à capital variable",
    register="RCS Lyon 732 829 320",
    share_capital="Capital minimum 18 500 €",
    email="factures@coop-fr.example",
)
BE_CLIENT = Party(
    name="Brasserie Zenne BV",
    address=PostalAddress("Vlaamsesteenweg 5", "1000", "Brussel", "BE"),
    vat_number="BE0403170701",
    company_number="0403170701",
)
FR_CLIENT = Party(
    name="Atelier Rhône SARL",
    address=PostalAddress("3 quai Saint-Antoine", "69002", "Lyon", "FR"),
    vat_number=None,
    company_number="73282932000074",
)
DE_CLIENT = Party(
    name="Kieler Werft GmbH",
    address=PostalAddress("Hafenstraße 1", "24103", "Kiel", "DE"),
    vat_number="DE136695976",
)
US_CLIENT = Party(
    name="Hudson Prints Inc.",
    address=PostalAddress("200 Water Street", "10038", "New York", "US"),
    email="ap@hudson.example",
)
CH_CLIENT = Party(
    name="Uhrwerk AG",
    address=PostalAddress("Bahnhofstrasse 1", "8001", "Zürich", "CH"),
    vat_number="CHE116281710MWST",
)
PERSON = Party(
    name="Camille Martin",
    address=PostalAddress("8 rue Mercière", "69002", "Lyon", "FR"),
    email="camille@example.org",
)


@dataclass(frozen=True)
class Sold:
    """A line as the member types it: what, how many, at which price and VAT treatment."""

    description: str
    quantity: str
    unit_price: str
    category: str = "S"
    rate: str = "0"
    unit: str = "HUR"
    reason: str = ""
    reason_code: str = ""


def _round(value: Decimal, currency: str) -> Decimal:
    return value.quantize(minor_unit(currency), ROUND_HALF_UP)


def _breakdown(lines: list[DocumentLine], sold: list[Sold], currency: str) -> list[VatBreakdown]:
    groups: dict[tuple[str, Decimal], VatBreakdown] = {}
    for line, item in zip(lines, sold, strict=True):
        key = (line.vat_category, line.vat_rate)
        taxable = line.net + (groups[key].taxable if key in groups else Decimal(0))
        groups[key] = VatBreakdown(
            category=line.vat_category,
            rate=line.vat_rate,
            taxable=taxable,
            vat=_round(taxable * line.vat_rate, currency),
            exemption_reason=item.reason,
            exemption_code=item.reason_code,
        )
    return list(groups.values())


def document(
    *sold: Sold,
    seller: Party = BE_COOP,
    buyer: Party = BE_CLIENT,
    number: str = "INV-2026-0001",
    currency: str = "EUR",
    locale: str = "fr_BE",
    paid: str = "0",
    mentions: tuple[str, ...] = (),
    reference: str | None = "+++090/9337/55493+++",
    credit_note_of: InvoiceDocument | None = None,
) -> InvoiceDocument:
    """An issued invoice (or a credit note of ``credit_note_of``) selling ``sold``."""
    lines = [
        DocumentLine(
            position=index,
            description=item.description,
            quantity=Decimal(item.quantity),
            unit=item.unit,
            unit_price=Decimal(item.unit_price),
            net=_round(Decimal(item.quantity) * Decimal(item.unit_price), currency),
            vat_category=item.category,
            vat_rate=Decimal(item.rate),
        )
        for index, item in enumerate(sold, start=1)
    ]
    breakdown = _breakdown(lines, list(sold), currency)
    net = sum((line.net for line in lines), Decimal(0))
    vat = sum((group.vat for group in breakdown), Decimal(0))
    return InvoiceDocument(
        number=number,
        is_credit_note=credit_note_of is not None,
        issue_date=date(2026, 3, 16),
        supply_date=date(2026, 3, 13),
        due_date=date(2026, 4, 15),
        currency=currency,
        locale=locale,
        seller=seller,
        buyer=buyer,
        lines=tuple(lines),
        vat_breakdown=tuple(breakdown),
        net_total=net,
        vat_total=vat,
        gross_total=net + vat,
        paid=Decimal(paid),
        due=net + vat - Decimal(paid),
        payment_reference=reference,
        iban="BE71 0961 2345 6769",
        bic="GKCCBEBB",
        payment_terms="30 jours fin de mois" if locale.startswith("fr") else "30 days",
        preceding_invoice=credit_note_of.number if credit_note_of else None,
        preceding_issue_date=credit_note_of.issue_date if credit_note_of else None,
        activity="Studio Lumière — photographie",
        mentions=mentions,
        brand_colour="#7a2e8f",
        logo_png=LOGO,
    )


def be_mixed_rates(locale: str = "nl_BE") -> InvoiceDocument:
    """A Belgian client at 21 % and 6 % (renovation of a private dwelling over 10 years)."""
    return document(
        Sold("Fotoreportage van de werf", "7.5", "80.00", rate="0.21"),
        Sold("Renovatie woning > 10 jaar: schilderwerk", "12", "45.50", rate="0.06"),
        Sold("Verplaatsing", "1", "35.35", rate="0.21", unit="C62"),
        locale=locale,
        mentions=(
            "Btw 6 %: renovatie van een privéwoning ouder dan 10 jaar "
            "(KB nr. 20, tabel A, rubriek XXXI).",
        ),
    )


def fr_mixed_rates() -> InvoiceDocument:
    """A French coop: 20 % and 5.5 % (books) for a company identified by its SIRET."""
    return document(
        Sold("Conception graphique", "3", "420.00", rate="0.20", unit="DAY"),
        Sold("Livres illustrés", "25", "18.99", rate="0.055", unit="C62"),
        seller=FR_COOP,
        buyer=FR_CLIENT,
        number="F-2026-0042",
        locale="fr_FR",
        reference="RF69F20260042",
        mentions=(
            "Pénalités de retard : trois fois le taux d'intérêt légal.",
            "Indemnité forfaitaire pour frais de recouvrement : 40 €.",
        ),
    )


def reverse_charge() -> InvoiceDocument:
    """A service to a German company: the buyer accounts for the VAT (art. 196)."""
    return document(
        Sold(
            "Übersetzung technischer Handbücher",
            "16",
            "62.50",
            category="AE",
            reason=(
                "Autoliquidation / Steuerschuldnerschaft des Leistungsempfängers "
                "(Richtlinie 2006/112/EG, Art. 196)"
            ),
            reason_code="VATEX-EU-AE",
        ),
        buyer=DE_CLIENT,
        number="INV-2026-0002",
        locale="de_DE",
        mentions=("Steuerschuldnerschaft des Leistungsempfängers",),
    )


def export_outside_eu() -> InvoiceDocument:
    """Goods shipped to the United States: exempt export (art. 146)."""
    return document(
        Sold(
            "Fine-art prints, framed",
            "4",
            "310.00",
            category="G",
            unit="C62",
            reason="Export outside the EU — exempt, Directive 2006/112/EC art. 146",
            reason_code="VATEX-EU-G",
        ),
        buyer=US_CLIENT,
        number="INV-2026-0003",
        locale="en",
    )


def exempt_training() -> InvoiceDocument:
    """Vocational training by a French coop: exempt, with the wording the CGI requires."""
    return document(
        Sold(
            "Formation professionnelle continue : retouche photo (2 jours)",
            "2",
            "650.00",
            category="E",
            unit="DAY",
            reason="Exonération de TVA, article 261-4-4° a du CGI",
            reason_code="VATEX-FR-CGI261-4",
        ),
        seller=FR_COOP,
        buyer=PERSON,
        number="F-2026-0043",
        locale="fr_FR",
        reference="RF42F20260043",
    )


def partly_paid() -> InvoiceDocument:
    """A Belgian invoice of which 300 € were paid: the rest is due (prepaid amount BT-113)."""
    return document(
        Sold("Shooting produit", "2", "375.00", rate="0.21", unit="DAY"),
        number="INV-2026-0004",
        paid="300.00",
        locale="fr_BE",
    )


def credit_note() -> InvoiceDocument:
    """A credit note taking back the travel line of the mixed-rate invoice."""
    return document(
        Sold("Verplaatsing (creditering)", "1", "35.35", rate="0.21", unit="C62"),
        number="CN-2026-0001",
        locale="nl_BE",
        credit_note_of=be_mixed_rates(),
    )


def swiss_francs() -> InvoiceDocument:
    """A service to a Swiss company, invoiced in francs and outside the scope of EU VAT."""
    return document(
        Sold(
            "Dreharbeiten Werbefilm",
            "3",
            "1250.00",
            category="O",
            unit="DAY",
            reason="Nicht im Anwendungsbereich der belgischen MwSt. (Art. 21 § 2 MwStGB)",
            reason_code="VATEX-EU-O",
        ),
        buyer=CH_CLIENT,
        number="INV-2026-0005",
        currency="CHF",
        locale="de_CH",
        reference="RF05INV20260005",
    )


ALL = {
    "be-21-6": be_mixed_rates,
    "fr-20-5.5": fr_mixed_rates,
    "reverse-charge": reverse_charge,
    "export": export_outside_eu,
    "exempt": exempt_training,
    "credit-note": credit_note,
    "partly-paid": partly_paid,
    "chf": swiss_francs,
}
