"""Quotes in API v1: createQuote, getQuote, listQuotes, sendQuote, and the public confirmQuote.

A quote is managed by the members of its activity and by staff; anybody else
gets 404. Sending a quote numbers it and returns the link its client answers
at (``link``); the client answers through that page, or through
``confirmQuote`` with the link's token: no account, no bearer token.
Refusals are problem+json: 422 with what to fix (``errors[].key`` names the
field); for a link, 404 when it is not valid, 410 when the quote expired,
409 when it was already answered.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.orm import Session

from coopkit.quotes.confirmation import Signer, answer_quote, confirmation_of
from coopkit.quotes.link import sign_link
from coopkit.quotes.models import Quote, QuoteDecision, QuoteStatus
from coopkit.quotes.service import LineIn, create_quote, list_quotes, send_quote
from coopkit.quotes.shown import plain_amount, plain_number, quote_lines, sha256_hex
from coopkit.web.access import member_only, services, visitor
from coopkit.web.api.idempotent import IdempotencyKeyHeader, once
from coopkit.web.api.quote_schemas import (
    QuoteAnswerIn,
    QuoteAnswerOut,
    QuoteConfirmationOut,
    QuoteCreate,
    QuoteLineOut,
    QuoteOut,
)
from coopkit.web.quote_access import (
    link_url,
    origin_of,
    secret,
    visible_activities,
    visible_quote,
)
from coopkit.web.visibility import visible_activity

Db = NamedDependency[Session]


def quote_out(request: Request[Any, Any, Any], db: Session, quote: Quote) -> QuoteOut:
    currency = quote.currency
    lines = [
        QuoteLineOut(
            line.position,
            line.description,
            plain_number(line.quantity),
            line.unit,
            plain_amount(line.unit_price, currency),
            plain_amount(line.net, currency),
            line.vat_code,
            plain_number(line.vat_rate),
        )
        for line in quote_lines(db, quote)
    ]
    answer = confirmation_of(db, quote.id)
    confirmation = (
        None
        if answer is None
        else QuoteConfirmationOut(
            answer.decision.value,
            answer.signer_name,
            answer.signer_email,
            answer.signer_role,
            answer.signer_company,
            answer.comment,
            answer.decided_at,
            answer.ip,
            answer.user_agent,
            answer.shown_sha256,
        )
    )
    waiting = quote.status is QuoteStatus.SENT
    return QuoteOut(
        id=quote.id,
        number=quote.number,
        status=quote.status.value,
        activity_id=quote.activity_id,
        client_id=quote.client_id,
        title=quote.title,
        note=quote.note,
        currency=quote.currency,
        locale=quote.locale,
        valid_until=quote.valid_until,
        net_total=plain_amount(quote.net_total, currency),
        created_at=quote.created_at,
        sent_on=quote.sent_on,
        lines=lines,
        link=link_url(request, sign_link(secret(request), quote)) if waiting else None,
        shown_sha256=None if quote.shown is None else sha256_hex(quote.shown),
        confirmation=confirmation,
    )


@post(
    "/t/{slug:str}/quotes",
    operation_id="createQuote",
    guards=[member_only],
    sync_to_thread=True,
)
def create_quote_handler(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: JSONBody[QuoteCreate]
) -> QuoteOut:
    """Write a draft quote for an activity you work in (staff: any activity)."""
    who = visitor(request)
    assert who.tenant is not None
    visible_activity(request, db, data.activity_id)
    quote = create_quote(
        db,
        services(request).plugins,
        who.tenant,
        activity_id=data.activity_id,
        client_id=data.client_id,
        valid_until=data.valid_until,
        lines=[
            LineIn(line.description, line.quantity, line.unit_price, line.vat_code, line.unit)
            for line in data.lines
        ],
        title=data.title,
        note=data.note,
        currency=data.currency,
        locale=data.locale,
        created_by=who.user_id,
    )
    return quote_out(request, db, quote)


@get(
    "/t/{slug:str}/quotes",
    operation_id="listQuotes",
    guards=[member_only],
    sync_to_thread=True,
)
def list_quotes_handler(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    activity_id: FromQuery[uuid.UUID | None] = None,
    status: FromQuery[QuoteStatus | None] = None,
) -> list[QuoteOut]:
    """The quotes of the activities you work in (staff: all), newest first."""
    if activity_id is not None:
        ids = [visible_activity(request, db, activity_id).id]
    else:
        ids = [activity.id for activity in visible_activities(request, db)]
    return [quote_out(request, db, q) for q in list_quotes(db, activity_ids=ids, status=status)]


@get(
    "/t/{slug:str}/quotes/{quote_id:uuid}",
    operation_id="getQuote",
    guards=[member_only],
    sync_to_thread=True,
)
def get_quote_handler(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], quote_id: FromPath[uuid.UUID]
) -> QuoteOut:
    """A quote with its lines, its link while it waits for an answer, and the answer."""
    return quote_out(request, db, visible_quote(request, db, quote_id))


@post(
    "/t/{slug:str}/quotes/{quote_id:uuid}/send",
    operation_id="sendQuote",
    guards=[member_only],
    sync_to_thread=True,
)
def send_quote_handler(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    quote_id: FromPath[uuid.UUID],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Number a draft and return it with the link to send its client (sending it again
    returns the same number and link). E-mail delivery is not part of coopkit yet."""
    quote = visible_quote(request, db, quote_id)

    def work() -> Any:
        sent = send_quote(db, quote.id, sent_by=visitor(request).user_id)
        return msgspec.to_builtins(quote_out(request, db, sent))

    return once(db, idempotency_key, "sendQuote", {"quote": str(quote.id)}, work, 200)


@post("/quote-confirmations", operation_id="confirmQuote", sync_to_thread=True)
def confirm_quote_handler(
    request: Request[Any, Any, Any], db: Db, data: JSONBody[QuoteAnswerIn]
) -> QuoteAnswerOut:
    """Accept or decline a quote with the token of its link (public: the link is the
    credential). Recorded once, with who, when, from where and the SHA-256 of the quote."""
    answer = answer_quote(
        db,
        secret(request),
        data.token,
        decision=QuoteDecision(data.decision),
        signer=Signer(data.name, data.email, data.role, data.company),
        origin=origin_of(request),
        accepts_terms=data.accept,
        comment=data.comment,
        shown_sha256=data.shown_sha256,
    )
    quote = db.get(Quote, (answer.tenant_id, answer.quote_id))
    assert quote is not None
    assert quote.number is not None
    return QuoteAnswerOut(
        quote.number,
        quote.status.value,
        answer.decision.value,
        answer.decided_at,
        answer.shown_sha256,
    )


QUOTE_HANDLERS = [
    create_quote_handler,
    list_quotes_handler,
    get_quote_handler,
    send_quote_handler,
    confirm_quote_handler,
]
