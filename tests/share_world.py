"""A cooperative with share classes, staff and members, for the share operations' tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.tenancy import set_tenant
from coopkit.membership.applications import ApplicationRequest, admit, apply_for_membership
from coopkit.membership.classes import add_share_class, share_class_by_code
from coopkit.membership.models import ShareClass, ShareSubscription
from coopkit.membership.subscriptions import record_payment
from coopkit.people.models import Role, User
from coopkit.people.service import add_membership
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from coopkit.tenants.service import create_tenant
from tests.conftest import unique
from tests.factories import make_user


@dataclass
class ShareCoop:
    """A cooperative scoped in ``session`` (as its staff), with an A class of 50.00."""

    session: Session
    tenant: Tenant
    staff: User
    a_shares: ShareClass

    def member(self, name: str, quantity: int, day: date, paid_on: date | None = None) -> User:
        """Someone who applied for ``quantity`` A shares, was admitted on ``day`` and paid."""
        application = apply_for_membership(
            self.session,
            ApplicationRequest(name, f"{unique('m')}@example.org", "A", quantity),
            today=day,
        )
        admit(self.session, self.tenant, application.id, self.staff.id, day)
        subscription = self.session.scalar(
            select(ShareSubscription).where(ShareSubscription.id == application.subscription_id)
        )
        assert subscription is not None
        record_payment(
            self.session, subscription.id, self.staff.id, paid_on or day, today=date(2030, 1, 1)
        )
        person = self.session.get(User, application.user_id)
        assert person is not None
        return person

    def share_class(self, code: str) -> ShareClass:
        return share_class_by_code(self.session, code)


def share_coop(
    session: Session,
    plugins: PluginHost,
    country: str = "BE",
    nominal: str = "50.00",
    max_per_member: int | None = 100,
) -> ShareCoop:
    tenant = create_tenant(
        session, plugins, slug=unique("shares"), name="Share coop", kind="branch", country=country
    )
    staff = make_user(session, "Stella Staff")
    add_membership(session, tenant, staff, Role.STAFF)
    set_tenant(session, tenant.id, staff.id)
    a_shares = add_share_class(
        session,
        code="A",
        name="A shares (members who use the coop)",
        nominal=Decimal(nominal),
        min_holding=1,
        max_per_member=max_per_member,
    )
    return ShareCoop(session, tenant, staff, a_shares)
