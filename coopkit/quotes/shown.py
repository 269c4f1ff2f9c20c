"""The quote as the client sees it: one canonical JSON text and its SHA-256.

What a confirmation proves is "this person accepted *this*": the number, the
parties, the lines, the totals and the validity. :func:`quote_content` gathers
them as plain JSON values (amounts, quantities and rates as strings of exact
decimals, days as ISO 8601, never a float); :func:`canonical_json` writes them
in one way only (sorted keys, no spaces, UTF-8), so the hash can be recomputed
by anyone holding the text:

    sha256(shown.encode("utf-8")).hexdigest() == confirmation.shown_sha256

The content is frozen in ``Quote.shown`` when the quote is sent; the public
page is drawn from that text, and the confirmation copies it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity
from coopkit.invoicing.cooperative import seller_on
from coopkit.invoicing.models import Client
from coopkit.money import minor_unit
from coopkit.quotes.models import Quote, QuoteLine
from coopkit.tenants.models import Tenant

FORMAT = "coopkit.quote/1"


def canonical_json(content: dict[str, Any]) -> str:
    """The one text of ``content``: keys sorted, no insignificant spaces, non-ASCII kept."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _seller(db: Session, tenant: Tenant, day: date) -> dict[str, Any]:
    identity = seller_on(db, day)
    if identity is None:
        return {"name": tenant.name, "country": tenant.country}
    return {
        "name": identity.legal_name,
        "legal_form": identity.legal_form,
        "street": identity.street,
        "postcode": identity.postcode,
        "city": identity.city,
        "country": identity.country,
        "vat_number": identity.vat_number,
        "company_number": identity.company_number,
        "email": identity.email,
    }


def _client(client: Client) -> dict[str, Any]:
    return {
        "kind": client.kind.value,
        "name": client.name,
        "street": client.street,
        "postcode": client.postcode,
        "city": client.city,
        "country": client.country,
        "vat_number": client.vat_number,
        "company_number": client.company_number,
    }


def plain_number(value: Decimal) -> Decimal:
    """Without trailing zeros, never in exponent notation (2, 0.21, 1.5, 10)."""
    return Decimal(format(value.normalize(), "f"))


def plain_amount(value: Decimal, currency: str) -> Decimal:
    """To the currency's minor unit (800.00), or with more places where it has them (12.345)."""
    rounded = value.quantize(minor_unit(currency))
    return rounded if rounded == value else plain_number(value)


def _line(line: QuoteLine, currency: str) -> dict[str, Any]:
    return {
        "position": line.position,
        "description": line.description,
        "quantity": str(plain_number(line.quantity)),
        "unit": line.unit,
        "unit_price": str(plain_amount(line.unit_price, currency)),
        "net": str(plain_amount(line.net, currency)),
        "vat_code": line.vat_code,
        "vat_rate": str(plain_number(line.vat_rate)),
    }


def quote_lines(db: Session, quote: Quote) -> list[QuoteLine]:
    return list(
        db.scalars(
            select(QuoteLine).where(QuoteLine.quote_id == quote.id).order_by(QuoteLine.position)
        )
    )


def quote_content(db: Session, quote: Quote, day: date) -> dict[str, Any]:
    """What the client is shown of ``quote`` (``day``: when it is sent, for the seller)."""
    tenant = db.get(Tenant, quote.tenant_id)
    activity = db.scalar(select(Activity).where(Activity.id == quote.activity_id))
    client = db.scalar(select(Client).where(Client.id == quote.client_id))
    assert tenant is not None
    assert activity is not None
    assert client is not None
    lines = [_line(line, quote.currency) for line in quote_lines(db, quote)]
    return {
        "format": FORMAT,
        "quote": {
            "id": str(quote.id),
            "number": quote.number,
            "title": quote.title,
            "note": quote.note,
            "date": day.isoformat(),
            "valid_until": quote.valid_until.isoformat(),
            "currency": quote.currency,
            "locale": quote.locale,
        },
        "seller": _seller(db, tenant, day),
        "activity": {"code": activity.code, "name": activity.name},
        "client": _client(client),
        "lines": lines,
        "totals": {
            "net": str(plain_amount(quote.net_total, quote.currency)),
            "currency": quote.currency,
        },
    }
