"""The ``Idempotency-Key`` header of money-moving operations, in one place.

A handler describes its work as a function returning JSON-like data and calls
:func:`once`: without a key the work runs; with one, coopkit.idempotency runs
it at most once and a replay returns the first answer with the header
``Idempotent-Replayed: true``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from litestar import Response
from litestar.params import HeaderParameter
from sqlalchemy.orm import Session

from coopkit.idempotency import run_once

IdempotencyKeyHeader = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        max_length=255,
        description="A unique string per request (a UUID): a retry with the same key and "
        "body returns the first answer and moves no money again",
    ),
]


def once(
    db: Session,
    key: str | None,
    operation: str,
    payload: Any,
    work: Callable[[], Any],
    status_code: int = 201,
) -> Response[Any]:
    """Run ``work`` (at most once per ``key``) and answer with its result."""
    if key is None:
        return Response(work(), status_code=status_code)
    outcome = run_once(db, key, operation, payload, work, status_code)
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return Response(outcome.response, status_code=outcome.status_code, headers=headers)
