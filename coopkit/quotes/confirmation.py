"""The client's answer through the signed link, and the confirmed order it makes.

:func:`open_link` checks a token and returns the quote it names, scoped to its
cooperative; :func:`answer_quote` records the answer once, with who gave it,
when, from where and exactly what they saw; :func:`confirmed_order_for` is
what the guarantee fund asks: the proof that a client accepted a quote.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.db.base import utcnow
from coopkit.db.tenancy import current_tenant, set_tenant
from coopkit.people.service import PeopleError, normalise_email
from coopkit.quotes.link import LinkProblem, LinkRefused, not_valid, read_link
from coopkit.quotes.models import Quote, QuoteConfirmation, QuoteDecision, QuoteStatus
from coopkit.quotes.service import QuoteError, UnknownQuote, get_quote
from coopkit.quotes.shown import plain_amount, sha256_hex

OUTCOME = {
    QuoteDecision.ACCEPTED: QuoteStatus.CONFIRMED,
    QuoteDecision.DECLINED: QuoteStatus.DECLINED,
}


@dataclass(frozen=True)
class Signer:
    """Who answers, as they introduce themselves (no account is needed)."""

    name: str
    email: str
    role: str = ""
    company: str = ""


@dataclass(frozen=True)
class Origin:
    """Where the answer came from, as the server saw the request."""

    ip: str = ""
    user_agent: str = ""


def open_link(db: Session, secret: str, token: str, *, on: date | None = None) -> Quote:
    """The quote ``token`` names, waiting for an answer; LinkRefused says why not.

    Selects the token's cooperative in ``db``, with no acting user (a session
    of another cooperative is refused as a link that is not valid). An expired
    quote is marked so.
    """
    claim = read_link(secret, token)
    if current_tenant(db) not in (None, claim.tenant_id):
        raise not_valid()
    # Whoever holds the link answers as the client, not as a user of coopkit.
    set_tenant(db, claim.tenant_id, None)
    try:
        quote = get_quote(db, claim.quote_id, on=on)
    except UnknownQuote:
        quote = None
    if quote is None or quote.link_nonce != claim.nonce or quote.valid_until != claim.valid_until:
        raise LinkRefused(
            LinkProblem.WITHDRAWN, "this link was replaced or withdrawn: ask for a new one"
        )
    if quote.status in (QuoteStatus.CONFIRMED, QuoteStatus.DECLINED):
        raise LinkRefused(LinkProblem.ANSWERED, f"quote {quote.number} was already answered", quote)
    if quote.status is QuoteStatus.EXPIRED:
        raise LinkRefused(
            LinkProblem.EXPIRED,
            f"quote {quote.number} was valid until {quote.valid_until}: ask for a new one",
            quote,
        )
    return quote


def _signer(signer: Signer) -> Signer:
    name = signer.name.strip()
    if not name or len(name) > 200:
        raise QuoteError("name: give your name (at most 200 characters)", "name")
    try:
        email = normalise_email(signer.email)
    except PeopleError:
        raise QuoteError("email: give an e-mail address such as ana@example.org", "email") from None
    role, company = signer.role.strip(), signer.company.strip()
    if len(role) > 200 or len(company) > 200:
        raise QuoteError("role and company: at most 200 characters each", "role")
    return Signer(name, email, role, company)


def answer_quote(
    db: Session,
    secret: str,
    token: str,
    *,
    decision: QuoteDecision,
    signer: Signer,
    origin: Origin,
    accepts_terms: bool = False,
    comment: str = "",
    shown_sha256: str | None = None,
    now: datetime | None = None,
) -> QuoteConfirmation:
    """Record the client's answer to the quote ``token`` names, once.

    Accepting needs ``accepts_terms`` (the "I accept this quote" box). When
    ``shown_sha256`` is given it must be the hash of the quote as it stands:
    the client answers what they saw, or not at all.
    """
    moment = now or utcnow()
    quote = open_link(db, secret, token, on=moment.date())
    quote = get_quote(db, quote.id, lock=True, on=moment.date())
    if quote.status is not QuoteStatus.SENT:  # answered while we were reading it
        raise LinkRefused(LinkProblem.ANSWERED, f"quote {quote.number} was already answered", quote)
    who = _signer(signer)
    if decision is QuoteDecision.ACCEPTED and not accepts_terms:
        raise QuoteError("accept: tick “I accept this quote” to accept it", "accept")
    if len(comment) > 2000:
        raise QuoteError("comment: at most 2000 characters", "comment")
    assert quote.shown is not None
    digest = sha256_hex(quote.shown)
    if shown_sha256 is not None and shown_sha256 != digest:
        raise QuoteError("the quote shown is not this quote's: open the link again", "shown_sha256")
    confirmation = QuoteConfirmation(
        quote_id=quote.id,
        decision=decision,
        signer_name=who.name,
        signer_email=who.email,
        signer_role=who.role,
        signer_company=who.company,
        comment=comment.strip(),
        decided_at=moment,
        ip=origin.ip[:45],
        user_agent=origin.user_agent[:500],
        shown=quote.shown,
        shown_sha256=digest,
    )
    savepoint = db.begin_nested()
    try:
        db.add(confirmation)
        db.flush()
    except IntegrityError:
        savepoint.rollback()
        raise LinkRefused(
            LinkProblem.ANSWERED, f"quote {quote.number} was already answered", quote
        ) from None
    savepoint.commit()
    quote.status = OUTCOME[decision]
    record(
        db,
        f"quote.{OUTCOME[decision].value}",
        "quote",
        quote.id,
        {
            "number": quote.number,
            "decision": decision,
            "signer_name": who.name,
            "signer_email": who.email,
            "net_total": plain_amount(quote.net_total, quote.currency),
            "currency": quote.currency,
            "shown_sha256": digest,
        },
    )
    db.flush()
    return confirmation


def confirmation_of(db: Session, quote_id: uuid.UUID) -> QuoteConfirmation | None:
    """The client's answer to the quote, accepted or declined, if there is one."""
    return db.scalar(select(QuoteConfirmation).where(QuoteConfirmation.quote_id == quote_id))


def confirmed_order_for(db: Session, quote_id: uuid.UUID) -> QuoteConfirmation | None:
    """The proof that the client accepted the quote, or None if they have not.

    The row says who accepted (name, e-mail, role, company), when (server
    UTC time), from where (IP, user agent) and what: ``shown`` is the quote as
    the client saw it and ``shown_sha256`` its SHA-256. The guarantee fund
    advances a salary on an order only when this returns a row.
    """
    found = confirmation_of(db, quote_id)
    if found is None or found.decision is not QuoteDecision.ACCEPTED:
        return None
    return found
