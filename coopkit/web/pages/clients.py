"""Client pages: the cooperative's clients and the form that adds one (VAT number checked)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from coopkit.i18n import _
from coopkit.invoicing.clients import create_client, document_locales, list_clients
from coopkit.invoicing.errors import InvoicingError
from coopkit.web.access import member_only, services
from coopkit.web.pages.invoice_forms import ClientForm
from coopkit.web.templating import flash, page

Db = NamedDependency[Session]


@get("/t/{slug:str}/clients", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def clients_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    return page(request, "clients.html", clients=list_clients(db))


def _form_page(
    request: Request[Any, Any, Any], form: ClientForm, errors: dict[str, str], status: int = 200
) -> Template:
    return page(
        request,
        "client_form.html",
        status_code=status,
        form=form,
        errors=errors,
        locales=document_locales(services(request).plugins),
    )


@get(
    "/t/{slug:str}/clients/new", guards=[member_only], include_in_schema=False, sync_to_thread=True
)
def new_client_page(request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
    return _form_page(request, ClientForm(), {})


@post(
    "/t/{slug:str}/clients/create",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def create_client_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: URLEncodedBody[ClientForm]
) -> Template | Redirect:
    try:
        with db.begin_nested():
            client = create_client(db, plugins=services(request).plugins, **data.fields())
    except InvoicingError as error:
        return _form_page(request, data, {error.field or "form": str(error)}, status=400)
    flash(request, _("Client %(name)s added."), "info", name=client.name)
    return Redirect(f"/t/{slug}/clients")


CLIENT_PAGES = [clients_page, new_client_page, create_client_form]
