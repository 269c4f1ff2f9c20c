"""Exact integer arithmetic for payroll: cents, scaled rates, half-up rounding.

Amounts are integer cents, rates integers scaled by :data:`RATE_SCALE` (10^6:
0.069 → 69 000), so a line is ``round_half_up(base × rate / 10^6)`` with no
float anywhere. The scalar evaluator uses these on Python ints, the batch
evaluator the same formulas on numpy int64 arrays.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

RATE_SCALE = 1_000_000
RATE_DIGITS = 6
CENT = Decimal("0.01")


class ScaleError(ValueError):
    """A legal value that does not fit the exact integer scale."""


def scaled(value: Decimal | int, scale: int = RATE_SCALE, what: str = "rate") -> int:
    """``value`` × ``scale`` as an int; raise if that is not exact (0.0000001 at 10^6)."""
    product = Decimal(value) * scale
    if product != product.to_integral_value():
        raise ScaleError(f"{what} {value} has more decimals than the scale 1/{scale} allows")
    return int(product)


def to_cents(amount: Decimal | int | str) -> int:
    """An amount in euros (or any 2-decimal currency) as integer cents; refuses sub-cents."""
    return scaled(Decimal(amount), 100, "amount")


def from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def div_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, for a positive denominator."""
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


def div_half_up_array(numerator: Any, denominator: Any) -> Any:
    """:func:`div_half_up` on numpy int64 arrays (same results, element by element)."""
    import numpy as np

    positive = (2 * numerator + denominator) // (2 * denominator)
    negative = -((-2 * numerator + denominator) // (2 * denominator))
    return np.where(numerator >= 0, positive, negative)


def apply_rate(base_cents: int, rate: int) -> int:
    """``base × rate`` rounded half-up to the cent; ``rate`` scaled by 10^6."""
    return div_half_up(base_cents * rate, RATE_SCALE)
