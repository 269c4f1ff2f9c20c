"""The e-invoice: an :class:`InvoiceDocument` as UBL 2.1 (EN 16931, Peppol BIS Billing 3.0).

``invoice_ubl(doc)`` writes an ``Invoice`` (type code 380) or a ``CreditNote``
(381, referring to the invoice it credits) that the official EN 16931 rules
accept, in the Peppol BIS Billing 3.0 profile: one note (Peppol allows one),
electronic addresses for both parties, a buyer reference (the invoice number
when the client gave none). Amounts are written with exactly the currency's
decimals from the exact Decimals of the document; an amount that would need
rounding is refused, never rounded here.

The standard library's ElementTree writes it: the document is only written
here, never parsed, so no extra dependency (lxml) is needed at run time.
"""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree as ET

from coopkit import i18n
from coopkit.i18n import _
from coopkit.invoicing.document import DocumentLine, InvoiceDocument, Party, VatBreakdown
from coopkit.invoicing.peppol_ids import compact, electronic_address, registration
from coopkit.money import MoneyError, minor_unit

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ET.register_namespace("cac", CAC)
ET.register_namespace("cbc", CBC)

# UNCL 5305 categories that need the reason of the exemption (BR-AE/IC/G/E/O-10)
EXEMPT_CATEGORIES = frozenset({"AE", "K", "G", "E", "O"})
SEPA_CREDIT_TRANSFER = "58"  # UNCL 4461; SEPA is in euro only
CREDIT_TRANSFER = "30"
EN16931_MAX_DECIMALS = 2  # BR-DEC-*: amounts have at most two decimals


class EInvoiceError(ValueError):
    """A document that cannot be written as a valid e-invoice; the message says what to fix."""


def invoice_ubl(doc: InvoiceDocument) -> bytes:
    """``doc`` as a UBL 2.1 Invoice or CreditNote, UTF-8 encoded with its XML declaration."""
    _check(doc)
    amounts = _Amounts(doc.currency)
    credit = doc.is_credit_note
    # The root's namespace is declared as a plain attribute: ElementTree's
    # default_namespace cannot be combined with unqualified attributes (schemeID…).
    root = ET.Element(_kind(doc), {"xmlns": CREDIT_NOTE_NS if credit else INVOICE_NS})
    _text(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    _text(root, "cbc:ProfileID", PROFILE_ID)
    _text(root, "cbc:ID", doc.number)
    _text(root, "cbc:IssueDate", doc.issue_date.isoformat())
    if not credit and doc.due_date is not None:
        _text(root, "cbc:DueDate", doc.due_date.isoformat())
    _text(root, f"cbc:{_kind(doc)}TypeCode", "381" if credit else "380")
    _text(root, "cbc:Note", _note(doc))
    _text(root, "cbc:DocumentCurrencyCode", doc.currency)
    _text(root, "cbc:BuyerReference", doc.buyer_reference or doc.number)
    if doc.preceding_invoice:
        reference = _sub(_sub(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        _text(reference, "cbc:ID", doc.preceding_invoice)
        if doc.preceding_issue_date is not None:
            _text(reference, "cbc:IssueDate", doc.preceding_issue_date.isoformat())
    vat_ids = "O" not in {vat.category for vat in doc.vat_breakdown}  # BR-O-02..04
    _party(_sub(root, "cac:AccountingSupplierParty"), doc.seller, vat_ids=vat_ids, seller=True)
    _party(_sub(root, "cac:AccountingCustomerParty"), doc.buyer, vat_ids=vat_ids, seller=False)
    _delivery(root, doc)
    if not credit:
        _payment_means(root, doc)
    if terms := _payment_terms(doc):
        _text(_sub(root, "cac:PaymentTerms"), "cbc:Note", terms)
    _tax_total(root, doc, amounts)
    _monetary_total(root, doc, amounts)
    for line in doc.lines:
        _line(root, line, amounts, credit=credit)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return xml


def _kind(doc: InvoiceDocument) -> str:
    return "CreditNote" if doc.is_credit_note else "Invoice"


def _check(doc: InvoiceDocument) -> None:
    """What EN 16931 needs and the document alone cannot supply."""
    if not doc.number:
        raise EInvoiceError("a draft has no number: issue the invoice before exporting it")
    if not doc.lines:
        raise EInvoiceError(f"{doc.number}: an e-invoice needs at least one line (BR-16)")
    if doc.due > 0 and not _payment_terms(doc) and (doc.due_date is None or doc.is_credit_note):
        raise EInvoiceError(
            f"{doc.number}: an amount is due, so give a due date or payment terms (BR-CO-25)"
        )


class _Amounts:
    """Amounts written with exactly the currency's decimals, never rounded here."""

    def __init__(self, currency: str) -> None:
        try:
            self.unit = minor_unit(currency)
        except MoneyError as error:
            raise EInvoiceError(str(error)) from None
        if _decimals(self.unit) > EN16931_MAX_DECIMALS:
            raise EInvoiceError(
                f"{currency} has more than {EN16931_MAX_DECIMALS} decimals, "
                "which EN 16931 amounts cannot carry"
            )
        self.currency = currency

    def text(self, value: Decimal) -> str:
        exact = value.quantize(self.unit)
        if exact != value:
            raise EInvoiceError(
                f"{value} {self.currency} is not a whole number of {self.unit}: "
                "amounts must be rounded before the invoice is issued"
            )
        return f"{exact:f}"

    def price(self, value: Decimal) -> str:
        """A unit price keeps its own decimals when it has more than the currency's."""
        significant = value.normalize()  # a stored 80.0000 is 80.00, 12.3450 is 12.345
        if _decimals(significant) > _decimals(self.unit):
            return f"{significant:f}"
        return f"{value.quantize(self.unit):f}"

    def element(self, parent: ET.Element, tag: str, value: Decimal) -> None:
        _text(parent, tag, self.text(value), currencyID=self.currency)


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) else 0


def _qualified(tag: str) -> str:
    prefix, _colon, name = tag.partition(":")
    return f"{{{CAC if prefix == 'cac' else CBC}}}{name}"


def _sub(parent: ET.Element, tag: str) -> ET.Element:
    return ET.SubElement(parent, _qualified(tag))


def _text(parent: ET.Element, tag: str, value: str | None, **attributes: str) -> None:
    """A basic component, left out when empty (Peppol refuses empty elements)."""
    if value is None or not value.strip():
        return
    element = ET.SubElement(parent, _qualified(tag), attributes)
    element.text = value


def _note(doc: InvoiceDocument) -> str:
    """The activity and the legal mentions, in one note (PEPPOL-EN16931-R002)."""
    parts: list[str] = []
    if doc.activity:
        parts.append(i18n.gettext(doc.locale, _("Activity: %(name)s"), name=doc.activity))
    parts.extend(mention for mention in doc.mentions if mention.strip())
    return "\n".join(parts)


def _payment_terms(doc: InvoiceDocument) -> str:
    """BT-20; a credit note without terms of its own says which invoice it credits."""
    if doc.payment_terms or not (doc.is_credit_note and doc.preceding_invoice):
        return doc.payment_terms
    return i18n.gettext(
        doc.locale, _("Credit for invoice %(number)s."), number=doc.preceding_invoice
    )


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}"


def _tax_scheme(parent: ET.Element) -> None:
    _text(_sub(parent, "cac:TaxScheme"), "cbc:ID", "VAT")


def _party(parent: ET.Element, party: Party, *, vat_ids: bool, seller: bool) -> None:
    element = _sub(parent, "cac:Party")
    endpoint = electronic_address(party)
    if endpoint is not None:
        _text(element, "cbc:EndpointID", endpoint.value, schemeID=endpoint.scheme)
    _text(_sub(element, "cac:PartyName"), "cbc:Name", party.name)
    address = _sub(element, "cac:PostalAddress")
    _text(address, "cbc:StreetName", party.address.street)
    _text(address, "cbc:CityName", party.address.city)
    _text(address, "cbc:PostalZone", party.address.postcode)
    _text(_sub(address, "cac:Country"), "cbc:IdentificationCode", party.address.country.upper())
    if vat_ids and party.vat_number:
        tax = _sub(element, "cac:PartyTaxScheme")
        _text(tax, "cbc:CompanyID", compact(party.vat_number))
        _tax_scheme(tax)
    legal = _sub(element, "cac:PartyLegalEntity")
    _text(legal, "cbc:RegistrationName", party.name)
    registered = registration(party)
    if registered is not None:
        attributes = {"schemeID": registered.scheme} if registered.scheme else {}
        _text(legal, "cbc:CompanyID", registered.value, **attributes)
    if seller:  # BT-33: the seller's additional legal information
        information = ", ".join(
            text for text in (party.legal_form, party.register, party.share_capital) if text
        )
        _text(legal, "cbc:CompanyLegalForm", information)
    if party.email:
        _text(_sub(element, "cac:Contact"), "cbc:ElectronicMail", party.email)


def _delivery(root: ET.Element, doc: InvoiceDocument) -> None:
    """The supply date (BT-72); an intra-EU supply of goods also names where to (BT-80)."""
    intra_eu = any(vat.category == "K" for vat in doc.vat_breakdown)
    if doc.supply_date is None and not intra_eu:
        return
    delivery = _sub(root, "cac:Delivery")
    if doc.supply_date is not None:
        _text(delivery, "cbc:ActualDeliveryDate", doc.supply_date.isoformat())
    if intra_eu:
        address = _sub(_sub(delivery, "cac:DeliveryLocation"), "cac:Address")
        _text(address, "cbc:StreetName", doc.buyer.address.street)
        _text(address, "cbc:CityName", doc.buyer.address.city)
        _text(address, "cbc:PostalZone", doc.buyer.address.postcode)
        _text(_sub(address, "cac:Country"), "cbc:IdentificationCode", doc.buyer.address.country)


def _payment_means(root: ET.Element, doc: InvoiceDocument) -> None:
    """A credit transfer to the coop's account, with the structured reference (BT-83)."""
    if not doc.iban:
        return
    means = _sub(root, "cac:PaymentMeans")
    code = SEPA_CREDIT_TRANSFER if doc.currency == "EUR" else CREDIT_TRANSFER
    _text(means, "cbc:PaymentMeansCode", code)
    _text(means, "cbc:PaymentID", doc.payment_reference)
    account = _sub(means, "cac:PayeeFinancialAccount")
    _text(account, "cbc:ID", compact(doc.iban))
    _text(account, "cbc:Name", doc.seller.name)
    if doc.bic:
        _text(_sub(account, "cac:FinancialInstitutionBranch"), "cbc:ID", compact(doc.bic))


def _tax_category(parent: ET.Element, tag: str, category: str, rate: Decimal) -> ET.Element:
    element = _sub(parent, tag)
    _text(element, "cbc:ID", category)
    if category != "O":  # "not subject to VAT" has no rate at all (BR-O-05, BR-O-09)
        _text(element, "cbc:Percent", _percent(rate))
    return element


def _tax_total(root: ET.Element, doc: InvoiceDocument, amounts: _Amounts) -> None:
    total = _sub(root, "cac:TaxTotal")
    amounts.element(total, "cbc:TaxAmount", doc.vat_total)
    for vat in doc.vat_breakdown:
        _tax_subtotal(total, vat, amounts)


def _tax_subtotal(total: ET.Element, vat: VatBreakdown, amounts: _Amounts) -> None:
    subtotal = _sub(total, "cac:TaxSubtotal")
    amounts.element(subtotal, "cbc:TaxableAmount", vat.taxable)
    amounts.element(subtotal, "cbc:TaxAmount", vat.vat)
    category = _tax_category(subtotal, "cac:TaxCategory", vat.category, vat.rate)
    if vat.category in EXEMPT_CATEGORIES:
        _text(category, "cbc:TaxExemptionReasonCode", vat.exemption_code)
        _text(category, "cbc:TaxExemptionReason", vat.exemption_reason)
    _tax_scheme(category)


def _monetary_total(root: ET.Element, doc: InvoiceDocument, amounts: _Amounts) -> None:
    total = _sub(root, "cac:LegalMonetaryTotal")
    amounts.element(total, "cbc:LineExtensionAmount", doc.net_total)
    amounts.element(total, "cbc:TaxExclusiveAmount", doc.net_total)
    amounts.element(total, "cbc:TaxInclusiveAmount", doc.gross_total)
    if doc.paid:
        amounts.element(total, "cbc:PrepaidAmount", doc.paid)
    amounts.element(total, "cbc:PayableAmount", doc.due)


def _line(root: ET.Element, line: DocumentLine, amounts: _Amounts, *, credit: bool) -> None:
    element = _sub(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    _text(element, "cbc:ID", str(line.position))
    quantity = f"{line.quantity.normalize():f}"
    tag = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
    _text(element, tag, quantity, unitCode=line.unit)
    amounts.element(element, "cbc:LineExtensionAmount", line.net)
    item = _sub(element, "cac:Item")
    _text(item, "cbc:Name", line.description)
    _tax_scheme(_tax_category(item, "cac:ClassifiedTaxCategory", line.vat_category, line.vat_rate))
    price = _sub(element, "cac:Price")
    _text(price, "cbc:PriceAmount", amounts.price(line.unit_price), currencyID=amounts.currency)
