"""Property-based test of the guarantee fund: random advances, payments, write-offs, retries.

A hypothesis state machine plays, over a few invoices confirmed online,
advances for salary requests, partial and full payments (through
record_payment, which repays), write-offs, and the same calls again. After
every step it checks:

- on every advance, repaid + absorbed ≤ granted, and == granted once its
  invoice is paid or written off;
- an invoice backs at most one advance;
- the ledger holds: every entry balances, the trial balance is zero, no
  guarded account is negative, the running balances equal the sums of the lines;
- the natural balance of guarantee_advances is the sum of what is outstanding.
"""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.guarantee.advances import AdvanceRefused, grant_advance, offer_advance
from coopkit.guarantee.models import Advance, AdvanceRepayment
from coopkit.guarantee.outstanding import outstanding_by_advance
from coopkit.guarantee.repayment import repay_from_payment
from coopkit.guarantee.write_off import WriteOffRefused, write_off_invoice
from coopkit.invoicing.models import Invoice, InvoiceStatus, Payment, PaymentMethod
from coopkit.invoicing.payments import PaymentError, record_payment
from coopkit.invoicing.standing import standing
from coopkit.ledger.balances import ledger_problems, role_balance
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import JournalEntry
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.guarantee_world import PAYDAY, confirmed_invoice, guarantee_world

CENT = Decimal("0.01")
PRICES = ("1000.00", "333.33", "2499.99")


class GuaranteeMachine(RuleBasedStateMachine):
    database: Database
    plugins: PluginHost

    requests = Bundle("requests")

    @initialize()
    def open_world(self) -> None:
        self.world = guarantee_world(self.database, self.plugins, fund="8000.00")
        self.db: Session = self.world.session(self.database)
        self.invoices = [
            confirmed_invoice(self.db, self.world, self.plugins, price).id for price in PRICES
        ]
        self.db.commit()

    def teardown(self) -> None:
        if hasattr(self, "db"):
            self.db.rollback()
            self.db.close()

    def _entries(self) -> int:
        return self.db.scalar(select(func.count()).select_from(JournalEntry)) or 0

    def _invoice(self, index: int) -> Invoice:
        found = self.db.scalar(select(Invoice).where(Invoice.id == self.invoices[index]))
        assert found is not None
        return found

    # -- steps -----------------------------------------------------------------------------

    @rule(target=requests, share=st.integers(min_value=1, max_value=120))
    def advance(self, share: int) -> tuple[uuid.UUID, Decimal]:
        """Ask for ``share`` % of the most the fund would give (above 100 %: refused)."""
        most = offer_advance(
            self.db, activity_id=self.world.activity(), member_id=self.world.books.manager,
            amount=Decimal("100000.00"), day=PAYDAY,
        ).amount  # fmt: skip
        amount = max((most * share / 100).quantize(CENT, ROUND_HALF_UP), CENT)
        request = uuid.uuid4()
        savepoint = self.db.begin_nested()
        try:
            grant_advance(
                self.db, activity_id=self.world.activity(), member_id=self.world.books.manager,
                amount=amount, day=PAYDAY, salary_request_id=request,
            )  # fmt: skip
            savepoint.commit()
            assert amount <= most
        except AdvanceRefused:
            savepoint.rollback()
            assert amount > most
        return request, amount

    @rule(request=requests)
    def advance_again(self, request: tuple[uuid.UUID, Decimal]) -> None:
        before = self._entries()
        granted = self.db.scalars(select(Advance).where(Advance.salary_request_id == request[0]))
        ids = {a.id for a in granted}
        savepoint = self.db.begin_nested()
        try:
            again = grant_advance(
                self.db, activity_id=self.world.activity(), member_id=self.world.books.manager,
                amount=request[1], day=PAYDAY, salary_request_id=request[0],
            )  # fmt: skip
            savepoint.commit()
            if ids:
                assert {a.id for a in again} == ids
                assert self._entries() == before
        except AdvanceRefused:
            savepoint.rollback()
            assert not ids

    @rule(index=st.integers(0, len(PRICES) - 1), share=st.integers(1, 99))
    def partial_payment(self, index: int, share: int) -> None:
        invoice = self._invoice(index)
        due = standing(self.db, invoice).due
        amount = (due * share / 100).quantize(CENT, ROUND_HALF_UP)
        self._pay(invoice, amount)

    @rule(index=st.integers(0, len(PRICES) - 1))
    def full_payment(self, index: int) -> None:
        invoice = self._invoice(index)
        self._pay(invoice, standing(self.db, invoice).due)

    def _pay(self, invoice: Invoice, amount: Decimal) -> None:
        savepoint = self.db.begin_nested()
        try:
            record_payment(self.db, invoice.id, amount, day=PAYDAY, method=PaymentMethod.TRANSFER)
            savepoint.commit()
        except PaymentError:
            savepoint.rollback()
            assert amount <= 0 or invoice.status not in (
                InvoiceStatus.ISSUED,
                InvoiceStatus.PARTIALLY_PAID,
            )

    @rule()
    def repay_again(self) -> None:
        payment = self.db.scalar(select(Payment).order_by(Payment.created_at.desc()).limit(1))
        if payment is None:
            return
        before = self._entries()
        rows = self.db.scalar(select(func.count()).select_from(AdvanceRepayment))
        share = self.db.scalar(
            select(JournalEntry).where(JournalEntry.id == payment.share_entry_id)
        )
        repay_from_payment(self.db, payment, share)
        assert self._entries() == before
        assert self.db.scalar(select(func.count()).select_from(AdvanceRepayment)) == rows

    @rule(index=st.integers(0, len(PRICES) - 1))
    def write_off(self, index: int) -> None:
        invoice = self._invoice(index)
        was_open = invoice.status in (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID)
        before = self._entries()
        savepoint = self.db.begin_nested()
        try:
            write_off_invoice(
                self.db, invoice.id, day=PAYDAY, reason="Client gone", written_off_by=None
            )
            savepoint.commit()
            assert was_open
        except WriteOffRefused:
            savepoint.rollback()
            assert not was_open
            assert self._entries() == before

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def advances_are_repaid_or_absorbed_exactly(self) -> None:
        if not hasattr(self, "db"):
            return
        for advance, left in outstanding_by_advance(self.db):
            assert 0 <= left <= advance.amount
            status = self.db.scalar(select(Invoice.status).where(Invoice.id == advance.invoice_id))
            if status in (InvoiceStatus.PAID, InvoiceStatus.WRITTEN_OFF):
                assert left == 0, (status, advance.amount, left)

    @invariant()
    def one_advance_per_invoice(self) -> None:
        if not hasattr(self, "db"):
            return
        counts = self.db.execute(
            select(Advance.invoice_id, func.count()).group_by(Advance.invoice_id)
        ).all()
        assert all(count == 1 for _, count in counts)

    @invariant()
    def the_ledger_holds(self) -> None:
        if not hasattr(self, "db"):
            return
        assert ledger_problems(self.db) == []
        outstanding = sum((left for _, left in outstanding_by_advance(self.db)), Decimal(0))
        assert role_balance(self.db, AccountRole.GUARANTEE_ADVANCES, "EUR") == outstanding


def test_guarantee_state_machine(db: Database, plugins: PluginHost) -> None:
    GuaranteeMachine.database = db
    GuaranteeMachine.plugins = plugins
    GuaranteeMachine.TestCase.settings = settings(
        # The rules are explored on SQLite; on PostgreSQL (row-level security, locks)
        # fewer runs suffice, and each costs three times as much.
        max_examples=40 if db.dialect == "sqlite" else 15,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    GuaranteeMachine.TestCase().runTest()
