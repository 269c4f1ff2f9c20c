"""Membership and shares in API v1: applyForMembership (public), admitMember and
refuseMembership (staff), subscribeShares (a member for themselves, staff for anyone),
recordSharePayment and redeemShares (staff, with Idempotency-Key), getShareRegister (staff,
JSON or ``?format=csv``).

Refusals are problem+json: 422 naming the field in ``errors[].key`` and the rule that
forbids it in ``rule`` (an article, the statutes), 409 for something done already, 403 for
a member acting for someone else.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.orm import Session

from coopkit.membership import applications
from coopkit.membership.classes import get_share_class, share_class_by_code
from coopkit.membership.documents import register_csv, register_rows
from coopkit.membership.models import (
    MembershipApplication,
    ShareRedemption,
    ShareSubscription,
)
from coopkit.membership.redemptions import redeem_shares
from coopkit.membership.subscriptions import record_payment, subscribe
from coopkit.money import minor_unit
from coopkit.web.access import member_only, open_to_anyone, services, staff_only, visitor
from coopkit.web.api.idempotent import IdempotencyKeyHeader, once
from coopkit.web.api.share_schemas import (
    ApplicationIn,
    ApplicationOut,
    DecisionIn,
    PaymentIn,
    PublicApplicationOut,
    RedemptionIn,
    RedemptionOut,
    RefusalIn,
    RegisterLineOut,
    SubscriptionIn,
    SubscriptionOut,
)

Db = NamedDependency[Session]
RegisterFormat = Annotated[
    Literal["json", "csv"], QueryParameter(description="json (default) or csv")
]


def application_out(db: Session, row: MembershipApplication) -> ApplicationOut:
    return ApplicationOut(
        id=row.id,
        user_id=row.user_id,
        share_class=get_share_class(db, row.share_class_id).code,
        quantity=row.quantity,
        status=row.status.value,
        submitted_at=row.submitted_at,
        decided_on=row.decided_on,
        refusal_reason=row.refusal_reason,
        subscription_id=row.subscription_id,
    )


def subscription_out(db: Session, row: ShareSubscription) -> SubscriptionOut:
    return SubscriptionOut(
        id=row.id,
        user_id=row.user_id,
        share_class=get_share_class(db, row.share_class_id).code,
        quantity=row.quantity,
        amount=row.amount.quantize(minor_unit(row.currency)),
        currency=row.currency,
        status=row.status.value,
        requested_on=row.requested_on,
        paid_on=row.paid_on,
        entry_id=row.entry_id,
        register_line=row.register_line,
    )


def redemption_out(db: Session, row: ShareRedemption) -> RedemptionOut:
    return RedemptionOut(
        id=row.id,
        user_id=row.user_id,
        share_class=get_share_class(db, row.share_class_id).code,
        quantity=row.quantity,
        amount=row.amount.quantize(minor_unit(row.currency)),
        currency=row.currency,
        effective_on=row.effective_on,
        entry_id=row.entry_id,
        rules=row.rules,
    )


def _staff_id(request: Request[Any, Any, Any]) -> uuid.UUID:
    staff_id = visitor(request).user_id
    assert staff_id is not None
    return staff_id


@post(
    "/t/{slug:str}/membership-applications",
    operation_id="applyForMembership",
    guards=[open_to_anyone],
    sync_to_thread=True,
)
def apply_for_membership(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: JSONBody[ApplicationIn]
) -> PublicApplicationOut:
    """Apply to join the cooperative (no account needed): your name, e-mail, the shares you
    wish to subscribe and why. Staff admit or refuse the application."""
    wanted = applications.ApplicationRequest(
        data.name, data.email, data.share_class, data.quantity, data.motivation
    )
    row = applications.apply_for_membership(db, wanted)
    return PublicApplicationOut(row.id, row.status.value)


@post(
    "/t/{slug:str}/membership-applications/{application_id:uuid}/admission",
    operation_id="admitMember",
    guards=[staff_only],
    sync_to_thread=True,
    status_code=200,
)
def admit_member(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    application_id: FromPath[uuid.UUID],
    data: JSONBody[DecisionIn],
) -> ApplicationOut:
    """Admit an applicant: a member from ``day`` (today by default), with the member role and
    the subscription they asked for, waiting for payment."""
    tenant = visitor(request).tenant
    assert tenant is not None
    row = applications.admit(db, tenant, application_id, _staff_id(request), data.day)
    return application_out(db, row)


@post(
    "/t/{slug:str}/membership-applications/{application_id:uuid}/refusal",
    operation_id="refuseMembership",
    guards=[staff_only],
    sync_to_thread=True,
    status_code=200,
)
def refuse_membership(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    application_id: FromPath[uuid.UUID],
    data: JSONBody[RefusalIn],
) -> ApplicationOut:
    """Refuse an application with a reason (required) the applicant is told."""
    row = applications.refuse(db, application_id, _staff_id(request), data.reason, data.day)
    return application_out(db, row)


@post(
    "/t/{slug:str}/share-subscriptions",
    operation_id="subscribeShares",
    guards=[member_only],
    sync_to_thread=True,
)
def subscribe_shares(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: JSONBody[SubscriptionIn]
) -> SubscriptionOut:
    """Subscribe shares for yourself (or, staff, for the member ``user_id``): refused beyond
    the class's maximum per member, and below its minimum for a first holding."""
    me = _staff_id(request)
    row = subscribe(
        db,
        user_id=data.user_id or me,
        share_class=share_class_by_code(db, data.share_class),
        quantity=data.quantity,
        day=date.today(),
        requested_by=me,
    )
    return subscription_out(db, row)


@post(
    "/t/{slug:str}/share-subscriptions/{subscription_id:uuid}/payment",
    operation_id="recordSharePayment",
    guards=[staff_only],
    sync_to_thread=True,
)
def record_share_payment(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    subscription_id: FromPath[uuid.UUID],
    data: JSONBody[PaymentIn],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Record the member's payment: the shares are issued (a register line on ``paid_on``)
    and the capital posted. A second payment is refused (409)."""
    staff_id = _staff_id(request)

    def work() -> Any:
        row = record_payment(db, subscription_id, staff_id, data.paid_on, data.reference)
        return msgspec.to_builtins(subscription_out(db, row))

    payload = {"subscription": str(subscription_id), **msgspec.to_builtins(data)}
    return once(db, idempotency_key, "recordSharePayment", payload, work, 200)


@post(
    "/t/{slug:str}/share-redemptions",
    operation_id="redeemShares",
    guards=[staff_only],
    sync_to_thread=True,
)
def redeem(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    data: JSONBody[RedemptionIn],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Redeem a member's shares on ``day`` at nominal value, by the country's rules and the
    statutes (window, capital floor, minimum holding); the amount is then owed to them."""
    tenant = visitor(request).tenant
    assert tenant is not None
    staff_id = _staff_id(request)

    def work() -> Any:
        row = redeem_shares(
            db,
            services(request).plugins,
            tenant,
            user_id=data.user_id,
            share_class=share_class_by_code(db, data.share_class),
            quantity=data.quantity,
            day=data.day,
            staff_id=staff_id,
            reason=data.reason,
        )
        return msgspec.to_builtins(redemption_out(db, row))

    return once(db, idempotency_key, "redeemShares", msgspec.to_builtins(data), work)


@get(
    "/t/{slug:str}/share-register",
    operation_id="getShareRegister",
    guards=[staff_only],
    sync_to_thread=True,
)
def get_share_register(
    db: Db, slug: FromPath[str], format: RegisterFormat = "json"
) -> Response[Any]:
    """Every line of the share register, in order (``format=csv`` for a spreadsheet)."""
    rows = register_rows(db)
    if format == "csv":
        return Response(
            register_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="share-register-{slug}.csv"'},
        )
    lines = [
        RegisterLineOut(
            line=r.entry.line,
            effective_on=r.entry.effective_on,
            user_id=r.entry.user_id,
            member=r.member,
            share_class=r.share_class,
            kind=r.entry.kind.value,
            quantity=r.entry.quantity,
            amount=r.amount.amount,
            currency=r.entry.currency,
            reference=r.entry.reference,
            recorded_at=r.entry.recorded_at,
        )
        for r in rows
    ]
    return Response(msgspec.to_builtins(lines))


SHARE_HANDLERS = [
    apply_for_membership,
    admit_member,
    refuse_membership,
    subscribe_shares,
    record_share_payment,
    redeem,
    get_share_register,
]
