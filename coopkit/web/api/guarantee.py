"""API version 1: the guarantee fund (getGuaranteeFund), read from the ledger.

Staff get the full report, the month-end history and, with ``stress``, the
stress test; members get the plain summary (balance, outstanding advances,
coverage ratio) and never a client's name.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath, FromQuery, QueryParameter
from sqlalchemy.orm import Session

from coopkit.guarantee.history import fund_history
from coopkit.guarantee.report import FundReport, fund_report, ratio_shown
from coopkit.guarantee.stress import StressError, StressResult, stress_test
from coopkit.web.access import member_only
from coopkit.web.api.guarantee_schemas import (
    FundAgeOut,
    FundClientOut,
    FundPointOut,
    FundReportOut,
    GuaranteeFundOut,
    StressMonthOut,
    StressOut,
)
from coopkit.web.visibility import is_staff

Db = NamedDependency[Session]
Percent = Annotated[
    Decimal | None,
    QueryParameter(description="stress test: % of advances that default, 0 to 100 (staff)"),
]
Floor = Annotated[
    Decimal, QueryParameter(description="stress test: the lowest free capacity allowed, ≥ 0")
]
Months = Annotated[int, QueryParameter(ge=1, le=120, description="months of history")]


@get(
    "/t/{slug:str}/guarantee-fund",
    operation_id="getGuaranteeFund",
    guards=[member_only],
    sync_to_thread=True,
)
def get_guarantee_fund(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    on: FromQuery[date | None] = None,
    stress: Percent = None,
    floor: Floor = Decimal(0),
    months: Months = 12,
) -> GuaranteeFundOut:
    """The mutual guarantee fund on ``on`` (today by default): what it holds, the salaries it
    advanced on unpaid invoices, the coverage ratio; for staff also the figures by age and
    client, the month-end history and the stress test for ``stress`` % of defaults."""
    if floor < 0:
        raise ValidationException("floor: give an amount of 0 or more")
    day = on or date.today()
    report = fund_report(db, day=day)
    out = GuaranteeFundOut(
        day, report.currency, report.balance, report.outstanding, ratio_shown(report.coverage_ratio)
    )
    if not is_staff(request):
        return out
    out.report = report_out(report)
    out.history = [
        FundPointOut(p.day, p.balance, p.outstanding)
        for p in fund_history(db, day=day, months=months)
    ]
    if stress is not None:
        try:
            out.stress = stress_out(stress_test(db, day=day, rate=stress, floor=floor))
        except StressError as error:
            raise ValidationException(str(error)) from None
    return out


def report_out(report: FundReport) -> FundReportOut:
    return FundReportOut(
        report.contributions,
        report.recoveries,
        report.write_offs,
        report.free_capacity,
        [FundAgeOut(a.key, a.first, a.last, a.invoices, a.amount) for a in report.by_age],
        [FundClientOut(c.client_id, c.name, c.invoices, c.amount) for c in report.by_client],
    )


def stress_out(result: StressResult) -> StressOut:
    path = [
        StressMonthOut(m.month, m.contributions, m.new_advances, m.defaults, m.balance,
                       m.outstanding, m.free_capacity)
        for m in result.path
    ]  # fmt: skip
    return StressOut(result.rate, result.floor, result.monthly_contributions,
                     result.monthly_advances, result.months, path)  # fmt: skip


GUARANTEE_HANDLERS = [get_guarantee_fund]
