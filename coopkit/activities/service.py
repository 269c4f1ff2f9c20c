"""Creating activities, their people, and reading and moving their money."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity, ActivityMember, ActivityRole, ActivityStatus
from coopkit.ledger.books import open_activity_accounts
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import Account, AccountBalance, JournalEntry
from coopkit.ledger.posting import credit, debit, post, tenant_currency
from coopkit.money import minor_unit
from coopkit.people.models import Membership

CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
RESERVATION = "reservation"


class ActivityError(ValueError):
    """An activity that cannot be created or changed as asked."""


class UnknownActivity(LookupError):
    def __init__(self, activity_id: object) -> None:
        super().__init__(f"no activity {activity_id} in this cooperative")


def create_activity(
    db: Session,
    *,
    code: str,
    name: str,
    managers: Iterable[uuid.UUID],
    members: Iterable[uuid.UUID] = (),
) -> Activity:
    """Add an activity to the session's tenant, with its people and its ledger sub-accounts.

    Every person must belong to the cooperative; an activity has at least one
    manager (a one-person activity: that person).
    """
    code = code.strip().upper()
    if not CODE.match(code):
        raise ActivityError(
            f"code {code!r}: 2 to 20 capital letters, digits and hyphens, starting with a "
            "letter or digit (for example PHOTO-01)"
        )
    if not name.strip() or len(name.strip()) > 200:
        raise ActivityError("an activity needs a name of at most 200 characters")
    managing = list(dict.fromkeys(managers))
    working = [m for m in dict.fromkeys(members) if m not in managing]
    if not managing:
        raise ActivityError("an activity needs at least one manager")
    _check_belong(db, [*managing, *working])
    if db.scalar(select(Activity.id).where(Activity.code == code)) is not None:
        raise ActivityError(f"an activity with code {code} already exists in this cooperative")
    activity = Activity(code=code, name=name.strip(), status=ActivityStatus.ACTIVE)
    db.add(activity)
    db.flush()
    for user_id, role in [
        *((m, ActivityRole.MANAGER) for m in managing),
        *((m, ActivityRole.MEMBER) for m in working),
    ]:
        db.add(ActivityMember(activity_id=activity.id, user_id=user_id, role=role))
    open_activity_accounts(db, activity.id, activity.code, activity.name)
    return activity


def _check_belong(db: Session, user_ids: list[uuid.UUID]) -> None:
    known = set(db.scalars(select(Membership.user_id).where(Membership.user_id.in_(user_ids))))
    strangers = [str(u) for u in user_ids if u not in known]
    if strangers:
        raise ActivityError(
            f"not members of this cooperative: {', '.join(strangers)}; add them to it first"
        )


def get_activity(db: Session, activity_id: uuid.UUID) -> Activity:
    activity = db.scalar(select(Activity).where(Activity.id == activity_id))
    if activity is None:
        raise UnknownActivity(activity_id)
    return activity


def activity_for(
    db: Session, activity_id: uuid.UUID, user_id: uuid.UUID | None, *, staff: bool
) -> Activity:
    """The activity if ``user_id`` works in it or the person is staff.

    Anyone else gets UnknownActivity, exactly as for an activity that does not
    exist, so that nobody can probe which activities there are.
    """
    activity = get_activity(db, activity_id)
    if staff or (user_id is not None and role_in_activity(db, activity_id, user_id) is not None):
        return activity
    raise UnknownActivity(activity_id)


def role_in_activity(
    db: Session, activity_id: uuid.UUID, user_id: uuid.UUID
) -> ActivityRole | None:
    return db.scalar(
        select(ActivityMember.role).where(
            ActivityMember.activity_id == activity_id, ActivityMember.user_id == user_id
        )
    )


def members_of(db: Session, activity_id: uuid.UUID) -> list[ActivityMember]:
    return list(
        db.scalars(
            select(ActivityMember)
            .where(ActivityMember.activity_id == activity_id)
            .order_by(ActivityMember.role.desc(), ActivityMember.created_at)
        )
    )


def list_activities(db: Session, user_id: uuid.UUID | None = None) -> list[Activity]:
    """The tenant's activities, or only those ``user_id`` works in, by code."""
    query = select(Activity).order_by(Activity.code)
    if user_id is not None:
        query = query.join(
            ActivityMember,
            (ActivityMember.tenant_id == Activity.tenant_id)
            & (ActivityMember.activity_id == Activity.id),
        ).where(ActivityMember.user_id == user_id)
    return list(db.scalars(query))


@dataclass(frozen=True)
class ActivityBalance:
    """An activity's money in one currency, derived from its ledger sub-accounts.

    ``invoiced``: turnover excluding VAT invoiced (net of credit notes);
    ``receivable``: what its clients still owe, VAT included;
    ``received``: the paid share excluding VAT made available to it;
    ``fees``: the coop's fee taken on it; ``reserved``: set aside (e.g. for a
    salary); ``available``: what can be spent on salary or expenses now.
    """

    currency: str
    invoiced: Decimal
    receivable: Decimal
    received: Decimal
    fees: Decimal
    reserved: Decimal
    available: Decimal

    @property
    def spent(self) -> Decimal:
        """Received but neither fee, reserved nor available: guarantee-fund contributions,
        salaries and expenses."""
        return self.received - self.fees - self.reserved - self.available


FIELDS = {
    AccountRole.TURNOVER: "invoiced",
    AccountRole.CLIENT_RECEIVABLES: "receivable",
    AccountRole.ACTIVITY_BUDGETS: "received",
    AccountRole.FEE_INCOME: "fees",
    AccountRole.ACTIVITY_RESERVED: "reserved",
    AccountRole.ACTIVITY_FUNDS: "available",
}


def activity_balance(
    db: Session, activity_id: uuid.UUID, currency: str | None = None
) -> ActivityBalance:
    """The activity's balance: its sub-accounts' running balances (coopkit.ledger.balances),
    whatever the number of lines (see bench/ledger.py)."""
    code = currency or tenant_currency(db)
    rows = db.execute(
        select(Account.role, Account.type, AccountBalance.balance)
        .join(
            AccountBalance,
            (AccountBalance.tenant_id == Account.tenant_id)
            & (AccountBalance.account_id == Account.id),
        )
        .where(Account.activity_id == activity_id, AccountBalance.currency == code)
    ).all()
    unit = minor_unit(code)
    values = dict.fromkeys(FIELDS.values(), Decimal(0).quantize(unit))
    for role, kind, raw in rows:
        values[FIELDS[role]] += kind.natural(raw).quantize(unit)
    return ActivityBalance(currency=code, **values)


def reserve(
    db: Session,
    activity_id: uuid.UUID,
    amount: object,
    *,
    day: date,
    description: str,
    release: bool = False,
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Set money of the activity aside (or give it back with ``release=True``)."""
    get_activity(db, activity_id)
    source, target = AccountRole.ACTIVITY_FUNDS, AccountRole.ACTIVITY_RESERVED
    if release:
        source, target = target, source
    return post(
        db,
        lines=[debit(source, amount, activity_id), credit(target, amount, activity_id)],
        kind=RESERVATION,
        description=description,
        day=day,
        reference=f"activity:{activity_id}",
        idempotency_key=idempotency_key,
    )
