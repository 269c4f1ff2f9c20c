"""Check: the plugin implements every hook the engine cannot do without."""

from __future__ import annotations

from coopkit.conformance.subject import Subject
from coopkit.plugins import hook_names

# Hooks a country plugin may leave out while the engine grows (payroll comes country by
# country); the engine falls back to a default or refuses the feature for that country.
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
    }
)


def required_hooks() -> list[str]:
    """Every hook a conformant plugin implements, in the order of coopkit/hookspecs.py."""
    return [name for name in hook_names() if name not in OPTIONAL_HOOKS]


def check_required_hooks(subject: Subject) -> list[str]:
    return [
        subject.says(
            f"hook {hook}",
            "is not implemented",
            f"add `@hookimpl def {hook}(...)` to the plugin (arguments and an example in "
            "docs/plugins.md)",
        )
        for hook in required_hooks()
        if hook not in subject.implemented
    ]
