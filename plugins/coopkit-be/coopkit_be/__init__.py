"""coopkit country plugin for Belgium (BE).

Identifiers are checked with python-stdnum (``stdnum.be.nn``, ``stdnum.be.vat``),
IBANs with schwifty, holidays come from the ``holidays`` package, and the VAT
rates from the dated profile ``country_profiles/be/vat.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from stdnum.be import nn, vat

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
from coopkit_be.expenses import coopkit_expense_categories as coopkit_expense_categories
from coopkit_be.ledger import coopkit_chart_of_accounts as coopkit_chart_of_accounts

CODE = "BE"
COVERS_FROM = date(2025, 1, 1)

# Official or well-known valid numbers, for the conformance kit (see IDENTIFIER_SOURCES).
EXAMPLES = IdentifierExamples(
    national_id=("85.07.30-033 28", "17 07 30 033 84"),
    vat_number=("BE 0428.759.497", "BE0403019261"),
    iban=("BE68539007547034", "BE68 5390 0754 7034"),
    company_id=("0403.019.261", "0428.759.497"),
    source=(
        "IBAN: SWIFT IBAN Registry, example IBAN for Belgium, electronic and printed forms; "
        "national register numbers: "
        "the examples of python-stdnum's stdnum.be.nn (after the Rijksregister's IT000 "
        "instruction), one per century; VAT and enterprise numbers (KBO/BCE): the examples "
        "of python-stdnum's stdnum.be.vat"
    ),
)


def _profile_dir() -> Path:
    # This plugin is installed editable from the coopkit repository, and its
    # legal parameters live in the repository, not in the package: this file is
    # <repo>/plugins/coopkit-be/coopkit_be/__init__.py, so parents[3] is <repo>.
    folder = Path(__file__).resolve().parents[3] / "country_profiles" / "be"
    return checked_profile_dir(folder, CODE)


def _enterprise_number(number: str) -> str:
    """0403019261 → 0403.019.261, as the Crossroads Bank for Enterprises prints it."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


@hookimpl
def coopkit_country() -> Country:
    return Country(
        code=CODE,
        name="Belgium",
        currency="EUR",
        locales=("fr_BE", "nl_BE", "de_BE", "en"),
        profile_dir=_profile_dir(),
        payment_reference="be-ogm",
        # The payroll profile (payroll_*.yaml) starts on 2025-01-01: the first day
        # every parameter the engine asks for is recorded.
        covers_from=COVERS_FROM,
    )


@hookimpl
def coopkit_validate_national_id(country: str, number: str) -> IdentifierCheck | None:
    if country != CODE:
        return None
    return check_with_stdnum(nn, number, "national_id", label="Belgian national register number")


@hookimpl
def coopkit_validate_vat_number(country: str, number: str) -> IdentifierCheck | None:
    if country != CODE:
        return None
    return check_with_stdnum(
        vat,
        number,
        "vat",
        label="Belgian VAT number",
        country_prefix=CODE,
        formatter=_enterprise_number,
    )


@hookimpl
def coopkit_validate_company_id(country: str, number: str) -> IdentifierCheck | None:
    if country != CODE:
        return None
    return check_with_stdnum(vat, number, "company_id", label="enterprise number (KBO/BCE)")


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
    from coopkit_be.payroll import BelgianPayroll

    return BelgianPayroll(law)
