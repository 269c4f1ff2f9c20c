"""A quote as the pages draw it, read back from its shown content (coopkit.quotes.shown).

The public page draws the frozen text the client answers to, not the tables:
what is on the screen is exactly what a confirmation records and hashes.
A draft, which has no frozen text yet, is drawn from the same content built
on the fly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from coopkit.i18n import _
from coopkit.money import Money
from coopkit.quotes.models import Quote
from coopkit.quotes.service import today
from coopkit.quotes.shown import canonical_json, quote_content, sha256_hex

# UN/ECE Recommendation 20 codes offered in the quote form, with their names.
UNITS = {
    "C62": _("unit"),
    "HUR": _("hour"),
    "DAY": _("day"),
    "WEE": _("week"),
    "MON": _("month"),
    "KMT": _("kilometre"),
}


@dataclass(frozen=True)
class LineView:
    description: str
    quantity: Decimal
    unit: str  # a msgid of UNITS, or the code when it has no name here
    unit_price: Decimal  # may have more places than the currency's minor unit
    net: Money
    vat_rate: Decimal

    @property
    def unit_price_money(self) -> Money | None:
        """The unit price as money, when rounding it to the minor unit changes nothing."""
        money = Money(self.unit_price, self.net.currency)
        return money if money.amount == self.unit_price else None


@dataclass(frozen=True)
class QuoteView:
    number: str | None
    title: str
    note: str
    day: date
    valid_until: date
    locale: str
    seller: dict[str, Any]
    activity: dict[str, Any]
    client: dict[str, Any]
    lines: list[LineView]
    net_total: Money
    sha256: str


def view_of(text: str) -> QuoteView:
    """The view of a shown content text (a sent quote's ``shown``)."""
    content = json.loads(text)
    head, currency = content["quote"], content["quote"]["currency"]
    return QuoteView(
        number=head["number"],
        title=head["title"],
        note=head["note"],
        day=date.fromisoformat(head["date"]),
        valid_until=date.fromisoformat(head["valid_until"]),
        locale=head["locale"],
        seller=content["seller"],
        activity=content["activity"],
        client=content["client"],
        lines=[
            LineView(
                description=line["description"],
                quantity=Decimal(line["quantity"]),
                unit=UNITS.get(line["unit"], line["unit"]),
                unit_price=Decimal(line["unit_price"]),
                net=Money(Decimal(line["net"]), currency),
                vat_rate=Decimal(line["vat_rate"]),
            )
            for line in content["lines"]
        ],
        net_total=Money(Decimal(content["totals"]["net"]), currency),
        sha256=sha256_hex(text),
    )


def quote_view(db: Session, quote: Quote) -> QuoteView:
    """The view of any quote: as sent, or as it would be sent today for a draft."""
    text = quote.shown or canonical_json(quote_content(db, quote, today()))
    return view_of(text)
