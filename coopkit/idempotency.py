"""Idempotency keys: a money-moving operation retried with the same key is done once.

A client sends ``Idempotency-Key: <unique string>`` with a request that moves
money. The first request does the work and its result is stored with the key,
the operation and a fingerprint of the request; a replay with the same key and
the same request returns the stored result without doing anything again; the
same key with another request (or for another operation) is refused with
:class:`IdempotencyConflict`. Keys are per tenant.

Concurrency: the key row is claimed (inserted) *before* the work, in a
savepoint, under a unique constraint. A concurrent request with the same key
waits on that row (PostgreSQL) or on the database lock (SQLite), then finds the
first result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from coopkit.db.base import Base, TenantOwned, utcnow

MAX_KEY = 255


class IdempotencyError(ValueError):
    """An idempotency key that cannot be used."""


class IdempotencyConflict(IdempotencyError):
    """The key was already used for another request."""


class IdempotencyKey(TenantOwned, Base):
    """A key a client sent with a money-moving request, and what the first request answered."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    key: Mapped[str] = mapped_column(String(MAX_KEY))
    operation: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Outcome:
    """What an idempotent operation answered, and whether this call was a replay."""

    response: Any
    status_code: int
    replayed: bool


def fingerprint(operation: str, payload: Any) -> str:
    """A SHA-256 of the operation and the request, independent of key order."""
    canonical = json.dumps(
        {"operation": operation, "payload": payload},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    cleaned = key.strip()
    if not cleaned or len(cleaned) > MAX_KEY or not cleaned.isprintable():
        raise IdempotencyError(
            f"an Idempotency-Key is 1 to {MAX_KEY} printable characters (a UUID is a good choice)"
        )
    return cleaned


def _replay(row: IdempotencyKey, operation: str, print_: str) -> Outcome:
    if row.fingerprint != print_ or row.operation != operation:
        raise IdempotencyConflict(
            f"the Idempotency-Key {row.key!r} was already used for another request "
            f"({row.operation}); send a new key for a new request"
        )
    if row.status_code is None:  # claimed by a transaction that has not finished
        raise IdempotencyConflict(
            f"a request with the Idempotency-Key {row.key!r} is still being processed; retry later"
        )
    return Outcome(row.response, row.status_code, replayed=True)


def run_once(
    db: Session,
    key: str,
    operation: str,
    payload: Any,
    work: Callable[[], Any],
    status_code: int = 200,
) -> Outcome:
    """Run ``work`` once for ``key``; a replay returns its stored JSON result.

    ``payload`` is the request (JSON-like); ``work`` returns a JSON-like result.
    Raises IdempotencyConflict when ``key`` was used for another request.
    """
    key = check_key(key)
    print_ = fingerprint(operation, payload)
    found = db.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if found is not None:
        return _replay(found, operation, print_)
    claim = IdempotencyKey(key=key, operation=operation, fingerprint=print_)
    savepoint = db.begin_nested()
    try:
        db.add(claim)
        db.flush()
    except IntegrityError:
        # Another transaction claimed the key meanwhile and has committed.
        savepoint.rollback()
        winner = db.scalar(
            select(IdempotencyKey)
            .where(IdempotencyKey.key == key)
            .execution_options(populate_existing=True)
        )
        if winner is None:
            raise
        return _replay(winner, operation, print_)
    try:
        response = work()
        claim.response = response
        claim.status_code = status_code
        db.flush()
    except BaseException:
        # A failed request leaves no trace: retrying it with the same key tries again.
        savepoint.rollback()
        raise
    savepoint.commit()
    return Outcome(response, status_code, replayed=False)
