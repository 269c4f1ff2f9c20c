"""coopkit country plugin for France (FR).

Identifiers are checked with python-stdnum (``stdnum.fr.nir``, ``stdnum.fr.tva``),
IBANs with schwifty, holidays come from the ``holidays`` package, and the VAT
rates from the dated profile ``country_profiles/fr/vat.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from stdnum.fr import nir, siren, tva

from coopkit import hookimpl
from coopkit.countries import (
    Country,
    IdentifierCheck,
    IdentifierExamples,
    InvoiceMentions,
    LatePaymentTerms,
    PublicHoliday,
    ShareRules,
    SurplusRules,
    VatExemption,
    VatRate,
)
from coopkit.governance.rules import AssemblyRules
from coopkit.law import ParameterSet
from coopkit.payroll.rules import PayrollRules
from coopkit.plugin_helpers import (
    assembly_rules_from_law,
    check_iban,
    check_with_stdnum,
    checked_profile_dir,
    holidays_of,
    invoice_mentions_from_law,
    late_payment_terms_from_law,
    share_rules_from_law,
    surplus_rules_from_law,
    vat_exemptions_from_law,
    vat_rates_from_law,
)
from coopkit_fr.expenses import coopkit_expense_categories as coopkit_expense_categories
from coopkit_fr.ledger import coopkit_chart_of_accounts as coopkit_chart_of_accounts

CODE = "FR"
COVERS_FROM = date(2025, 1, 1)

# Official or well-known valid numbers, for the conformance kit (see the source).
EXAMPLES = IdentifierExamples(
    national_id=("2 95 10 99 126 111 93", "253072B07300470"),
    vat_number=("FR 40 303 265 045", "FR23334175221"),
    iban=("FR1420041010050500013M02606", "FR14 2004 1010 0505 0001 3M02 606"),
    company_id=("552 008 443", "404833048"),
    source=(
        "IBAN: SWIFT IBAN Registry, example IBAN for France, electronic and printed forms; "
        "NIR (social security number, INSEE): the examples of python-stdnum's stdnum.fr.nir, "
        "one born in Corsica (2B); VAT numbers: the examples of python-stdnum's stdnum.fr.tva; "
        "SIREN: the examples of python-stdnum's stdnum.fr.siren (INSEE's Sirene directory)"
    ),
)


def _profile_dir() -> Path:
    # This plugin is installed editable from the coopkit repository, and its
    # legal parameters live in the repository, not in the package: this file is
    # <repo>/plugins/coopkit-fr/coopkit_fr/__init__.py, so parents[3] is <repo>.
    folder = Path(__file__).resolve().parents[3] / "country_profiles" / "fr"
    return checked_profile_dir(folder, CODE)


def _vat_number(number: str) -> str:
    """40303265045 → 40 303 265 045: the key, then the SIREN in groups of three."""
    return f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:]}"


@hookimpl
def coopkit_country() -> Country:
    return Country(
        code=CODE,
        name="France",
        currency="EUR",
        locales=("fr_FR", "en"),
        profile_dir=_profile_dir(),
        # The payroll profile (payroll_*.yaml) starts on 2025-01-01: the first day
        # every parameter the engine asks for is recorded.
        covers_from=COVERS_FROM,
    )


@hookimpl
def coopkit_validate_national_id(country: str, number: str) -> IdentifierCheck | None:
    if country != CODE:
        return None
    return check_with_stdnum(
        nir, number, "national_id", label="French social security number (NIR)"
    )


@hookimpl
def coopkit_validate_vat_number(country: str, number: str) -> IdentifierCheck | None:
    if country != CODE:
        return None
    return check_with_stdnum(
        tva,
        number,
        "vat",
        label="French VAT number",
        country_prefix=CODE,
        formatter=_vat_number,
    )


@hookimpl
def coopkit_validate_company_id(country: str, number: str) -> IdentifierCheck | None:
    if country != CODE:
        return None
    return check_with_stdnum(siren, number, "company_id", label="SIREN")


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
def coopkit_vat_exemptions(
    country: str, on: date, law: ParameterSet
) -> Sequence[VatExemption] | None:
    if country != CODE:
        return None
    return vat_exemptions_from_law(law, on)


@hookimpl
def coopkit_invoice_mentions(country: str, on: date, law: ParameterSet) -> InvoiceMentions | None:
    if country != CODE:
        return None
    return invoice_mentions_from_law(law, on)


@hookimpl
def coopkit_late_payment_terms(
    country: str, on: date, law: ParameterSet
) -> LatePaymentTerms | None:
    if country != CODE:
        return None
    return late_payment_terms_from_law(law, on)


@hookimpl
def coopkit_assembly_rules(country: str, on: date, law: ParameterSet) -> AssemblyRules | None:
    if country != CODE:
        return None
    return assembly_rules_from_law(law, on)


@hookimpl
def coopkit_surplus_rules(country: str, on: date, law: ParameterSet) -> SurplusRules | None:
    if country != CODE:
        return None
    return surplus_rules_from_law(law, on)


@hookimpl
def coopkit_share_rules(country: str, on: date, law: ParameterSet) -> ShareRules | None:
    if country != CODE:
        return None
    return share_rules_from_law(law, on)


@hookimpl
def coopkit_payroll_rules(country: str, law: ParameterSet) -> PayrollRules | None:
    if country != CODE:
        return None
    from coopkit_fr.payroll import FrenchPayroll

    return FrenchPayroll(law)
