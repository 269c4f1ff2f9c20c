"""One database session per request, scoped to the tenant in the path."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from litestar import Request
from sqlalchemy.orm import Session

from coopkit.db.tenancy import set_tenant
from coopkit.web.access import services, visitor


def provide_db(request: Request[Any, Any, Any]) -> Generator[Session, None, None]:
    """A session committed when the handler succeeds and rolled back when it fails.

    When a guard resolved a tenant, the session is scoped to it (and on
    PostgreSQL the tenant is set for the transaction, for row-level security).
    """
    who = visitor(request)
    db = services(request).sessions()
    set_tenant(db, who.tenant.id if who.tenant else None, who.user_id)
    try:
        yield db
    except Exception:
        db.rollback()
        raise
    else:
        db.commit()
    finally:
        db.close()
