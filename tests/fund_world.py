"""The guarantee fund's entries on real invoices, posted as the advances code posts them
(docs/ledger.md): contributions from real payments, advances, repayments and write-offs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session

from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.models import Invoice
from coopkit.invoicing.payments import record_payment
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.posting import credit, debit, post
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.invoicing_world import DAY, World, draft, invoicing_world, line


@pytest.fixture(name="world")
def world_fixture(db: Database, plugins: PluginHost) -> World:
    """A Belgian cooperative that invoices (tests/invoicing_world.py)."""
    return invoicing_world(db, plugins)


@pytest.fixture(name="session")
def session_fixture(db: Database, world: World) -> Iterator[Session]:
    """A session in it, acting as its manager; rolled back afterwards."""
    with world.session(db) as s:
        yield s
        s.rollback()


def issued(
    session: Session, world: World, plugins: PluginHost, net: str, client: str = "be_company"
) -> Invoice:
    """An invoice of ``net`` excluding VAT (21 % for the Belgian clients), issued on DAY."""
    invoice = draft(session, world, plugins, line(net), client=client)
    return issue_invoice(session, invoice.id, day=DAY, plugins=plugins)


def paid(session: Session, invoice: Invoice, day: date) -> None:
    """The client pays the whole invoice: its share credits the fund 2 % of it excl. VAT."""
    record_payment(session, invoice.id, invoice.gross_total, day=day, method="transfer")


def advance(session: Session, invoice: Invoice, amount: str, day: date) -> None:
    post(session, kind="advance", description="Advance", day=day,
         reference=f"invoice:{invoice.id}",
         lines=[debit(R.GUARANTEE_ADVANCES, amount),
                credit(R.ACTIVITY_FUNDS, amount, invoice.activity_id)])  # fmt: skip


def repaid(session: Session, invoice: Invoice, amount: str, day: date) -> None:
    post(session, kind="advance_repayment", description="Advance repaid", day=day,
         reference=f"invoice:{invoice.id}",
         lines=[debit(R.ACTIVITY_FUNDS, amount, invoice.activity_id),
                credit(R.GUARANTEE_ADVANCES, amount)])  # fmt: skip


def written_off(session: Session, invoice: Invoice, amount: str, day: date) -> None:
    """The invoice is lost (``write_off``) and the fund absorbs ``amount`` advanced on it."""
    vat = invoice.gross_total - invoice.net_total
    post(
        session,
        kind="write_off",
        description="Written off",
        day=day,
        reference=f"invoice:{invoice.id}",
        lines=[
            debit(R.BAD_DEBTS, invoice.net_total),
            debit(R.VAT_COLLECTED, vat),
            credit(R.CLIENT_RECEIVABLES, invoice.gross_total, invoice.activity_id),
        ],
    )
    post(session, kind="advance_write_off", description="Advance absorbed", day=day,
         reference=f"invoice:{invoice.id}",
         lines=[debit(R.GUARANTEE_FUND, amount), credit(R.GUARANTEE_ADVANCES, amount)])  # fmt: skip
