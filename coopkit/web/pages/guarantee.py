"""The guarantee fund's page: for staff the dashboard (figures, ages, top clients, the
balance against the advances over time, the stress test); for members a summary in
plain words with the same chart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy.orm import Session

from coopkit.guarantee.history import fund_history
from coopkit.guarantee.report import fund_report as read_report
from coopkit.guarantee.report import ratio_shown
from coopkit.guarantee.stress import StressError, StressResult, stress_test
from coopkit.i18n import _
from coopkit.money import Money
from coopkit.web.access import member_only
from coopkit.web.charts import line_chart
from coopkit.web.templating import page
from coopkit.web.visibility import is_staff

Db = NamedDependency[Session]
AGES = {
    "0-30": _("0 to 30 days"),
    "31-60": _("31 to 60 days"),
    "61-90": _("61 to 90 days"),
    "over-90": _("More than 90 days"),
}
DEFAULT_STRESS = "20"
STRESS_MILESTONES = (0, 1, 2, 3, 6)  # months of the path shown, with every 12th and the last


def _percent(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", ".").rstrip("%").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and 0 <= value <= 100 else None


@get("/t/{slug:str}/guarantee-fund", guards=[member_only], include_in_schema=False,
     sync_to_thread=True)  # fmt: skip
def guarantee_fund_page(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    stress: FromQuery[str | None] = None,
) -> Template:
    today = date.today()
    report = read_report(db, day=today)
    currency = report.currency
    history = fund_history(db, day=today)
    chart = line_chart(
        [
            ("balance", _("Fund balance"), [p.balance for p in history]),
            ("outstanding", _("Advances not yet repaid"), [p.outstanding for p in history]),
        ]
    )
    context: dict[str, Any] = {
        "report": report,
        "cash": lambda amount: Money(amount, currency),
        "ratio": ratio_shown(report.coverage_ratio),
        "history": history,
        "chart": chart,
        "top": Money(chart.top, currency),
        "bottom": Money(chart.bottom, currency),
        "is_staff": is_staff(request),
        "ages": AGES,
    }
    status = 200
    if context["is_staff"]:
        typed = DEFAULT_STRESS if stress is None else stress
        rate = _percent(typed)
        result: StressResult | None = None
        if rate is None:
            context["stress_error"] = _("Give a percentage from 0 to 100.")
            status = 400
        else:
            try:
                result = stress_test(db, day=today, rate=rate)
            except StressError:  # pragma: no cover - _percent checked the range
                status = 400
        context.update(stress_typed=typed, stress=result, stress_rows=_milestones(result))
    return page(request, "guarantee_fund.html", status_code=status, **context)


def _milestones(result: StressResult | None) -> list[Any]:
    if result is None:
        return []
    last = len(result.path) - 1
    return [m for m in result.path
            if m.month in STRESS_MILESTONES or m.month % 12 == 0 or m.month == last]  # fmt: skip


GUARANTEE_PAGES = [guarantee_fund_page]
