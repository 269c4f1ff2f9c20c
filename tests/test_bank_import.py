"""Importing statements: matching, the queue, duplicates, all-or-nothing."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.audit.models import AuditEvent
from coopkit.banking import matching
from coopkit.banking.importing import import_statement
from coopkit.banking.matching import similar_names, suggestions
from coopkit.banking.models import BankLine, BankStatement, LineStatus
from coopkit.banking.parsed import DuplicateStatement, StatementError
from coopkit.banking.queue import QueueError, assign_line, ignore_line, list_lines
from coopkit.invoicing.models import Invoice, InvoiceStatus, Payment, PaymentMethod
from coopkit.invoicing.payments import Overpayment, record_payment
from coopkit.invoicing.standing import standing
from coopkit.ledger.balances import ledger_problems
from coopkit.ledger.models import JournalEntry
from tests.bank_world import books_fixture, issue, make_client, session_fixture  # noqa: F401  (fixtures)
from tests.ledger_world import DAY, Books

CAMT = (Path(__file__).parent / "data" / "camt053_v02_be.xml").read_bytes()
HEADER = "date,amount,currency,counterparty,iban,communication\n"


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def invoice_for(
    session: Session, books: Books, client: str, net: str, rate: str = "0.21", **kw: Any
) -> Invoice:
    return issue(
        session, books.activities["SOLO"], make_client(session, client), [(net, rate)], **kw
    )


def count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def lines_of(session: Session, statement: BankStatement) -> list[BankLine]:
    return list_lines(session, statement_id=statement.id)


# -- the sample statement -----------------------------------------------------------------


def test_the_sample_statement_pays_invoices_by_reference_and_by_amount_and_client(
    session: Session, books: Books
) -> None:
    atelier = invoice_for(
        session, books, "Atelier Lumière", "1000.00", reference="+++090/9337/55493+++"
    )
    brasserie = invoice_for(
        session, books, "Brasserie du Parc", "1000.00", reference="123/4567/89002"
    )
    studio = invoice_for(
        session, books, "Studio Noord", "242.00", "0", reference="RF18 5390 0754 7034"
    )
    dupont = invoice_for(session, books, "Jean Dupont", "150.00", "0")

    result = import_statement(
        session, CAMT, "camt053", file_name="statement.xml", imported_by=books.manager
    )

    assert (result.matched, result.unmatched, result.ignored) == (4, 1, 2)
    assert (atelier.status, brasserie.status, studio.status, dupont.status) == (
        InvoiceStatus.PAID,
        InvoiceStatus.PARTIALLY_PAID,
        InvoiceStatus.PAID,
        InvoiceStatus.PAID,
    )
    assert standing(session, brasserie).due == Decimal("605.00")
    lines = lines_of(session, result.statement)
    by_status = {status: [ln for ln in lines if ln.status is status] for status in LineStatus}
    (northwind,) = by_status[LineStatus.UNMATCHED]
    assert northwind.counterparty_name == "Northwind Ltd"
    assert "no invoice has this payment reference" in northwind.reason
    assert all("money out" in ln.reason for ln in by_status[LineStatus.IGNORED])
    for line in by_status[LineStatus.MATCHED]:
        payment = session.scalars(select(Payment).where(Payment.id == line.payment_id)).one()
        assert (payment.bank_line_id, payment.amount) == (line.id, line.amount)
        assert payment.method is PaymentMethod.BANK_STATEMENT
        assert payment.recorded_by == books.manager
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "bank_statement.imported")
    ).one()
    assert (event.data["matched"], event.data["unmatched"], event.data["ignored"]) == (4, 1, 2)
    assert ledger_problems(session) == []


# -- matching rules -------------------------------------------------------------------------


def test_a_reference_that_would_overpay_parks_the_line(session: Session, books: Books) -> None:
    invoice = invoice_for(session, books, "Atelier Lumière", "1000.00", reference="090/9337/55493")
    record_payment(session, invoice.id, "300.00", day=DAY, method="transfer")
    result = import_statement(
        session, csv("2026-03-16,1210.00,EUR,Atelier,,+++090/9337/55493+++"), "csv"
    )
    (line,) = lines_of(session, result.statement)
    assert line.status is LineStatus.UNMATCHED
    assert line.reason == (
        f"the reference 090933755493 is invoice {invoice.number}, on which 910.00 EUR is due: "
        "this line of 1210.00 EUR would overpay it by 300.00 EUR"
    )
    assert count(session, Payment) == 1
    assert standing(session, invoice).due == Decimal("910.00")


def test_a_reference_to_a_paid_invoice_parks_the_line(session: Session, books: Books) -> None:
    invoice = invoice_for(
        session, books, "Atelier", "100.00", "0", reference="+++090/9337/55493+++"
    )
    record_payment(session, invoice.id, "100.00", day=DAY, method="transfer")
    result = import_statement(session, csv("2026-03-16,100.00,EUR,Atelier,,090933755493"), "csv")
    (line,) = lines_of(session, result.statement)
    assert line.status is LineStatus.UNMATCHED
    assert f"is invoice {invoice.number}, which is paid already" in line.reason


def test_a_reference_in_another_currency_parks_the_line(session: Session, books: Books) -> None:
    invoice_for(
        session, books, "Bergbau AG", "100.00", "0", reference="RF18 5390 0754 7034", currency="CHF"
    )
    result = import_statement(
        session, csv("2026-03-16,100.00,EUR,Bergbau,,RF18539007547034"), "csv"
    )
    (line,) = lines_of(session, result.statement)
    assert line.status is LineStatus.UNMATCHED
    assert "in CHF, but this line is in EUR" in line.reason


def test_two_open_invoices_of_the_amount_for_the_client_are_ambiguous(
    session: Session, books: Books
) -> None:
    client = make_client(session, "Brasserie du Parc SA")
    first = issue(session, books.activities["SOLO"], client, [("100.00", "0.21")])
    second = issue(session, books.activities["SHARED"], client, [("100.00", "0.21")])
    result = import_statement(session, csv("2026-03-16,121.00,EUR,BRASSERIE DU PARC,,"), "csv")
    (line,) = lines_of(session, result.statement)
    assert line.status is LineStatus.UNMATCHED
    assert line.reason.startswith("several open invoices of this client are due 121.00 EUR")
    assert {o.invoice.id for o in suggestions(session, line)} == {first.id, second.id}
    assert count(session, Payment) == 0


def test_the_amount_alone_does_not_match_another_clients_invoice(
    session: Session, books: Books
) -> None:
    invoice = invoice_for(session, books, "Studio Noord", "100.00")
    result = import_statement(session, csv("2026-03-16,121.00,EUR,Someone Else,,"), "csv")
    (line,) = lines_of(session, result.statement)
    assert line.status is LineStatus.UNMATCHED
    assert "but none to a client named like 'Someone Else'" in line.reason
    assert [o.invoice.id for o in suggestions(session, line)] == [invoice.id]


def test_an_account_the_client_paid_from_before_identifies_them(
    session: Session, books: Books
) -> None:
    client = make_client(session, "Atelier Lumière SPRL")
    first = issue(session, books.activities["SOLO"], client, [("100.00", "0")])
    second = issue(session, books.activities["SOLO"], client, [("70.00", "0")])
    iban = "BE62510007547061"
    import_statement(session, csv(f"2026-03-16,100.00,EUR,Atelier Lumiere,{iban},"), "csv")
    assert first.status is InvoiceStatus.PAID
    # Paid later by the manager's own name, from the same account.
    result = import_statement(session, csv(f"2026-03-17,70.00,EUR,M. Claes,{iban},"), "csv")
    assert result.matched == 1
    assert second.status is InvoiceStatus.PAID


def test_a_partial_payment_by_reference_then_the_rest_by_amount(
    session: Session, books: Books
) -> None:
    invoice = invoice_for(
        session, books, "Brasserie du Parc", "1000.00", reference="123/4567/89002"
    )
    result = import_statement(
        session,
        csv(
            "2026-03-16,605.00,EUR,Brasserie du Parc,,Acompte +++123/4567/89002+++",
            "2026-03-20,605.00,EUR,Brasserie du Parc,,solde",
        ),
        "csv",
    )
    assert result.matched == 2
    assert invoice.status is InvoiceStatus.PAID


@pytest.mark.parametrize(
    ("bank", "ours", "same"),
    [
        ("DUPONT JEAN", "Jean Dupont", True),
        ("Atelier Lumiere", "Atelier Lumière SPRL", True),
        ("BRASSERIE DU PARC S.A.", "Brasserie du Parc", True),
        ("Studio Noort", "Studio Noord BV", True),
        ("Northwind Ltd", "Studio Noord BV", False),
        ("SA", "NV", False),
    ],
)
def test_names_are_compared_without_case_accents_or_legal_form(
    bank: str, ours: str, same: bool
) -> None:
    assert similar_names(bank, ours) is same


# -- duplicates and all-or-nothing -----------------------------------------------------------


def test_the_same_file_is_refused_with_the_date_of_the_first_import(
    session: Session, books: Books
) -> None:
    first = import_statement(session, CAMT, "camt053")
    with pytest.raises(
        DuplicateStatement, match=r"this file was already imported on \d{4}-\d\d-\d\d"
    ) as refused:
        import_statement(session, CAMT, "camt053")
    assert str(first.statement.id) in str(refused.value)
    # The same statement of the same account, even re-exported with other bytes.
    with pytest.raises(
        DuplicateStatement, match="statement 2026-03-16-BE71096123456769 of account"
    ):
        import_statement(session, CAMT.replace(b"<GrpHdr>", b"<GrpHdr>\n"), "camt053")
    assert count(session, BankStatement) == 1


def test_the_same_csv_twice_is_a_duplicate(session: Session, books: Books) -> None:
    data = csv("2026-03-16,1.00,EUR,A,,")
    import_statement(session, data, "csv")
    with pytest.raises(DuplicateStatement, match="this file was already imported"):
        import_statement(session, data, "csv")


def _nothing_written(session: Session) -> None:
    assert count(session, BankStatement) == 0
    assert count(session, BankLine) == 0
    assert count(session, Payment) == 0
    assert (
        session.scalar(select(func.count()).where(JournalEntry.kind.in_(["payment", "paid_share"])))
        == 0
    )
    assert session.scalar(select(func.count()).where(AuditEvent.action.like("bank_%"))) == 0


def test_an_error_on_the_last_row_imports_nothing(session: Session, books: Books) -> None:
    invoice_for(session, books, "Atelier", "100.00", "0", reference="+++090/9337/55493+++")
    rows = ["2026-03-16,100.00,EUR,Atelier,,+++090/9337/55493+++", "2026-03-16,5,EUR,B,,x"]
    with pytest.raises(StatementError, match="row 4: amount 'five'"):
        import_statement(session, csv(*rows, "2026-03-17,five,EUR,C,,"), "csv")
    _nothing_written(session)


def test_a_failure_while_matching_the_last_line_undoes_the_whole_import(
    session: Session, books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = invoice_for(session, books, "Atelier", "100.00", "0", reference="+++090/9337/55493+++")
    invoice_for(session, books, "Brasserie", "50.00", "0", reference="+++123/4567/89002+++")
    data = csv(
        "2026-03-16,100.00,EUR,Atelier,,+++090/9337/55493+++",
        "2026-03-16,50.00,EUR,Brasserie,,+++123/4567/89002+++",
    )
    real = matching.record_payment
    calls = []

    def failing_second(*args: Any, **kwargs: Any) -> Payment:
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(matching, "record_payment", failing_second)
    with pytest.raises(RuntimeError):
        import_statement(session, data, "csv")
    _nothing_written(session)
    assert first.status is InvoiceStatus.ISSUED
    # Retrying the same file works once the cause is gone.
    monkeypatch.setattr(matching, "record_payment", real)
    assert import_statement(session, data, "csv").matched == 2


def test_an_unknown_format_and_an_empty_file_are_refused(session: Session, books: Books) -> None:
    with pytest.raises(StatementError, match="unknown statement format 'mt940'"):
        import_statement(session, CAMT, "mt940")
    with pytest.raises(StatementError, match="empty"):
        import_statement(session, b"", "csv")


# -- the queue ------------------------------------------------------------------------------


def waiting(session: Session, *rows: str) -> list[BankLine]:
    result = import_statement(session, csv(*rows), "csv")
    return lines_of(session, result.statement)


def test_staff_assign_a_waiting_line_as_a_partial_payment(session: Session, books: Books) -> None:
    invoice = invoice_for(session, books, "Atelier", "100.00")
    (line,) = waiting(session, "2026-03-16,60.50,EUR,Somebody,,")
    payment = assign_line(session, line.id, invoice.id, by=books.member)
    assert (line.status, line.payment_id, line.resolved_by) == (
        LineStatus.MATCHED,
        payment.id,
        books.member,
    )
    assert invoice.status is InvoiceStatus.PARTIALLY_PAID
    assert standing(session, invoice).due == Decimal("60.50")
    with pytest.raises(QueueError, match="is matched already"):
        assign_line(session, line.id, invoice.id, by=books.member)


def test_a_line_larger_than_the_due_cannot_be_assigned(session: Session, books: Books) -> None:
    invoice = invoice_for(session, books, "Atelier", "10.00", "0")
    (line,) = waiting(session, "2026-03-16,60.50,EUR,Somebody,,")
    with pytest.raises(Overpayment, match=r"60\.50 EUR is more than the 10\.00 EUR still due"):
        assign_line(session, line.id, invoice.id, by=books.member)
    assert line.status is LineStatus.UNMATCHED
    assert count(session, Payment) == 0


def test_staff_ignore_a_line_with_a_reason(session: Session, books: Books) -> None:
    (line, debit) = waiting(session, "2026-03-16,60.50,EUR,Somebody,,", "2026-03-16,-3,EUR,Bank,,")
    with pytest.raises(QueueError, match="say why"):
        ignore_line(session, line.id, "  ", by=books.member)
    ignore_line(session, line.id, "Refunded to the client on 2026-03-18", by=books.member)
    assert (line.status, line.reason) == (
        LineStatus.IGNORED,
        "Refunded to the client on 2026-03-18",
    )
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "bank_line.ignored")).one()
    with pytest.raises(QueueError, match="is ignored already"):
        ignore_line(session, debit.id, "again", by=books.member)
    with pytest.raises(QueueError, match="no bank line"):
        ignore_line(session, uuid.uuid4(), "why not", by=books.member)


def test_the_queue_lists_the_oldest_first(session: Session, books: Books) -> None:
    waiting(session, "2026-03-20,1.00,EUR,Late,,")
    waiting(session, "2026-03-02,2.00,EUR,Early,,", "2026-03-05,-2.00,EUR,Out,,")
    queue = list_lines(session, status=LineStatus.UNMATCHED)
    assert [line.counterparty_name for line in queue] == ["Early", "Late"]
