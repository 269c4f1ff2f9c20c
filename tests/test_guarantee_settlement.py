"""Repaying an advance from the client's payments, and writing off a lost invoice."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit.models import AuditEvent
from coopkit.guarantee.advances import grant_advance, outstanding_advance
from coopkit.guarantee.models import AdvanceRepayment, InvoiceWriteOff
from coopkit.guarantee.repayment import repay_from_payment
from coopkit.guarantee.write_off import WriteOffRefused, WrittenOffAlready, write_off_invoice
from coopkit.invoicing.credit_notes import create_credit_note
from coopkit.invoicing.errors import InvoicingConflict
from coopkit.invoicing.models import Invoice, InvoiceStatus, Payment, PaymentMethod
from coopkit.invoicing.payments import PaymentError, record_payment
from coopkit.ledger.balances import ledger_problems, role_balance
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import JournalEntry
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.guarantee_world import PAYDAY, confirmed_invoice, guarantee_world
from tests.invoicing_world import World, draft

D = Decimal
EUR = "EUR"


@pytest.fixture
def world(db: Database, plugins: PluginHost) -> World:
    return guarantee_world(db, plugins)


@pytest.fixture
def session(db: Database, world: World) -> Iterator[Session]:
    with world.session(db) as opened:
        yield opened
        opened.rollback()


def advanced(session: Session, world: World, plugins: PluginHost, amount: str) -> Invoice:
    """An invoice of 1000.00 + 210.00 VAT backing an advance of ``amount``."""
    invoice = confirmed_invoice(session, world, plugins, "1000.00")
    grant_advance(
        session, activity_id=world.activity(), member_id=world.books.manager, amount=amount,
        day=PAYDAY, salary_request_id=uuid.uuid4(),
    )  # fmt: skip
    return invoice


def pay(session: Session, invoice: Invoice, amount: str, day: date = date(2026, 3, 20)) -> Payment:
    return record_payment(session, invoice.id, D(amount), day=day, method=PaymentMethod.TRANSFER)


def repayments(session: Session) -> list[AdvanceRepayment]:
    return list(session.scalars(select(AdvanceRepayment).order_by(AdvanceRepayment.day)))


# -- repayment ------------------------------------------------------------------------------


def test_partial_payments_repay_in_order_and_never_more_than_advanced(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = advanced(session, world, plugins, "800.00")
    pay(session, invoice, "605.00")  # 500.00 excl. VAT: 457.50 to the activity
    assert outstanding_advance(session, invoice.id) == D("342.50")
    pay(session, invoice, "605.00")  # settles: 457.50 more, only 342.50 needed
    assert [r.amount for r in repayments(session)] == [D("457.50"), D("342.50")]
    assert outstanding_advance(session, invoice.id) == 0
    assert role_balance(session, AccountRole.GUARANTEE_ADVANCES, EUR) == 0
    # The activity keeps what the fund did not need: 915.00 − 800.00 + the advance 800.00
    assert role_balance(session, AccountRole.ACTIVITY_FUNDS, EUR, world.activity()) == D("915.00")
    entries = session.scalars(
        select(JournalEntry).where(JournalEntry.kind == "advance_repayment")
    ).all()
    assert {e.reference for e in entries} == {f"invoice:{invoice.id}"}
    assert ledger_problems(session) == []


def test_a_second_call_for_the_same_payment_posts_nothing(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = advanced(session, world, plugins, "800.00")
    payment = pay(session, invoice, "605.00")
    share = session.scalar(select(JournalEntry).where(JournalEntry.id == payment.share_entry_id))
    again = repay_from_payment(session, payment, share)
    assert again is not None
    assert [r.id for r in repayments(session)] == [again.id]
    assert outstanding_advance(session, invoice.id) == D("342.50")


def test_a_payment_posted_before_the_advance_never_repays_it(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = confirmed_invoice(session, world, plugins, "1000.00")
    payment = pay(session, invoice, "121.00")  # before the advance: 91.50 to the activity
    grant_advance(
        session, activity_id=world.activity(), member_id=world.books.manager, amount="823.50",
        day=PAYDAY, salary_request_id=uuid.uuid4(),
    )  # fmt: skip
    share = session.scalar(select(JournalEntry).where(JournalEntry.id == payment.share_entry_id))
    assert repay_from_payment(session, payment, share) is None
    assert outstanding_advance(session, invoice.id) == D("823.50")


def test_an_invoice_without_an_advance_repays_nothing(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = confirmed_invoice(session, world, plugins, "1000.00")
    pay(session, invoice, "1210.00")
    assert repayments(session) == []


def test_a_settled_invoice_leaves_nothing_outstanding_even_when_rates_rose(
    session: Session, world: World, plugins: PluginHost
) -> None:
    from coopkit.ledger.policy import set_rates

    invoice = advanced(session, world, plugins, "915.00")  # all its capacity at 6.5 % + 2 %
    set_rates(session, valid_from=date(2026, 3, 15), fee_rate="0.10", guarantee_rate="0.02",
              decided_by="GA")  # fmt: skip
    pay(session, invoice, "1210.00")  # the activity now gets 880.00
    [repaid] = repayments(session)
    # 880.00 from the share, and the 35.00 more the activity still had (it had 915.00)
    assert repaid.amount + repaid.absorbed == D("915.00")
    assert outstanding_advance(session, invoice.id) == 0
    assert ledger_problems(session) == []


# -- write-off ------------------------------------------------------------------------------


def test_write_off_absorbs_exactly_the_outstanding_advance_and_regularises_vat(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = advanced(session, world, plugins, "800.00")
    pay(session, invoice, "242.00")  # 200.00 excl. VAT: 183.00 repaid
    fund = role_balance(session, AccountRole.GUARANTEE_FUND, EUR)
    vat = role_balance(session, AccountRole.VAT_COLLECTED, EUR)
    row = write_off_invoice(
        session, invoice.id, day=date(2026, 9, 1), reason="Client bankrupt", written_off_by=None
    )
    assert (row.due_written_off, row.vat_written_off) == (D("968.00"), D("168.00"))
    assert row.advance_absorbed == D("617.00")
    assert invoice.status is InvoiceStatus.WRITTEN_OFF
    assert outstanding_advance(session, invoice.id) == 0
    assert role_balance(session, AccountRole.GUARANTEE_FUND, EUR) == fund - D("617.00")
    assert role_balance(session, AccountRole.VAT_COLLECTED, EUR) == vat - D("168.00")
    assert role_balance(session, AccountRole.BAD_DEBTS, EUR) == D("800.00")
    assert role_balance(session, AccountRole.CLIENT_RECEIVABLES, EUR, world.activity()) == 0
    assert role_balance(session, AccountRole.GUARANTEE_ADVANCES, EUR) == 0
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "invoice.written_off"))
    assert event is not None
    assert event.data["advance_absorbed"] == "617.00"
    assert ledger_problems(session) == []
    with pytest.raises(PaymentError, match="written off"):
        pay(session, invoice, "10.00")
    with pytest.raises(InvoicingConflict, match="written off"):
        create_credit_note(session, invoice.id, day=date(2026, 9, 2))


def test_write_off_refusals(session: Session, world: World, plugins: PluginHost) -> None:
    def write_off(invoice: Invoice) -> InvoiceWriteOff:
        return write_off_invoice(
            session, invoice.id, day=date(2026, 9, 1), reason="Lost", written_off_by=None
        )

    paid = confirmed_invoice(session, world, plugins, "100.00")
    pay(session, paid, "121.00")
    with pytest.raises(WriteOffRefused, match=f"invoice {paid.number} is paid"):
        write_off(paid)
    waiting = draft(session, world, plugins)
    with pytest.raises(WriteOffRefused, match="is a draft"):
        write_off(waiting)
    lost = confirmed_invoice(session, world, plugins, "100.00")
    write_off(lost)
    with pytest.raises(WrittenOffAlready, match=f"invoice {lost.number} is written off already"):
        write_off(lost)
    with pytest.raises(WriteOffRefused, match="reason"):
        write_off_invoice(session, lost.id, day=date(2026, 9, 1), reason=" ", written_off_by=None)
    assert len(session.scalars(select(InvoiceWriteOff)).all()) == 1


def test_write_off_is_refused_when_the_fund_cannot_absorb_it(
    session: Session, world: World, plugins: PluginHost
) -> None:
    from coopkit.ledger.posting import credit, debit, post

    invoice = advanced(session, world, plugins, "800.00")
    post(session, kind="test", description="The fund pays out", day=PAYDAY, lines=[
        debit(AccountRole.GUARANTEE_FUND, "19500.00"), credit(AccountRole.BANK, "19500.00"),
    ])  # fmt: skip
    with pytest.raises(WriteOffRefused, match=r"holds 500\.00 EUR and cannot absorb the 800\.00"):
        write_off_invoice(
            session, invoice.id, day=date(2026, 9, 1), reason="Lost", written_off_by=None
        )
