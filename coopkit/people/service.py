"""Creating people, signing them in and finding their roles."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.db.tenancy import tenant_scope
from coopkit.people.models import ApiToken, Membership, Role, User
from coopkit.people.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from coopkit.tenants.models import Tenant

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The hash of a person who cannot sign in yet (an applicant from the public form):
# argon2 cannot read it, so every password is wrong until one is set.
NO_PASSWORD = "!no-password"  # noqa: S105 (not a password: a hash no password matches)


class PeopleError(ValueError):
    """A request about people that cannot be done as asked."""


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not EMAIL.match(cleaned) or len(cleaned) > 254:
        raise PeopleError(f"{email!r} is not an e-mail address")
    return cleaned


def create_user(
    db: Session, email: str, name: str, password: str | None, locale: str | None = None
) -> User:
    """Add a person; the e-mail must not be taken. Without a password they cannot sign in
    until one is set."""
    address = normalise_email(email)
    if db.scalar(select(User.id).where(User.email == address)) is not None:
        raise PeopleError(f"a user with e-mail {address} already exists")
    if not name.strip():
        raise PeopleError("a user needs a name")
    user = User(
        email=address,
        name=name.strip(),
        password_hash=NO_PASSWORD if password is None else hash_password(password),
        locale=locale,
    )
    db.add(user)
    db.flush()
    return user


def find_user(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == email.strip().lower()))


def add_membership(db: Session, tenant: Tenant, user: User, role: Role) -> Membership:
    """Give ``user`` a ``role`` in ``tenant`` (or change the role they have)."""
    with tenant_scope(db, tenant.id):
        membership = db.scalar(select(Membership).where(Membership.user_id == user.id))
        if membership is None:
            membership = Membership(tenant_id=tenant.id, user_id=user.id, role=role)
            db.add(membership)
            db.flush()
            audit.record(db, "membership.added", "user", user.id, {"role": role})
        elif membership.role != role:
            previous, membership.role = membership.role, role
            db.flush()
            audit.record(
                db, "membership.role_changed", "user", user.id, {"role": role, "was": previous}
            )
    return membership


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The user with this e-mail and password, or None (same time either way)."""
    user = find_user(db, email)
    if user is None:
        verify_password(DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def role_in(db: Session, user_id: uuid.UUID) -> Role | None:
    """The user's role in the session's current tenant."""
    return db.scalar(select(Membership.role).where(Membership.user_id == user_id))


def tenants_of(db: Session, user_id: uuid.UUID) -> list[tuple[Tenant, Role]]:
    """Every cooperative the user belongs to, with their role: a reviewed cross-tenant read."""
    rows = db.execute(
        select(Tenant, Membership.role)
        .join(Membership, Membership.tenant_id == Tenant.id)
        .where(Membership.user_id == user_id)
        .order_by(Tenant.name)
        .execution_options(cross_tenant="a person lists the cooperatives they belong to")
    )
    return [(tenant, role) for tenant, role in rows.all()]


def issue_api_token(db: Session, user: User, name: str) -> str:
    """Create an API token for ``user``; the clear token is returned once and never stored."""
    token = "ck_" + secrets.token_urlsafe(32)
    db.add(ApiToken(user_id=user.id, name=name, token_hash=token_digest(token)))
    db.flush()
    return token


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(db: Session, token: str) -> User | None:
    row = db.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None)
        )
    )
    return None if row is None else db.get(User, row.user_id)
