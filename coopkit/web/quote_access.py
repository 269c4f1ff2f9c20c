"""Who may see and manage quotes: the members of the quote's activity, and staff.

Anybody else gets 404, exactly as for a quote or an activity that does not
exist. Shared by the quotes API and the quote pages.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request
from sqlalchemy.orm import Session

from coopkit.activities import service as activities
from coopkit.activities.models import Activity
from coopkit.quotes.confirmation import Origin
from coopkit.quotes.models import Quote
from coopkit.quotes.service import UnknownQuote, get_quote
from coopkit.web.access import services, visitor
from coopkit.web.visibility import is_staff


def visible_activities(request: Request[Any, Any, Any], db: Session) -> list[Activity]:
    """The activities whose quotes the visitor manages (staff: all of them)."""
    only = None if is_staff(request) else visitor(request).user_id
    return activities.list_activities(db, only)


def works_in(request: Request[Any, Any, Any], db: Session, activity_id: uuid.UUID) -> bool:
    if is_staff(request):
        return True
    user_id = visitor(request).user_id
    return user_id is not None and activities.role_in_activity(db, activity_id, user_id) is not None


def visible_quote(request: Request[Any, Any, Any], db: Session, quote_id: uuid.UUID) -> Quote:
    """The quote if the visitor works in its activity or is staff; 404 otherwise."""
    quote = get_quote(db, quote_id)
    if not works_in(request, db, quote.activity_id):
        raise UnknownQuote(quote_id)
    return quote


def link_url(request: Request[Any, Any, Any], token: str) -> str:
    """The public address of a quote link, on this server."""
    return f"{str(request.base_url).rstrip('/')}/q/{token}"


def secret(request: Request[Any, Any, Any]) -> str:
    return services(request).settings.secret_key


def origin_of(request: Request[Any, Any, Any]) -> Origin:
    """The client address and browser of a request, as the server saw them (behind a
    proxy, the proxy's address: coopkit reads no X-Forwarded-For it cannot trust)."""
    host = request.client.host if request.client else ""
    return Origin(host, request.headers.get("user-agent", ""))
