"""Credit notes: whole or in part, never more than is due, numbered, posted, and the
invoice's status follows."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coopkit.invoicing.credit_notes import create_credit_note
from coopkit.invoicing.documents import invoice_document
from coopkit.invoicing.drafts import LineIn, lines_of
from coopkit.invoicing.errors import InvoicingConflict, InvoicingError
from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.models import DocumentKind, Invoice, InvoiceStatus
from coopkit.invoicing.standing import standing
from coopkit.ledger.balances import ledger_problems, role_balance
from coopkit.ledger.chart import AccountRole
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.invoicing_world import DAY, World, draft, invoicing_world, line, pay


@pytest.fixture
def world(sqlite_db: Database, plugins: PluginHost) -> World:
    return invoicing_world(sqlite_db, plugins, "BE", ("be_company", "de_company"))


@pytest.fixture
def session(sqlite_db: Database, world: World) -> Iterator[Session]:
    with world.session(sqlite_db) as session:
        yield session


def issued(session: Session, world: World, plugins: PluginHost, *lines: LineIn) -> Invoice:
    return issue_invoice(
        session, draft(session, world, plugins, *lines).id, day=DAY, plugins=plugins
    )


def receivable(session: Session, world: World) -> Decimal:
    return role_balance(session, AccountRole.CLIENT_RECEIVABLES, "EUR", world.activity())


def test_a_whole_credit_note_mirrors_the_invoice(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = issued(session, world, plugins, line("1000.00"), line("200.00", "reduced"))
    note = create_credit_note(session, invoice.id, day=DAY, reason="Cancelled order")
    assert note.number == "CN2026-00001"
    assert note.kind is DocumentKind.CREDIT_NOTE
    assert note.credits_id == invoice.id
    assert (note.net_total, note.vat_total, note.gross_total) == (
        invoice.net_total,
        invoice.vat_total,
        invoice.gross_total,
    )
    assert [(x.description, x.net, x.vat_rate) for x in lines_of(session, note)] == [
        (x.description, x.net, x.vat_rate) for x in lines_of(session, invoice)
    ]
    assert invoice.status is InvoiceStatus.CREDITED
    assert receivable(session, world) == 0
    assert role_balance(session, AccountRole.TURNOVER, "EUR", world.activity()) == 0
    assert role_balance(session, AccountRole.VAT_COLLECTED, "EUR") == 0
    assert ledger_problems(session) == []
    document = invoice_document(session, note)
    assert document.is_credit_note
    assert document.preceding_invoice == invoice.number
    assert document.preceding_issue_date == DAY
    assert document.gross_total == invoice.gross_total


def test_a_partial_credit_note_of_chosen_lines(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = issued(session, world, plugins, line("1000.00"), line("200.00", "reduced"))
    note = create_credit_note(
        session,
        invoice.id,
        day=DAY,
        lines=[LineIn("Discount agreed", Decimal(1), Decimal("100.00"), "standard")],
    )
    assert (note.net_total, note.vat_total, note.gross_total) == (
        Decimal("100.00"),
        Decimal("21.00"),
        Decimal("121.00"),
    )
    assert invoice.status is InvoiceStatus.PARTIALLY_PAID  # what standing calls "some settled"
    figures = standing(session, invoice)
    assert figures.credited == Decimal("121.00")
    assert receivable(session, world) == figures.due == Decimal("1301.00")
    # The 6 % part cannot be credited beyond what the invoice taxed at 6 %.
    with pytest.raises(InvoicingError, match=r"only 200\.00 taxed so is left"):
        create_credit_note(
            session,
            invoice.id,
            day=DAY,
            lines=[LineIn("Too much", Decimal(1), Decimal("200.01"), "reduced")],
        )
    with pytest.raises(InvoicingError, match="no line under VAT code 'zero'"):
        create_credit_note(
            session, invoice.id, day=DAY, lines=[LineIn("?", Decimal(1), Decimal(1), "zero")]
        )
    # Without lines, "all of it" is no longer clear once part is credited.
    with pytest.raises(InvoicingError, match="say which lines and amounts"):
        create_credit_note(session, invoice.id, day=DAY)


def test_never_more_than_is_still_due(session: Session, world: World, plugins: PluginHost) -> None:
    invoice = issued(session, world, plugins, line("1000.00"))
    pay(session, invoice, "1000.00")
    with pytest.raises(InvoicingError, match=r"only 210\.00 is still due"):
        create_credit_note(
            session,
            invoice.id,
            day=DAY,
            lines=[LineIn("Refund", Decimal(1), Decimal("200.00"), "standard")],
        )
    note = create_credit_note(
        session,
        invoice.id,
        day=DAY,
        lines=[LineIn("Rest", Decimal(1), Decimal("173.54"), "standard")],
    )
    assert note.gross_total == Decimal("209.98")  # 173.54 + 36.44
    pay(session, invoice, "0.02")
    assert invoice.status is InvoiceStatus.PAID
    with pytest.raises(InvoicingConflict, match="refunded, not credited"):
        create_credit_note(session, invoice.id, day=DAY)
    assert receivable(session, world) == 0
    assert ledger_problems(session) == []


def test_only_an_issued_invoice_is_credited(
    session: Session, world: World, plugins: PluginHost
) -> None:
    still_draft = draft(session, world, plugins)
    with pytest.raises(InvoicingConflict, match="draft has no number"):
        create_credit_note(session, still_draft.id, day=DAY)
    invoice = issued(session, world, plugins)
    note = create_credit_note(session, invoice.id, day=DAY)
    with pytest.raises(InvoicingError, match="not another credit note"):
        create_credit_note(session, note.id, day=DAY)
    with pytest.raises(InvoicingConflict, match="fully credited already"):
        create_credit_note(session, invoice.id, day=DAY)


def test_a_reverse_charge_credit_note_keeps_its_wording(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = issue_invoice(
        session,
        draft(
            session, world, plugins, line("500.00", "reverse_charge_services"), client="de_company"
        ).id,
        day=DAY,
        plugins=plugins,
    )
    note = create_credit_note(session, invoice.id, day=DAY)
    (breakdown,) = invoice_document(session, note).vat_breakdown
    assert (breakdown.category, breakdown.exemption_code) == ("AE", "VATEX-EU-AE")
    assert breakdown.exemption_reason.startswith(
        "Umkehrung der Steuerschuldnerschaft"  # a German client reads German (coopkit-de)
    )
    assert note.vat_total == 0
