"""Activity pages: the list of your activities, and an activity's dashboard with its
balance, a chart of its balance over time and the same numbers as a table."""

from __future__ import annotations

import itertools
import re
import uuid
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.history import balance_history
from coopkit.activities.models import Activity
from coopkit.db.tenancy import set_tenant
from coopkit.ledger.models import JournalEntry
from coopkit.salaries.models import SalaryRequest
from coopkit.tenants.models import Tenant
from coopkit.web.charts import CHART_HEIGHT, line_chart
from tests.conftest import Client, Database
from tests.test_web import MEMBER_BE, STAFF_BE, assert_no_leak, main_of, signed_in_as

PAGES = "/t/demo-be/activities"
EN = {"Accept-Language": "en"}


def _activity_ids(demo_db: Database) -> dict[str, str]:
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        set_tenant(db, tenant.id)
        return {a.code: str(a.id) for a in db.scalars(select(Activity))}


def story_months(db: Session, activity_id: uuid.UUID) -> list[date]:
    """The months in which the demo story's salary (coopkit.demo_salaries, dated from the day
    the demo is loaded) moved the activity's money: its reservation, then the salary."""
    requests = select(SalaryRequest).where(SalaryRequest.activity_id == activity_id)
    entries = {e for r in db.scalars(requests) for e in (r.reservation_entry_id, r.salary_entry_id)}
    days = db.scalars(select(JournalEntry.day).where(JournalEntry.id.in_(entries)))
    return sorted({day.replace(day=1) for day in days})


def _story_months_of_solo_02(demo_db: Database) -> list[date]:
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        set_tenant(db, tenant.id)
        solo = db.scalars(select(Activity.id).where(Activity.code == "SOLO-02")).one()
        return story_months(db, solo)


def _eur(amount: str) -> str:
    return format_currency(Decimal(amount), "EUR", locale="en")


def test_members_list_their_activities_staff_all(client: Client, demo_db: Database) -> None:
    html = main_of(signed_in_as(MEMBER_BE, client).get(PAGES, headers=EN).text)
    assert re.findall(r">(SOLO-\d\d|COLLECTIF)</a>", html) == ["SOLO-02"]
    assert _eur("1081.77") in html  # available: 1306.77 − 225.00 (the story's day of salary)
    client.get("/logout")
    html = main_of(signed_in_as(STAFF_BE, client).get(PAGES, headers=EN).text)
    assert len(re.findall(r">(SOLO-\d\d|COLLECTIF)</a>", html)) == 5


def test_the_dashboard_shows_the_balance_chart_and_table(client: Client, demo_db: Database) -> None:
    solo = _activity_ids(demo_db)["SOLO-02"]
    response = signed_in_as(MEMBER_BE, client).get(f"{PAGES}/{solo}", headers=EN)
    assert response.status_code == 200, response.text
    html = main_of(response.text)
    # Available: 1306.77 − 225.00, the employer cost of the story's day of salary
    for label, amount in (("Invoiced (excluding VAT)", "3220.00"), ("Received", "2685.00"),
                          ("Cooperative fees", "174.53"), ("Reserved", "250.00"),
                          ("Available", "1081.77")):  # fmt: skip
        assert re.search(rf"<th scope=\"row\">{re.escape(label)}</th><td class=\"num\">"
                         rf"{re.escape(_eur(amount))}</td>", html), label  # fmt: skip
    assert html.count("<polyline") == 2
    assert 'role="img"' in html
    # The table under the chart: one row per month with movements, running totals.
    rows = re.findall(r"<tr>\s*<td>(\w+ \d{4})</td>\s*<td class=\"num\">([^<]+)</td>"
                      r"\s*<td class=\"num\">([^<]+)</td>", html)  # fmt: skip
    # January and February (the demo's invoices), then the month(s) of the story's salary
    story = [format_date(m, "MMMM y", locale="en") for m in _story_months_of_solo_02(demo_db)]
    assert story
    assert [r[0] for r in rows] == ["January 2026", "February 2026", *story]
    assert rows[-1][1:] == (_eur("2685.00"), _eur("1081.77"))  # 1306.77 − 225.00
    by_day = main_of(client.get(f"{PAGES}/{solo}?by=day", headers=EN).text)
    assert by_day.count("<circle") >= 2 * 3
    assert "<strong>By day</strong>" in by_day


def test_another_members_activity_is_not_found(client: Client, demo_db: Database) -> None:
    shared = _activity_ids(demo_db)["COLLECTIF"]
    response = signed_in_as(MEMBER_BE, client).get(f"{PAGES}/{shared}", headers=EN)
    assert response.status_code == 404
    assert_no_leak(response)
    assert client.get(f"{PAGES}/{shared}?by=week", headers=EN).status_code in (400, 404)
    client.get("/logout")
    assert signed_in_as(STAFF_BE, client).get(f"{PAGES}/{shared}").status_code == 200


def test_history_is_a_running_total_by_day_or_month(demo_db: Database) -> None:
    solo = _activity_ids(demo_db)["SOLO-02"]
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        set_tenant(db, tenant.id)
        months = balance_history(db, uuid.UUID(solo), "EUR")
        days = balance_history(db, uuid.UUID(solo), "EUR", "day")
    story = _story_months_of_solo_02(demo_db)  # the day's salary of coopkit.demo_salaries
    assert story
    assert [p.period for p in months] == [date(2026, 1, 1), date(2026, 2, 1), *story]
    last_month, last_day = months[-1], days[-1]
    assert (last_month.received, last_month.available) == (last_day.received, last_day.available)
    assert len(days) > len(months)
    assert all(a.received <= b.received for a, b in itertools.pairwise(days))


def test_line_chart_places_values_on_one_scale() -> None:
    chart = line_chart([("a", "A", [Decimal(0), Decimal(50), Decimal(100)]),
                        ("b", "B", [Decimal(-100), Decimal(0), Decimal(100)])])  # fmt: skip
    a, b = chart.series
    assert (chart.top, chart.bottom) == (Decimal(100), Decimal(-100))
    assert chart.zero == CHART_HEIGHT / 2
    assert a.dots[0] == (Decimal(0), CHART_HEIGHT / 2)
    assert a.dots[2] == (Decimal(1000), Decimal(0))
    assert b.dots[0][1] == CHART_HEIGHT
    assert a.points.startswith("0.0,150.0 500.0,")
    single = line_chart([("a", "A", [Decimal(7)])])
    assert single.series[0].dots == ((Decimal(500), Decimal(0)),)
