"""Overdue invoices to chase: a cooperative from tests/invoicing_world.py and issued invoices.

An invoice issued on 2025-05-16 with 30 days' terms is due on 2025-06-15; with the
default schedule its reminder comes on 2025-06-22, the second reminder on
2025-07-06, the formal notice on 2025-07-20 and the final step on 2025-08-14.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.collection.models import DunningStep
from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.models import Client
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.invoicing_world import World, draft, line

ISSUED = date(2025, 5, 16)
DUE = date(2025, 6, 15)


def overdue_invoice(
    session: Session,
    world: World,
    plugins: PluginHost,
    *,
    client: str = "be_company",
    email: str = "accounts@client.test",
    locale: str | None = None,
    net: str = "1000.00",
) -> uuid.UUID:
    """Issue an invoice (net + 21 % VAT) on ISSUED, due on DUE, to ``client``."""
    row = session.scalars(select(Client).where(Client.id == world.clients[client])).one()
    row.email = email
    if locale:
        row.locale = locale
    session.flush()
    invoice = draft(session, world, plugins, line(net), client=client, supply_date=ISSUED)
    issue_invoice(session, invoice.id, day=ISSUED, plugins=plugins)
    session.commit()
    return invoice.id


def steps_of(db: Database, world: World, invoice_id: uuid.UUID) -> list[DunningStep]:
    with world.session(db) as session:
        return list(
            session.scalars(
                select(DunningStep)
                .where(DunningStep.invoice_id == invoice_id)
                .order_by(DunningStep.day, DunningStep.created_at)
            )
        )
