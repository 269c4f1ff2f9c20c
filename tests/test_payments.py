"""Recording payments on issued invoices: the ledger entries, the shares, the refusals."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.service import activity_balance
from coopkit.audit.models import AuditEvent
from coopkit.invoicing.models import Invoice, InvoiceStatus, Payment, PaymentMethod
from coopkit.invoicing.payments import Overpayment, PaymentError, UnknownInvoice, record_payment
from coopkit.invoicing.standing import standing
from coopkit.ledger.balances import ledger_problems
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.plugins import PluginHost
from tests.bank_world import books_fixture, credit_note, issue, make_client, session_fixture  # noqa: F401  (fixtures)
from tests.conftest import Database
from tests.ledger_world import DAY, Books, open_cooperative


def solo(books: Books) -> uuid.UUID:
    return books.activities["SOLO"]


def pay(session: Session, invoice: Invoice, amount: str) -> Payment:
    return record_payment(session, invoice.id, amount, day=DAY, method="transfer", payer="Client")


def share_of(session: Session, payment: Payment) -> Decimal:
    """The paid amount excluding VAT the payment made available (its activity_budgets debit)."""
    if payment.share_entry_id is None:
        return Decimal(0)
    return session.scalars(
        select(Posting.amount)
        .join(Account, Account.id == Posting.account_id)
        .where(
            Posting.entry_id == payment.share_entry_id,
            Account.role == AccountRole.ACTIVITY_BUDGETS,
        )
    ).one()


def lines_by_role(session: Session, entry_id: uuid.UUID) -> dict[AccountRole, Decimal]:
    rows = session.execute(
        select(Account.role, Posting.amount)
        .join(Account, Account.id == Posting.account_id)
        .where(Posting.entry_id == entry_id)
    ).all()
    return dict(rows)


def test_a_full_payment_posts_the_payment_and_the_share_and_pays_the_invoice(
    session: Session, books: Books
) -> None:
    invoice = issue(session, solo(books), make_client(session), [("1000.00", "0.21")])
    payment = pay(session, invoice, "1210.00")

    assert invoice.status is InvoiceStatus.PAID
    assert payment.method is PaymentMethod.TRANSFER
    assert lines_by_role(session, payment.entry_id) == {
        AccountRole.BANK: Decimal("1210.00"),
        AccountRole.CLIENT_RECEIVABLES: Decimal("-1210.00"),
    }
    assert payment.share_entry_id is not None
    assert lines_by_role(session, payment.share_entry_id) == {
        AccountRole.ACTIVITY_BUDGETS: Decimal("1000.00"),
        AccountRole.ACTIVITY_FUNDS: Decimal("-915.00"),
        AccountRole.FEE_INCOME: Decimal("-65.00"),
        AccountRole.GUARANTEE_FUND: Decimal("-20.00"),
    }
    entries = session.scalars(select(JournalEntry).where(JournalEntry.kind != "invoice")).all()
    assert {e.reference for e in entries} == {f"invoice:{invoice.id}"}
    balance = activity_balance(session, solo(books), "EUR")
    assert (balance.receivable, balance.received, balance.fees, balance.available) == (
        Decimal("0.00"),
        Decimal("1000.00"),
        Decimal("65.00"),
        Decimal("915.00"),
    )
    assert ledger_problems(session) == []


def test_instalments_share_proportionally_and_the_last_takes_the_remainder(
    session: Session, books: Books
) -> None:
    invoice = issue(session, solo(books), make_client(session), [("100.00", "0.21")])
    first = pay(session, invoice, "33.33")
    assert invoice.status is InvoiceStatus.PARTIALLY_PAID
    second = pay(session, invoice, "33.33")
    last = pay(session, invoice, "54.34")
    # 33.33 × 100 / 121 = 27.545… → 27.55 each; proportionally the last would be 44.91,
    # but only 44.90 of the net total is left: the shares add up to exactly 100.00.
    assert [share_of(session, p) for p in (first, second, last)] == [
        Decimal("27.55"),
        Decimal("27.55"),
        Decimal("44.90"),
    ]
    assert invoice.status is InvoiceStatus.PAID
    assert standing(session, invoice).due == 0
    assert activity_balance(session, solo(books), "EUR").received == Decimal("100.00")
    assert ledger_problems(session) == []


def test_the_settling_payment_makes_up_for_instalments_rounded_down(
    session: Session, books: Books
) -> None:
    invoice = issue(session, solo(books), make_client(session), [("100.00", "0.21")])
    payments = [pay(session, invoice, amount) for amount in ("2.00", "2.00", "117.00")]
    # 2.00 × 100 / 121 = 1.6528… → 1.65 twice; 117.00 alone would be 96.69, one cent short.
    assert [share_of(session, p) for p in payments] == [
        Decimal("1.65"),
        Decimal("1.65"),
        Decimal("96.70"),
    ]


def test_cent_payments_never_share_more_than_the_net_total(session: Session, books: Books) -> None:
    # Net 0.03 + VAT 0.01: each cent is 0.0075 excluding VAT, rounded up to 0.01, three
    # times; the fourth cent settles the invoice and has nothing left to share.
    invoice = issue(session, solo(books), make_client(session), [("0.03", "0.21")])
    payments = [pay(session, invoice, "0.01") for _ in range(4)]
    assert [share_of(session, p) for p in payments] == [Decimal("0.01")] * 3 + [Decimal(0)]
    assert payments[-1].share_entry_id is None
    assert invoice.status is InvoiceStatus.PAID
    assert ledger_problems(session) == []


def test_reverse_charge_shares_the_whole_amount(session: Session, books: Books) -> None:
    invoice = issue(session, solo(books), make_client(session, country="FR"), [("800.00", "0")])
    first, last = pay(session, invoice, "300.01"), pay(session, invoice, "499.99")
    assert [share_of(session, p) for p in (first, last)] == [Decimal("300.01"), Decimal("499.99")]
    assert invoice.status is InvoiceStatus.PAID


def test_after_a_partial_credit_note_the_shares_add_up_to_the_net_left(
    session: Session, books: Books
) -> None:
    invoice = issue(session, solo(books), make_client(session), [("200.00", "0.21")])
    first = pay(session, invoice, "100.00")  # 82.64 excluding VAT
    credit_note(session, invoice, "50.00", "10.50")
    assert standing(session, invoice).due == Decimal("81.50")
    last = pay(session, invoice, "81.50")
    assert share_of(session, first) + share_of(session, last) == Decimal("150.00")
    assert invoice.status is InvoiceStatus.PAID
    assert ledger_problems(session) == []


def test_a_payment_is_recorded_in_the_audit_log(session: Session, books: Books) -> None:
    invoice = issue(session, solo(books), make_client(session), [("10.00", "0.21")])
    payment = pay(session, invoice, "5.00")
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "invoice.payment_recorded")
    ).one()
    assert event.subject_id == str(invoice.id)
    assert event.data["payment"] == str(payment.id)
    assert event.data["amount"] == "5.00"
    assert event.data["status"] == "partially_paid"


def test_more_than_is_due_is_refused_with_both_amounts(session: Session, books: Books) -> None:
    invoice = issue(session, solo(books), make_client(session), [("100.00", "0.21")])
    pay(session, invoice, "100.00")
    with pytest.raises(Overpayment, match=r"21\.01 EUR is more than the 21\.00 EUR") as refused:
        pay(session, invoice, "21.01")
    assert (refused.value.due, refused.value.amount) == (Decimal("21.00"), Decimal("21.01"))
    assert session.scalars(select(Payment)).all() != []
    assert len(session.scalars(select(Payment)).all()) == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "positive"),
        ("-5.00", "positive"),
        ("1.001", "more decimals than EUR"),
        ("abc", "not a number"),
    ],
)
def test_bad_amounts_are_refused(session: Session, books: Books, amount: str, message: str) -> None:
    invoice = issue(session, solo(books), make_client(session), [("100.00", "0.21")])
    with pytest.raises(PaymentError, match=message):
        pay(session, invoice, amount)
    assert session.scalars(select(Payment)).all() == []


def test_a_float_amount_is_refused(session: Session, books: Books) -> None:
    invoice = issue(session, solo(books), make_client(session), [("100.00", "0.21")])
    with pytest.raises(PaymentError, match="never a float"):
        record_payment(session, invoice.id, 12.5, day=DAY, method="transfer")


def test_drafts_credit_notes_and_settled_invoices_take_no_payment(
    session: Session, books: Books
) -> None:
    client = make_client(session)
    draft = Invoice(activity_id=solo(books), client_id=client.id, currency="EUR", locale="fr")
    session.add(draft)
    session.flush()
    with pytest.raises(PaymentError, match="is a draft"):
        pay(session, draft, "1.00")

    paid = issue(session, solo(books), client, [("10.00", "0")])
    pay(session, paid, "10.00")
    with pytest.raises(PaymentError, match="is paid"):
        pay(session, paid, "1.00")

    credited = issue(session, solo(books), client, [("10.00", "0")])
    note = credit_note(session, credited, "10.00", "0")
    assert credited.status is InvoiceStatus.CREDITED
    with pytest.raises(PaymentError, match="is credited"):
        pay(session, credited, "1.00")
    with pytest.raises(PaymentError, match="is a credit note"):
        pay(session, note, "1.00")


def test_unknown_invoices_and_methods_are_refused(session: Session, books: Books) -> None:
    with pytest.raises(UnknownInvoice):
        record_payment(session, uuid.uuid4(), "1.00", day=DAY, method="transfer")
    invoice = issue(session, solo(books), make_client(session), [("10.00", "0")])
    with pytest.raises(PaymentError, match="use one of transfer"):
        record_payment(session, invoice.id, "1.00", day=DAY, method="cheque")


def test_another_cooperatives_invoice_is_unknown(
    db: Database, plugins: PluginHost, session: Session, books: Books
) -> None:
    invoice = issue(session, solo(books), make_client(session), [("10.00", "0")])
    session.commit()
    other = open_cooperative(db, plugins)
    with other.session(db) as foreign, pytest.raises(UnknownInvoice):
        record_payment(foreign, invoice.id, "1.00", day=DAY, method="transfer")
