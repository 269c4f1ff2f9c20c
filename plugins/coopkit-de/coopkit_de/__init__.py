"""coopkit country plugin for Germany (DE).

Identifiers are checked with python-stdnum (``stdnum.de.idnr`` for the tax
identification number, ``stdnum.de.vat`` for the VAT number), IBANs with
schwifty. The register number (Handelsregister / Genossenschaftsregister, e.g.
"Aachen GnR 123") has no check digit — python-stdnum's
``stdnum.de.handelsregisternummer`` checks only its form and court — so the
plugin leaves ``coopkit_validate_company_id`` out rather than fail the
conformance kit's "one digit changed is refused" check. Nationwide public
holidays come from the ``holidays`` package, VAT rates and payroll law from
``country_profiles/de``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from stdnum.de import idnr, vat

from coopkit import hookimpl
from coopkit.countries import (
    Country,
    IdentifierCheck,
    IdentifierExamples,
    PublicHoliday,
    ShareRules,
    VatRate,
)
from coopkit.law import ParameterSet
from coopkit.payroll.rules import PayrollRules
from coopkit.plugin_helpers import (
    check_iban,
    check_with_stdnum,
    checked_profile_dir,
    holidays_of,
    share_rules_from_law,
    vat_rates_from_law,
)

CODE = "DE"
COVERS_FROM = date(2025, 1, 1)

# Official or well-known valid numbers, for the conformance kit.
EXAMPLES = IdentifierExamples(
    national_id=("36 574 261 809", "36574261809"),
    vat_number=("DE 136,695 976", "DE136695976"),
    iban=("DE89370400440532013000", "DE89 3704 0044 0532 0130 00"),
    source=(
        "IBAN: SWIFT IBAN Registry, example IBAN for Germany; tax identification number "
        "and VAT number: the examples of python-stdnum's stdnum.de.idnr and stdnum.de.vat"
    ),
)


def _profile_dir() -> Path:
    # Installed editable from the coopkit repository, whose country_profiles/de holds
    # the legal parameters: this file is <repo>/plugins/coopkit-de/coopkit_de/__init__.py.
    folder = Path(__file__).resolve().parents[3] / "country_profiles" / "de"
    return checked_profile_dir(folder, CODE)


@hookimpl
def coopkit_country() -> Country:
    return Country(
        code=CODE,
        name="Germany",
        currency="EUR",
        locales=("de_DE", "en"),
        profile_dir=_profile_dir(),
        # The payroll profile (payroll_*.yaml) starts on 2025-01-01.
        covers_from=COVERS_FROM,
    )


@hookimpl
def coopkit_validate_national_id(country: str, number: str) -> IdentifierCheck | None:
    if country != CODE:
        return None
    return check_with_stdnum(
        idnr, number, "national_id", label="German tax identification number (Steuer-IdNr)"
    )


@hookimpl
def coopkit_validate_vat_number(country: str, number: str) -> IdentifierCheck | None:
    if country != CODE:
        return None
    return check_with_stdnum(
        vat, number, "vat", label="German VAT number (USt-IdNr)", country_prefix=CODE
    )


@hookimpl
def coopkit_validate_iban(country: str, iban: str) -> IdentifierCheck | None:
    if country != CODE:
        return None
    return check_iban(iban)


@hookimpl
def coopkit_identifier_examples(country: str) -> IdentifierExamples | None:
    return EXAMPLES if country == CODE else None


@hookimpl
def coopkit_public_holidays(
    country: str, year: int, language: str
) -> Sequence[PublicHoliday] | None:
    if country != CODE:
        return None
    return holidays_of(CODE, year, language)


@hookimpl
def coopkit_vat_rates(country: str, on: date, law: ParameterSet) -> Sequence[VatRate] | None:
    if country != CODE:
        return None
    return vat_rates_from_law(law, on)


@hookimpl
def coopkit_share_rules(country: str, on: date, law: ParameterSet) -> ShareRules | None:
    if country != CODE:
        return None
    return share_rules_from_law(law, on)


@hookimpl
def coopkit_payroll_rules(country: str, law: ParameterSet) -> PayrollRules | None:
    if country != CODE:
        return None
    from coopkit_de.payroll import GermanPayroll

    return GermanPayroll(law)
