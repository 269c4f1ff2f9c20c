"""Exact decimal columns, correct on SQLite and PostgreSQL.

PostgreSQL stores ``NUMERIC(precision, scale)``. SQLite has no exact decimal
type (NUMERIC there is a float in disguise), so the same column is stored as
an INTEGER count of ``10**-scale`` units: sums and comparisons in SQL stay
exact, and the Python side always sees a ``Decimal``. Floats are refused, and
so is a value with more digits than the column keeps.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Enum, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from coopkit.money import MoneyError, to_decimal


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal column: NUMERIC on PostgreSQL, scaled INTEGER on SQLite."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 18, scale: int = 4) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision = precision
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def _exact(self, value: Any) -> Decimal:
        number = to_decimal(value)
        exact = number.quantize(self._quantum)
        if exact != number:
            raise MoneyError(f"{number} has more than {self.scale} decimal places for this column")
        if len(exact.as_tuple().digits) > self.precision:
            raise MoneyError(f"{number} has more than {self.precision} digits for this column")
        return exact

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        exact = self._exact(value)
        if dialect.name == "sqlite":
            return int(exact.scaleb(self.scale))
        return exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self._quantum)
        return Decimal(value).quantize(self._quantum)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine[Any]:
        return self


class Amount(ExactDecimal):
    """A money amount: 4 decimal places cover every ISO 4217 minor unit."""

    cache_ok = True

    def __init__(self) -> None:
        super().__init__(precision=18, scale=4)


class Rate(ExactDecimal):
    """A rate or a quantity (0.1307, 151.67 hours): 6 decimal places."""

    cache_ok = True

    def __init__(self) -> None:
        super().__init__(precision=18, scale=6)


def enum_column(enum_class: type[enum.Enum], length: int = 20) -> Enum:
    """A Python enum stored as its values in a VARCHAR (no database enum type to migrate)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )
