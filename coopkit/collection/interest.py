"""Late-payment interest and the fixed compensation: pure functions, no database.

Directive 2011/7/EU (Belgium: loi du 2 août 2002, art. 5-6; France: Code de
commerce L441-10, D441-5): when a business client pays after the due date,
interest runs by operation of law from the day after the due date on what is
still owed (VAT included), at the national rate in force on each day, and a
fixed compensation for recovery costs (40 euros) is due once per invoice.

Interest is simple and by the day::

    interest = Σ amount owed × yearly rate × days / 365

summed over the stretches where neither the amount owed (a partial payment
lowers it from its day) nor the rate (a new semester) changes, and rounded
half-up to the currency's minor unit only at the end. Consumers (person
clients) are outside the directive: :func:`is_commercial` says who is charged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from coopkit.money import minor_unit

DAYS_IN_YEAR = 365


@dataclass(frozen=True)
class RatePeriod:
    """A yearly rate from ``start`` to ``end`` inclusive (``None``: no later value known)."""

    rate: Decimal
    start: date
    end: date | None
    source: str


@dataclass(frozen=True)
class InterestStretch:
    """Days from ``start`` to ``end`` inclusive with one amount owed and one rate."""

    start: date
    end: date
    amount: Decimal
    rate: Decimal
    source: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def exact(self) -> Decimal:
        """The stretch's interest, unrounded."""
        return self.amount * self.rate * self.days / DAYS_IN_YEAR


def is_commercial(client_kind: str) -> bool:
    """Whether a client of this kind is charged commercial interest and compensation (B2B)."""
    return client_kind == "company"


def interest_stretches(
    owed: Sequence[tuple[date, Decimal]],
    due_date: date,
    until: date,
    rate_on: Callable[[date], RatePeriod],
) -> list[InterestStretch]:
    """Split the late days from the day after ``due_date`` to ``until`` into stretches.

    ``owed`` lists ``(day, amount owed from that day on)`` in date order (the
    invoice's total, then what is left after each payment or credit note);
    ``rate_on(day)`` gives the rate period in force on a day (and raises when
    the law records none). Days with nothing owed produce no stretch.
    """
    stretches: list[InterestStretch] = []
    day = due_date + timedelta(days=1)
    while day <= until:
        amount = Decimal(0)
        next_change: date | None = None
        for start, value in owed:
            if start <= day:
                amount = value
            elif next_change is None:
                next_change = start
        period = rate_on(day)
        end = until
        if period.end is not None:
            end = min(end, period.end)
        if next_change is not None:
            end = min(end, next_change - timedelta(days=1))
        if amount > 0:
            stretches.append(InterestStretch(day, end, amount, period.rate, period.source))
        day = end + timedelta(days=1)
    return stretches


def interest_due(stretches: Sequence[InterestStretch], currency: str) -> Decimal:
    """The interest of the stretches, summed exactly and rounded half-up once, at the end."""
    total = sum((stretch.exact for stretch in stretches), Decimal(0))
    return total.quantize(minor_unit(currency), ROUND_HALF_UP)
