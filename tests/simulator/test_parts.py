"""The simulator's parts on their own: reading questions, numbers typed by people, the bar."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coopkit import i18n
from coopkit.money import Money
from coopkit.payroll import PayrollRules
from coopkit.payroll.questions import FieldError, SalaryQuestion, parse_profile, read_question
from coopkit.plugins import PluginHost
from coopkit.web.charts import BAR_WIDTH, stacked_bar
from coopkit.web.pages.simulator_form import plain_number, shown_default


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("3000.50", "en", "3000.50"),
        ("3,000.50", "en", "3000.50"),
        ("3 000,50", "fr_FR", "3000.50"),
        ("3\u202f000,50", "fr_FR", "3000.50"),
        ("3\u00a0000,50", "fr_BE", "3000.50"),
        ("3000.50", "fr_FR", "3000.50"),
        ("1.500", "de", "1500"),  # the German way: a thousand five hundred
        ("1.5", "de", "1.5"),  # not the German way, but plain
        ("0,009", "nl_BE", "0.009"),
        ("-3", "en", "-3"),
        ("a lot", "en", "a lot"),
        ("  ", "en", ""),
    ],
)
def test_numbers_typed_the_readers_way(text: str, locale: str, expected: str) -> None:
    assert plain_number(text, locale) == expected


def test_defaults_are_written_the_readers_way() -> None:
    assert shown_default("0.009", "fr_FR") == "0,009"
    assert shown_default("0.009", "en") == "0.009"
    assert shown_default("cdi", "en") == "cdi"
    assert shown_default(None, "en") == ""


def test_plain_numbers_round_trip_through_the_readers_formatting() -> None:
    for locale in ("en", "fr_FR", "nl_BE", "de_BE"):
        for amount in ("0.01", "3000.50", "1234567.89"):
            shown = i18n.format_number(Decimal(amount), locale)
            assert Decimal(plain_number(shown, locale)) == Decimal(amount), (locale, shown)


def euros(text: str) -> Money:
    return Money(Decimal(text), "EUR")


def test_the_bar_is_split_in_proportion_and_filled_exactly() -> None:
    parts = [("a", "A", euros("1000.00")), ("b", "B", euros("333.33")), ("c", "C", euros("0.01"))]
    segments = stacked_bar(parts, euros("3000.00"))
    assert [s.key for s in segments] == ["a", "b", "c"]
    assert [s.x for s in segments] == [Decimal(0), Decimal("333.33"), Decimal("444.44")]
    assert [s.width for s in segments] == [Decimal("333.33"), Decimal("111.11"), Decimal("0.01")]
    assert [s.share for s in segments] == [Decimal("0.333"), Decimal("0.111"), Decimal("0.000")]
    whole = stacked_bar([*parts, ("rest", "R", euros("1666.66"))], euros("3000.00"))
    assert sum(s.width for s in whole) == BAR_WIDTH


def test_the_bar_draws_a_negative_part_as_nothing_and_survives_an_empty_whole() -> None:
    segments = stacked_bar([("a", "A", euros("-5")), ("b", "B", euros("10"))], euros("10"))
    assert [s.width for s in segments] == [Decimal(0), BAR_WIDTH]
    assert segments[0].amount == euros("-5")  # the legend still tells the truth
    empty = stacked_bar([("a", "A", euros("0"))], euros("0"))
    assert empty[0].width == 0


# -- reading a question ----------------------------------------------------------------------


@pytest.fixture
def rules(plugins: PluginHost) -> PayrollRules:
    return plugins.payroll_rules("FR")


def test_a_question_read_into_exact_inputs(rules: PayrollRules) -> None:
    read = read_question(
        rules,
        SalaryQuestion(
            month=" 2026-03 ",
            budget="3000.50",
            days="6.5",
            tax_rate="0.075",
            profile={"contract": "cdd", "employees": "12", "mobility_rate": "0.0295", "x": ""},
        ),
    )
    assert read.budget == Decimal("3000.50")
    assert read.gross is None
    assert read.inputs.month.isoformat() == "2026-03-01"
    assert read.inputs.hours == Decimal("45.5")
    assert read.inputs.tax_rate == Decimal("0.075")
    profile = read.inputs.profile
    assert (profile.contract, profile.category, profile.employees) == ("cdd", "non-executive", 12)
    assert profile.accident_rate == Decimal("0.009")  # the country's default
    assert profile.options == (("mobility_rate", "0.0295"),)


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"employees": "0"}, "employees"),
        ({"employees": "ten"}, "employees"),
        ({"accident_rate": "1.5"}, "accident_rate"),
        ({"category": "intern"}, "category"),
        ({"provident_employer_rate": "-0.01"}, "provident_employer_rate"),
    ],
)
def test_a_profile_fault_names_its_field(
    rules: PayrollRules, profile: dict[str, str], field: str
) -> None:
    with pytest.raises(FieldError) as caught:
        parse_profile(rules, profile)
    assert caught.value.field == field
    assert str(caught.value) == caught.value.message % caught.value.params


def test_field_errors_are_translatable_msgids(rules: PayrollRules) -> None:
    with pytest.raises(FieldError) as caught:
        read_question(rules, SalaryQuestion(month="2026-03", budget="-1", days="2"))
    error = caught.value
    assert error.message == "%(value)s is negative: give an amount of money"
    assert i18n.gettext("en", error.message, **error.params) == str(error)
