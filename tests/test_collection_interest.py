"""Late-payment interest: worked examples of coopkit.collection.interest and the law data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from coopkit.collection.interest import (
    RatePeriod,
    interest_due,
    interest_stretches,
    is_commercial,
)
from coopkit.law import LawNotInForce
from coopkit.plugins import PluginHost


def law_rates(plugins: PluginHost, country: str):  # type: ignore[no-untyped-def]
    def rate_on(day: date) -> RatePeriod:
        terms = plugins.late_payment_terms(country, day)
        assert terms is not None
        return RatePeriod(
            terms.rate, terms.rate_valid_from, terms.rate_valid_until, terms.rate_source
        )

    return rate_on


def test_a_belgian_invoice_45_days_late_across_a_semester_change(plugins: PluginHost) -> None:
    """1 210.00 EUR due on 2025-06-15, unpaid on 2025-07-30: 45 days late.

    16-30 June 2025, 15 days at 11.5 % (first semester): 1210 × 0.115 × 15 / 365 = 5.718493…
    1-30 July 2025, 30 days at 10.5 % (second semester): 1210 × 0.105 × 30 / 365 = 10.442465…
    Together 16.160958… → 16.16 EUR.
    """
    stretches = interest_stretches(
        [(date(2025, 5, 16), Decimal("1210.00"))],
        date(2025, 6, 15),
        date(2025, 7, 30),
        law_rates(plugins, "BE"),
    )
    assert [(s.start, s.end, s.days, s.rate) for s in stretches] == [
        (date(2025, 6, 16), date(2025, 6, 30), 15, Decimal("0.115")),
        (date(2025, 7, 1), date(2025, 7, 30), 30, Decimal("0.105")),
    ]
    assert interest_due(stretches, "EUR") == Decimal("16.16")


def test_the_same_invoice_in_france(plugins: PluginHost) -> None:
    """ECB refinancing rate + 10 points: 13.15 % then 12.15 %.

    1210 × 0.1315 × 15 / 365 = 6.538972… ; 1210 × 0.1215 × 30 / 365 = 12.083424…
    Together 18.622397… → 18.62 EUR.
    """
    stretches = interest_stretches(
        [(date(2025, 5, 16), Decimal("1210.00"))],
        date(2025, 6, 15),
        date(2025, 7, 30),
        law_rates(plugins, "FR"),
    )
    assert interest_due(stretches, "EUR") == Decimal("18.62")


def test_a_partial_payment_lowers_the_amount_from_its_day(plugins: PluginHost) -> None:
    """500.00 paid on 2025-07-10 of the 1 210.00 due on 2025-06-15; counted to 2025-07-30.

    15 days × 1210 at 11.5 % = 5.718493…; 9 days (1-9 July) × 1210 at 10.5 % = 3.132739…;
    21 days (10-30 July) × 710 at 10.5 % = 4.289178…; together 13.140410… → 13.14.
    """
    stretches = interest_stretches(
        [(date(2025, 5, 16), Decimal("1210.00")), (date(2025, 7, 10), Decimal("710.00"))],
        date(2025, 6, 15),
        date(2025, 7, 30),
        law_rates(plugins, "BE"),
    )
    assert [s.days for s in stretches] == [15, 9, 21]
    assert interest_due(stretches, "EUR") == Decimal("13.14")


def test_rounding_happens_once_at_the_end_and_half_up() -> None:
    """36.50 at 12.5 % for one day is 0.0125 exactly; two such days in two periods make
    0.025, which rounds half-up to 0.03 (rounding each day first would give 0.02)."""

    def rate_on(day: date) -> RatePeriod:
        return RatePeriod(Decimal("0.125"), day, day, "test")

    stretches = interest_stretches(
        [(date(2025, 1, 1), Decimal("36.50"))], date(2025, 6, 30), date(2025, 7, 2), rate_on
    )
    assert [s.exact for s in stretches] == [Decimal("0.0125"), Decimal("0.0125")]
    assert interest_due(stretches, "EUR") == Decimal("0.03")


def test_nothing_owed_or_not_late_gives_no_interest(plugins: PluginHost) -> None:
    rate_on = law_rates(plugins, "BE")
    paid = [(date(2025, 5, 16), Decimal("1210.00")), (date(2025, 6, 20), Decimal(0))]
    stretches = interest_stretches(paid, date(2025, 6, 15), date(2025, 7, 30), rate_on)
    assert [s.days for s in stretches] == [4]
    assert interest_stretches(paid, date(2025, 6, 15), date(2025, 6, 15), rate_on) == []


def test_only_business_clients_owe_commercial_interest() -> None:
    assert is_commercial("company")
    assert not is_commercial("person")


def test_a_day_without_a_recorded_rate_is_refused(plugins: PluginHost) -> None:
    with pytest.raises(LawNotInForce):
        interest_stretches(
            [(date(2026, 5, 1), Decimal("100"))],
            date(2026, 6, 1),
            date(2026, 7, 15),
            law_rates(plugins, "BE"),
        )
