"""The coopkit pytest plugin: fixtures and checks for country-plugin authors.

Installed with coopkit (entry point ``pytest11``), so any plugin's test suite
can use it::

    from coopkit.testing import conformance_problems

    def test_conformance(coopkit_host):
        assert conformance_problems(coopkit_host, "PT") == []

Each problem is a sentence naming the hook or parameter at fault and what to do.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from coopkit.hookspecs import PROJECT
from coopkit.law import LawNotInForce, ProfileError, UnknownParameter
from coopkit.plugins import NoPluginForCountry, PluginError, PluginHost, hook_names

# Hooks a country plugin may leave out while the engine grows (payroll comes country by country).
OPTIONAL_HOOKS = frozenset(
    {
        "coopkit_payroll_rules",
        "coopkit_chart_of_accounts",
        "coopkit_expense_categories",
        "coopkit_vat_exemptions",
        "coopkit_invoice_mentions",
        "coopkit_late_payment_terms",
        "coopkit_validate_company_id",
        "coopkit_assembly_rules",
        "coopkit_surplus_rules",
        "coopkit_legal_forms",
    }
)
FIRST_RESULT_HOOKS = [
    name for name in hook_names() if name != "coopkit_country" and name not in OPTIONAL_HOOKS
]


def conformance_problems(host: PluginHost, country: str, on: dt.date | None = None) -> list[str]:
    """Check the plugin serving ``country``; return what is wrong (empty when conformant)."""
    day = on or dt.date.today()
    try:
        served = host.country(country)
    except (NoPluginForCountry, PluginError) as error:
        return [str(error)]
    problems: list[str] = []
    implemented = {
        hook for info in host.plugins() if info.name == served.plugin for hook in info.hooks
    }
    for hook in ["coopkit_country", *FIRST_RESULT_HOOKS]:
        if hook not in implemented:
            problems.append(
                f"{served.plugin}: hook {hook} is not implemented (see docs/plugins.md)"
            )
    try:
        law = host.law(served.code)
    except ProfileError as error:
        return [*problems, f"{served.plugin}: country profile: {error}"]
    try:
        rates = host.vat_rates(served.code, day)
        if not rates or rates[0].code != "standard":
            problems.append(f"{served.plugin}: coopkit_vat_rates must list the standard rate first")
    except (LawNotInForce, PluginError) as error:
        problems.append(f"{served.plugin}: VAT rates on {day}: {error}")
    try:
        if not host.public_holidays(served.code, day.year):
            problems.append(
                f"{served.plugin}: coopkit_public_holidays returned no holiday for {day.year}"
            )
    except PluginError as error:
        problems.append(str(error))
    for name, check in (
        ("coopkit_validate_vat_number", host.validate_vat_number),
        ("coopkit_validate_national_id", host.validate_national_id),
        ("coopkit_validate_iban", host.validate_iban),
    ):
        try:
            verdict = check(served.code, "0000000000-not-a-number")
        except PluginError as error:
            problems.append(str(error))
            continue
        if verdict.valid or not verdict.error:
            problems.append(f"{served.plugin}: {name} accepted garbage or gave no error message")
    if "coopkit_validate_company_id" in implemented:
        verdict = host.validate_company_id(served.code, "0000000000-not-a-number")
        if verdict.valid or not verdict.error:
            problems.append(
                f"{served.plugin}: coopkit_validate_company_id accepted garbage or gave no error "
                "message"
            )
    if "coopkit_chart_of_accounts" in implemented:
        try:
            host.chart_of_accounts(served.code, day)
        except (LawNotInForce, PluginError, ProfileError) as error:
            problems.append(f"{served.plugin}: chart of accounts on {day}: {error}")
    if "coopkit_expense_categories" in implemented:
        try:
            host.expense_categories(served.code, day)
        except (LawNotInForce, PluginError, ProfileError) as error:
            problems.append(f"{served.plugin}: expense categories on {day}: {error}")
    for hook, call in (
        ("coopkit_vat_exemptions", host.vat_exemptions),
        ("coopkit_invoice_mentions", host.invoice_mentions),
    ):
        if hook in implemented:
            try:
                call(served.code, day)
            except (LawNotInForce, PluginError, ProfileError) as error:
                problems.append(f"{served.plugin}: {hook} on {day}: {error}")
    if "coopkit_late_payment_terms" in implemented:
        # A rate is published each semester: one not yet recorded for ``day`` is reported by
        # ``coopkit collect`` when it needs it; a malformed one is a problem now.
        try:
            host.late_payment_terms(served.code, day)
        except (PluginError, ProfileError, UnknownParameter) as error:
            problems.append(f"{served.plugin}: coopkit_late_payment_terms on {day}: {error}")
        except LawNotInForce:
            pass
    del law
    return problems


@pytest.fixture(scope="session")
def coopkit_host() -> PluginHost:
    """The plugins installed in the environment, as coopkit would load them."""
    return PluginHost.from_environment(os.environ)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{PROJECT}_conformance: a country-plugin conformance check")
