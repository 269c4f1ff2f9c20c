"""The chart of accounts of the DATEV Standardkontenrahmen SKR 04.

The accounts coopkit posts to, one per role, are data with their legal source
in ``country_profiles/de/accounts.yaml``; this module only hands them over.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from coopkit import hookimpl
from coopkit.law import ParameterSet
from coopkit.ledger.chart import AccountDefinition
from coopkit.plugin_helpers import chart_from_law

CODE = "DE"


@hookimpl
def coopkit_chart_of_accounts(
    country: str, on: date, law: ParameterSet
) -> Sequence[AccountDefinition] | None:
    if country != CODE:
        return None
    return chart_from_law(law, on)
