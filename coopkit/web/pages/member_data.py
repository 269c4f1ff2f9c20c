"""Member data pages: the directory (members who agreed or may be listed), "My data"
(the policy in force and one's consents), and for staff the statistics and the
partner-sharing export. Every one asks coopkit.decisions.data_use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Response, Template
from sqlalchemy.orm import Session

from coopkit.decisions.data_use import consents_on, policy_on, record_consent, rules_on
from coopkit.decisions.member_data import (
    SMALLEST_COUNT,
    directory,
    member_statistics,
    partner_export,
)
from coopkit.decisions.models import Purpose, Rule
from coopkit.i18n import _
from coopkit.web.access import member_only, staff_only, visitor
from coopkit.web.templating import flash, page

Db = NamedDependency[Session]
PURPOSES = {
    Purpose.DIRECTORY: _("Listed in the members' directory"),
    Purpose.STATISTICS: _("Counted in statistics about members"),
    Purpose.PARTNER_SHARING: _("Shared with partner cooperatives"),
}
RULES = {
    Rule.NEVER: _("never used"),
    Rule.WITH_CONSENT: _("used only if you agree"),
    Rule.ALWAYS: _("always used"),
}


@dataclass
class ConsentForm:
    purpose: str = ""
    choice: str = ""  # "grant" or "withdraw"


@get("/t/{slug:str}/directory", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def directory_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    return page(request, "directory.html", people=directory(db, date.today()))


def _my_data(request: Request[Any, Any, Any], db: Db, status: int = 200) -> Template:
    user_id = visitor(request).user_id
    assert user_id is not None
    today = date.today()
    rules = rules_on(db, today)
    answers = {p: consents_on(db, p, today, [user_id]).get(user_id) for p in Purpose}
    return page(
        request,
        "my_data.html",
        status_code=status,
        policy=policy_on(db, today),
        rows=[(p, PURPOSES[p], rules[p], RULES[rules[p]], answers[p]) for p in Purpose],
    )


@get("/t/{slug:str}/my-data", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def my_data_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    return _my_data(request, db)


@post(
    "/t/{slug:str}/my-data/consent",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def consent_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: URLEncodedBody[ConsentForm]
) -> Template | Redirect:
    user_id = visitor(request).user_id
    assert user_id is not None
    try:
        purpose = Purpose(data.purpose)
    except ValueError:
        purpose = None
    if purpose is None or data.choice not in ("grant", "withdraw"):
        flash(request, _("Choose a use of your data and whether you agree."), "error")
        return _my_data(request, db, status=400)
    with db.begin_nested():
        record_consent(db, user_id, purpose, granted=data.choice == "grant")
    if data.choice == "grant":
        flash(request, _("You agreed: %(use)s."), "info", use=PURPOSES[purpose])
    else:
        flash(request, _("You withdrew your agreement: %(use)s."), "info", use=PURPOSES[purpose])
    return Redirect(f"/t/{slug}/my-data")


@get(
    "/t/{slug:str}/member-statistics",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def statistics_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    return page(
        request,
        "member_statistics.html",
        stats=member_statistics(db, date.today()),
        smallest=SMALLEST_COUNT,
    )


@get(
    "/t/{slug:str}/partner-sharing.csv",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def partner_sharing_csv(db: Db, slug: FromPath[str]) -> Response[bytes]:
    today = date.today()
    return Response(
        partner_export(db, today).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="members-{slug}-{today.isoformat()}.csv"'
        },
    )


MEMBER_DATA_PAGES = [
    directory_page,
    my_data_page,
    consent_form,
    statistics_page,
    partner_sharing_csv,
]
