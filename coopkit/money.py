"""Exact money: a Decimal amount with an explicit ISO 4217 currency.

Never a float. Amounts are rounded to the currency's own minor unit (2 for EUR,
0 for JPY, 3 for TND) with banker's-free ROUND_HALF_UP, the rule commercial
documents use; payroll rules that round differently do it explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_precision, list_currencies


class MoneyError(ValueError):
    """An amount or a currency that cannot be money."""


@cache
def _iso_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def check_currency(code: str) -> str:
    """Return ``code`` if it is an ISO 4217 currency code, else raise MoneyError."""
    if code not in _iso_currencies():
        raise MoneyError(f"{code!r} is not an ISO 4217 currency code (for example EUR, CHF, PLN)")
    return code


@cache
def minor_unit(currency: str) -> Decimal:
    """The smallest amount of ``currency``: Decimal('0.01') for EUR, Decimal('1') for JPY."""
    return Decimal(1).scaleb(-get_currency_precision(check_currency(currency)))


def to_decimal(value: object) -> Decimal:
    """Turn a str, int or Decimal into a finite Decimal; floats are refused."""
    if isinstance(value, bool | float):
        raise MoneyError(f"refusing {value!r}: give money as a string or Decimal, never a float")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise MoneyError(f"{value!r} is not a number") from None
    else:
        raise MoneyError(f"refusing {value!r} of type {type(value).__name__} as an amount")
    if not result.is_finite():
        raise MoneyError(f"{value!r} is not a finite amount")
    return result


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one currency, always rounded to the currency's minor unit."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        check_currency(self.currency)
        amount = to_decimal(self.amount).quantize(minor_unit(self.currency), ROUND_HALF_UP)
        object.__setattr__(self, "amount", amount)

    @classmethod
    def of(cls, amount: object, currency: str) -> Money:
        return cls(to_decimal(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    @property
    def minor_units(self) -> int:
        """The amount as an integer count of the currency's minor unit (cents for EUR)."""
        return int(self.amount / minor_unit(self.currency))

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
