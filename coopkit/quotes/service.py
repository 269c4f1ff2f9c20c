"""Writing quotes, sending them, and reading them back.

A quote is written as a draft for one activity and one client of the
cooperative. Sending it takes the next number of the tenant's quote series
(coopkit.invoicing.numbering, in the same transaction), draws the nonce of
its signed link and freezes what the client will see. A sent quote no longer
changes; what happens to it afterwards is the client's answer
(coopkit.quotes.confirmation) or the end of its validity.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity, ActivityStatus
from coopkit.activities.service import UnknownActivity, get_activity
from coopkit.db.base import utcnow
from coopkit.i18n import valid_locale
from coopkit.invoicing.models import Client, DocumentKind
from coopkit.invoicing.numbering import next_number
from coopkit.money import Money, MoneyError, check_currency, to_decimal
from coopkit.plugins import PluginHost
from coopkit.quotes.models import Quote, QuoteLine, QuoteStatus
from coopkit.quotes.shown import canonical_json, quote_content
from coopkit.tenants.models import Tenant

UNIT = re.compile(r"^[A-Z0-9]{2,3}$")
MAX_LINES = 200
MAX_AMOUNT = Decimal("1000000000")


class QuoteError(ValueError):
    """A quote that cannot be written or sent as asked; ``field`` names what to fix."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnknownQuote(LookupError):
    def __init__(self, quote_id: object) -> None:
        super().__init__(f"no quote {quote_id} in this cooperative")


def today() -> date:
    """The day by the server's UTC clock (validity is checked against it)."""
    return utcnow().date()


@dataclass(frozen=True)
class LineIn:
    """A line as asked for: ``quantity`` and ``unit_price`` are exact decimals (or their
    text, refused by field when it is not one)."""

    description: str
    quantity: Decimal | str
    unit_price: Decimal | str
    vat_code: str
    unit: str = "C62"


def _decimal(value: object, field: str, *, places: int) -> Decimal:
    try:
        number = to_decimal(value)
    except MoneyError as error:
        raise QuoteError(f"{field}: {error}", field) from None
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        raise QuoteError(f"{field}: at most {places} decimal places", field)
    if abs(number) >= MAX_AMOUNT:
        raise QuoteError(f"{field}: {number} is too large for a quote", field)
    return number


def _lines(
    plugins: PluginHost, country: str, currency: str, day: date, wanted: Sequence[LineIn]
) -> list[QuoteLine]:
    if not wanted:
        raise QuoteError("a quote needs at least one line", "lines")
    if len(wanted) > MAX_LINES:
        raise QuoteError(f"a quote has at most {MAX_LINES} lines", "lines")
    rates = {rate.code: rate.rate for rate in plugins.vat_rates(country, day)}
    lines = []
    for position, line in enumerate(wanted, start=1):
        at = f"lines[{position - 1}]"
        description = line.description.strip()
        if not description or len(description) > 500:
            raise QuoteError(
                f"{at}.description: say what is offered (1 to 500 characters)", f"{at}.description"
            )
        quantity = _decimal(line.quantity, f"{at}.quantity", places=6)
        if quantity <= 0:
            raise QuoteError(f"{at}.quantity: must be more than 0", f"{at}.quantity")
        unit_price = _decimal(line.unit_price, f"{at}.unit_price", places=4)
        if unit_price < 0:
            raise QuoteError(f"{at}.unit_price: must not be negative", f"{at}.unit_price")
        unit = line.unit.strip().upper()
        if not UNIT.match(unit):
            raise QuoteError(
                f"{at}.unit: a UN/ECE Recommendation 20 code such as C62 (one), DAY or HUR",
                f"{at}.unit",
            )
        if line.vat_code not in rates:
            raise QuoteError(
                f"{at}.vat_code: {line.vat_code!r} is not a VAT rate of {country} on {day}; "
                f"use one of {sorted(rates)}",
                f"{at}.vat_code",
            )
        lines.append(
            QuoteLine(
                position=position,
                description=description,
                quantity=quantity,
                unit=unit,
                unit_price=unit_price,
                net=Money(quantity * unit_price, currency).amount,
                vat_code=line.vat_code,
                vat_rate=rates[line.vat_code],
            )
        )
    return lines


def _client(db: Session, client_id: uuid.UUID) -> Client:
    client = db.scalar(select(Client).where(Client.id == client_id))
    if client is None:
        raise QuoteError(f"client_id: no client {client_id} in this cooperative", "client_id")
    if client.blocked:
        raise QuoteError(f"client_id: {client.name} is blocked; ask staff", "client_id")
    return client


def _activity(db: Session, activity_id: uuid.UUID) -> Activity:
    try:
        activity = get_activity(db, activity_id)
    except UnknownActivity as error:
        raise QuoteError(f"activity_id: {error}", "activity_id") from None
    if activity.status is not ActivityStatus.ACTIVE:
        raise QuoteError(f"activity_id: activity {activity.code} is closed", "activity_id")
    return activity


def create_quote(
    db: Session,
    plugins: PluginHost,
    tenant: Tenant,
    *,
    activity_id: uuid.UUID,
    client_id: uuid.UUID,
    valid_until: date,
    lines: Sequence[LineIn],
    title: str = "",
    note: str = "",
    currency: str | None = None,
    locale: str | None = None,
    created_by: uuid.UUID | None = None,
    on: date | None = None,
) -> Quote:
    """Write a draft quote of the session's tenant (``on``: today by default).

    The currency defaults to the cooperative's, the language to the client's;
    VAT codes are those of the cooperative's country on that day.
    """
    day = on or today()
    activity = _activity(db, activity_id)
    client = _client(db, client_id)
    code = (currency or tenant.currency).upper()
    try:
        check_currency(code)
    except MoneyError as error:
        raise QuoteError(f"currency: {error}", "currency") from None
    language = locale or client.locale
    if not valid_locale(language):
        raise QuoteError(
            f"locale: {language!r} is not a language code such as fr or nl_BE", "locale"
        )
    if valid_until < day:
        raise QuoteError(f"valid_until: {valid_until} is already past", "valid_until")
    if len(title.strip()) > 200:
        raise QuoteError("title: at most 200 characters", "title")
    if len(note) > 5000:
        raise QuoteError("note: at most 5000 characters", "note")
    rows = _lines(plugins, tenant.country, code, day, lines)
    quote = Quote(
        activity_id=activity.id,
        client_id=client.id,
        status=QuoteStatus.DRAFT,
        title=title.strip(),
        note=note.strip(),
        currency=code,
        locale=language,
        valid_until=valid_until,
        net_total=sum((row.net for row in rows), Money.zero(code).amount),
        created_by=created_by,
    )
    db.add(quote)
    db.flush()
    for row in rows:
        row.quote_id = quote.id
        db.add(row)
    db.flush()
    return quote


def get_quote(
    db: Session, quote_id: uuid.UUID, *, lock: bool = False, on: date | None = None
) -> Quote:
    """The quote, marked expired if its validity has passed; ``lock`` takes its row lock."""
    query = select(Quote).where(Quote.id == quote_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    quote = db.scalar(query)
    if quote is None:
        raise UnknownQuote(quote_id)
    if quote.status is QuoteStatus.SENT and quote.valid_until < (on or today()):
        quote.status = QuoteStatus.EXPIRED
        db.flush()
    return quote


def send_quote(
    db: Session, quote_id: uuid.UUID, *, sent_by: uuid.UUID | None = None, on: date | None = None
) -> Quote:
    """Number a draft, draw its link and freeze what the client sees; a sent quote is
    returned as it is (sending twice gives the same number and link)."""
    day = on or today()
    quote = get_quote(db, quote_id, lock=True, on=day)
    if quote.status is QuoteStatus.SENT:
        return quote
    if quote.status is not QuoteStatus.DRAFT:
        raise QuoteError(f"quote {quote.number} is {quote.status.value}: it cannot be sent again")
    if quote.valid_until < day:
        raise QuoteError(
            f"valid_until: {quote.valid_until} is past; write a new quote", "valid_until"
        )
    quote.number = next_number(db, DocumentKind.QUOTE, day.year)
    quote.status = QuoteStatus.SENT
    quote.sent_on = day
    quote.sent_by = sent_by
    quote.link_nonce = secrets.token_urlsafe(16)
    quote.shown = canonical_json(quote_content(db, quote, day))
    db.flush()
    return quote


def expire_overdue(db: Session, on: date | None = None) -> None:
    """Mark the sent quotes whose last day of validity is past as expired."""
    db.execute(
        update(Quote)
        .where(Quote.status == QuoteStatus.SENT, Quote.valid_until < (on or today()))
        .values(status=QuoteStatus.EXPIRED)
        .execution_options(synchronize_session="fetch")
    )


def list_quotes(
    db: Session,
    *,
    activity_ids: Sequence[uuid.UUID] | None = None,
    status: QuoteStatus | None = None,
    on: date | None = None,
) -> list[Quote]:
    """The tenant's quotes, newest first; ``activity_ids`` limits them to those activities."""
    expire_overdue(db, on)
    query = select(Quote).order_by(Quote.created_at.desc(), Quote.id)
    if activity_ids is not None:
        query = query.where(Quote.activity_id.in_(activity_ids))
    if status is not None:
        query = query.where(Quote.status == status)
    return list(db.scalars(query))
