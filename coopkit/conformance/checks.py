"""Every check of the conformance kit, by name, in the order a plugin author fixes them."""

from __future__ import annotations

from collections.abc import Callable

from coopkit.conformance.documents import check_documents_render
from coopkit.conformance.hooks import check_required_hooks
from coopkit.conformance.identifiers import check_identifiers
from coopkit.conformance.parameters import check_law_in_force, check_parameters_sourced_and_dated
from coopkit.conformance.payroll import check_payroll_behaves
from coopkit.conformance.subject import NotApplicable, Subject
from coopkit.conformance.yearly import check_holidays, check_vat_rates

Check = Callable[[Subject], list[str]]

# In the order a plugin author fixes them: the contract, the law, then what is built on it.
CHECKS: dict[str, Check] = {
    "required_hooks": check_required_hooks,
    "parameters_sourced_and_dated": check_parameters_sourced_and_dated,
    "law_in_force": check_law_in_force,
    "vat_rates": check_vat_rates,
    "identifiers": check_identifiers,
    "holidays": check_holidays,
    "payroll_behaves": check_payroll_behaves,
    "documents_render": check_documents_render,
}

__all__ = ["CHECKS", "Check", "NotApplicable", "Subject"]
