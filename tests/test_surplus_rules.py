"""The surplus law of the countries (coopkit_surplus_rules) and SurplusRules.refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from coopkit.countries import SurplusRules, SurplusSplit
from coopkit.plugins import PluginHost

DAY = date(2026, 6, 12)


def test_hook_coopkit_surplus_rules(plugins: PluginHost) -> None:
    # Belgium, accredited coop: paid-up capital 200,000.00; the cap is
    # 6 % × 200,000.00 = 12,000.00 of dividends.
    belgian = plugins.surplus_rules("BE", DAY)
    assert belgian.dividend_cap == Decimal("0.06")
    capital = Decimal("200000.00")
    # 7 % of nominal: 14,000.00 > 12,000.00, refused with the rule.
    seven = SurplusSplit(
        surplus=Decimal("50000.00"),
        other_reserves=Decimal("36000.00"),
        dividends=Decimal("14000.00"),
    )
    (refusal,) = belgian.refusals(seven, capital)
    assert "exceed 6 % of the paid-up capital of 200000.00 (12000 at most)" in refusal.message
    assert "8 janvier 1962" in refusal.rule
    # 6 %: exactly 12,000.00, accepted.
    six = SurplusSplit(
        surplus=Decimal("50000.00"),
        other_reserves=Decimal("38000.00"),
        dividends=Decimal("12000.00"),
    )
    assert belgian.refusals(six, capital) == []

    # France, SCOP: surplus 100,000.00 → legal reserve ≥ 15 % = 15,000.00, workers'
    # share ≥ 25 % = 25,000.00, dividends ≤ the workers' share and ≤ the reserves.
    french = plugins.surplus_rules("FR", DAY)
    legal = SurplusSplit(
        surplus=Decimal("100000.00"),
        legal_reserve=Decimal("15000.00"),
        other_reserves=Decimal("45000.00"),
        workers_share=Decimal("25000.00"),
        dividends=Decimal("15000.00"),
    )
    assert french.refusals(legal, Decimal("80000.00")) == []
    # A workers' share of 20 % (20,000.00 < 25,000.00) is refused, citing art. 33 3°.
    twenty = SurplusSplit(
        surplus=Decimal("100000.00"),
        legal_reserve=Decimal("15000.00"),
        other_reserves=Decimal("50000.00"),
        workers_share=Decimal("20000.00"),
        dividends=Decimal("15000.00"),
    )
    (refusal,) = french.refusals(twenty, Decimal("80000.00"))
    assert "workers' share is 20000.00, at least 25 % of the surplus (25000) is required" in (
        refusal.message
    )
    assert "art. 33 3°" in refusal.rule


def test_french_dividends_are_bounded_by_the_workers_share_and_the_reserves() -> None:
    rules = SurplusRules(
        legal_reserve_min=Decimal("0.15"),
        workers_share_min=Decimal("0.25"),
        dividends_at_most_workers_share=True,
        dividends_at_most_reserves=True,
        dividends_bounds_source="loi 78-763 art. 33 4°",
    )
    # Surplus 100: reserve 15, workers 25, dividends 60 > 25 (workers) and > 15 (reserves).
    greedy = SurplusSplit(
        surplus=Decimal(100),
        legal_reserve=Decimal(15),
        workers_share=Decimal(25),
        dividends=Decimal(60),
    )
    messages = [r.message for r in rules.refusals(greedy, Decimal(1000))]
    assert messages == [
        "dividends of 60 exceed the workers' share of 25",
        "dividends of 60 exceed the 15 allocated to reserves",
    ]


def test_a_full_legal_reserve_needs_no_more_allocation() -> None:
    rules = SurplusRules(legal_reserve_min=Decimal("0.15"), legal_reserve_source="art. 33 1°")
    split = SurplusSplit(surplus=Decimal(100), other_reserves=Decimal(100))
    assert len(rules.refusals(split, Decimal(0))) == 1
    assert rules.refusals(split, Decimal(0), legal_reserve_full=True) == []


def test_the_parts_must_add_up_to_the_surplus() -> None:
    split = SurplusSplit(surplus=Decimal("100.00"), ristourne=Decimal("90.00"))
    (refusal,) = SurplusRules().refusals(split, Decimal(0))
    assert refusal.message.startswith("the parts add up to 90.00, not to the surplus of 100.00")
    negative = SurplusSplit(surplus=Decimal(0), ristourne=Decimal(-5), carried_forward=Decimal(5))
    assert [r.message for r in SurplusRules().refusals(negative, Decimal(0))] == [
        "the ristourne cannot be negative (-5)"
    ]


def test_a_plugin_without_surplus_rules_checks_only_the_arithmetic(tmp_path: object) -> None:
    from pathlib import Path

    from tests.test_plugins import CountryOnly

    folder = Path(str(tmp_path)) / "yy"
    folder.mkdir()
    (folder / "vat.yaml").write_text(
        "standard:\n  values:\n    - {valid_from: 2020-01-01, value: 0.2, source: s}\n",
        encoding="utf-8",
    )
    host = PluginHost.from_plugins([("only", CountryOnly("YY", folder))])
    assert host.surplus_rules("YY", DAY) == SurplusRules()
