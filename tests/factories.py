"""One factory per tenant-owned model, for tests that must cover every one of them.

``FACTORIES[Model](session, tenant)`` adds a valid row of ``Model`` to ``tenant``
(creating whatever global rows it needs, such as a user), flushes it while that
tenant is selected, and returns it. tests/test_tenancy.py checks that this
registry covers exactly ``coopkit.db.base.tenant_owned_models()``: a new
tenant-owned model needs a factory here before its isolation is proven.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

import coopkit.models  # noqa: F401  (registers every model)
from coopkit.audit.models import AuditEvent
from coopkit.audit.service import record
from coopkit.db.base import Base
from coopkit.db.tenancy import tenant_scope
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
