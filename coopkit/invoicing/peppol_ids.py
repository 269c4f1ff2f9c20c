"""Which identifier of a party an e-invoice routes to, and under which scheme.

Peppol addresses a party by an electronic address (``EndpointID``, BT-34 /
BT-49) qualified by a code of the Electronic Address Scheme list (EAS), and
names its legal registration (``PartyLegalEntity/CompanyID``, BT-30 / BT-47)
with a code of the ISO 6523 ICD list. The two lists share numbers but are not
the same list. Codes from the Peppol BIS Billing 3.0 code lists (EAS and ICD);
only codes that the EN 16931 validation artefacts accept are used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coopkit.invoicing.document import Party

# The national business registers the coop's countries print (ICD = EAS here).
BE_ENTERPRISE = "0208"  # Numéro d'entreprise / ondernemingsnummer (KBO/BCE), 10 digits
FR_SIREN = "0002"  # SIRENE: the legal unit, 9 digits
FR_SIRET = "0009"  # SIRET: an establishment, 14 digits
EMAIL = "EM"  # an e-mail address, when a party has no registered identifier

# VAT numbers as electronic addresses (EAS 99xx), by the VAT number's country prefix.
VAT_SCHEMES = {
    "AT": "9914",
    "BE": "9925",
    "BG": "9926",
    "CH": "9927",
    "CY": "9928",
    "CZ": "9929",
    "DE": "9930",
    "EE": "9931",
    "EL": "9933",  # Greece's VAT numbers start with EL
    "ES": "9920",
    "FR": "9957",
    "GB": "9932",
    "HR": "9934",
    "HU": "9910",
    "IE": "9935",
    "LT": "9937",
    "LU": "9938",
    "LV": "9939",
    "MT": "9943",
    "NL": "9944",
    "PL": "9945",
    "PT": "9946",
    "RO": "9947",
    "SI": "9949",
    "SK": "9950",
}


@dataclass(frozen=True)
class SchemedId:
    """An identifier and the code of its scheme (``0208`` + ``0403170701``)."""

    scheme: str
    value: str


def compact(value: str) -> str:
    """Without the spaces, dots, dashes and slashes people type in identifiers."""
    return re.sub(r"[\s./-]", "", value).upper()


def registration(party: Party) -> SchemedId | None:
    """The party's legal registration (BT-30 / BT-47) with its ICD scheme when known.

    A Belgian enterprise number is 10 digits (a 9-digit one gets its leading 0);
    a French one is a SIREN (9 digits) or a SIRET (14). Other countries' numbers
    are given without a scheme (``scheme`` is empty).
    """
    number = compact(party.company_number)
    country = party.address.country.upper()
    if not number:
        return None
    digits = number.removeprefix(country) if country == "BE" else number
    if country == "BE" and digits.isdigit() and len(digits) in (9, 10):
        return SchemedId(BE_ENTERPRISE, digits.zfill(10))
    if country == "FR" and number.isdigit() and len(number) == 9:
        return SchemedId(FR_SIREN, number)
    if country == "FR" and number.isdigit() and len(number) == 14:
        return SchemedId(FR_SIRET, number)
    return SchemedId("", number)


def electronic_address(party: Party) -> SchemedId | None:
    """Where the party receives e-invoices: its registration, its VAT number, or its e-mail.

    Belgium's Peppol network addresses companies by enterprise number (0208),
    France's by SIRET/SIREN; elsewhere the VAT number's EAS code is used. A
    party with none of these (a private person) is reached by e-mail if known.
    """
    registered = registration(party)
    if registered is not None and registered.scheme:
        return registered
    vat = compact(party.vat_number or "")
    if vat[:2] == "BE" and vat[2:].isdigit():
        return SchemedId(BE_ENTERPRISE, vat[2:].zfill(10))
    if vat[:2] in VAT_SCHEMES:
        return SchemedId(VAT_SCHEMES[vat[:2]], vat)
    if party.email:
        return SchemedId(EMAIL, party.email.strip())
    return None
