"""The hook coopkit_expense_categories: dated categories from the profiles, checked by the host."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from coopkit import hookimpl
from coopkit.countries import ExpenseCategory
from coopkit.law import LawNotInForce, ProfileError, load_profile
from coopkit.plugin_helpers import expense_categories_from_law
from coopkit.plugins import PluginError, PluginHost
from coopkit.testing import conformance_problems
from tests.test_plugins import make_testland

CENT = Decimal("0.01")


def test_hook_coopkit_expense_categories(plugins: PluginHost, tmp_path: Path) -> None:
    be = {c.code: c for c in plugins.expense_categories("BE", date(2026, 3, 1))}
    fr = {c.code: c for c in plugins.expense_categories("FR", date(2026, 3, 1))}
    assert next(iter(be)) == next(iter(fr)) == "general"
    assert be["passenger_car"].recoverable == Decimal("0.5")
    assert "art. 45, § 2" in be["passenger_car"].source
    assert be["meals_and_lodging"].recoverable == 0
    assert "art. 45, § 3, 3°" in be["meals_and_lodging"].source
    assert fr["lodging"].recoverable == 0
    assert "206, IV-2, 2°" in fr["lodging"].source
    assert fr["fuel_passenger_car"].recoverable == Decimal("0.8")
    assert fr["gift"].max_gross == Decimal("73")
    assert "28-00 A" in fr["gift"].source
    assert be["business_gift"].below_net == Decimal("50")
    assert all(c.label and c.source for c in [*be.values(), *fr.values()])
    # Before the first day the rules are in force, the law says so.
    with pytest.raises(LawNotInForce, match="2020-01-01"):
        plugins.expense_categories("BE", date(2019, 6, 1))

    # The hook is optional: a plugin without it serves its country, claims are refused.
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "vat.yaml").write_text(
        "standard:\n  values:\n    - {valid_from: 2020-01-01, value: 0.2, source: s}\n"
    )
    bare = PluginHost.from_plugins([("testland", make_testland(tmp_path / "xx"))])
    assert not bare.implements("XX", "coopkit_expense_categories")
    problems = " ".join(conformance_problems(bare, "XX", date(2026, 1, 1)))
    assert "expense" not in problems
    with pytest.raises(PluginError, match="coopkit_expense_categories"):
        bare.expense_categories("XX", date(2026, 1, 1))

    # A plugin giving a fraction above 1 or doubled codes is refused by the host.
    class Sloppy:
        @hookimpl
        def coopkit_expense_categories(self, country: str, on: date, law: object) -> object:
            if country != "XX":
                return None
            general = ExpenseCategory("general", "General", Decimal("1.5"), "s", on)
            return [general, general]

    sloppy = PluginHost.from_plugins(
        [("testland", make_testland(tmp_path / "xx")), ("sloppy", Sloppy())]
    )
    with pytest.raises(PluginError, match="between 0 and 1"):
        sloppy.expense_categories("XX", date(2026, 1, 1))


@pytest.mark.parametrize(
    ("yaml_value", "message"),
    [
        ("{recoverable: 1.5}", "between 0 and 1"),
        ("{recoverable: yes}", "not a number"),
        ("{fraction: 1}", "mapping with recoverable"),
        ("0.5", "mapping with recoverable"),
    ],
)
def test_a_malformed_category_names_the_file(tmp_path: Path, yaml_value: str, message: str) -> None:
    (tmp_path / "expense_vat.yaml").write_text(
        f"general:\n  values:\n    - {{valid_from: 2020-01-01, value: {yaml_value}, source: s}}\n"
    )
    law = load_profile("XX", tmp_path)
    with pytest.raises(ProfileError, match=message) as refused:
        expense_categories_from_law(law, date(2026, 1, 1))
    assert "expense_vat.general" in str(refused.value)


def test_recoverable_vat_rounds_half_up_and_respects_limits() -> None:
    car = ExpenseCategory("car", "Car", Decimal("0.5"), "s", date(2020, 1, 1))
    assert car.recoverable_vat(Decimal("10.00"), Decimal("2.05"), CENT) == Decimal("1.03")
    gift = ExpenseCategory("gift", "Gift", Decimal(1), "s", date(2021, 1, 1), max_gross=Decimal(73))
    assert gift.recoverable_vat(Decimal("60.83"), Decimal("12.17"), CENT) == Decimal("12.17")
    assert gift.recoverable_vat(Decimal("60.84"), Decimal("12.17"), CENT) == Decimal("0.00")
    small = ExpenseCategory("g", "G", Decimal(1), "s", date(2021, 1, 1), below_net=Decimal(50))
    assert small.recoverable_vat(Decimal("49.99"), Decimal("10.50"), CENT) == Decimal("10.50")
    assert small.recoverable_vat(Decimal("50.00"), Decimal("10.50"), CENT) == Decimal("0.00")
