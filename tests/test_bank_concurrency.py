"""On PostgreSQL, at once: payments on one invoice never pay more than is due, and one
statement file imported by several requests is imported once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from coopkit.banking.importing import import_statement
from coopkit.banking.models import BankStatement
from coopkit.banking.parsed import DuplicateStatement
from coopkit.invoicing.models import Invoice, InvoiceStatus, Payment
from coopkit.invoicing.payments import PaymentError, record_payment
from coopkit.ledger.balances import ledger_problems
from coopkit.plugins import PluginHost
from tests.bank_world import issue, make_client
from tests.conftest import Database
from tests.ledger_world import DAY, open_cooperative
from tests.test_ledger import _race

pytestmark = pytest.mark.postgres


def test_concurrent_payments_never_pay_more_than_is_due(
    postgres_db: Database, plugins: PluginHost
) -> None:
    books = open_cooperative(postgres_db, plugins)
    with books.session(postgres_db) as session:
        invoice = issue(session, books.activities["SOLO"], make_client(session), [("100.00", "0")])
        session.commit()
        invoice_id = invoice.id

    def pay(session: object, i: int) -> Payment:
        return record_payment(session, invoice_id, "40.00", day=DAY, method="transfer")  # type: ignore[arg-type]

    results = _race(postgres_db, books, 6, pay)
    paid = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, PaymentError)]
    assert (len(paid), len(refused)) == (2, 4), results  # 40 + 40; a third would overpay
    with books.session(postgres_db) as session:
        total = session.scalar(select(func.sum(Payment.amount)))
        assert total == Decimal("80.00")
        assert ledger_problems(session) == []


def test_one_file_imported_at_once_by_several_requests_is_imported_once(
    postgres_db: Database, plugins: PluginHost
) -> None:
    books = open_cooperative(postgres_db, plugins)
    with books.session(postgres_db) as session:
        invoice = issue(session, books.activities["SOLO"], make_client(session), [("50.00", "0")])
        session.commit()
        reference = invoice.payment_reference
    data = (
        "date,amount,currency,counterparty,iban,communication\n"
        f"2026-03-16,50.00,EUR,Atelier,,{reference}\n"
    ).encode()

    def upload(session: object, i: int) -> object:
        return import_statement(session, data, "csv")  # type: ignore[arg-type]

    results = _race(postgres_db, books, 5, upload)
    duplicates = [r for r in results if isinstance(r, DuplicateStatement)]
    assert len(duplicates) == 4, results
    with books.session(postgres_db) as session:
        assert session.scalar(select(func.count()).select_from(BankStatement)) == 1
        assert session.scalar(select(func.count()).select_from(Payment)) == 1
        assert session.scalar(select(Payment.amount)) == Decimal("50.00")
        assert session.scalar(select(Invoice.status)) is InvoiceStatus.PAID
        assert ledger_problems(session) == []
