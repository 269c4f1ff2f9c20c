"""Share classes: defining them, finding them, and the holding limits they set.

A class's limits (``min_holding``, ``max_per_member``) come from the statutes;
every operation that changes a holding checks them here, so that the message
and the rule cited are the same everywhere.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.ledger.posting import tenant_currency
from coopkit.membership.errors import MembershipError, MembershipNotFound, RuleRefused
from coopkit.membership.models import (
    ShareClass,
    ShareRegisterEntry,
    ShareSubscription,
    SubscriptionStatus,
)
from coopkit.money import MoneyError, minor_unit, to_decimal

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,9}$")


def add_share_class(
    db: Session,
    *,
    code: str,
    name: str,
    nominal: object,
    min_holding: int = 1,
    max_per_member: int | None = None,
    voting: bool = True,
    description: str = "",
) -> ShareClass:
    """Define a class of shares in the session's tenant, in its currency."""
    currency = tenant_currency(db)
    code = code.strip()
    if not CODE.match(code):
        raise MembershipError(f"code {code!r}: 1 to 10 letters or digits, such as A", "code")
    if db.scalar(select(ShareClass.id).where(ShareClass.code == code)) is not None:
        raise MembershipError(f"there is a share class {code} already", "code")
    if not name.strip() or len(name.strip()) > 200:
        raise MembershipError("name: give it, in at most 200 characters", "name")
    try:
        value = to_decimal(nominal)
    except MoneyError as error:
        raise MembershipError(f"nominal: {error}", "nominal") from None
    if value <= 0 or value != value.quantize(minor_unit(currency)):
        raise MembershipError(f"nominal {value}: above 0, to the cent ({currency})", "nominal")
    if min_holding < 0:
        raise MembershipError("minimum holding: 0 or more shares", "min_holding")
    if max_per_member is not None and max_per_member < max(min_holding, 1):
        raise MembershipError(
            f"maximum per member {max_per_member}: at least the minimum holding ({min_holding})",
            "max_per_member",
        )
    row = ShareClass(
        code=code,
        name=name.strip(),
        nominal=value,
        currency=currency,
        min_holding=min_holding,
        max_per_member=max_per_member,
        voting=voting,
        description=description.strip(),
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        "shares.class_added",
        "share_class",
        row.id,
        {
            "code": code,
            "nominal": value,
            "currency": currency,
            "min_holding": min_holding,
            "max_per_member": max_per_member,
            "voting": voting,
        },
    )
    return row


def share_classes(db: Session) -> list[ShareClass]:
    return list(db.scalars(select(ShareClass).order_by(ShareClass.code)))


def share_class_by_code(db: Session, code: str) -> ShareClass:
    found = db.scalar(select(ShareClass).where(ShareClass.code == code.strip()))
    if found is None:
        known = ", ".join(c.code for c in share_classes(db)) or "none defined yet"
        raise MembershipError(f"share class {code!r}: use one of {known}", "share_class")
    return found


def get_share_class(db: Session, class_id: uuid.UUID) -> ShareClass:
    found = db.scalar(select(ShareClass).where(ShareClass.id == class_id))
    if found is None:
        raise MembershipNotFound(f"share class {class_id}")
    return found


def held(db: Session, user_id: uuid.UUID, share_class: ShareClass, day: date) -> int:
    """Shares of the class the person holds at the end of ``day``."""
    total = db.scalar(
        select(func.sum(ShareRegisterEntry.quantity)).where(
            ShareRegisterEntry.user_id == user_id,
            ShareRegisterEntry.share_class_id == share_class.id,
            ShareRegisterEntry.effective_on <= day,
        )
    )
    return int(total or 0)


def awaiting_payment(db: Session, user_id: uuid.UUID, share_class: ShareClass) -> int:
    """Shares of the class the person subscribed and has not paid yet."""
    total = db.scalar(
        select(func.sum(ShareSubscription.quantity)).where(
            ShareSubscription.user_id == user_id,
            ShareSubscription.share_class_id == share_class.id,
            ShareSubscription.status == SubscriptionStatus.PENDING,
        )
    )
    return int(total or 0)


def class_rule(share_class: ShareClass) -> str:
    """How the class's limits are cited: they come from the statutes."""
    most = "no maximum" if share_class.max_per_member is None else share_class.max_per_member
    return (
        f"statutes, share class {share_class.code}: minimum holding "
        f"{share_class.min_holding}, maximum per member {most}"
    )


def check_can_take(share_class: ShareClass, holding: int, quantity: int) -> None:
    """May a person holding ``holding`` shares (paid or subscribed) take ``quantity`` more?

    Refused beyond the class's maximum per member, and below its minimum
    holding for a first holding.
    """
    if quantity <= 0:
        raise MembershipError(f"{quantity} shares: give a number above 0", "quantity")
    after = holding + quantity
    code = share_class.code
    if share_class.max_per_member is not None and after > share_class.max_per_member:
        raise RuleRefused(
            f"a member holds at most {share_class.max_per_member} {code} shares: with "
            f"{holding} already (paid or subscribed), {quantity} more would make {after}",
            class_rule(share_class),
            "quantity",
        )
    if holding == 0 and quantity < share_class.min_holding:
        raise RuleRefused(
            f"a first holding of {code} shares is at least {share_class.min_holding}, "
            f"not {quantity}",
            class_rule(share_class),
            "quantity",
        )


def check_can_give(
    share_class: ShareClass, holding: int, quantity: int, stays: bool, other_shares: int = 0
) -> None:
    """May a person holding ``holding`` shares give up ``quantity`` of them?

    Never more than they hold; and a person who stays a member keeps at least
    the class's minimum holding, or none of the class when they hold
    ``other_shares`` of other classes.
    """
    if quantity <= 0:
        raise MembershipError(f"{quantity} shares: give a number above 0", "quantity")
    code = share_class.code
    if quantity > holding:
        raise MembershipError(
            f"{quantity} {code} shares: the member holds only {holding}", "quantity"
        )
    after = holding - quantity
    if stays and after < share_class.min_holding and not (after == 0 and other_shares > 0):
        raise RuleRefused(
            f"a member keeps at least {share_class.min_holding} {code} shares while they stay a "
            f"member: {holding} − {quantity} would leave {after}; record their resignation "
            "first to take back all their shares",
            class_rule(share_class),
            "quantity",
        )
