"""Finding salary requests: one, a member's, or staff's queue by due date."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.salaries.errors import SalaryRequestNotFound
from coopkit.salaries.models import SalaryRequest, SalaryStatus


def get_salary_request(
    db: Session, request_id: uuid.UUID, member_id: uuid.UUID | None = None
) -> SalaryRequest:
    """The request ``request_id`` of the session's tenant; with ``member_id``, only if it is
    theirs (anybody else's is not found, like one that does not exist)."""
    query = select(SalaryRequest).where(SalaryRequest.id == request_id)
    if member_id is not None:
        query = query.where(SalaryRequest.user_id == member_id)
    found = db.scalar(query)
    if found is None:
        raise SalaryRequestNotFound(request_id)
    return found


def list_salary_requests(
    db: Session, member_id: uuid.UUID | None = None, status: SalaryStatus | None = None
) -> list[SalaryRequest]:
    """Requests by due date, earliest first; only ``member_id``'s when given.

    A request is due a fixed number of days after its period ends (set on
    approval, :func:`coopkit.salaries.service.due_date_of` before), so the end
    of the period orders requested and approved ones alike.
    """
    query = select(SalaryRequest).order_by(SalaryRequest.period_end, SalaryRequest.created_at)
    if member_id is not None:
        query = query.where(SalaryRequest.user_id == member_id)
    if status is not None:
        query = query.where(SalaryRequest.status == status)
    return list(db.scalars(query))
