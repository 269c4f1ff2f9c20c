"""Issuing invoices: mandatory mentions, numbers, dates, payment references, snapshots,
the ledger entry, the audit event; and a failure that leaves no hole."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum import iso11649
from stdnum.be import ogm_vcs

from coopkit.audit.models import AuditEvent
from coopkit.invoicing.clients import get_client
from coopkit.invoicing.cooperative import seller_on
from coopkit.invoicing.drafts import DraftIn, get_invoice, update_draft
from coopkit.invoicing.errors import InvoicingConflict, InvoicingError, MissingMentions
from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.models import DocumentKind, InvoiceStatus
from coopkit.invoicing.numbering import configure_series
from coopkit.invoicing.references import printed_reference
from coopkit.ledger.balances import ledger_problems, role_balance
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import JournalEntry
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.invoicing_world import DAY, World, draft, invoicing_world, line


@pytest.fixture
def world(db: Database, plugins: PluginHost) -> World:
    return invoicing_world(db, plugins, "BE", ("be_company", "be_person", "de_company"))


@pytest.fixture
def session(db: Database, world: World) -> Iterator[Session]:
    with world.session(db) as session:
        yield session


def test_issuing_numbers_dates_references_and_posts_the_invoice(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = draft(session, world, plugins, line("1000.00"), line("100.00", "reduced"))
    assert invoice.number is None
    assert invoice.status is InvoiceStatus.DRAFT
    issued = issue_invoice(
        session, invoice.id, day=DAY, issued_by=world.books.manager, plugins=plugins
    )
    assert issued.number == "INV2026-00001"
    assert issued.status is InvoiceStatus.ISSUED
    assert (issued.issue_date, issued.supply_date) == (DAY, DAY)
    assert issued.due_date == DAY + timedelta(days=30)
    assert (issued.net_total, issued.vat_total, issued.gross_total) == (
        Decimal("1100.00"),
        Decimal("216.00"),
        Decimal("1316.00"),
    )
    # Belgium: a structured communication of year + sequence, check digits modulo 97.
    assert issued.payment_reference == "260000000170"  # 2600000001 mod 97 = 70
    assert ogm_vcs.is_valid(issued.payment_reference)
    assert printed_reference(issued.payment_reference) == "+++260/0000/00170+++"
    assert issued.seller is not None
    assert issued.seller["vat_number"] == "BE0403170701"
    assert issued.buyer is not None
    assert issued.buyer["name"] == "Brasserie Bruxelloise SA"
    assert issued.mentions == []  # Belgium prints no sentence of its own, it requires fields
    entry = session.scalar(select(JournalEntry).where(JournalEntry.id == issued.journal_entry_id))
    assert entry is not None
    assert (entry.kind, entry.reference) == ("invoice", f"invoice:{issued.id}")
    activity = world.activity()
    assert role_balance(session, AccountRole.CLIENT_RECEIVABLES, "EUR", activity) == Decimal(
        "1316.00"
    )
    assert role_balance(session, AccountRole.TURNOVER, "EUR", activity) == Decimal("1100.00")
    assert role_balance(session, AccountRole.VAT_COLLECTED, "EUR") == Decimal("216.00")
    assert ledger_problems(session) == []
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "invoice.issued"))
    assert event is not None
    assert event.data["number"] == "INV2026-00001"
    assert event.data["gross"] == "1316.00"
    assert event.actor_id == world.books.manager


def test_french_invoices_carry_an_rf_reference_and_the_national_sentences(
    db: Database, plugins: PluginHost
) -> None:
    world = invoicing_world(db, plugins, "FR", ("fr_company", "be_person"))
    with world.session(db) as session:
        configure_series(
            session, DocumentKind.INVOICE, 2026, prefix="F", pattern="{prefix}{year}-{number:04d}"
        )
        business = issue_invoice(
            session,
            draft(session, world, plugins, line("500.00"), client="fr_company").id,
            day=DAY,
            plugins=plugins,
        )
        assert business.number == "F2026-0001"
        assert business.payment_reference == "RF12F20260001"  # 98 − (15 20260001 27 15 00 mod 97)
        assert iso11649.is_valid(business.payment_reference)
        assert business.vat_total == Decimal("100.00")
        assert business.mentions is not None
        assert any("40 euros" in text for text in business.mentions)
        assert any("refinancement" in text for text in business.mentions)  # in the client's French
        person = issue_invoice(
            session,
            draft(session, world, plugins, line("500.00"), client="be_person").id,
            day=DAY,
            plugins=plugins,
        )
        assert person.mentions == []  # the B2B sentences are for businesses only


def test_numbers_have_no_gap_and_an_issued_invoice_is_final(
    session: Session, world: World, plugins: PluginHost
) -> None:
    issued = [
        issue_invoice(session, draft(session, world, plugins).id, day=DAY, plugins=plugins)
        for _ in range(3)
    ]
    assert [i.number for i in issued] == ["INV2026-00001", "INV2026-00002", "INV2026-00003"]
    invoice_id = get_invoice(session, issued[0].id).id
    with pytest.raises(InvoicingConflict, match="already issued"):
        issue_invoice(session, invoice_id, day=DAY, plugins=plugins)
    with pytest.raises(InvoicingConflict, match="never changes"):
        update_draft(
            session,
            invoice_id,
            DraftIn(world.activity(), world.clients["be_company"], (line("1.00"),)),
            plugins=plugins,
        )


def test_a_failed_issue_leaves_no_hole_and_the_draft_as_it_was(
    session: Session, world: World, plugins: PluginHost
) -> None:
    broken = draft(
        session, world, plugins, line("100.00", "reverse_charge_services"), client="de_company"
    )
    # The client moves home after the draft: reverse charge no longer applies.
    client = get_client(session, world.clients["de_company"])
    client.country, client.vat_number = "BE", "BE0403019261"
    session.flush()
    with pytest.raises(InvoicingError, match="own country"):
        issue_invoice(session, broken.id, day=DAY, plugins=plugins)
    assert broken.number is None
    assert broken.status is InvoiceStatus.DRAFT
    assert ledger_problems(session) == []
    fine = issue_invoice(session, draft(session, world, plugins).id, day=DAY, plugins=plugins)
    assert fine.number == "INV2026-00001"


def test_every_missing_mention_is_named(
    session: Session, world: World, plugins: PluginHost
) -> None:
    seller = seller_on(session, DAY)
    assert seller is not None
    seller.company_number, seller.register, seller.street = "", "", ""
    client = get_client(session, world.clients["be_company"])
    client.city = ""
    session.flush()
    invoice = draft(session, world, plugins)
    with pytest.raises(MissingMentions) as refused:
        issue_invoice(session, invoice.id, day=DAY, plugins=plugins)
    missing = refused.value.missing
    assert missing == [
        "the cooperative's street and number (Directive 2006/112/EC art. 226 (5))",
        "the cooperative's seller identity lacks: Enterprise number (BCE/KBO) (Code des "
        "sociétés et des associations art. 2:20, 4°; Code de droit économique art. III.25, "
        "alinéa 1er)",
        "the cooperative's seller identity lacks: Register of legal entities and court of the "
        "seat (e.g. RPM Bruxelles) (Code des sociétés et des associations art. 2:20, 5°)",
        "the client's city (Directive 2006/112/EC art. 226 (5))",
    ]
    assert invoice.number is None


def test_without_a_seller_identity_nothing_can_be_issued(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = draft(session, world, plugins)
    with pytest.raises(MissingMentions, match="identity as a seller"):
        issue_invoice(session, invoice.id, day=date(2019, 12, 31), plugins=plugins)


def test_an_invoice_needs_a_line_and_a_positive_total(
    session: Session, world: World, plugins: PluginHost
) -> None:
    empty = draft(session, world, plugins, line("0.00"))
    with pytest.raises(InvoicingError, match="total must be positive"):
        issue_invoice(session, empty.id, day=DAY, plugins=plugins)
    update_draft(
        session,
        empty.id,
        DraftIn(world.activity(), world.clients["be_company"], ()),
        plugins=plugins,
        today=DAY,
    )
    with pytest.raises(MissingMentions, match="at least one line"):
        issue_invoice(session, empty.id, day=DAY, plugins=plugins)


def test_a_blocked_client_is_not_invoiced(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = draft(session, world, plugins)
    get_client(session, world.clients["be_company"]).blocked = True
    session.flush()
    with pytest.raises(InvoicingError, match="blocked"):
        issue_invoice(session, invoice.id, day=DAY, plugins=plugins)


@pytest.mark.postgres
def test_parallel_issues_give_gapless_unique_numbers(
    postgres_db: Database, plugins: PluginHost
) -> None:
    """8 threads × 10 invoices, each in its own session and transaction."""
    world = invoicing_world(postgres_db, plugins, "BE", ("be_company",))
    threads, per_thread = 8, 10
    drafts: list[list[object]] = []
    with world.session(postgres_db) as session:
        for _ in range(threads):
            drafts.append([draft(session, world, plugins).id for _ in range(per_thread)])
        session.commit()
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def issue_all(ids: list[object]) -> None:
        try:
            start.wait()
            for invoice_id in ids:
                with world.session(postgres_db) as session:
                    issue_invoice(session, invoice_id, day=DAY, plugins=plugins)  # type: ignore[arg-type]
                    session.commit()
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=issue_all, args=(ids,)) for ids in drafts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with world.session(postgres_db) as session:
        from coopkit.invoicing.queries import list_invoices

        numbers = sorted(i.number or "" for i in list_invoices(session))
        assert numbers == [f"INV2026-{n:05d}" for n in range(1, threads * per_thread + 1)]
        references = {i.payment_reference for i in list_invoices(session)}
        assert len(references) == threads * per_thread
        assert ledger_problems(session) == []
