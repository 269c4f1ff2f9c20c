"""A cooperative ready to invoice: books, a seller identity, clients; and draft builders.

Used by the invoicing tests (tests/test_invoic*.py, tests/test_credit_notes.py…).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from coopkit.demo_invoices import CLIENTS as DEMO_CLIENTS
from coopkit.demo_invoices import SELLERS as DEMO_SELLERS
from coopkit.invoicing.clients import create_client
from coopkit.invoicing.drafts import DraftIn, LineIn, create_draft
from coopkit.invoicing.models import Invoice
from coopkit.invoicing.seller import set_seller_identity
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.ledger_world import Books, open_cooperative

DAY = date(2026, 3, 2)

SELLERS = DEMO_SELLERS
CLIENTS = DEMO_CLIENTS


@dataclass
class World:
    """A committed cooperative that can invoice, with clients by nickname."""

    books: Books
    country: str
    clients: dict[str, uuid.UUID] = field(default_factory=dict)

    def session(self, db: Database) -> Session:
        return self.books.session(db)

    def activity(self, code: str = "SOLO") -> uuid.UUID:
        return self.books.activities[code]


def invoicing_world(
    db: Database,
    plugins: PluginHost,
    country: str = "BE",
    clients: tuple[str, ...] = tuple(CLIENTS),
) -> World:
    books = open_cooperative(db, plugins, country)
    world = World(books, country)
    with books.session(db) as session:
        set_seller_identity(session, SELLERS[country], plugins=plugins)
        for nickname in clients:
            world.clients[nickname] = create_client(
                session, plugins=plugins, **CLIENTS[nickname]
            ).id
        session.commit()
    return world


def line(
    price: str, vat_code: str = "standard", quantity: str = "1", what: str = "Photography"
) -> LineIn:
    return LineIn(what, Decimal(quantity), Decimal(price), vat_code)


def draft(
    session: Session,
    world: World,
    plugins: PluginHost,
    *lines: LineIn,
    client: str = "be_company",
    activity: str = "SOLO",
    supply_date: date | None = DAY,
) -> Invoice:
    return create_draft(
        session,
        DraftIn(
            activity_id=world.activity(activity),
            client_id=world.clients[client],
            lines=lines or (line("1000.00"),),
            supply_date=supply_date,
        ),
        created_by=world.books.manager,
        plugins=plugins,
        today=DAY,
    )


def pay(session: Session, invoice: Invoice, amount: str, day: date = DAY) -> None:
    """What a client's payment does to an invoice, the short way (bank's record_payment
    posts the share and checks more): the payment entry, the Payment row, the status."""
    from coopkit.invoicing.models import Payment, PaymentMethod
    from coopkit.invoicing.standing import refresh_status
    from coopkit.ledger.chart import AccountRole
    from coopkit.ledger.posting import credit, debit, post

    entry = post(
        session,
        kind="payment",
        description=f"Payment of {invoice.number}",
        day=day,
        reference=f"invoice:{invoice.id}",
        lines=[
            debit(AccountRole.BANK, Decimal(amount)),
            credit(AccountRole.CLIENT_RECEIVABLES, Decimal(amount), invoice.activity_id),
        ],
    )
    session.add(
        Payment(
            invoice_id=invoice.id,
            amount=Decimal(amount),
            currency=invoice.currency,
            day=day,
            method=PaymentMethod.TRANSFER,
            entry_id=entry.id,
        )
    )
    session.flush()
    refresh_status(session, invoice)
    session.flush()
