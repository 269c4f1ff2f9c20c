"""Who sees an activity through the API: the people who work in it, and staff.

Everyone else gets 404, as if the activity did not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException
from sqlalchemy.orm import Session

from coopkit.activities import service as activities
from coopkit.activities.models import Activity
from coopkit.people.models import Role
from coopkit.web.access import visitor


def is_staff(request: Request[Any, Any, Any]) -> bool:
    role = visitor(request).role
    return role is not None and role.includes(Role.STAFF)


def visible_activity(
    request: Request[Any, Any, Any], db: Session, activity_id: uuid.UUID
) -> Activity:
    """The activity if the visitor works in it or is staff; 404 otherwise."""
    try:
        return activities.activity_for(
            db, activity_id, visitor(request).user_id, staff=is_staff(request)
        )
    except activities.UnknownActivity:
        raise NotFoundException(f"no activity {activity_id} here") from None
