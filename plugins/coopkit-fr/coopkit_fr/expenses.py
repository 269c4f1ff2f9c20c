"""Expense categories and the share of their VAT the cooperative may deduct.

The categories, their fractions and their legal sources are data in
``country_profiles/fr/expense_vat.yaml``; this module only hands them over.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from coopkit import hookimpl
from coopkit.countries import ExpenseCategory
from coopkit.law import ParameterSet
from coopkit.plugin_helpers import expense_categories_from_law

CODE = "FR"


@hookimpl
def coopkit_expense_categories(
    country: str, on: date, law: ParameterSet
) -> Sequence[ExpenseCategory] | None:
    if country != CODE:
        return None
    return expense_categories_from_law(law, on)
