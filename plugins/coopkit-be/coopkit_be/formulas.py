"""Belgian amounts by formula: the work bonus and the special social security scale.

Both implement :class:`coopkit.payroll.AmountFormula` twice, on Python ints
(``amount``) and on numpy int64 arrays (``amounts``), with the same integer
arithmetic, so the two agree exactly. Amounts are cents, rates are integers
scaled by 10^6 (10^4 for the work-bonus coefficient, as the law gives it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coopkit.payroll.cents import RATE_SCALE, apply_rate, div_half_up, div_half_up_array

COEFFICIENT_SCALE = 10_000
PERCENT = 100
NO_MAXIMUM = 2**62  # cents; a bracket without its own maximum


@dataclass(frozen=True)
class WorkBonusPart:
    """One part (A or B) of the work bonus for a month.

    With W the gross, H the paid hours and U the full-time hours (never more than
    U paid), the reference wage is S = W × U / H; R = maximum while S ≤ low, then
    maximum − coefficient × (S − low) until high, 0 above, rounded half-up to the
    cent; the month's reduction is P = R × H / U, the fraction H / U rounded
    half-up to two decimals and never above 1 (ONSS instructions, "Werkbonus"),
    P rounded half-up to the cent.
    """

    maximum: int  # cents
    low: int  # cents
    high: int  # cents
    coefficient: int  # × 10^4
    parameter: str
    source: str

    def amount(self, base: int, gross: int, hours_c: int, full_c: int) -> int:
        hours = min(hours_c, full_c)
        if gross <= 0 or hours <= 0:
            return 0
        reference = gross * full_c  # S × H, exact
        if reference > self.high * hours:
            return 0
        if reference <= self.low * hours:
            basic = self.maximum
        else:
            numerator = self.maximum * hours * COEFFICIENT_SCALE - self.coefficient * (
                reference - self.low * hours
            )
            basic = min(max(div_half_up(numerator, hours * COEFFICIENT_SCALE), 0), self.maximum)
        fraction = min(div_half_up(hours * PERCENT, full_c), PERCENT)
        return div_half_up(basic * fraction, PERCENT)

    def amounts(self, base: Any, gross: Any, hours_c: Any, full_c: int) -> Any:
        import numpy as np

        hours = np.minimum(hours_c, full_c)
        safe_hours = np.maximum(hours, 1)
        reference = gross * full_c
        numerator = self.maximum * safe_hours * COEFFICIENT_SCALE - self.coefficient * (
            reference - self.low * safe_hours
        )
        sloped = div_half_up_array(numerator, safe_hours * COEFFICIENT_SCALE)
        sloped = np.minimum(np.maximum(sloped, 0), self.maximum)
        basic = np.where(reference <= self.low * safe_hours, self.maximum, sloped)
        basic = np.where(reference > self.high * safe_hours, 0, basic)
        fraction = np.minimum(div_half_up_array(safe_hours * PERCENT, full_c), PERCENT)
        result = div_half_up_array(basic * fraction, PERCENT)
        return np.where((gross > 0) & (hours > 0), result, 0)


@dataclass(frozen=True)
class MonthlyScale:
    """A scale of fixed amounts and rates on a monthly base, with a cap.

    ``brackets`` are (lower bound in cents, exclusive; fixed cents; rate × 10^6 on
    the part above the lower bound; minimum cents; maximum cents, NO_MAXIMUM for
    none), in increasing order: the last bracket whose lower bound the base
    exceeds gives fixed + rate × (base − lower), rounded half-up to the cent and
    kept between its minimum and maximum. The result is at most ``cap`` cents.
    """

    brackets: tuple[tuple[int, int, int, int, int], ...]
    cap: int
    parameter: str
    source: str

    def amount(self, base: int, gross: int, hours_c: int, full_c: int) -> int:
        result = 0
        for lower, fixed, rate, minimum, maximum in self.brackets:
            if base > lower:
                result = min(max(fixed + apply_rate(base - lower, rate), minimum), maximum)
        return min(result, self.cap)

    def amounts(self, base: Any, gross: Any, hours_c: Any, full_c: int) -> Any:
        import numpy as np

        result = np.zeros_like(base)
        for lower, fixed, rate, minimum, maximum in self.brackets:
            value = fixed + div_half_up_array((base - lower) * rate, RATE_SCALE)
            value = np.minimum(np.maximum(value, minimum), maximum)
            result = np.where(base > lower, value, result)
        return np.minimum(result, self.cap)
