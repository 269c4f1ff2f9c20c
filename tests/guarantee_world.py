"""A cooperative whose activity has invoices its clients confirmed online, and a guarantee fund.

Invoices go the real way: quote → sent → accepted through the signed link →
draft from the quote → issued (coopkit.invoicing.from_quote).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from coopkit.db.tenancy import set_tenant
from coopkit.guarantee.policy import set_guarantee_policy
from coopkit.invoicing.from_quote import draft_from_quote
from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.models import Invoice
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.posting import credit, debit, post
from coopkit.plugins import PluginHost
from coopkit.quotes.confirmation import Origin, Signer, answer_quote
from coopkit.quotes.link import sign_link
from coopkit.quotes.models import QuoteDecision
from coopkit.quotes.service import LineIn, create_quote, send_quote
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.invoicing_world import World, draft, invoicing_world, line

ISSUED = date(2026, 3, 2)  # due 30 days later, on 2026-04-01
PAYDAY = date(2026, 3, 9)
SECRET = "guarantee-test-" + "s" * 32


def guarantee_world(db: Database, plugins: PluginHost, fund: str = "20000.00") -> World:
    """A Belgian cooperative with clients at home, in Germany and in the US, ``fund`` in the
    guarantee fund and a policy with a floor of 5000.00 and no limit."""
    world = invoicing_world(db, plugins, clients=("be_company", "de_company", "us_company"))
    with world.session(db) as session:
        fill_fund(session, fund)
        set_guarantee_policy(
            session, valid_from=date(2026, 1, 1), floor="5000.00", decided_by="GA of 2025-12-10"
        )
        session.commit()
    return world


def fill_fund(session: Session, amount: str) -> None:
    """Money into the guarantee fund the short way (the contributions of past payments)."""
    post(
        session,
        kind="capital",
        description="Guarantee fund endowment",
        day=ISSUED,
        lines=[debit(AccountRole.BANK, amount), credit(AccountRole.GUARANTEE_FUND, amount)],
    )


def confirmed_invoice(
    session: Session,
    world: World,
    plugins: PluginHost,
    price: str = "1000.00",
    *,
    client: str = "be_company",
    activity: str = "SOLO",
    accepted: bool = True,
    issued: date = ISSUED,
) -> Invoice:
    """An issued invoice made from a quote its client answered (accepted unless told)."""
    tenant = session.get(Tenant, world.books.tenant_id)
    assert tenant is not None
    quote = create_quote(
        session,
        plugins,
        tenant,
        activity_id=world.activity(activity),
        client_id=world.clients[client],
        valid_until=date(2026, 12, 31),
        lines=[LineIn("Photography", Decimal(1), Decimal(price), "standard")],
        title="Photography",
        on=issued,
    )
    quote = send_quote(session, quote.id, on=issued)
    answer_quote(
        session,
        SECRET,
        sign_link(SECRET, quote),
        decision=QuoteDecision.ACCEPTED if accepted else QuoteDecision.DECLINED,
        signer=Signer("Ana Client", "ana@client.example"),
        origin=Origin("192.0.2.1", "tests"),
        accepts_terms=accepted,
        now=datetime(issued.year, issued.month, issued.day, 10, tzinfo=UTC),
    )
    set_tenant(session, world.books.tenant_id, world.books.manager)  # the link answered anonymously
    if not accepted:  # a declined quote is not invoiced from: link it by hand
        invoice = draft(session, world, plugins, line(price), client=client,
                        activity=activity)  # fmt: skip
        invoice.quote_id = quote.id
    else:
        invoice = draft_from_quote(
            session, quote.id, plugins=plugins, supply_date=issued, today=issued
        )
    return issue_invoice(session, invoice.id, day=issued, plugins=plugins)


def plain_invoice(
    session: Session, world: World, plugins: PluginHost, price: str = "1000.00"
) -> Invoice:
    """An issued invoice with no quote behind it."""
    invoice = draft(session, world, plugins, line(price))
    return issue_invoice(session, invoice.id, day=ISSUED, plugins=plugins)


def new_request() -> uuid.UUID:
    return uuid.uuid4()
