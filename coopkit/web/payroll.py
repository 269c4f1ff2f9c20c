"""Payroll for a cooperative on the web: its country's rules and the coop's fees."""

from __future__ import annotations

from decimal import Decimal

from coopkit.law import ProfileError
from coopkit.payroll import DEFAULT_FEE_RATE, PayrollRules
from coopkit.plugins import PluginError, PluginHost
from coopkit.tenants.models import Tenant


class PayrollNotServed(LookupError):
    """The plugin serving the cooperative's country has no payroll rules (yet)."""


def tenant_fee_rate(tenant: Tenant) -> Decimal:
    """The coop's fees on a salary, as a fraction of the employer cost.

    The engine's default (6.5 %) for every cooperative until the ledger brings
    a fee rate per tenant: this is the one place to read it from there.
    """
    del tenant
    return DEFAULT_FEE_RATE


def tenant_payroll_rules(plugins: PluginHost, tenant: Tenant) -> PayrollRules:
    """The payroll rules of the cooperative's country.

    Raises NoPluginForCountry when no plugin serves the country, and
    PayrollNotServed when its plugin has no payroll rules.
    """
    try:
        return plugins.payroll_rules(tenant.country)
    except (PluginError, ProfileError) as error:
        raise PayrollNotServed(
            f"no payroll rules for {tenant.country}: {error}; until its plugin implements "
            "them, salaries cannot be simulated in this cooperative"
        ) from None
