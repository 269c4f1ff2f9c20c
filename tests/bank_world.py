"""Issued invoices for the bank's tests, built directly with the models and the ledger.

The issuing service is written in parallel; until it lands, these helpers do
what issuing does for the payment side: a numbered invoice with its lines and
totals, a payment reference, and its ``invoice`` entry posted (Dr client
receivables gross; Cr turnover net; Cr VAT collected VAT). A credit note
mirrors it.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from stdnum.be import ogm_vcs

from coopkit.activities.models import Activity
from coopkit.db.base import utcnow
from coopkit.db.tenancy import set_tenant
from coopkit.invoicing.models import (
    Client,
    ClientKind,
    DocumentKind,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
)
from coopkit.invoicing.numbering import next_number
from coopkit.invoicing.standing import refresh_status
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.posting import Line, credit, debit, post
from coopkit.money import minor_unit
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.ledger_world import DAY, Books, open_cooperative

_references = itertools.count(1)


# Fixtures for the bank's test modules (imported there by name).
@pytest.fixture(name="books")
def books_fixture(db: Database, plugins: PluginHost) -> Books:
    """A committed Belgian cooperative with fee rates and two activities, SOLO and SHARED."""
    return open_cooperative(db, plugins)


@pytest.fixture(name="session")
def session_fixture(db: Database, books: Books) -> Iterator[Session]:
    """A session in that cooperative, acting as its manager; rolled back afterwards."""
    with books.session(db) as s:
        yield s
        s.rollback()


def ogm_reference() -> str:
    """A fresh, valid Belgian structured communication, written +++ddd/dddd/ddddd+++."""
    base = f"{4200000000 + next(_references):010d}"
    return f"+++{ogm_vcs.format(base + ogm_vcs.calc_check_digits(base))}+++"


def rf_reference(body: str) -> str:
    """The ISO 11649 creditor reference for ``body``, written in groups of four."""
    digits = "".join(str(int(c, 36)) for c in (body + "RF00").upper())
    check = 98 - int(digits) % 97
    compact = f"RF{check:02d}{body.upper()}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def make_client(db: Session, name: str = "Atelier Lumière SPRL", *, country: str = "BE") -> Client:
    client = Client(
        kind=ClientKind.COMPANY,
        name=name,
        country=country,
        street="Rue Haute 1",
        postcode="1000",
        city="Bruxelles",
        locale="fr",
    )
    db.add(client)
    db.flush()
    return client


def _round(value: Decimal, currency: str) -> Decimal:
    return value.quantize(minor_unit(currency), ROUND_HALF_UP)


def issue(
    db: Session,
    activity: uuid.UUID,
    client: Client,
    lines: list[tuple[str, str]],
    *,
    reference: str | None = None,
    currency: str = "EUR",
    day: date = DAY,
    vat_category: str = "S",
) -> Invoice:
    """An issued invoice of (net, VAT rate) lines, posted to the ledger."""
    invoice = Invoice(
        id=uuid.uuid4(),
        kind=DocumentKind.INVOICE,
        status=InvoiceStatus.ISSUED,
        activity_id=activity,
        client_id=client.id,
        number=next_number(db, DocumentKind.INVOICE, day.year),
        currency=currency,
        locale=client.locale,
        issue_date=day,
        due_date=day + timedelta(days=30),
        payment_reference=reference or ogm_reference(),
        issued_at=utcnow(),
    )
    db.add(invoice)
    net_total = vat_total = Decimal(0)
    for position, (net, rate) in enumerate(lines, start=1):
        amount, vat_rate = Decimal(net), Decimal(rate)
        db.add(
            InvoiceLine(
                invoice_id=invoice.id,
                position=position,
                description=f"Work, part {position}",
                quantity=Decimal(1),
                unit_price=amount,
                net=amount,
                vat_category=vat_category if vat_rate else "AE",
                vat_code="standard" if vat_rate else "reverse-charge",
                vat_rate=vat_rate,
            )
        )
        net_total += amount
        vat_total += _round(amount * vat_rate, currency)
    invoice.net_total, invoice.vat_total = net_total, vat_total
    invoice.gross_total = net_total + vat_total
    entry = post(
        db,
        kind="invoice",
        description=f"Invoice {invoice.number}",
        day=day,
        reference=f"invoice:{invoice.id}",
        lines=_mirror(invoice, sign=1),
    )
    invoice.journal_entry_id = entry.id
    db.flush()
    return invoice


def _mirror(invoice: Invoice, *, sign: int) -> list[Line]:
    """The invoice's lines (sign 1) or a credit note's (sign -1) for the same amounts."""
    a, c = invoice.activity_id, invoice.currency
    receivable = (debit if sign > 0 else credit)(
        AccountRole.CLIENT_RECEIVABLES, invoice.gross_total, a, c
    )
    turnover = (credit if sign > 0 else debit)(AccountRole.TURNOVER, invoice.net_total, a, c)
    lines = [receivable, turnover]
    if invoice.vat_total:
        lines.append(
            (credit if sign > 0 else debit)(AccountRole.VAT_COLLECTED, invoice.vat_total, None, c)
        )
    return lines


def credit_note(db: Session, invoice: Invoice, net: str, vat: str) -> Invoice:
    """An issued credit note taking ``net`` + ``vat`` off ``invoice``."""
    note = Invoice(
        id=uuid.uuid4(),
        kind=DocumentKind.CREDIT_NOTE,
        status=InvoiceStatus.ISSUED,
        activity_id=invoice.activity_id,
        client_id=invoice.client_id,
        credits_id=invoice.id,
        number=next_number(db, DocumentKind.CREDIT_NOTE, DAY.year),
        currency=invoice.currency,
        locale=invoice.locale,
        issue_date=DAY,
        net_total=Decimal(net),
        vat_total=Decimal(vat),
        gross_total=Decimal(net) + Decimal(vat),
        issued_at=utcnow(),
    )
    db.add(note)
    db.flush()
    entry = post(
        db,
        kind="credit_note",
        description=f"Credit note {note.number}",
        day=DAY,
        reference=f"invoice:{invoice.id}",
        lines=_mirror(note, sign=-1),
    )
    note.journal_entry_id = entry.id
    db.flush()
    refresh_status(db, invoice)
    db.flush()
    return note


class HasSessions(Protocol):
    """A database the tests reach through ``sessions`` (tests.conftest.Database, LiveServer)."""

    @property
    def sessions(self) -> sessionmaker[Session]: ...


def demo_invoice(
    database: HasSessions,
    client_name: str,
    lines: list[tuple[str, str]],
    *,
    slug: str = "demo-be",
    activity_code: str = "SOLO-02",
    reference: str | None = None,
) -> Invoice:
    """An issued invoice in a demo cooperative, committed (for the web tests)."""
    with database.sessions() as db:
        tenant = db.scalars(select(Tenant).where(Tenant.slug == slug)).one()
        set_tenant(db, tenant.id)
        activity = db.scalars(select(Activity).where(Activity.code == activity_code)).one()
        invoice = issue(db, activity.id, make_client(db, client_name), lines, reference=reference)
        db.commit()
        db.expunge(invoice)
    return invoice
