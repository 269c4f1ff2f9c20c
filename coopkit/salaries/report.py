"""Were salaries paid on time? Per cooperative, over its approved requests.

An approved request is due on its ``due_date``; its payout's ``paid_on`` is the
execution date of the SEPA batch that paid it. A request is

- **on time** when paid on or before its due date (delay 0);
- **late** when paid after it (delay = paid_on − due_date, in days), or when
  still unpaid on ``today`` after its due date ("late so far": delay = today −
  due_date, and it will only grow);
- **waiting** when unpaid and not yet due (not counted in the delays).

Percentiles are nearest-rank over the sorted delays: the p-th percentile of n
values is the value of rank ⌈p × n / 100⌉ (integer arithmetic), so it is
always one of the delays observed. ``late`` gives them over the late requests
only; ``all`` over every paid-or-overdue request, on-time ones counting 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.payouts.models import Payout, PayoutKind
from coopkit.salaries.models import SalaryRequest, SalaryStatus


@dataclass(frozen=True)
class Delays:
    """How many days late: the count, the median (p50), the p95 and the maximum."""

    count: int
    p50: int | None
    p95: int | None
    max: int | None


@dataclass(frozen=True)
class OnTimeReport:
    on_time: int
    late: int
    waiting: int
    late_delays: Delays
    all_delays: Delays

    @property
    def counted(self) -> int:
        return self.on_time + self.late


def nearest_rank(values: Sequence[int], percent: int) -> int | None:
    """The ``percent``-th percentile of ``values`` by nearest rank (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-percent * len(ordered) // 100))  # ⌈percent × n / 100⌉
    return ordered[rank - 1]


def delays(values: Sequence[int]) -> Delays:
    return Delays(
        len(values),
        nearest_rank(values, 50),
        nearest_rank(values, 95),
        max(values) if values else None,
    )


def days_late(due: dt.date, paid_on: dt.date | None, today: dt.date) -> int | None:
    """How many days after ``due`` a salary was paid (0 on time), or is unpaid so far;
    None while it is waiting (unpaid, not yet due)."""
    if paid_on is None and today <= due:
        return None
    return max(((paid_on or today) - due).days, 0)


def on_time_report(db: Session, *, today: dt.date, since: dt.date | None = None) -> OnTimeReport:
    """The session's tenant's report over approved requests due from ``since`` on (all if None)."""
    query = (
        select(Payout.due_date, Payout.paid_on)
        .select_from(SalaryRequest)
        .join(
            Payout,
            (Payout.tenant_id == SalaryRequest.tenant_id)
            & (Payout.kind == PayoutKind.SALARY)
            & (Payout.source_id == SalaryRequest.id),
        )
        .where(SalaryRequest.status == SalaryStatus.APPROVED)
    )
    if since is not None:
        query = query.where(Payout.due_date >= since)
    counted: list[int] = []
    waiting = 0
    for due, paid_on in db.execute(query):
        late_by = days_late(due, paid_on, today)
        if late_by is None:
            waiting += 1
        else:
            counted.append(late_by)
    late = [d for d in counted if d > 0]
    return OnTimeReport(
        on_time=len(counted) - len(late),
        late=len(late),
        waiting=waiting,
        late_delays=delays(late),
        all_delays=delays(counted),
    )
