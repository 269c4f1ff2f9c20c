"""Property-based test of invoicing: random drafts, issues (some retried with the same
Idempotency-Key), payments and credit notes, in whole or in part.

After every step: the ledger's invariants hold (coopkit.ledger.balances.ledger_problems);
each activity's client receivables equal the sum of its invoices' due, which equals
the model's; invoice and credit-note numbers run 1..n without gap or repeat; a
replayed key issued nothing new.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.idempotency import run_once
from coopkit.invoicing.credit_notes import create_credit_note
from coopkit.invoicing.drafts import LineIn
from coopkit.invoicing.errors import InvoicingError
from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.models import DocumentKind, Invoice
from coopkit.invoicing.standing import standing
from coopkit.ledger.balances import ledger_problems, role_balance
from coopkit.ledger.chart import AccountRole
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.invoicing_world import DAY, World, draft, invoicing_world, line, pay

CODES = ("standard", "reduced", "intermediate", "zero")
prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)


class InvoicingMachine(RuleBasedStateMachine):
    database: Database
    plugins: PluginHost

    @initialize()
    def open(self) -> None:
        self.world: World = invoicing_world(self.database, self.plugins, "BE", ("be_company",))
        self.db: Session = self.world.session(self.database)
        self.due: dict[uuid.UUID, Decimal] = {}
        self.keys: dict[str, tuple[Any, Any]] = {}

    def teardown(self) -> None:
        if hasattr(self, "db"):
            self.db.close()

    @rule(
        activity=st.sampled_from(["SOLO", "SHARED"]),
        lines=st.lists(st.tuples(prices, st.sampled_from(CODES)), min_size=1, max_size=4),
        with_key=st.booleans(),
    )
    def issue(self, activity: str, lines: list[tuple[Decimal, str]], with_key: bool) -> None:
        invoice = draft(
            self.db,
            self.world,
            self.plugins,
            *(line(str(price), code) for price, code in lines),
            activity=activity,
        )

        def work() -> dict[str, str]:
            issued = issue_invoice(self.db, invoice.id, day=DAY, plugins=self.plugins)
            return {"id": str(issued.id), "number": issued.number or ""}

        payload = {"invoice": str(invoice.id)}
        if with_key:
            key = f"issue-{invoice.id}"
            outcome = run_once(self.db, key, "issueInvoice", payload, work).response
            self.keys[key] = (payload, outcome)
        else:
            outcome = work()
        self.due[invoice.id] = invoice.gross_total
        assert outcome["number"] == invoice.number

    @precondition(lambda self: bool(getattr(self, "keys", None)))
    @rule(data=st.data())
    def retry_issue(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.keys)))
        payload, first = self.keys[key]
        count = len(self._numbers(DocumentKind.INVOICE))
        outcome = run_once(self.db, key, "issueInvoice", payload, lambda: {"id": "new"})
        assert outcome.replayed
        assert outcome.response == first
        assert len(self._numbers(DocumentKind.INVOICE)) == count

    @precondition(lambda self: bool(getattr(self, "due", None)))
    @rule(data=st.data(), part=st.sampled_from(["all", "half", "cent"]))
    def pay(self, data: st.DataObject, part: str) -> None:
        invoice_id = data.draw(st.sampled_from(sorted(self.due)))
        due = self.due[invoice_id]
        if due <= 0:
            return
        amount = {"all": due, "half": (due / 2).quantize(Decimal("0.01")), "cent": Decimal("0.01")}[
            part
        ]
        if amount <= 0:
            return
        pay(self.db, self._invoice(invoice_id), str(amount))
        self.due[invoice_id] -= amount

    @precondition(lambda self: bool(getattr(self, "due", None)))
    @rule(data=st.data(), whole=st.booleans(), amount=prices)
    def credit(self, data: st.DataObject, whole: bool, amount: Decimal) -> None:
        invoice_id = data.draw(st.sampled_from(sorted(self.due)))
        invoice = self._invoice(invoice_id)
        figures = standing(self.db, invoice)
        asked = None if whole else [LineIn("Credit", Decimal(1), amount, "zero")]
        try:
            note = create_credit_note(self.db, invoice_id, day=DAY, lines=asked)
        except InvoicingError:
            refused = True
        else:
            refused = False
        if refused:
            # Predicted refusals only: nothing due, or more than due / than taxed at 0 %.
            assert figures.due <= 0 or not whole or figures.paid or figures.credited
            return
        assert note.gross_total <= figures.due
        if whole:
            assert figures.paid == 0
            assert figures.credited == 0
        self.due[invoice_id] -= note.gross_total

    def _invoice(self, invoice_id: uuid.UUID) -> Invoice:
        found = self.db.get(Invoice, (self.world.books.tenant_id, invoice_id))
        assert found is not None
        return found

    def _numbers(self, kind: DocumentKind) -> list[str]:
        return sorted(
            n for n in self.db.scalars(select(Invoice.number).where(Invoice.kind == kind)) if n
        )

    @invariant()
    def books_hold(self) -> None:
        if not hasattr(self, "db"):
            return
        assert ledger_problems(self.db) == []
        for code, activity in self.world.books.activities.items():
            mine = [i for i in self.due if self._invoice(i).activity_id == activity]
            total = sum((standing(self.db, self._invoice(i)).due for i in mine), Decimal(0))
            model = sum((self.due[i] for i in mine), Decimal(0))
            ledger = role_balance(self.db, AccountRole.CLIENT_RECEIVABLES, "EUR", activity)
            assert ledger == total == model, code
        for kind, prefix in ((DocumentKind.INVOICE, "INV"), (DocumentKind.CREDIT_NOTE, "CN")):
            numbers = self._numbers(kind)
            assert numbers == [f"{prefix}2026-{n:05d}" for n in range(1, len(numbers) + 1)]


def test_invoicing_state_machine(sqlite_db: Database, plugins: PluginHost) -> None:
    InvoicingMachine.database = sqlite_db
    InvoicingMachine.plugins = plugins
    InvoicingMachine.TestCase.settings = settings(
        max_examples=12,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    InvoicingMachine.TestCase().runTest()
