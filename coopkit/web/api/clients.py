"""API: the cooperative's clients (createClient, listClients, getClient), for its members."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.orm import Session

from coopkit.invoicing import clients
from coopkit.invoicing.models import Client
from coopkit.web.access import member_only, services
from coopkit.web.api.invoice_schemas import ClientIn, ClientOut

Db = NamedDependency[Session]


def client_out(client: Client) -> ClientOut:
    return ClientOut(
        id=client.id,
        kind=client.kind.value,
        name=client.name,
        country=client.country,
        vat_number=client.vat_number,
        company_number=client.company_number,
        street=client.street,
        postcode=client.postcode,
        city=client.city,
        email=client.email,
        locale=client.locale,
        blocked=client.blocked,
    )


@post(
    "/t/{slug:str}/clients", operation_id="createClient", guards=[member_only], sync_to_thread=True
)
def create_client(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: JSONBody[ClientIn]
) -> ClientOut:
    """Add a client the cooperative's activities share; its VAT number is checked by the
    plugin of its country (or python-stdnum), and may belong to one client only (409)."""
    fields = msgspec.structs.asdict(data)
    return client_out(clients.create_client(db, plugins=services(request).plugins, **fields))


@get("/t/{slug:str}/clients", operation_id="listClients", guards=[member_only], sync_to_thread=True)
def list_clients(
    db: Db,
    slug: FromPath[str],
    search: Annotated[str, QueryParameter(max_length=100, description="part of the name")] = "",
) -> list[ClientOut]:
    """The cooperative's clients by name."""
    return [client_out(c) for c in clients.list_clients(db, search)]


@get(
    "/t/{slug:str}/clients/{client_id:uuid}",
    operation_id="getClient",
    guards=[member_only],
    sync_to_thread=True,
)
def get_client(db: Db, slug: FromPath[str], client_id: FromPath[uuid.UUID]) -> ClientOut:
    """One client of the cooperative."""
    return client_out(clients.get_client(db, client_id))


CLIENT_HANDLERS = [create_client, list_clients, get_client]
