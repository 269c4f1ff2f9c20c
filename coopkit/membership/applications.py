"""Applying to join through the cooperative's public form, and staff's decision.

Anyone may apply, without an account: the form names the person, their
e-mail, the shares they wish to subscribe and why. A new e-mail becomes a
person who cannot sign in yet (no password). Applying records the status
APPLICANT. Staff then admit — status MEMBER from the day of the decision, the
member role, and the subscription asked for, waiting for payment — or refuse
with a reason the applicant is told (status REFUSED).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.membership.classes import check_can_take, get_share_class, share_class_by_code
from coopkit.membership.errors import MembershipConflict, MembershipError, MembershipNotFound
from coopkit.membership.models import (
    ApplicationStatus,
    MembershipApplication,
    MemberStatus,
)
from coopkit.membership.register import status_on
from coopkit.membership.statuses import reason_text, record_status
from coopkit.membership.subscriptions import subscribe
from coopkit.people.models import Role, User
from coopkit.people.service import PeopleError, add_membership, create_user, find_user, role_in
from coopkit.tenants.models import Tenant

MAX_MOTIVATION = 4000


@dataclass(frozen=True)
class ApplicationRequest:
    """What the public form sends."""

    name: str
    email: str
    share_class: str
    quantity: int
    motivation: str = ""
    locale: str | None = None


def _applicant(db: Session, request: ApplicationRequest) -> User:
    name = " ".join(request.name.split())
    if not name or len(name) > 200:
        raise MembershipError("name: give your name, in at most 200 characters", "name")
    try:
        found = find_user(db, request.email)
        return found or create_user(db, request.email, name, None, request.locale)
    except PeopleError as error:
        raise MembershipError(f"e-mail: {error}", "email") from None


def apply_for_membership(
    db: Session, request: ApplicationRequest, today: date | None = None
) -> MembershipApplication:
    """Record an application in the session's tenant, and the status APPLICANT from today."""
    day = today or date.today()
    share_class = share_class_by_code(db, request.share_class)
    check_can_take(share_class, 0, request.quantity)
    motivation = " ".join(request.motivation.split())
    if len(motivation) > MAX_MOTIVATION:
        raise MembershipError(f"why: at most {MAX_MOTIVATION} characters", "motivation")
    person = _applicant(db, request)
    status = status_on(db, person.id, day)
    if status is MemberStatus.MEMBER:
        raise MembershipConflict("you are a member already: sign in to subscribe more shares")
    if status is MemberStatus.APPLICANT:
        raise MembershipConflict("you applied already: the staff will answer you by e-mail")
    row = MembershipApplication(
        user_id=person.id,
        share_class_id=share_class.id,
        quantity=request.quantity,
        motivation=motivation,
    )
    db.add(row)
    db.flush()
    record_status(db, person.id, MemberStatus.APPLICANT, day)
    audit.record(
        db,
        "membership.applied",
        "membership_application",
        row.id,
        {"user": person.id, "class": share_class.code, "quantity": request.quantity},
    )
    return row


def get_application(db: Session, application_id: uuid.UUID) -> MembershipApplication:
    found = db.scalar(
        select(MembershipApplication).where(MembershipApplication.id == application_id)
    )
    if found is None:
        raise MembershipNotFound(f"membership application {application_id}")
    return found


def pending_applications(db: Session) -> list[MembershipApplication]:
    """The applications waiting for a decision, oldest first."""
    return list(
        db.scalars(
            select(MembershipApplication)
            .where(MembershipApplication.status == ApplicationStatus.PENDING)
            .order_by(MembershipApplication.submitted_at)
        )
    )


def _pending(db: Session, application_id: uuid.UUID) -> MembershipApplication:
    row = get_application(db, application_id)
    if row.status is not ApplicationStatus.PENDING:
        raise MembershipConflict(f"this application was {row.status.value} already")
    return row


def admit(
    db: Session,
    tenant: Tenant,
    application_id: uuid.UUID,
    staff_id: uuid.UUID,
    day: date | None = None,
) -> MembershipApplication:
    """Admit the applicant from ``day``: status MEMBER, the member role, and the
    subscription of the shares they asked for, waiting for payment."""
    row = _pending(db, application_id)
    decided = day or date.today()
    person = db.get(User, row.user_id)
    assert person is not None
    record_status(db, person.id, MemberStatus.MEMBER, decided, recorded_by=staff_id)
    if role_in(db, person.id) is None:  # staff who become members keep their role
        add_membership(db, tenant, person, Role.MEMBER)
    subscription = subscribe(
        db,
        user_id=person.id,
        share_class=get_share_class(db, row.share_class_id),
        quantity=row.quantity,
        day=decided,
        requested_by=staff_id,
    )
    row.status = ApplicationStatus.ADMITTED
    row.decided_by, row.decided_on = staff_id, decided
    row.subscription_id = subscription.id
    db.flush()
    audit.record(
        db,
        "membership.admitted",
        "membership_application",
        row.id,
        {"user": person.id, "subscription": subscription.id, "effective_on": decided},
        actor_id=staff_id,
    )
    return row


def refuse(
    db: Session,
    application_id: uuid.UUID,
    staff_id: uuid.UUID,
    reason: str,
    day: date | None = None,
) -> MembershipApplication:
    """Refuse an application; the reason is required and told to the applicant."""
    text = reason_text(reason, True, "application is refused")
    row = _pending(db, application_id)
    decided = day or date.today()
    record_status(db, row.user_id, MemberStatus.REFUSED, decided, reason=text, recorded_by=staff_id)
    row.status = ApplicationStatus.REFUSED
    row.decided_by, row.decided_on = staff_id, decided
    row.refusal_reason = text
    db.flush()
    audit.record(
        db,
        "membership.application_refused",
        "membership_application",
        row.id,
        {"user": row.user_id, "reason": text},
        actor_id=staff_id,
    )
    return row
