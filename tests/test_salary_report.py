"""The on-time report: worked examples of counts, nearest-rank percentiles and the maximum."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from coopkit.payouts.models import Payout
from coopkit.salaries.approval import approve_salary_request
from coopkit.salaries.report import delays, nearest_rank, on_time_report
from tests.salaries_world import DAY, World
from tests.salaries_world import world as world


def test_nearest_rank_worked_examples() -> None:
    # 20 delays 1..20: p50 is rank ⌈0.5 × 20⌉ = 10, p95 rank ⌈0.95 × 20⌉ = 19.
    assert nearest_rank(list(range(20, 0, -1)), 50) == 10
    assert nearest_rank(list(range(1, 21)), 95) == 19
    # 3 delays [2, 9, 4]: p50 rank ⌈1.5⌉ = 2 → 4; p95 rank ⌈2.85⌉ = 3 → 9.
    assert delays([2, 9, 4]) == delays([9, 4, 2])
    shown = delays([2, 9, 4])
    assert (shown.count, shown.p50, shown.p95, shown.max) == (3, 4, 9, 9)
    # One value is every percentile; none gives None.
    assert (nearest_rank([5], 50), nearest_rank([5], 95)) == (5, 5)
    assert delays([]).p50 is None


def test_the_report_counts_on_time_late_and_overdue(world: World) -> None:
    approved = []
    for week in range(4):
        start = date(2026, 3, 2) + timedelta(days=7 * week)
        made = world.request(
            period_start=start, period_end=start + timedelta(days=4), gross=Decimal("600.00")
        )
        approved.append(
            approve_salary_request(
                world.session,
                world.plugins,
                world.tenant,
                made.id,
                approved_by=world.staff,
                day=DAY,
            )
        )
    dues = [r.due_date for r in approved]
    assert dues == [date(2026, 3, 13), date(2026, 3, 20), date(2026, 3, 27), date(2026, 4, 3)]
    payouts = {p.source_id: p for p in world.session.scalars(select(Payout))}
    payouts[approved[0].id].paid_on = date(2026, 3, 12)  # a day early: on time
    payouts[approved[1].id].paid_on = date(2026, 3, 23)  # 3 days late
    # approved[2] unpaid, due 2026-03-27: 5 days late so far on 2026-04-01;
    # approved[3] unpaid, due 2026-04-03: waiting.
    world.session.flush()
    report = on_time_report(world.session, today=date(2026, 4, 1))
    assert (report.on_time, report.late, report.waiting) == (1, 2, 1)
    assert report.late_delays == delays([3, 5])
    assert (report.late_delays.p50, report.late_delays.p95, report.late_delays.max) == (3, 5, 5)
    assert (report.all_delays.count, report.all_delays.p50) == (3, 3)  # [0, 3, 5]
    since = on_time_report(world.session, today=date(2026, 4, 1), since=date(2026, 3, 20))
    assert (since.on_time, since.late, since.waiting) == (0, 2, 1)
