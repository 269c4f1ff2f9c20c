"""The Belgian withholding tax by the key formula of Annex III of the AR/CIR 92.

:class:`KeyFormula` implements :class:`coopkit.payroll.Withholding`: ``parts``
for one payslip (the tax, the family reductions, the fiscal work bonus) and
``totals`` for numpy arrays, with the same integer arithmetic in cents, so both
agree exactly. The steps are described in ``country_profiles/be/payroll_withholding.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coopkit.i18n import _
from coopkit.payroll.cents import RATE_SCALE, apply_rate, div_half_up, div_half_up_array
from coopkit.payroll.rules import TaxPart


@dataclass(frozen=True)
class KeyFormula:
    """Annex III for one month and one family situation; amounts in cents, rates × 10^6.

    ``quotient`` is (rate, yearly cap) for scale II (spouse without professional
    income), None for scale I. ``family_reduction`` is the monthly reduction for
    family charges; ``fiscal_bonus`` lists (amount line code, rate): the fiscal
    work bonus is the sum of those lines' amounts × rate.
    """

    step: int
    expense_rate: int
    expense_cap: int
    scale: tuple[tuple[int | None, int], ...]
    exempt_reduction: int
    quotient: tuple[int, int] | None
    family_reduction: int
    fiscal_bonus: tuple[tuple[str, int], ...]
    parameter: str
    source: str
    bonus_source: str = ""

    # -- one payslip -------------------------------------------------------------

    def _scale_tax(self, income: int) -> int:
        total, lower = 0, 0
        for upper, rate in self.scale:
            top = income if upper is None else min(income, upper)
            if top > lower:
                total += (top - lower) * rate
            lower = upper if upper is not None else lower
        return div_half_up(total, RATE_SCALE)

    def yearly_tax(self, taxable: int) -> int:
        """The yearly tax of steps 1 to 5, before family reductions, in cents."""
        gross = taxable // self.step * self.step * 12
        net = gross - min(apply_rate(gross, self.expense_rate), self.expense_cap)
        if self.quotient is None:
            return max(self._scale_tax(net) - self.exempt_reduction, 0)
        rate, cap = self.quotient
        share = min(apply_rate(net, rate), cap)
        tax = self._scale_tax(net - share) + self._scale_tax(share)
        return max(tax - 2 * self.exempt_reduction, 0)

    def _bonus(self, amounts: Mapping[str, int]) -> int:
        return div_half_up(
            sum(amounts.get(code, 0) * rate for code, rate in self.fiscal_bonus), RATE_SCALE
        )

    def parts(self, taxable: int, amounts: Mapping[str, int]) -> list[TaxPart]:
        monthly = self.yearly_tax(taxable) // 12
        family = min(self.family_reduction, monthly)
        bonus = min(self._bonus(amounts), monthly - family)
        parts = [
            TaxPart(
                "income_tax",
                _("Withholding tax (key formula)"),
                taxable,
                None,
                monthly,
                self.parameter,
                self.source,
            )
        ]
        if family:
            parts.append(
                TaxPart(
                    "family_reduction",
                    _("Withholding tax reduction for family charges"),
                    taxable,
                    None,
                    -family,
                    "payroll_withholding.children_reduction",
                    self.source,
                )
            )
        if bonus:
            parts.append(
                TaxPart(
                    "fiscal_work_bonus",
                    _("Fiscal work bonus"),
                    taxable,
                    None,
                    -bonus,
                    "payroll_work_bonus.fiscal_rate_a",
                    self.bonus_source,
                )
            )
        return parts

    # -- many payslips -----------------------------------------------------------

    def _scale_tax_many(self, income: Any) -> Any:
        import numpy as np

        total = np.zeros_like(income)
        lower = 0
        for upper, rate in self.scale:
            top = income if upper is None else np.minimum(income, upper)
            total = total + np.maximum(top - lower, 0) * rate
            lower = upper if upper is not None else lower
        return div_half_up_array(total, RATE_SCALE)

    def totals(self, taxable: Any, amounts: Mapping[str, Any]) -> Any:
        import numpy as np

        gross = np.maximum(taxable, 0) // self.step * self.step * 12
        expenses = np.minimum(
            div_half_up_array(gross * self.expense_rate, RATE_SCALE), self.expense_cap
        )
        net = gross - expenses
        if self.quotient is None:
            yearly = np.maximum(self._scale_tax_many(net) - self.exempt_reduction, 0)
        else:
            rate, cap = self.quotient
            share = np.minimum(div_half_up_array(net * rate, RATE_SCALE), cap)
            tax = self._scale_tax_many(net - share) + self._scale_tax_many(share)
            yearly = np.maximum(tax - 2 * self.exempt_reduction, 0)
        after_family = np.maximum(yearly // 12 - self.family_reduction, 0)
        bonus = np.zeros_like(taxable)
        for code, rate in self.fiscal_bonus:
            if code in amounts:
                bonus = bonus + amounts[code] * rate
        return after_family - np.minimum(div_half_up_array(bonus, RATE_SCALE), after_family)
