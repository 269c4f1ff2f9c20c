"""Payment batches: what they take, the pain.001 file, exported once, the ledger, tenants."""

from __future__ import annotations

import threading
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
from lxml import etree
from sqlalchemy import func, select

from coopkit.audit.models import AuditEvent
from coopkit.db.tenancy import set_tenant
from coopkit.ledger.balances import ledger_problems
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.models import Account, AccountBalance, JournalEntry
from coopkit.ledger.posting import lines_of as entry_lines
from coopkit.payouts.batches import (
    create_payment_batch,
    export_payment_batch,
    get_payment_batch,
    lines_of,
)
from coopkit.payouts.errors import NothingToPay, PaymentsConflict, UnknownPaymentBatch
from coopkit.payouts.models import PaymentBatchItem, Payout, PayoutKind
from coopkit.payouts.sepa import Debtor, PaymentFileInvalid, Transfer, pain001
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.payouts_world import DAY, EXECUTION, owe, payroll_world

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.09.xsd"


def balance_of(session, role: R) -> Decimal:  # type: ignore[no-untyped-def]
    """The natural balance of a role's account (liabilities: what the coop owes)."""
    account = session.scalar(select(Account).where(Account.role == role))
    raw = session.scalar(
        select(func.coalesce(func.sum(AccountBalance.balance), 0)).where(
            AccountBalance.account_id == account.id
        )
    )
    return account.type.natural(Decimal(raw))


def test_a_batch_takes_due_payouts_with_an_account_and_pays_them_once(
    db: Database, plugins: PluginHost
) -> None:
    payroll = payroll_world(db, plugins)
    with payroll.session(db) as session:
        salary = owe(session, payroll, "ana", PayoutKind.SALARY, "1834.57")
        expense = owe(session, payroll, "ben", PayoutKind.EXPENSE, "121.00")
        no_account = owe(session, payroll, "cleo", PayoutKind.SALARY, "900.00")
        later = owe(
            session, payroll, "ana", PayoutKind.EXPENSE, "10.00", due=EXECUTION.replace(day=20)
        )
        salaries_before = balance_of(session, R.SALARIES_PAYABLE)
        claims_before = balance_of(session, R.EXPENSE_CLAIMS_PAYABLE)
        bank_before = balance_of(session, R.BANK)

        made = create_payment_batch(session, execution_date=EXECUTION, created_by=payroll.staff)
        assert {i.payout_id for i in made.added} == {salary.id, expense.id}
        assert [(w.payout.id, "no bank account" in w.reason) for w in made.left] == [
            (no_account.id, True)
        ]
        batch = export_payment_batch(session, made.batch.id, exported_by=payroll.staff)
        session.commit()

        assert batch.file_xml is not None
        assert batch.file_sha256 is not None
        import hashlib

        assert hashlib.sha256(batch.file_xml).hexdigest() == batch.file_sha256
        session.refresh(salary)
        session.refresh(no_account)
        session.refresh(later)
        assert salary.paid_on == EXECUTION
        assert no_account.paid_on is None
        assert later.paid_on is None
        # The payables and the bank go down by exactly the batch's totals.
        assert salaries_before - balance_of(session, R.SALARIES_PAYABLE) == Decimal("1834.57")
        assert claims_before - balance_of(session, R.EXPENSE_CLAIMS_PAYABLE) == Decimal("121.00")
        assert bank_before - balance_of(session, R.BANK) == Decimal("1955.57")
        entries = session.scalars(
            select(JournalEntry).where(JournalEntry.reference == f"payment_batch:{batch.id}")
        ).all()
        assert [e.kind for e in entries] == ["payout"]
        assert sum(p.amount for p in entry_lines(session, entries[0])) == 0
        assert ledger_problems(session) == []
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_id == str(batch.id))
        ).all()
        assert "payments.batch_exported" in actions

        with pytest.raises(PaymentsConflict, match="exported on"):
            export_payment_batch(session, batch.id, exported_by=payroll.staff)
        session.rollback()
        # A new batch for the same day takes nothing already paid.
        with pytest.raises(NothingToPay, match="no bank account"):
            create_payment_batch(session, execution_date=EXECUTION, created_by=payroll.staff)


def test_the_file_is_a_valid_pain001_with_exact_amounts_and_the_coop_as_debtor(
    db: Database, plugins: PluginHost
) -> None:
    payroll = payroll_world(db, plugins)
    with payroll.session(db) as session:
        amounts = ["0.01", "1834.57", "7999.99", "120.10"]
        for member, amount in zip(["ana", "ben", "ana", "ben"], amounts, strict=True):
            owe(session, payroll, member, PayoutKind.SALARY, amount)
        made = create_payment_batch(session, execution_date=EXECUTION, created_by=payroll.staff)
        batch = export_payment_batch(session, made.batch.id, exported_by=payroll.staff)
        assert batch.file_xml is not None
        document = etree.fromstring(batch.file_xml)
        etree.XMLSchema(etree.parse(str(XSD))).assertValid(document)

        assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "4"
        assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == (
            "9954.67"
        )
        instructed = sorted(
            Decimal(a) for a in document.xpath("//p:InstdAmt/text()", namespaces=NS)
        )
        assert instructed == sorted(Decimal(a) for a in amounts)
        info = document.find("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=NS)
        assert info.findtext("p:Dbtr/p:Nm", namespaces=NS) == "SMart Demo Belgium SC"
        assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == "BE71096123456769"
        assert info.findtext("p:ReqdExctnDt/p:Dt", namespaces=NS) == EXECUTION.isoformat()
        ids = document.xpath("//p:EndToEndId/text()", namespaces=NS)
        assert len(set(ids)) == 4
        assert all(len(i) <= 35 for i in ids)
        creditors = set(document.xpath("//p:CdtrAcct/p:Id/p:IBAN/text()", namespaces=NS))
        assert creditors == {"BE68539007547034", "FR7630006000011234567890189"}
        assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId", namespaces=NS) == (
            batch.id.hex
        )


def test_a_file_that_breaks_the_schema_is_refused() -> None:
    transfer = Transfer("E1", "Ana", "NOT-AN-IBAN", "", Decimal("10.00"), "Salary")
    with pytest.raises(PaymentFileInvalid, match="does not validate"):
        pain001("m1", Debtor("Coop", "BE71096123456769"), EXECUTION, [transfer])


def test_a_failed_export_leaves_nothing_paid(db: Database, plugins: PluginHost) -> None:
    """The bank cannot pay more than it holds: the ledger refuses and nothing is marked."""
    payroll = payroll_world(db, plugins)
    with payroll.session(db) as session:
        owe(session, payroll, "ana", PayoutKind.SALARY, "9000.00")
        # Take the bank's money elsewhere first.
        from coopkit.ledger.posting import credit, debit, post

        post(
            session,
            kind="capital",
            description="Shares repaid",
            day=DAY,
            lines=[debit(R.SHARE_CAPITAL, "9500.00"), credit(R.BANK, "9500.00")],
        )
        made = create_payment_batch(session, execution_date=EXECUTION, created_by=payroll.staff)
        with pytest.raises(Exception, match="may not go below zero"):
            export_payment_batch(session, made.batch.id, exported_by=payroll.staff)
        batch = get_payment_batch(session, made.batch.id)
        assert batch.exported_at is None
        assert batch.file_xml is None
        assert session.scalars(select(Payout.paid_on)).all() == [None]


def test_creating_again_adds_to_the_open_batch_and_a_payout_is_in_one_batch(
    db: Database, plugins: PluginHost
) -> None:
    payroll = payroll_world(db, plugins)
    with payroll.session(db) as session:
        first = owe(session, payroll, "ana", PayoutKind.SALARY, "100.00")
        one = create_payment_batch(session, execution_date=EXECUTION, created_by=payroll.staff)
        second = owe(session, payroll, "ben", PayoutKind.EXPENSE, "20.00")
        again = create_payment_batch(session, execution_date=EXECUTION, created_by=payroll.staff)
        assert again.batch.id == one.batch.id
        assert [i.payout_id for i in again.added] == [second.id]
        with pytest.raises(NothingToPay):  # both are in the batch of the 9th already
            create_payment_batch(
                session, execution_date=EXECUTION.replace(day=10), created_by=payroll.staff
            )
        items = session.scalars(select(PaymentBatchItem.payout_id)).all()
        assert sorted(items, key=str) == sorted([first.id, second.id], key=str)


def test_kinds_choose_what_a_batch_pays(db: Database, plugins: PluginHost) -> None:
    payroll = payroll_world(db, plugins)
    with payroll.session(db) as session:
        owe(session, payroll, "ana", PayoutKind.SALARY, "100.00")
        claim = owe(session, payroll, "ben", PayoutKind.EXPENSE, "20.00")
        made = create_payment_batch(
            session, execution_date=EXECUTION, created_by=None, kinds=[PayoutKind.EXPENSE]
        )
        assert [i.payout_id for i in made.added] == [claim.id]
        assert [ln.member for ln in lines_of(session, made.batch)] == ["Ben"]


def test_another_cooperatives_batch_is_unknown(db: Database, plugins: PluginHost) -> None:
    ours, theirs = payroll_world(db, plugins), payroll_world(db, plugins, "FR")
    with theirs.session(db) as session:
        owe(session, theirs, "ana", PayoutKind.SALARY, "100.00")
        their_batch = create_payment_batch(
            session, execution_date=EXECUTION, created_by=None
        ).batch.id
        session.commit()
    with ours.session(db) as session:
        with pytest.raises(UnknownPaymentBatch):
            get_payment_batch(session, their_batch)
        with pytest.raises(UnknownPaymentBatch):
            export_payment_batch(session, their_batch, exported_by=None)
        with pytest.raises(NothingToPay):
            create_payment_batch(session, execution_date=EXECUTION, created_by=None)
        assert session.scalars(select(Payout)).all() == []


@pytest.mark.postgres
def test_concurrent_batches_take_each_payout_once(
    postgres_db: Database, plugins: PluginHost
) -> None:
    db = postgres_db
    payroll = payroll_world(db, plugins)
    with payroll.session(db) as session:
        owed = {owe(session, payroll, m, PayoutKind.SALARY, "10.00").id for m in ("ana", "ben") * 5}
        session.commit()
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def make() -> None:
        with db.sessions() as session:
            set_tenant(session, payroll.tenant_id, payroll.staff)
            barrier.wait()
            try:
                made = create_payment_batch(session, execution_date=EXECUTION, created_by=None)
                session.commit()
                outcomes.append(made.batch.id)
            except NothingToPay as refused:
                outcomes.append(refused)

    threads = [threading.Thread(target=make) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with payroll.session(db) as session:
        items = session.scalars(select(PaymentBatchItem.payout_id)).all()
        assert sorted(items, key=str) == sorted(owed, key=str)  # each exactly once
        batches = {i for i in outcomes if isinstance(i, uuid.UUID)}
        assert len(batches) == 1


def test_approving_an_expense_queues_its_payout_once(db: Database, plugins: PluginHost) -> None:
    from coopkit.demo_receipts import receipt_png
    from coopkit.expenses.errors import ExpenseConflict
    from coopkit.expenses.receipts import ReceiptFile
    from coopkit.expenses.service import ExpenseRequest, approve_expense, submit_expense
    from coopkit.tenants.models import Tenant

    payroll = payroll_world(db, plugins)
    with payroll.session(db) as session:
        tenant = session.get(Tenant, payroll.tenant_id)
        request = ExpenseRequest(
            payroll.world.activity(),
            DAY,
            "Papeterie",
            "Paper",
            "general",
            Decimal("100.00"),
            "standard",
        )
        claim = submit_expense(
            session,
            plugins,
            tenant,
            request,
            [ReceiptFile("t.png", receipt_png())],
            payroll.world.books.manager,
            today=DAY,
        )
        approve_expense(session, claim.id, payroll.staff, day=EXECUTION)
        with pytest.raises(ExpenseConflict):
            approve_expense(session, claim.id, payroll.staff, day=EXECUTION)
        payouts = session.scalars(select(Payout)).all()
        assert len(payouts) == 1
        (owed,) = payouts
        assert (owed.kind, owed.source_id, owed.amount) == (
            PayoutKind.EXPENSE,
            claim.id,
            claim.gross,
        )
        assert (owed.user_id, owed.due_date) == (payroll.world.books.manager, EXECUTION)
