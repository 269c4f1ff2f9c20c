"""A cooperative with an activity, a client and a seller identity, for the quotes' tests.

Clients are written directly with the model until the invoices work (its
``create_client``) is merged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from coopkit.db.tenancy import set_tenant
from coopkit.invoicing.models import Client, ClientKind, SellerIdentity
from coopkit.plugins import PluginHost
from coopkit.quotes.models import Quote
from coopkit.quotes.service import LineIn, create_quote, send_quote
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.ledger_world import open_cooperative

TODAY = date(2026, 3, 2)
VALID_UNTIL = date(2026, 3, 31)
SECRET = "quotes-test-" + "s" * 32
LINES = (
    LineIn("Two days of photography", Decimal("2"), Decimal("400.00"), "standard", "DAY"),
    LineIn("Prints, A3", Decimal("3"), Decimal("12.345"), "standard"),
)


@dataclass
class QuoteWorld:
    tenant_id: uuid.UUID
    manager: uuid.UUID  # works in SOLO and SHARED
    member: uuid.UUID  # works in SHARED only
    solo: uuid.UUID
    shared: uuid.UUID
    client: uuid.UUID

    def session(self, db: Database, user: uuid.UUID | None = None) -> Session:
        session = db.sessions()
        set_tenant(session, self.tenant_id, user or self.manager)
        return session

    def tenant(self, session: Session) -> Tenant:
        found = session.get(Tenant, self.tenant_id)
        assert found is not None
        return found


def client_row(
    name: str = "Brasserie Lumière", locale: str = "fr", vat_number: str | None = "BE0403170701"
) -> Client:
    """A company client; a second one in a tenant needs another VAT number (or None)."""
    return Client(
        kind=ClientKind.COMPANY,
        name=name,
        country="BE",
        vat_number=vat_number,
        street="Rue Haute 1",
        postcode="1000",
        city="Bruxelles",
        email="orders@lumiere.example",
        locale=locale,
    )


def seller_row() -> SellerIdentity:
    return SellerIdentity(
        valid_from=date(2025, 1, 1),
        legal_name="SMart Test SCE",
        legal_form="société coopérative européenne",
        street="Rue Coenraets 72",
        postcode="1060",
        city="Saint-Gilles",
        country="BE",
        vat_number="BE0896755397",
        company_number="0896.755.397",
        iban="BE71096123456769",
    )


def open_world(db: Database, plugins: PluginHost) -> QuoteWorld:
    books = open_cooperative(db, plugins, codes=("SOLO", "SHARED"))
    with books.session(db) as session:
        client = client_row()
        session.add_all([client, seller_row()])
        session.commit()
        return QuoteWorld(
            books.tenant_id,
            books.manager,
            books.member,
            books.activities["SOLO"],
            books.activities["SHARED"],
            client.id,
        )


def draft(session: Session, plugins: PluginHost, world: QuoteWorld, **changes: object) -> Quote:
    fields: dict[str, object] = {
        "activity_id": world.solo,
        "client_id": world.client,
        "valid_until": VALID_UNTIL,
        "lines": LINES,
        "title": "Wedding photography",
        "on": TODAY,
    }
    fields.update(changes)
    return create_quote(session, plugins, world.tenant(session), **fields)  # type: ignore[arg-type]


def sent(session: Session, plugins: PluginHost, world: QuoteWorld, **changes: object) -> Quote:
    quote = draft(session, plugins, world, **changes)
    return send_quote(session, quote.id, on=TODAY)
