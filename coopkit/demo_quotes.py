"""Demo quotes: one in each state for the activity SOLO-01 of each branch.

Loaded by coopkit.demo after the activities; idempotent (a cooperative that has
quotes is left as it is). The quotes go to the cooperative's first clients;
a cooperative without clients gets two made-up ones. Dates follow the day the
demo is loaded, so the sent quote is still valid and the expired one is not.
The confirmed and declined quotes were answered through their signed link
like any other, signed with a one-off key (a link is checked against the
nonce stored on the quote, not against the key it was once signed with).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity
from coopkit.db.base import utcnow
from coopkit.db.tenancy import tenant_scope
from coopkit.invoicing.models import Client, ClientKind
from coopkit.plugins import PluginHost
from coopkit.quotes.confirmation import Origin, Signer, answer_quote
from coopkit.quotes.link import sign_link
from coopkit.quotes.models import Quote, QuoteDecision, QuoteStatus
from coopkit.quotes.service import LineIn, create_quote, expire_overdue, send_quote
from coopkit.tenants.models import Tenant

ACTIVITY = "SOLO-01"  # Amélie Claes's in demo-be, Alice Moreau's in demo-fr
# kind, name, VAT number, street, postcode, city, language
CLIENTS: dict[str, list[tuple[ClientKind, str, str | None, str, str, str, str]]] = {
    "BE": [
        (
            ClientKind.COMPANY,
            "Brasserie Lumière SRL",
            "BE0403170701",
            "Rue Haute 12",
            "1000",
            "Bruxelles",
            "fr",
        ),
        (ClientKind.PERSON, "Pieter Janssens", None, "Meir 40", "2000", "Antwerpen", "nl"),
    ],
    "FR": [
        (
            ClientKind.COMPANY,
            "Librairie des Canuts",
            None,
            "12 rue d'Austerlitz",
            "69004",
            "Lyon",
            "fr",
        ),
        (ClientKind.PERSON, "Sophie Martin", None, "3 place du Marché", "44000", "Nantes", "fr"),
    ],
}


@dataclass(frozen=True)
class DemoQuote:
    title: str
    lines: list[tuple[str, str, str, str]]  # description, quantity, unit, unit price
    sent_days_ago: int | None  # None: a draft
    answer: QuoteDecision | None = None
    valid_days: int = 30


# In the order they were sent, so that their numbers follow their dates.
PLANS = [
    DemoQuote("Summer festival", [("Festival coverage", "2", "DAY", "700.00")], 60),
    DemoQuote(
        "Event coverage",
        [("Evening event", "1", "C62", "1200.00")],
        12,
        QuoteDecision.DECLINED,
    ),
    DemoQuote(
        "Catalogue photographs",
        [("Product photographs", "60", "C62", "18.50"), ("Retouching", "4", "HUR", "65.00")],
        10,
        QuoteDecision.ACCEPTED,
    ),
    DemoQuote("Portraits for the team page", [("Studio session", "3", "HUR", "95.00")], 2),
    DemoQuote(
        "Wedding photography",
        [
            ("Photography, full day", "1", "DAY", "850.00"),
            ("Album, 40 pages", "1", "C62", "240.00"),
        ],
        None,
    ),
]


def _clients(db: Session, country: str) -> list[Client]:
    found = list(db.scalars(select(Client).order_by(Client.created_at, Client.name).limit(2)))
    if found:
        return found
    made = [
        Client(
            kind=kind,
            name=name,
            country=country,
            vat_number=vat,
            street=street,
            postcode=postcode,
            city=city,
            locale=locale,
            email="",
        )
        for kind, name, vat, street, postcode, city, locale in CLIENTS.get(country, CLIENTS["BE"])
    ]
    db.add_all(made)
    db.flush()
    return made


def load_demo_quotes(db: Session, plugins: PluginHost, tenant: Tenant) -> int:
    """Give ``tenant`` quotes in every state if it has none; return how many were written."""
    with tenant_scope(db, tenant.id):
        if db.scalar(select(Quote.id).limit(1)) is not None:
            return 0
        activity = db.scalar(
            select(Activity).order_by((Activity.code != ACTIVITY), Activity.code).limit(1)
        )
        if activity is None:
            return 0
        clients = _clients(db, tenant.country)
        vat_code = plugins.vat_rates(tenant.country, utcnow().date())[0].code
        for index, plan in enumerate(PLANS):
            day = utcnow().date() - timedelta(days=plan.sent_days_ago or 0)
            quote = create_quote(
                db,
                plugins,
                tenant,
                activity_id=activity.id,
                client_id=clients[index % len(clients)].id,
                valid_until=day + timedelta(days=plan.valid_days),
                lines=[LineIn(d, Decimal(q), Decimal(p), vat_code, u) for d, q, u, p in plan.lines],
                title=plan.title,
                on=day,
            )
            if plan.sent_days_ago is not None:
                send_quote(db, quote.id, on=day)
            if plan.answer is not None:
                answered = datetime.combine(day + timedelta(days=3), time(10), tzinfo=UTC)
                _answer(db, quote, plan.answer, answered)
        expire_overdue(db)
        return len(PLANS)


def _answer(db: Session, quote: Quote, decision: QuoteDecision, moment: datetime) -> None:
    key = secrets.token_urlsafe(32)
    client = db.scalar(select(Client).where(Client.id == quote.client_id))
    assert client is not None
    answer_quote(
        db,
        key,
        sign_link(key, quote),
        decision=decision,
        signer=Signer(client.name, "orders@client.example", "buyer", client.name),
        origin=Origin("192.0.2.10", "demo data"),
        accepts_terms=decision is QuoteDecision.ACCEPTED,
        comment="" if decision is QuoteDecision.ACCEPTED else "The event was cancelled.",
        now=moment,
    )
    assert quote.status is not QuoteStatus.SENT
