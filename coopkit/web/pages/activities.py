"""Activity pages for members: the list of your activities (staff: all), and each
activity's dashboard — its balance and a chart of its balance over time, with the
same numbers as a table."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities import service as activities
from coopkit.activities.history import balance_history
from coopkit.activities.models import Activity, ActivityStatus
from coopkit.i18n import _
from coopkit.money import Money
from coopkit.people.models import User
from coopkit.web.access import member_only, visitor
from coopkit.web.charts import line_chart
from coopkit.web.templating import page
from coopkit.web.visibility import is_staff as _is_staff

Db = NamedDependency[Session]
FIGURES = ("invoiced", "receivable", "received", "fees", "reserved", "available", "spent")
ROLES = {"manager": _("manager"), "member": _("member")}
LABELS = {
    "invoiced": _("Invoiced (excluding VAT)"),
    "receivable": _("Still owed by clients"),
    "received": _("Received"),
    "fees": _("Cooperative fees"),
    "reserved": _("Reserved"),
    "available": _("Available"),
    "spent": _("Spent (salaries, expenses, guarantee fund)"),
}


def _visible(request: Request[Any, Any, Any], db: Session, activity_id: uuid.UUID) -> Activity:
    """The activity if the visitor works in it or is staff; 404 otherwise, like a missing one."""
    try:
        return activities.activity_for(
            db, activity_id, visitor(request).user_id, staff=_is_staff(request)
        )
    except activities.UnknownActivity:
        raise NotFoundException(_("There is no such activity here.")) from None


@get("/t/{slug:str}/activities", guards=[member_only], include_in_schema=False,
     sync_to_thread=True)  # fmt: skip
def activities_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    only = None if _is_staff(request) else visitor(request).user_id
    rows = []
    for activity in activities.list_activities(db, only):
        balance = activities.activity_balance(db, activity.id)
        money = [Money(getattr(balance, f), balance.currency) for f in ("received", "available")]
        rows.append((activity, *money))
    return page(request, "activities.html", rows=rows, is_staff=_is_staff(request))


@get("/t/{slug:str}/activities/{activity_id:uuid}", guards=[member_only],
     include_in_schema=False, sync_to_thread=True)  # fmt: skip
def activity_page(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    activity_id: FromPath[uuid.UUID],
    by: FromQuery[Literal["month", "day"]] = "month",
) -> Template:
    activity = _visible(request, db, activity_id)
    balance = activities.activity_balance(db, activity.id)
    figures = [
        (name, LABELS[name], Money(getattr(balance, name), balance.currency)) for name in FIGURES
    ]
    history = balance_history(db, activity.id, balance.currency, by)
    chart = line_chart(
        [
            ("received", _("Received"), [p.received for p in history]),
            ("available", _("Available"), [p.available for p in history]),
        ]
    )
    return page(
        request,
        "activity_page.html",
        activity=activity,
        figures=figures,
        currency=balance.currency,
        history=[
            (p.period, Money(p.received, balance.currency), Money(p.available, balance.currency))
            for p in history
        ],
        chart=chart,
        top=Money(chart.top, balance.currency),
        bottom=Money(chart.bottom, balance.currency),
        by=by,
        people=_people(db, activity.id),
        can_ask_salary=_can_ask_salary(request, db, activity),
    )


def _can_ask_salary(request: Request[Any, Any, Any], db: Session, activity: Activity) -> bool:
    """Whether the visitor works in this open activity (a salary is asked on one's own)."""
    user_id = visitor(request).user_id
    if user_id is None or activity.status is not ActivityStatus.ACTIVE:
        return False
    return activities.role_in_activity(db, activity.id, user_id) is not None


def _people(db: Session, activity_id: uuid.UUID) -> list[tuple[str, str]]:
    """Names and roles (manager, member) of the activity's people, managers first."""
    members = activities.members_of(db, activity_id)
    ids = [m.user_id for m in members]
    names = {
        row.id: row.name for row in db.execute(select(User.id, User.name).where(User.id.in_(ids)))
    }
    return [(names.get(m.user_id, str(m.user_id)), m.role.value) for m in members]


ACTIVITY_PAGES = [activities_page, activity_page]
