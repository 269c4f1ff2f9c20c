"""Quote pages for members and staff: the list, the form, one quote with its link and answer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.i18n import _
from coopkit.invoicing.models import Client
from coopkit.money import Money
from coopkit.quotes.confirmation import confirmation_of
from coopkit.quotes.link import sign_link
from coopkit.quotes.models import QuoteStatus
from coopkit.quotes.service import LineIn, QuoteError, create_quote, list_quotes, send_quote, today
from coopkit.quotes.view import UNITS, quote_view
from coopkit.web.access import member_only, services, visitor
from coopkit.web.pages.simulator_form import plain_number
from coopkit.web.quote_access import (
    link_url,
    secret,
    visible_activities,
    visible_quote,
)
from coopkit.web.templating import flash, page, request_locale
from coopkit.web.visibility import is_staff, visible_activity

Db = NamedDependency[Session]
LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "vat_code")
ROWS = 5  # line rows the form offers; empty ones are left out


@dataclass
class LineForm:
    description: str = ""
    quantity: str = ""
    unit: str = "C62"
    unit_price: str = ""
    vat_code: str = ""

    @property
    def empty(self) -> bool:
        return not (self.description.strip() or self.quantity.strip() or self.unit_price.strip())


@dataclass
class QuoteForm:
    """The form as typed, so that it can be shown back with what to fix."""

    activity_id: str = ""
    client_id: str = ""
    title: str = ""
    valid_until: str = ""
    note: str = ""
    lines: list[LineForm] = field(default_factory=lambda: [LineForm() for _ in range(ROWS)])


def _many(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name, [])
    return [value] if isinstance(value, str) else [str(v) for v in value]


def form_of(data: dict[str, Any]) -> QuoteForm:
    columns = {name: _many(data, name) for name in LINE_FIELDS}
    rows = max([ROWS, *(len(values) for values in columns.values())])
    lines = [
        LineForm(
            **{name: (values[i] if i < len(values) else "") for name, values in columns.items()}
        )
        for i in range(rows)
    ]
    single = {name: str(data.get(name, "")) for name in ("activity_id", "client_id", "title")}
    return QuoteForm(
        **single,
        valid_until=str(data.get("valid_until", "")),
        note=str(data.get("note", "")),
        lines=lines,
    )


@get("/t/{slug:str}/quotes", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def quotes_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    activities = visible_activities(request, db)
    quotes = list_quotes(db, activity_ids=[a.id for a in activities])
    clients = {row.id: row.name for row in db.execute(select(Client.id, Client.name))}
    return page(
        request,
        "quotes.html",
        quotes=quotes,
        activities={a.id: a for a in activities},
        clients=clients,
        totals={q.id: Money(q.net_total, q.currency) for q in quotes},
    )


def _form_page(
    request: Request[Any, Any, Any],
    db: Db,
    form: QuoteForm,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    tenant = visitor(request).tenant
    assert tenant is not None
    rates = services(request).plugins.vat_rates(tenant.country, today())
    return page(
        request,
        "quote_form.html",
        status_code=status_code,
        form=form,
        errors=errors or {},
        activities=visible_activities(request, db),
        clients=db.execute(select(Client.id, Client.name).order_by(Client.name)).all(),
        rates=rates,
        units=UNITS,
    )


@get("/t/{slug:str}/quotes/new", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def new_quote_page(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    activity_id: FromQuery[uuid.UUID | None] = None,
) -> Template:
    form = QuoteForm(activity_id="" if activity_id is None else str(activity_id))
    return _form_page(request, db, form)


def _head(
    form: QuoteForm, errors: dict[str, str]
) -> tuple[uuid.UUID | None, uuid.UUID | None, date | None]:
    """The activity, client and last day the form names, or None with ``errors`` filled."""
    activity_id = client_id = valid_until = None
    try:
        activity_id = uuid.UUID(form.activity_id)
    except ValueError:
        errors["activity_id"] = _("Choose the activity.")
    try:
        client_id = uuid.UUID(form.client_id)
    except ValueError:
        errors["client_id"] = _("Choose the client.")
    try:
        valid_until = date.fromisoformat(form.valid_until.strip())
    except ValueError:
        errors["valid_until"] = _("Give the last day of validity, such as 2026-12-31.")
    return activity_id, client_id, valid_until


# Not on the list's path: Litestar wraps a sync handler twice when two sync_to_thread
# handlers share one (see coopkit/web/pages/payslips.py).
@post(
    "/t/{slug:str}/quotes/write",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def write_quote_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    who = visitor(request)
    assert who.tenant is not None
    form = form_of(data)
    locale = request_locale(request)
    errors: dict[str, str] = {}
    activity_id, client_id, valid_until = _head(form, errors)
    if activity_id and client_id and valid_until:
        activity = visible_activity(request, db, activity_id)
        lines = [
            LineIn(
                line.description,
                plain_number(line.quantity, locale),
                plain_number(line.unit_price, locale),
                line.vat_code,
                line.unit,
            )
            for line in form.lines
            if not line.empty
        ]
        try:
            quote = create_quote(
                db,
                services(request).plugins,
                who.tenant,
                activity_id=activity.id,
                client_id=client_id,
                valid_until=valid_until,
                lines=lines,
                title=form.title,
                note=form.note,
                created_by=who.user_id,
            )
        except QuoteError as error:
            errors[error.field or "form"] = str(error)  # lines[2].quantity: the row's field
        else:
            flash(request, _("Quote drafted: check it, then send it to the client."))
            return Redirect(f"/t/{slug}/quotes/{quote.id}")
    return _form_page(request, db, form, errors, status_code=400)


@get(
    "/t/{slug:str}/quotes/{quote_id:uuid}",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def quote_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], quote_id: FromPath[uuid.UUID]
) -> Template:
    quote = visible_quote(request, db, quote_id)
    waiting = quote.status is QuoteStatus.SENT
    return page(
        request,
        "quote_page.html",
        quote=quote,
        view=quote_view(db, quote),
        link=link_url(request, sign_link(secret(request), quote)) if waiting else None,
        answer=confirmation_of(db, quote.id),
        is_staff=is_staff(request),
    )


@post(
    "/t/{slug:str}/quotes/{quote_id:uuid}/send",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def send_quote_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], quote_id: FromPath[uuid.UUID]
) -> Redirect:
    quote = visible_quote(request, db, quote_id)
    sent = send_quote(db, quote.id, sent_by=visitor(request).user_id)
    flash(request, _("Quote %(number)s is ready: send its link to the client."), number=sent.number)
    return Redirect(f"/t/{slug}/quotes/{quote.id}")


QUOTE_PAGES = [quotes_page, new_quote_page, write_quote_form, quote_page, send_quote_form]
