"""One factory per tenant-owned model, for tests that must cover every one of them.

``FACTORIES[Model](session, tenant)`` adds a valid row of ``Model`` to ``tenant``
(creating whatever global rows it needs, such as a user), flushes it while that
tenant is selected, and returns it. tests/test_tenancy.py checks that this
registry covers exactly ``coopkit.db.base.tenant_owned_models()``: a new
tenant-owned model needs a factory here before its isolation is proven.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy.orm import Session

import coopkit.models  # noqa: F401  (registers every model)
from coopkit.audit.models import AuditEvent
from coopkit.audit.service import record
from coopkit.db.base import Base
from coopkit.db.tenancy import tenant_scope
from coopkit.payslips.models import Payslip
from coopkit.people.models import Membership, Role, User
from coopkit.tenants.models import Tenant
from tests.conftest import unique

Factory = Callable[[Session, Tenant], Any]
F = TypeVar("F", bound=Factory)

FACTORIES: dict[type[Base], Factory] = {}


def factory(model: type[Base]) -> Callable[[F], F]:
    """Register the decorated function as the factory of ``model``."""

    def register(function: F) -> F:
        if model in FACTORIES:
            raise ValueError(f"two factories for {model.__name__}")
        FACTORIES[model] = function
        return function

    return register


def make_user(session: Session, name: str = "Test Person") -> User:
    """A person who can sign in (global, not owned by a tenant); no password hashing cost."""
    user = User(email=f"{unique('user')}@example.org", name=name, password_hash="!unusable")
    session.add(user)
    session.flush()
    return user


@factory(Membership)
def membership(session: Session, tenant: Tenant) -> Membership:
    user = make_user(session)
    with tenant_scope(session, tenant.id):
        row = Membership(tenant_id=tenant.id, user_id=user.id, role=Role.MEMBER)
        session.add(row)
    return row


@factory(AuditEvent)
def audit_event(session: Session, tenant: Tenant) -> AuditEvent:
    with tenant_scope(session, tenant.id):
        return record(session, "test.happened", "test", "subject-1", {"amount": "12.50"})


@factory(Payslip)
def payslip(session: Session, tenant: Tenant) -> Payslip:
    """A stored payslip (written as issued; its numbers need not come from a country's law)."""
    member, staff = make_user(session, "Paid Member"), make_user(session, "Payroll Staff")
    with tenant_scope(session, tenant.id):
        row = Payslip(
            tenant_id=tenant.id,
            user_id=member.id,
            member_name=member.name,
            month=dt.date(2025, 6, 1),
            country=tenant.country,
            currency=tenant.currency,
            gross_pay=[
                {
                    "code": "salary",
                    "label": "Salary",
                    "amount": "2000.00",
                    "quantity": None,
                    "unit_rate": None,
                }
            ],
            hours=None,
            contract="cdi",
            category="non-executive",
            employees=1,
            accident_rate=Decimal("0.009"),
            options={},
            tax_rate=None,
            ceiling=Decimal("3925.00"),
            lines=[],
            gross=Decimal("2000.00"),
            employee_contributions=Decimal("440.00"),
            net_before_income_tax=Decimal("1560.00"),
            taxable=Decimal("1600.00"),
            income_tax_withheld=Decimal("0.00"),
            net_pay=Decimal("1560.00"),
            employer_contributions=Decimal("300.00"),
            employer_cost=Decimal("2300.00"),
            issued_by_id=staff.id,
        )
        session.add(row)
    return row
