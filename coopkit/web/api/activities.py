"""API version 1: activities and their money (getActivityBalance, reserveActivityFunds…).

Every route is under ``/t/{slug}`` with a role guard; an activity is visible to
its own members and managers and to the cooperative's staff, and answers 404
to anyone else, like one that does not exist. Money-moving operations take an
``Idempotency-Key`` header (coopkit.idempotency).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from sqlalchemy.orm import Session

from coopkit.activities import service as activities
from coopkit.activities.models import Activity, ActivityRole
from coopkit.idempotency import run_once
from coopkit.people.models import Role
from coopkit.web.access import member_only, staff_only, visitor
from coopkit.web.api.schemas import (
    ActivityBalanceOut,
    ActivityCreate,
    ActivityOut,
    ActivityPersonOut,
    ReservationIn,
    ReservationOut,
)

Db = NamedDependency[Session]
IdempotencyKeyHeader = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        max_length=255,
        description="A unique string per request (a UUID): a retry with the same key and "
        "body returns the first answer and moves no money again",
    ),
]
Currency = Annotated[
    str | None, QueryParameter(pattern=r"^[A-Z]{3}$", description="ISO 4217; the cooperative's")
]


def _out(db: Session, activity: Activity) -> ActivityOut:
    people = [
        ActivityPersonOut(m.user_id, m.role.value) for m in activities.members_of(db, activity.id)
    ]
    return ActivityOut(activity.id, activity.code, activity.name, activity.status.value, people)


def _is_staff(request: Request[Any, Any, Any]) -> bool:
    role = visitor(request).role
    return role is not None and role.includes(Role.STAFF)


def _visible(request: Request[Any, Any, Any], db: Session, activity_id: uuid.UUID) -> Activity:
    """The activity if the visitor works in it or is staff; 404 otherwise."""
    try:
        return activities.activity_for(
            db, activity_id, visitor(request).user_id, staff=_is_staff(request)
        )
    except activities.UnknownActivity:
        raise NotFoundException(f"no activity {activity_id} here") from None


def _balance_out(db: Session, activity_id: uuid.UUID, currency: str | None) -> ActivityBalanceOut:
    balance = activities.activity_balance(db, activity_id, currency)
    return ActivityBalanceOut(activity_id=activity_id, spent=balance.spent, **asdict(balance))


@get(
    "/t/{slug:str}/activities",
    operation_id="listActivities",
    guards=[member_only],
    sync_to_thread=True,
)
def list_activities(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str]
) -> list[ActivityOut]:
    """The activities you work in (staff: every activity of the cooperative)."""
    only = None if _is_staff(request) else visitor(request).user_id
    return [_out(db, a) for a in activities.list_activities(db, only)]


@post(
    "/t/{slug:str}/activities",
    operation_id="createActivity",
    guards=[staff_only],
    sync_to_thread=True,
)
def create_activity(db: Db, slug: FromPath[str], data: JSONBody[ActivityCreate]) -> ActivityOut:
    """Start an activity with its managers and members, and open its ledger sub-accounts
    (staff only)."""
    activity = activities.create_activity(
        db, code=data.code, name=data.name, managers=data.managers, members=data.members
    )
    return _out(db, activity)


@get(
    "/t/{slug:str}/activities/{activity_id:uuid}/balance",
    operation_id="getActivityBalance",
    guards=[member_only],
    sync_to_thread=True,
)
def get_activity_balance(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    activity_id: FromPath[uuid.UUID],
    currency: Currency = None,
) -> ActivityBalanceOut:
    """What the activity has invoiced, what its clients owe, what it received, the fees,
    what is reserved and what is available — derived from the ledger."""
    _visible(request, db, activity_id)
    return _balance_out(db, activity_id, currency)


@post(
    "/t/{slug:str}/activities/{activity_id:uuid}/reservations",
    operation_id="reserveActivityFunds",
    guards=[member_only],
    sync_to_thread=True,
)
def reserve_activity_funds(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    activity_id: FromPath[uuid.UUID],
    data: JSONBody[ReservationIn],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Set money of the activity aside (``release``: give it back), for its managers and
    staff. Send an ``Idempotency-Key`` to make retries safe."""
    activity = _visible(request, db, activity_id)
    user_id = visitor(request).user_id
    manager = user_id is not None and (
        activities.role_in_activity(db, activity.id, user_id) is ActivityRole.MANAGER
    )
    if not (manager or _is_staff(request)):
        raise PermissionDeniedException("only the activity's managers and staff move its money")

    def work() -> Any:
        entry = activities.reserve(
            db,
            activity.id,
            data.amount,
            day=data.day or date.today(),
            description=data.description,
            release=data.release,
        )
        out = ReservationOut(entry.id, _balance_out(db, activity.id, None))
        return msgspec.to_builtins(out)

    if idempotency_key is None:
        return Response(work(), status_code=201)
    payload = {"activity": str(activity.id), "body": msgspec.to_builtins(data)}
    outcome = run_once(db, idempotency_key, "reserveActivityFunds", payload, work, 201)
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return Response(outcome.response, status_code=outcome.status_code, headers=headers)


ACTIVITY_HANDLERS = [list_activities, create_activity, get_activity_balance, reserve_activity_funds]
