"""Property-based test of payments and bank imports: random sequences against a model.

A hypothesis state machine issues invoices (standard rate, reduced rate, reverse
charge), records partial and full payments directly, tries to overpay, imports
CSV statements whose lines pay invoices by their structured reference (some
more than is due, which must wait for staff), and retries imports of files
already imported (refused, nothing changes). After every step:

- the ledger's invariants hold (coopkit.ledger.balances.ledger_problems);
- each activity's receivable equals the sum of what is due on its invoices;
- every invoice's status and due equal the model's;
- the shares of a settled invoice add up to exactly its net total, and what the
  activities received equals the sum of the shares.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.service import activity_balance
from coopkit.banking.importing import import_statement
from coopkit.banking.parsed import DuplicateStatement
from coopkit.invoicing.models import Invoice, InvoiceStatus, Payment
from coopkit.invoicing.payments import Overpayment, record_payment, share_figures
from coopkit.invoicing.standing import standing
from coopkit.ledger.balances import ledger_problems
from coopkit.plugins import PluginHost
from tests.bank_world import issue, make_client
from tests.conftest import Database
from tests.ledger_world import DAY, open_cooperative

CENT = Decimal("0.01")
HEADER = "date,amount,currency,counterparty,iban,communication\n"


@dataclass
class Model:
    """What the machine expects of one invoice."""

    id: uuid.UUID
    activity: uuid.UUID
    reference: str
    net: Decimal
    gross: Decimal
    paid: Decimal = Decimal(0)

    @property
    def due(self) -> Decimal:
        return self.gross - self.paid


cents = st.integers(min_value=1, max_value=300_000).map(lambda c: Decimal(c) / 100)
percents = st.integers(min_value=1, max_value=100)


def part_of(due: Decimal, percent: int) -> Decimal:
    return max(CENT, (due * percent / 100).quantize(CENT, ROUND_HALF_UP))


class PaymentMachine(RuleBasedStateMachine):
    database: Database
    plugins: PluginHost

    invoices = Bundle("invoices")
    files = Bundle("files")

    @initialize()
    def open_books(self) -> None:
        self.books = open_cooperative(self.database, self.plugins)
        self.db: Session = self.books.session(self.database)
        self.clients = [make_client(self.db, name) for name in ("Atelier", "Brasserie")]
        self.models: dict[uuid.UUID, Model] = {}
        self.imports = 0

    def teardown(self) -> None:
        if hasattr(self, "db"):
            self.db.close()

    def _invoice(self, model: Model) -> Invoice:
        return self.db.scalars(select(Invoice).where(Invoice.id == model.id)).one()

    @rule(
        target=invoices,
        net=cents,
        rate=st.sampled_from(["0.21", "0.06", "0"]),
        shared=st.booleans(),
        client=st.integers(0, 1),
    )
    def issue_invoice(self, net: Decimal, rate: str, shared: bool, client: int) -> Model:
        activity = self.books.activities["SHARED" if shared else "SOLO"]
        invoice = issue(self.db, activity, self.clients[client], [(str(net), rate)])
        assert invoice.payment_reference is not None
        model = Model(
            invoice.id, activity, invoice.payment_reference, invoice.net_total, invoice.gross_total
        )
        self.models[invoice.id] = model
        return model

    @rule(invoice=invoices, percent=percents)
    def pay_directly(self, invoice: Model, percent: int) -> None:
        if invoice.due == 0:
            return
        amount = part_of(invoice.due, percent)
        record_payment(self.db, invoice.id, amount, day=DAY, method="transfer")
        invoice.paid += amount

    @rule(invoice=invoices, extra=cents)
    def overpay_directly(self, invoice: Model, extra: Decimal) -> None:
        if invoice.due == 0:
            return
        try:
            record_payment(self.db, invoice.id, invoice.due + extra, day=DAY, method="transfer")
        except Overpayment:
            return
        raise AssertionError("an overpayment was recorded")

    @rule(
        target=files,
        paying=st.lists(st.tuples(invoices, percents, st.booleans()), min_size=1, max_size=4),
    )
    def import_file(self, paying: list[tuple[Model, int, bool]]) -> bytes:
        rows, expected = [], []
        for invoice, percent, overpay in paying:
            amount = invoice.due + CENT if overpay else part_of(invoice.due or CENT, percent)
            matched = 0 < amount <= invoice.due
            if matched:
                invoice.paid += amount
            expected.append(matched)
            rows.append(f"{DAY.isoformat()},{amount},EUR,Client,,{invoice.reference}")
        self.imports += 1
        rows.append(f"{DAY.isoformat()},-1.00,EUR,Bank,,fees {self.imports}")
        data = (HEADER + "\n".join(rows) + "\n").encode()
        result = import_statement(self.db, data, "csv")
        assert (result.matched, result.unmatched, result.ignored) == (
            sum(expected),
            len(expected) - sum(expected),
            1,
        )
        return data

    @rule(data=files)
    def retry_import(self, data: bytes) -> None:
        before = self.db.scalars(select(Payment.id)).all()
        try:
            import_statement(self.db, data, "csv")
        except DuplicateStatement:
            assert self.db.scalars(select(Payment.id)).all() == before
            return
        raise AssertionError("a file was imported twice")

    @invariant()
    def ledger_holds(self) -> None:
        if hasattr(self, "db"):
            assert ledger_problems(self.db) == []

    @invariant()
    def receivables_are_what_is_due(self) -> None:
        if not hasattr(self, "db"):
            return
        for activity in self.books.activities.values():
            mine = [m for m in self.models.values() if m.activity == activity]
            balance = activity_balance(self.db, activity, "EUR")
            assert balance.receivable == sum((m.due for m in mine), Decimal(0))

    @invariant()
    def invoices_follow_the_model(self) -> None:
        if not hasattr(self, "db"):
            return
        shares = Decimal(0)
        for model in self.models.values():
            invoice = self._invoice(model)
            assert standing(self.db, invoice).due == model.due
            expected = (
                InvoiceStatus.PAID
                if model.due == 0
                else InvoiceStatus.PARTIALLY_PAID
                if model.paid
                else InvoiceStatus.ISSUED
            )
            assert invoice.status is expected
            figures = share_figures(self.db, invoice)
            if model.due == 0:
                assert figures.taken == model.net
            assert figures.taken <= model.net
            shares += figures.taken
        received = sum(
            (activity_balance(self.db, a, "EUR").received for a in self.books.activities.values()),
            Decimal(0),
        )
        assert received == shares


def test_payment_state_machine(sqlite_db: Database, plugins: PluginHost) -> None:
    PaymentMachine.database = sqlite_db
    PaymentMachine.plugins = plugins
    PaymentMachine.TestCase.settings = settings(
        max_examples=15,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    PaymentMachine.TestCase().runTest()
