"""The guarantee fund's report: every figure on a worked example, ages at the bucket edges,
clients, the coverage ratio, the day, and another cooperative's fund never counted."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coopkit.guarantee.history import FundPoint, fund_history
from coopkit.guarantee.report import fund_report, ratio_shown
from coopkit.invoicing.models import Invoice
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.fund_world import (  # noqa: F401  (fixtures)
    advance,
    issued,
    paid,
    repaid,
    session_fixture,
    world_fixture,
    written_off,
)
from tests.invoicing_world import World, invoicing_world

D = date(2026, 6, 30)
Z = Decimal("0.00")


def ago(days: int) -> date:
    return D - timedelta(days=days)


def worked_example(session: Session, world: World, plugins: PluginHost) -> dict[str, Invoice]:
    """Contributions 2,000 + 1,000; seven advances outstanding at 10, 30, 31, 60, 61, 90 and
    91 days on D (1,500.00 in all, one partly repaid); one advance absorbed; and entries
    after D that the report on D leaves out."""
    big = issued(session, world, plugins, "100000.00")
    half = issued(session, world, plugins, "50000.00")
    paid(session, big, date(2026, 3, 10))  # 2 % of 100,000.00 = 2,000.00 to the fund
    paid(session, half, date(2026, 4, 10))  # 1,000.00
    clients = ["be_company", "de_company", "be_person", "be_company", "de_company", "be_person",
               "be_company", "de_company", "be_company"]  # fmt: skip
    u = {f"U{n}": issued(session, world, plugins, "1000.00", c) for n, c in enumerate(clients, 1)}
    advance(session, u["U1"], "500.00", ago(10))
    repaid(session, u["U1"], "150.00", ago(5))  # 350.00 still out
    advance(session, u["U2"], "300.00", ago(30))
    advance(session, u["U3"], "200.00", ago(31))
    advance(session, u["U4"], "400.00", ago(60))
    advance(session, u["U5"], "100.00", ago(61))
    advance(session, u["U6"], "70.00", ago(90))
    advance(session, u["U7"], "80.00", ago(91))
    advance(session, u["U8"], "50.00", date(2026, 3, 15))
    written_off(session, u["U8"], "50.00", date(2026, 4, 15))
    # After D: not in the report on D.
    advance(session, u["U9"], "999.00", D + timedelta(days=1))
    repaid(session, u["U2"], "300.00", D + timedelta(days=1))
    late = issued(session, world, plugins, "10000.00")
    paid(session, late, D + timedelta(days=2))
    return u


def test_every_figure_of_the_worked_example(
    session: Session, world: World, plugins: PluginHost
) -> None:
    worked_example(session, world, plugins)
    report = fund_report(session, day=D)
    assert report.currency == "EUR"
    assert report.contributions == Decimal("3000.00")
    assert report.write_offs == Decimal("50.00")
    assert report.balance == Decimal("2950.00")  # 3,000.00 − 50.00 absorbed
    assert report.outstanding == Decimal("1500.00")  # 350 + 300 + 200 + 400 + 100 + 70 + 80
    assert report.recoveries == Decimal("150.00")
    assert report.free_capacity == Decimal("1450.00")
    assert report.coverage_ratio == Decimal(2950) / Decimal(1500)
    assert ratio_shown(report.coverage_ratio) == Decimal("1.97")


def test_ages_at_the_bucket_edges(session: Session, world: World, plugins: PluginHost) -> None:
    worked_example(session, world, plugins)
    ages = {b.key: (b.invoices, b.amount) for b in fund_report(session, day=D).by_age}
    assert ages == {
        "0-30": (2, Decimal("650.00")),  # 10 days (350.00 after the repayment), 30 days
        "31-60": (2, Decimal("600.00")),  # 31 and 60 days
        "61-90": (2, Decimal("170.00")),  # 61 and 90 days
        "over-90": (1, Decimal("80.00")),  # 91 days
    }
    # A day later each advance is a day older (30 → 31, 60 → 61, 90 → 91), U2 is repaid and
    # U9 is new: 0-30 U1, U9; 31-60 U3; 61-90 U4, U5; over 90 U6, U7.
    later = {b.key: b.invoices for b in fund_report(session, day=D + timedelta(days=1)).by_age}
    assert later == {"0-30": 2, "31-60": 1, "61-90": 2, "over-90": 2}


def test_outstanding_by_client_largest_first(
    session: Session, world: World, plugins: PluginHost
) -> None:
    u = worked_example(session, world, plugins)
    rows = [(c.name, c.invoices, c.amount) for c in fund_report(session, day=D).by_client]
    assert rows == [
        ("Brasserie Bruxelloise SA", 3, Decimal("830.00")),  # 350 + 400 + 80
        ("Bildwerk GmbH", 2, Decimal("400.00")),  # 300 + 100
        ("Jan Janssens", 2, Decimal("270.00")),  # 200 + 70
    ]
    top = fund_report(session, day=D, top=1).by_client
    assert [(c.client_id, c.amount) for c in top] == [(u["U1"].client_id, Decimal("830.00"))]


def test_nothing_outstanding_has_no_coverage_ratio(
    session: Session, world: World, plugins: PluginHost
) -> None:
    empty = fund_report(session, day=D)
    assert (empty.balance, empty.outstanding, empty.coverage_ratio) == (Z, Z, None)
    assert [b.invoices for b in empty.by_age] == [0, 0, 0, 0]
    invoice = issued(session, world, plugins, "1000.00")
    paid(session, issued(session, world, plugins, "3000.00"), date(2026, 4, 1))  # 60.00
    advance(session, invoice, "40.00", date(2026, 4, 2))
    assert fund_report(session, day=date(2026, 4, 2)).coverage_ratio == Decimal("1.5")
    repaid(session, invoice, "40.00", date(2026, 4, 3))
    report = fund_report(session, day=date(2026, 4, 3))
    assert (report.outstanding, report.coverage_ratio, report.by_client) == (Z, None, ())
    assert report.free_capacity == report.balance == Decimal("60.00")


def test_another_cooperatives_fund_is_never_counted(
    db: Database, session: Session, world: World, plugins: PluginHost
) -> None:
    worked_example(session, world, plugins)
    session.commit()
    other = invoicing_world(db, plugins)
    with other.session(db) as theirs:
        report = fund_report(theirs, day=D)
        assert (report.balance, report.outstanding, report.contributions) == (Z, Z, Z)
        assert report.by_client == ()
        assert sum(b.invoices for b in report.by_age) == 0
        mine = issued(theirs, other, plugins, "1000.00")
        advance(theirs, mine, "10.00", ago(1))
        theirs.commit()
        assert fund_report(theirs, day=D).outstanding == Decimal("10.00")
    assert fund_report(session, day=D).outstanding == Decimal("1500.00")


def test_history_month_ends_balance_and_outstanding(
    session: Session, world: World, plugins: PluginHost
) -> None:
    worked_example(session, world, plugins)
    points = fund_history(session, day=D, months=6)
    assert [p.day for p in points] == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31),
                                       date(2026, 4, 30), date(2026, 5, 31), D]  # fmt: skip
    assert [(p.balance, p.outstanding) for p in points] == [
        (Z, Z),
        (Z, Z),
        (Decimal("2000.00"), Decimal("130.00")),  # U8 50 (15 March) + U7 80 (31 March)
        (Decimal("2950.00"), Decimal("250.00")),  # + 1,000, − 50 absorbed; + U6 70, U5 100
        (Decimal("2950.00"), Decimal("1150.00")),  # + U4 400, U3 200, U2 300
        (Decimal("2950.00"), Decimal("1500.00")),  # + U1 500 − 150 repaid
    ]
    # Mid-month the last point is that day; earlier months than the window are the opening.
    short = fund_history(session, day=date(2026, 4, 20), months=1)
    assert short == [
        FundPoint(date(2026, 4, 20), Decimal("2950.00"), Decimal("150.00"))
    ]  # U7 80 + U6 70
    july = fund_history(session, day=date(2026, 7, 31), months=2)
    assert [(p.balance, p.outstanding) for p in july] == [
        (Decimal("2950.00"), Decimal("1500.00")),
        (Decimal("3150.00"), Decimal("2199.00")),  # + 200.00 contributed; + 999 − 300
    ]
    with pytest.raises(ValueError, match="months"):
        fund_history(session, day=D, months=0)
