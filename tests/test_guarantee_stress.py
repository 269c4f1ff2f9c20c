"""The stress test: worked examples computed by hand, the floor, the horizon, the refusals,
and the averages read from a real ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coopkit.guarantee.stress import StressError, StressResult, simulate, stress_test, year_before
from coopkit.plugins import PluginHost
from tests.fund_world import session_fixture, world_fixture  # noqa: F401  (fixtures)
from tests.invoicing_world import World
from tests.test_guarantee_report import D, worked_example


def run(
    balance: str, outstanding: str, rate: str, contributions: str, advances: str, floor: str = "0"
) -> StressResult:
    return simulate(
        Decimal(balance),
        Decimal(outstanding),
        rate=Decimal(rate),
        floor=Decimal(floor),
        contributions=Decimal(contributions),
        advances=Decimal(advances),
    )


def test_the_fund_lasts_until_defaults_outpace_contributions() -> None:
    # 10,000 held, 3,000 out; 20 % default: the shock absorbs 600 (9,400 held, 2,400 out,
    # free 7,000). Each month +200 contributed, 2,000 advanced, 400 of them lost: −200 a
    # month. Balance 9,400 − 200·m: 0 after 47 months (not below), −200 after 48.
    result = run("10000.00", "3000.00", "20", "200.00", "2000.00")
    shock = result.path[0]
    assert (shock.defaults, shock.balance, shock.outstanding) == (
        Decimal("600.00"), Decimal("9400.00"), Decimal("2400.00"))  # fmt: skip
    assert shock.free_capacity == Decimal("7000.00")
    first = result.path[1]
    assert (first.contributions, first.new_advances, first.defaults) == (
        Decimal("200.00"), Decimal("2000.00"), Decimal("400.00"))  # fmt: skip
    assert (first.balance, first.outstanding) == (Decimal("9200.00"), Decimal("2400.00"))
    assert result.path[47].balance == 0
    assert result.path[48].balance == Decimal("-200.00")
    assert result.months == 47
    assert len(result.path) == 49  # months 0 to 48, where it fell below


def test_a_floor_shortens_it() -> None:
    # Balance 9,400 − 200·m < 5,000 first when m = 23: it lasts 22 months.
    result = run("10000.00", "3000.00", "20", "200.00", "2000.00", floor="5000.00")
    assert result.months == 22
    assert result.path[-1].balance == Decimal("4800.00")


def test_beyond_the_horizon_and_at_once() -> None:
    # 5 %: 100 lost a month against 200 contributed: the balance grows, 120 months.
    lasting = run("10000.00", "3000.00", "5", "200.00", "2000.00")
    assert lasting.months is None
    assert len(lasting.path) == 121
    assert lasting.path[-1].balance == Decimal("9850.00") + 120 * Decimal("100.00")
    # 1,000 held against 3,000 out: already below the floor of 0 after the shock.
    broke = run("1000.00", "3000.00", "50", "200.00", "2000.00")
    assert (broke.months, len(broke.path), broke.path[0].balance) == (0, 1, Decimal("-500.00"))


def test_rounding_is_half_up_to_the_cent() -> None:
    # 12.5 % of 0.20 outstanding is 0.025 → 0.03; of 10.04 advanced is 1.255 → 1.26.
    result = run("100.00", "0.20", "12.5", "1.00", "10.04")
    assert result.path[0].defaults == Decimal("0.03")
    assert result.path[1].defaults == Decimal("1.26")
    assert result.path[1].balance == Decimal("100.00") - Decimal("0.03") + 1 - Decimal("1.26")
    # Balance 99.97 − 0.26·m: first below 0 at m = 385 > 120.
    assert result.months is None


@pytest.mark.parametrize(("rate", "floor"), [("-1", "0"), ("100.01", "0"), ("NaN", "0"),
                                              ("20", "-1"), ("20", "Infinity")])  # fmt: skip
def test_refuses_a_rate_outside_0_100_and_a_negative_floor(rate: str, floor: str) -> None:
    with pytest.raises(StressError):
        run("10.00", "1.00", rate, "1.00", "1.00", floor)


def test_a_year_before() -> None:
    assert year_before(date(2026, 6, 30)) == date(2025, 6, 30)
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_from_the_ledger(session: Session, world: World, plugins: PluginHost) -> None:
    worked_example(session, world, plugins)
    # Over the year to D: 3,000.00 contributed → 250.00 a month; advances 500 + 300 + 200 +
    # 400 + 100 + 70 + 80 + 50 = 1,700.00 → 141.67 a month (the ones after D not counted).
    result = stress_test(session, day=D, rate=Decimal("50"))
    assert (result.monthly_contributions, result.monthly_advances) == (
        Decimal("250.00"), Decimal("141.67"))  # fmt: skip
    shock = result.path[0]  # 50 % of 1,500.00 absorbed from 2,950.00
    assert (shock.balance, shock.outstanding) == (Decimal("2200.00"), Decimal("750.00"))
    # 70.835 → 70.84 lost a month: 2,200.00 + 250.00 − 70.84.
    assert result.path[1].balance == Decimal("2379.16")
    assert result.months is None
    # A floor above the balance after the shock (2,200.00): not a month.
    assert stress_test(session, day=D, rate=Decimal("50"), floor=Decimal("2200.01")).months == 0
    assert stress_test(session, day=D, rate=Decimal("50"), floor=Decimal("2200.00")).months is None
    # Nothing in the year before the fund's first entry.
    early = stress_test(session, day=date(2026, 3, 1), rate=Decimal("20"))
    assert (early.monthly_contributions, early.monthly_advances, early.months) == (
        Decimal("0.00"),
        Decimal("0.00"),
        None,
    )
