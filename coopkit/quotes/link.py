"""The signed link a client opens to answer a quote, without an account.

The token carries the tenant, the quote, a random nonce drawn when the quote
was sent and the last day of validity, signed with the instance secret
(``COOPKIT_SECRET_KEY``) by itsdangerous: HMAC-SHA-256 over the URL-safe
payload, with a salt of its own so that no other signature of the
installation (CSRF tokens) can be replayed as a quote link. Changing any
character breaks the signature; guessing a link means forging an HMAC.

The token alone proves nothing more than "the cooperative once sent this
link": :mod:`coopkit.quotes.confirmation` then checks it against the quote
(the same nonce and validity, still waiting for an answer, not expired), so a
link stops working once the quote is answered or expires.
"""

from __future__ import annotations

import enum
import hashlib
import uuid
from dataclasses import dataclass
from datetime import date

from itsdangerous import BadData, URLSafeSerializer

from coopkit.quotes.models import Quote

SALT = "coopkit.quote-link/1"
MAX_TOKEN = 400  # a real token is about 190 characters


class LinkProblem(enum.StrEnum):
    """Why a link cannot be used; each has its own page and HTTP status."""

    TAMPERED = "tampered"  # not a token this installation signed (404)
    WITHDRAWN = "withdrawn"  # the quote no longer carries this link (404)
    EXPIRED = "expired"  # past the quote's last day of validity (410)
    ANSWERED = "answered"  # the client already accepted or declined it (409)


class LinkRefused(Exception):
    """A quote link that cannot be used, and why (``problem``); ``quote`` is the quote
    it names when the link is genuine but expired or answered."""

    def __init__(self, problem: LinkProblem, message: str, quote: Quote | None = None) -> None:
        super().__init__(message)
        self.problem = problem
        self.quote = quote


@dataclass(frozen=True)
class LinkClaim:
    """What a genuine token says."""

    tenant_id: uuid.UUID
    quote_id: uuid.UUID
    nonce: str
    valid_until: date


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT, signer_kwargs={"digest_method": hashlib.sha256})


def sign_link(secret: str, quote: Quote) -> str:
    """The token of a sent quote (the same every time it is asked for)."""
    if quote.link_nonce is None:
        raise ValueError("a draft quote has no link: send it first")
    payload = [quote.tenant_id.hex, quote.id.hex, quote.link_nonce, quote.valid_until.isoformat()]
    return _serializer(secret).dumps(payload)


def not_valid() -> LinkRefused:
    return LinkRefused(
        LinkProblem.TAMPERED, "this link is not valid: check that it was copied whole"
    )


def read_link(secret: str, token: str) -> LinkClaim:
    """What ``token`` claims, if this installation signed it; LinkRefused otherwise."""
    if not token or len(token) > MAX_TOKEN:
        raise not_valid()
    serializer = _serializer(secret)
    try:
        payload = serializer.loads(token)
        tenant, quote, nonce, last_day = payload
        claim = LinkClaim(
            uuid.UUID(hex=tenant), uuid.UUID(hex=quote), str(nonce), date.fromisoformat(last_day)
        )
    except (BadData, ValueError, TypeError):
        raise not_valid() from None
    # Base64 lets a few characters vary without changing the bytes: only the
    # token as it was issued is accepted, so a link has one spelling.
    if serializer.dumps(payload) != token:
        raise not_valid()
    return claim
