"""Money is exact: ExactDecimal columns on both databases, and coopkit.money.Money."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import StatementError

from coopkit.db.types import Amount, ExactDecimal, Rate
from coopkit.money import Money, MoneyError, check_currency, minor_unit, to_decimal
from tests.conftest import Database

# --- ExactDecimal columns, on SQLite and PostgreSQL ----------------------------


@pytest.fixture
def ledger(db: Database) -> Iterator[tuple[Engine, Table]]:
    """A throw-away table with exact columns, made and dropped by the table owner."""
    metadata = MetaData()
    table = Table(
        f"exact_check_{uuid.uuid4().hex[:8]}",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("amount", Amount()),
        Column("rate", Rate()),
        Column("small", ExactDecimal(precision=5, scale=2)),
    )
    metadata.create_all(db.owner_engine)
    try:
        yield db.owner_engine, table
    finally:
        metadata.drop_all(db.owner_engine)


def store(engine: Engine, table: Table, *rows: dict[str, Any]) -> None:
    with engine.begin() as conn:
        conn.execute(insert(table), list(rows))


def refusal(error: BaseException) -> BaseException:
    """The MoneyError behind a refused bind (SQLAlchemy wraps it in a StatementError)."""
    return error.orig if isinstance(error, StatementError) else error  # type: ignore[return-value]


def test_point_one_plus_point_two_is_point_three_in_sql(ledger: tuple[Engine, Table]) -> None:
    engine, table = ledger
    store(engine, table, {"amount": Decimal("0.1")}, {"amount": Decimal("0.2")})
    with engine.connect() as conn:
        total = conn.scalar(select(func.sum(table.c.amount)))
        assert isinstance(total, Decimal)
        assert total == Decimal("0.3")
        # The database itself compares exactly (a float sum would be 0.30000000000000004).
        exact = select(func.count()).select_from(
            select(func.sum(table.c.amount).label("total"))
            .having(func.sum(table.c.amount) == Decimal("0.3"))
            .subquery()
        )
        assert conn.scalar(exact) == 1


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("amount", "0.1"),
        ("amount", "0"),
        ("amount", "-0.0001"),
        ("amount", "-1234.56"),
        ("amount", "99999999999999.9999"),
        ("amount", "-99999999999999.9999"),
        ("rate", "0.1307"),
        ("rate", "151.67"),
        ("rate", "-0.000001"),
        ("rate", "999999999999.999999"),
        ("small", "-999.99"),
    ],
)
def test_round_trip_is_exact(ledger: tuple[Engine, Table], column: str, value: str) -> None:
    engine, table = ledger
    store(engine, table, {column: Decimal(value)})
    with engine.connect() as conn:
        back = conn.scalar(select(table.c[column]))
        found = conn.scalar(select(func.count()).where(table.c[column] == Decimal(value)))
    assert isinstance(back, Decimal)
    assert back == Decimal(value)
    assert found == 1


def test_large_values_sum_exactly(ledger: tuple[Engine, Table]) -> None:
    engine, table = ledger
    big = Decimal("99999999999999.9999")
    store(engine, table, {"amount": big}, {"amount": big}, {"amount": -big}, {"amount": None})
    with engine.connect() as conn:
        total, lowest, highest = conn.execute(
            select(func.sum(table.c.amount), func.min(table.c.amount), func.max(table.c.amount))
        ).one()
    assert (total, lowest, highest) == (big, -big, big)
    assert all(type(v) is Decimal for v in (total, lowest, highest))


def test_results_are_decimal_never_float(ledger: tuple[Engine, Table]) -> None:
    engine, table = ledger
    store(
        engine,
        table,
        {"amount": Decimal("1.5"), "rate": Decimal("0.25"), "small": Decimal("2")},
        {"amount": None, "rate": None, "small": None},
    )
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.amount, table.c.rate, table.c.small)).all()
    values = [v for row in rows for v in row]
    assert values.count(None) == 3
    assert {type(v) for v in values if v is not None} == {Decimal}
    assert sorted(str(v) for v in values if v is not None) == ["0.250000", "1.5000", "2.00"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("amount", 0.1, "never a float"),
        ("rate", 0.5, "never a float"),
        ("amount", Decimal("0.00001"), "more than 4 decimal places"),
        ("rate", Decimal("0.1234567"), "more than 6 decimal places"),
        ("small", Decimal("1.001"), "more than 2 decimal places"),
        ("amount", Decimal("999999999999999.9999"), "more than 18 digits"),
        ("small", Decimal("1000.00"), "more than 5 digits"),
        ("amount", Decimal("NaN"), "not a finite amount"),
        ("amount", "abc", "not a number"),
    ],
)
def test_inexact_values_are_refused(
    ledger: tuple[Engine, Table], column: str, value: object, message: str
) -> None:
    engine, table = ledger
    with pytest.raises((MoneyError, StatementError)) as refused:
        store(engine, table, {column: value})
    assert isinstance(refusal(refused.value), MoneyError)
    assert message in str(refusal(refused.value))
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(table)) == 0


def test_float_in_a_comparison_is_refused(ledger: tuple[Engine, Table]) -> None:
    engine, table = ledger
    with engine.connect() as conn, pytest.raises((MoneyError, StatementError)) as refused:
        conn.execute(select(table.c.id).where(table.c.amount == 0.1))
    assert isinstance(refusal(refused.value), MoneyError)


# --- Money --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "unit"),
    [("EUR", Decimal("0.01")), ("JPY", Decimal("1")), ("TND", Decimal("0.001"))],
)
def test_minor_unit_follows_the_currency(currency: str, unit: Decimal) -> None:
    assert minor_unit(currency) == unit


@pytest.mark.parametrize(
    ("amount", "currency", "rounded", "minor_units"),
    [
        ("1.005", "EUR", "1.01", 101),
        ("1.004", "EUR", "1.00", 100),
        ("-0.125", "EUR", "-0.13", -13),
        ("12", "EUR", "12.00", 1200),
        ("1234.5", "JPY", "1235", 1235),
        ("1234.4", "JPY", "1234", 1234),
        ("1.2345", "TND", "1.235", 1235),
        ("0.0004", "TND", "0.000", 0),
    ],
)
def test_money_rounds_to_the_currency(
    amount: str, currency: str, rounded: str, minor_units: int
) -> None:
    money = Money.of(amount, currency)
    assert money.amount == Decimal(rounded)
    assert str(money.amount) == rounded  # the exponent too: 2, 0 or 3 places
    assert money.minor_units == minor_units


def test_money_arithmetic_is_exact() -> None:
    assert Money.of("0.1", "EUR") + Money.of("0.2", "EUR") == Money.of("0.3", "EUR")
    assert Money.of("10", "EUR") - Money.of("0.01", "EUR") == Money.of("9.99", "EUR")
    assert Money.of("10.00", "EUR") * Decimal("0.1307") == Money.of("1.31", "EUR")
    assert 3 * Money.of("0.10", "EUR") == Money.of("0.30", "EUR")
    assert -Money.of("5", "JPY") == Money.of("-5", "JPY")
    assert Money.zero("TND").amount == Decimal("0.000")
    assert not Money.zero("EUR")
    assert Money.of("1", "EUR") < Money.of("1.01", "EUR")


@pytest.mark.parametrize(
    "combine",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
    ],
    ids=["add", "subtract", "less", "less-or-equal"],
)
def test_mixed_currencies_are_refused(combine: Any) -> None:
    with pytest.raises(MoneyError, match="cannot combine EUR with USD"):
        combine(Money.of("1", "EUR"), Money.of("1", "USD"))


def test_money_with_a_plain_number_is_refused() -> None:
    with pytest.raises(TypeError):
        Money.of("1", "EUR") + Decimal("1")  # type: ignore[operator]


@pytest.mark.parametrize(
    "make",
    [
        lambda: Money.of(0.1, "EUR"),
        lambda: Money(0.1, "EUR"),  # type: ignore[arg-type]
        lambda: Money.of("1", "EUR") * 1.5,  # type: ignore[operator]
        lambda: Money.of(True, "EUR"),
        lambda: to_decimal(0.5),
    ],
    ids=["of", "constructor", "multiply", "bool", "to_decimal"],
)
def test_floats_are_refused(make: Any) -> None:
    with pytest.raises(MoneyError, match=r"never a float|refusing"):
        make()


@pytest.mark.parametrize("code", ["EURO", "eur", "XYZ", "", "€"])
def test_non_iso_currency_is_refused(code: str) -> None:
    with pytest.raises(MoneyError, match="not an ISO 4217 currency code"):
        Money.of("1", code)
    with pytest.raises(MoneyError):
        check_currency(code)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", "1,5", "abc", None, [1]])
def test_non_numbers_are_refused(value: object) -> None:
    with pytest.raises(MoneyError):
        Money.of(value, "EUR")
