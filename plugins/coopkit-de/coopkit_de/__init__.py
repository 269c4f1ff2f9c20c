"""coopkit country plugin for Germany (DE).

Identifiers are checked with python-stdnum (``stdnum.de.idnr`` for the tax
identification number, ``stdnum.de.vat`` for the VAT number,
``stdnum.de.handelsregisternummer`` for the commercial or cooperative register
number), IBANs with schwifty, nationwide public holidays come from the
``holidays`` package, VAT rates and payroll law from ``country_profiles/de``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from stdnum.de import handelsregisternummer, idnr, vat

from coopkit import hookimpl
from coopkit.countries import Country, IdentifierCheck, PublicHoliday, ShareRules, VatRate
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
def coopkit_validate_company_id(country: str, number: str) -> IdentifierCheck | None:
    if country != CODE:
        return None
    return check_with_stdnum(
        handelsregisternummer,
        number,
        "company_id",
        label="register number (court, register and number, e.g. Aachen GnR 123)",
    )


@hookimpl
def coopkit_validate_iban(country: str, iban: str) -> IdentifierCheck | None:
    if country != CODE:
        return None
    return check_iban(iban)


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
