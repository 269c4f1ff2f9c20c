"""A member's record for staff: status over time, holdings, subscriptions (record their
payment), redemptions, transfers, resignation and exclusion, the certificate."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.i18n import _
from coopkit.membership.classes import share_class_by_code, share_classes
from coopkit.membership.documents import holdings_of, register_rows
from coopkit.membership.errors import MembershipError, MembershipForbidden
from coopkit.membership.models import MemberStatusChange, ShareRedemption
from coopkit.membership.redemptions import redeem_shares
from coopkit.membership.register import members_on
from coopkit.membership.statuses import exclude, resign
from coopkit.membership.subscriptions import get_subscription, record_payment, subscribe
from coopkit.membership.transfers import transfer_shares
from coopkit.money import Money
from coopkit.people.models import User
from coopkit.people.service import role_in
from coopkit.web.access import services, staff_only, visitor
from coopkit.web.pages.shares import member_certificate, subscriptions_of
from coopkit.web.templating import flash, page

Db = NamedDependency[Session]


def _person(db: Session, user_id: uuid.UUID) -> User:
    """Someone with a role or a status in this cooperative; 404 for anyone else."""
    person = db.get(User, user_id)
    known = db.scalar(select(MemberStatusChange.id).where(MemberStatusChange.user_id == user_id))
    if person is None or (known is None and role_in(db, user_id) is None):
        raise NotFoundException(f"no member {user_id} here")
    return person


@get(
    "/t/{slug:str}/shares/members/{user_id:uuid}",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def member_record_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], user_id: FromPath[uuid.UUID]
) -> Template:
    person = _person(db, user_id)
    today = date.today()
    statuses = db.scalars(
        select(MemberStatusChange)
        .where(MemberStatusChange.user_id == user_id)
        .order_by(MemberStatusChange.effective_on, MemberStatusChange.recorded_at)
    ).all()
    others = [p for p in members_on(db, today) if p != user_id]
    names = {u.id: u.name for u in db.scalars(select(User).where(User.id.in_(others)))}
    return page(
        request,
        "share_member.html",
        as_money=Money,
        person=person,
        statuses=statuses,
        holdings=holdings_of(db, user_id, today),
        subscriptions=subscriptions_of(db, user_id),
        redemptions=db.scalars(
            select(ShareRedemption).where(ShareRedemption.user_id == user_id)
        ).all(),
        rows=register_rows(db, user_id),
        classes=share_classes(db),
        codes={c.id: c.code for c in share_classes(db)},
        buyers=sorted(names.items(), key=lambda item: item[1]),
        today=today,
    )


@get(
    "/t/{slug:str}/shares/members/{user_id:uuid}/certificate.pdf",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def member_certificate_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], user_id: FromPath[uuid.UUID]
) -> Response[bytes]:
    return member_certificate(request, db, _person(db, user_id))


@dataclass
class OperationForm:
    """The fields of the record page's forms (each form sends the ones it needs)."""

    share_class: str = ""
    quantity: str = ""
    day: str = ""
    reason: str = ""
    buyer: str = ""
    reference: str = ""
    kind: str = ""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else date.today()
    except ValueError:
        raise MembershipError(f"{text!r}: give the day as YYYY-MM-DD", "day") from None


def _quantity(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise MembershipError(f"{text!r}: give a whole number of shares", "quantity") from None


def _run(
    request: Request[Any, Any, Any], back: str, done: str, work: Callable[[], object]
) -> Redirect:
    """Run one operation of the page; flash what happened or what refused it."""
    try:
        work()
    except (MembershipError, MembershipForbidden, LookupError) as error:
        flash(request, _("Not done: %(reason)s"), "error", reason=str(error))
    else:
        flash(request, done, "info")
    return Redirect(back)


def _staff(request: Request[Any, Any, Any]) -> uuid.UUID:
    staff_id = visitor(request).user_id
    assert staff_id is not None
    return staff_id


@post(
    "/t/{slug:str}/shares/members/{user_id:uuid}/subscribe",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def subscribe_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    user_id: FromPath[uuid.UUID],
    data: URLEncodedBody[OperationForm],
) -> Redirect:
    return _run(
        request,
        f"/t/{slug}/shares/members/{user_id}",
        _("Subscription recorded: it waits for payment."),
        lambda: subscribe(
            db,
            user_id=user_id,
            share_class=share_class_by_code(db, data.share_class),
            quantity=_quantity(data.quantity),
            day=date.today(),
            requested_by=_staff(request),
        ),
    )


@post(
    "/t/{slug:str}/shares/subscriptions/{subscription_id:uuid}/pay",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def pay_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    subscription_id: FromPath[uuid.UUID],
    data: URLEncodedBody[OperationForm],
) -> Redirect:
    row = get_subscription(db, subscription_id)
    return _run(
        request,
        f"/t/{slug}/shares/members/{row.user_id}",
        _("Payment recorded: the shares are issued and written in the register."),
        lambda: record_payment(
            db, subscription_id, _staff(request), _day(data.day), data.reference
        ),
    )


@post(
    "/t/{slug:str}/shares/members/{user_id:uuid}/redeem",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def redeem_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    user_id: FromPath[uuid.UUID],
    data: URLEncodedBody[OperationForm],
) -> Redirect:
    tenant = visitor(request).tenant
    assert tenant is not None
    return _run(
        request,
        f"/t/{slug}/shares/members/{user_id}",
        _("Shares redeemed: the coop now owes the member their value."),
        lambda: redeem_shares(
            db,
            services(request).plugins,
            tenant,
            user_id=user_id,
            share_class=share_class_by_code(db, data.share_class),
            quantity=_quantity(data.quantity),
            day=_day(data.day),
            staff_id=_staff(request),
            reason=data.reason,
        ),
    )


@post(
    "/t/{slug:str}/shares/members/{user_id:uuid}/transfer",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def transfer_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    user_id: FromPath[uuid.UUID],
    data: URLEncodedBody[OperationForm],
) -> Redirect:
    def work() -> object:
        try:
            buyer = uuid.UUID(data.buyer)
        except ValueError:
            raise MembershipError("choose the member who receives the shares", "buyer") from None
        return transfer_shares(
            db,
            seller_id=user_id,
            buyer_id=buyer,
            share_class=share_class_by_code(db, data.share_class),
            quantity=_quantity(data.quantity),
            day=_day(data.day),
            staff_id=_staff(request),
            note=data.reason,
        )

    return _run(request, f"/t/{slug}/shares/members/{user_id}", _("Transfer recorded."), work)


@post(
    "/t/{slug:str}/shares/members/{user_id:uuid}/leave",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def leave_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    user_id: FromPath[uuid.UUID],
    data: URLEncodedBody[OperationForm],
) -> Redirect:
    def work() -> object:
        day = _day(data.day)
        if data.kind == "exclude":
            return exclude(db, user_id, day, _staff(request), data.reason)
        return resign(db, user_id, day, _staff(request), data.reason)

    return _run(
        request, f"/t/{slug}/shares/members/{user_id}", _("The member's status is recorded."), work
    )


SHARE_RECORD_PAGES = [
    member_record_page,
    member_certificate_page,
    subscribe_form,
    pay_form,
    redeem_form,
    transfer_form,
    leave_form,
]
