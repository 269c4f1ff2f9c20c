"""The French general reduction of employer contributions, as two exact evaluators.

``Fillon`` is the formula in force until 2025, ``Rgdu`` the réduction générale
dégressive unique from 2026 (CSS art. L241-13, D241-7). Both compute the
coefficient rounded half-up to 4 decimals, scaled by 10^4, on Python ints
(``coefficient``) and on numpy arrays (``coefficients``); the two agree exactly.
``minimum_x`` is the prorated SMIC in 10^-4 euros (hourly cents × hours × 100),
the gross is in cents.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from coopkit.payroll.cents import div_half_up, div_half_up_array

DIGITS = 4


@dataclass(frozen=True)
class Fillon:
    """C = T / (M − 1) × (M × SMIC / pay − 1), clamped to [0, T]; T and M exact."""

    max_coefficient: int  # T × 10^4
    exit_multiple_c: int  # M × 100
    parameter: str
    source: str
    digits: int = DIGITS

    def coefficient(self, gross_cents: int, minimum_x: int) -> int:
        pay = gross_cents * 100
        numerator = self.exit_multiple_c * minimum_x - 100 * pay
        if pay <= 0 or numerator <= 0:
            return 0
        denominator = (self.exit_multiple_c - 100) * pay
        return min(self.max_coefficient, div_half_up(self.max_coefficient * numerator, denominator))

    def coefficients(self, gross_cents: Any, minimum_x: Any) -> Any:
        import numpy as np

        pay = gross_cents * 100
        numerator = self.exit_multiple_c * minimum_x - 100 * pay
        denominator = np.maximum((self.exit_multiple_c - 100) * pay, 1)
        raw = div_half_up_array(self.max_coefficient * np.maximum(numerator, 0), denominator)
        return np.where((pay > 0) & (numerator > 0), np.minimum(raw, self.max_coefficient), 0)


@dataclass(frozen=True)
class Rgdu:
    """C = Tmin + round4(Tdelta × [½ × (M × SMIC / pay − 1)]^P); 0 from M × SMIC."""

    min_coefficient: int  # Tmin × 10^4
    delta: Decimal
    power: Decimal
    exit_multiple_c: int  # M × 100
    parameter: str
    source: str
    digits: int = DIGITS

    @property
    def _cap(self) -> int:
        return self.min_coefficient + int(self.delta * 10**DIGITS)

    def _delta_part(self, numerator: int, denominator: int) -> int:
        with localcontext() as context:
            context.prec = 40
            ratio = Decimal(numerator) / Decimal(denominator)
            value = self.delta * ratio**self.power * 10**DIGITS
            return int(value.quantize(Decimal(1), ROUND_HALF_UP))

    def coefficient(self, gross_cents: int, minimum_x: int) -> int:
        pay = gross_cents * 100
        numerator = self.exit_multiple_c * minimum_x - 100 * pay
        if pay <= 0 or numerator <= 0:
            return 0
        part = self._delta_part(numerator, 200 * pay)
        return min(self._cap, self.min_coefficient + part)

    def coefficients(self, gross_cents: Any, minimum_x: Any) -> Any:
        import numpy as np

        pay = gross_cents * 100
        numerator = self.exit_multiple_c * minimum_x - 100 * pay
        eligible = (pay > 0) & (numerator > 0)
        ratio = np.maximum(numerator, 0) / np.maximum(200 * pay, 1)
        scaled = float(self.delta) * ratio ** float(self.power) * 10**DIGITS
        part = np.floor(scaled + 0.5).astype(np.int64)
        # Floats are exact enough except next to a half: redo those with Decimal.
        doubtful = np.flatnonzero(eligible & (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6))
        for index in doubtful:
            part[index] = self._delta_part(int(numerator[index]), int(200 * pay[index]))
        result = np.minimum(self._cap, self.min_coefficient + part)
        return np.where(eligible, result, 0)
