"""Property-based test of the ledger: random sequences of the invoicing flows.

A hypothesis state machine issues invoices (in two currencies), takes partial
and full payments (with the fee and the guarantee contribution), credit notes,
expenses, salaries, reservations, reversals, and retries with idempotency keys.
It keeps its own model of every account's balance, computed in Python from the
lines it asked for, and predicts which steps the ledger must refuse (those that
would take a guarded account below zero). After every step it checks:

- each entry balances in each currency;
- all balances of the tenant sum to zero in each currency;
- no account that may not go negative is below zero;
- the balances the ledger derives equal a recomputation from the raw lines,
  and equal the model's;
- the running balances (``account_balances``) equal the sums of the lines,
  line counts included;
- a retry with the same key changed nothing; the same key with another
  request is refused.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.activities.service import activity_balance, reserve
from coopkit.idempotency import IdempotencyConflict
from coopkit.ledger.balances import balance_problems, raw_balances, stored_balances
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.errors import InsufficientFunds
from coopkit.ledger.fees import post_paid_share
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.ledger.posting import Line, credit, debit, mirror_lines, post, reverse
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.ledger_world import DAY, FEE, GUARANTEE, open_cooperative

R = AccountRole
CENT = Decimal("0.01")
Key = tuple[AccountRole, uuid.UUID | None, str]


@dataclass
class Invoice:
    activity: uuid.UUID
    currency: str
    net: Decimal
    vat: Decimal
    open_gross: Decimal
    open_net: Decimal


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


cents = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c) / 100)


class LedgerMachine(RuleBasedStateMachine):
    database: Database
    plugins: PluginHost

    invoices = Bundle("invoices")
    entries = Bundle("entries")
    requests = Bundle("requests")

    @initialize()
    def open_books(self) -> None:
        self.books = open_cooperative(self.database, self.plugins)
        self.db: Session = self.books.session(self.database)
        accounts = self.db.scalars(select(Account)).all()
        self.types = {(a.role, a.activity_id): a.type for a in accounts}
        self.guarded = {(a.role, a.activity_id) for a in accounts if not a.may_be_negative}
        self.model: dict[Key, Decimal] = defaultdict(Decimal)  # natural balances
        self.reversed: set[uuid.UUID] = set()
        self.keys = 0

    def teardown(self) -> None:
        if hasattr(self, "db"):
            self.db.close()

    # -- the model -------------------------------------------------------------------------

    def _effect(self, lines: list[Line]) -> dict[Key, Decimal]:
        effect: dict[Key, Decimal] = defaultdict(Decimal)
        for line in lines:
            kind = self.types[line.role, line.activity_id]
            effect[line.role, line.activity_id, line.currency or "EUR"] += kind.natural(line.amount)
        return effect

    def _allowed(self, effect: dict[Key, Decimal]) -> bool:
        return all(
            self.model[key] + delta >= 0
            for key, delta in effect.items()
            if (key[0], key[1]) in self.guarded and delta < 0
        )

    def _post(self, kind: str, lines: list[Line], key: str | None = None) -> JournalEntry | None:
        """Post, check the ledger refused exactly when the model says it must, update the model."""
        effect = self._effect(lines)
        allowed = self._allowed(effect)
        try:
            entry = post(
                self.db, kind=kind, description=kind, day=DAY, lines=lines, idempotency_key=key
            )
        except InsufficientFunds:
            assert not allowed, f"refused although the model allows {effect}"
            return None
        assert allowed, f"posted although it overdraws: {effect}"
        for account, delta in effect.items():
            self.model[account] += delta
        return entry

    def _activity(self, shared: bool) -> uuid.UUID:
        return self.books.activities["SHARED" if shared else "SOLO"]

    # -- the flows ---------------------------------------------------------------------------

    @rule(
        target=invoices,
        shared=st.booleans(),
        net=cents,
        rate=st.sampled_from(["0.21", "0.06", "0"]),
        currency=st.sampled_from(["EUR", "EUR", "CHF"]),
    )
    def issue_invoice(self, shared: bool, net: Decimal, rate: str, currency: str) -> Invoice:
        activity = self._activity(shared)
        vat = half_up(net * Decimal(rate))
        lines = [
            debit(R.CLIENT_RECEIVABLES, net + vat, activity, currency),
            credit(R.TURNOVER, net, activity, currency),
        ]
        if vat:
            lines.append(credit(R.VAT_COLLECTED, vat, None, currency))
        assert self._post("invoice", lines) is not None
        return Invoice(activity, currency, net, vat, net + vat, net)

    @rule(invoice=invoices, share=st.fractions(min_value=0, max_value=1))
    def payment(self, invoice: Invoice, share: Any) -> None:
        if invoice.open_gross == 0:
            return
        paid = max(CENT, half_up(invoice.open_gross * Decimal(share.numerator) / share.denominator))
        paid = min(paid, invoice.open_gross)
        net = (
            invoice.open_net
            if paid == invoice.open_gross
            else min(invoice.open_net, half_up(paid * invoice.net / (invoice.net + invoice.vat)))
        )
        c = invoice.currency
        lines = [
            debit(R.BANK, paid, None, c),
            credit(R.CLIENT_RECEIVABLES, paid, invoice.activity, c),
        ]
        assert self._post("payment", lines) is not None
        invoice.open_gross -= paid
        invoice.open_net -= net
        if net == 0:
            return
        fee, guarantee = half_up(net * FEE), half_up(net * GUARANTEE)
        post_paid_share(
            self.db,
            activity=invoice.activity,
            paid_excluding_vat=net,
            day=DAY,
            description="paid share",
            currency=c,
        )
        for key, delta in (
            ((R.ACTIVITY_BUDGETS, invoice.activity, c), net),
            ((R.ACTIVITY_FUNDS, invoice.activity, c), net - fee - guarantee),
            ((R.FEE_INCOME, invoice.activity, c), fee),
            ((R.GUARANTEE_FUND, None, c), guarantee),
        ):
            self.model[key] += delta

    @rule(invoice=invoices, share=st.fractions(min_value=0, max_value=1))
    def credit_note(self, invoice: Invoice, share: Any) -> None:
        """Cancel part of what the client still owes."""
        gross = half_up(invoice.open_gross * Decimal(share.numerator) / share.denominator)
        if gross == 0:
            return
        net = min(invoice.open_net, half_up(gross * invoice.net / (invoice.net + invoice.vat)))
        vat = gross - net
        c = invoice.currency
        lines = [credit(R.CLIENT_RECEIVABLES, gross, invoice.activity, c)]
        if net:
            lines.append(debit(R.TURNOVER, net, invoice.activity, c))
        if vat:
            lines.append(debit(R.VAT_COLLECTED, vat, None, c))
        if self._post("credit_note", lines) is not None:
            invoice.open_gross -= gross
            invoice.open_net -= net

    @rule(target=entries, shared=st.booleans(), net=cents, vat=st.sampled_from(["0", "0.21"]))
    def expense(self, shared: bool, net: Decimal, vat: str) -> JournalEntry | None:
        activity = self._activity(shared)
        tax = half_up(net * Decimal(vat))
        lines = [debit(R.ACTIVITY_FUNDS, net, activity), credit(R.SUPPLIERS_PAYABLE, net + tax)]
        if tax:
            lines.append(debit(R.VAT_DEDUCTIBLE, tax))
        return self._post("expense", lines)

    @rule(target=entries, shared=st.booleans(), gross=cents, reserved=st.booleans())
    def salary(self, shared: bool, gross: Decimal, reserved: bool) -> JournalEntry | None:
        source = R.ACTIVITY_RESERVED if reserved else R.ACTIVITY_FUNDS
        lines = [debit(source, gross, self._activity(shared)), credit(R.SALARIES_PAYABLE, gross)]
        return self._post("salary", lines)

    @rule(amount=cents)
    def pay_salaries(self, amount: Decimal) -> None:
        self._post("salary_payment", [debit(R.SALARIES_PAYABLE, amount), credit(R.BANK, amount)])

    @rule(target=entries, shared=st.booleans(), amount=cents, release=st.booleans())
    def reservation(self, shared: bool, amount: Decimal, release: bool) -> JournalEntry | None:
        activity = self._activity(shared)
        source, target = R.ACTIVITY_FUNDS, R.ACTIVITY_RESERVED
        if release:
            source, target = target, source
        effect = self._effect([debit(source, amount, activity), credit(target, amount, activity)])
        allowed = self._allowed(effect)
        try:
            entry = reserve(self.db, activity, amount, day=DAY, description="r", release=release)
        except InsufficientFunds:
            assert not allowed
            return None
        assert allowed
        for key, delta in effect.items():
            self.model[key] += delta
        return entry

    @rule(entry=entries)
    def reversal(self, entry: JournalEntry | None) -> None:
        if entry is None or entry.id in self.reversed:
            return
        mirror = mirror_lines(self.db, entry)
        effect = self._effect(mirror)
        allowed = self._allowed(effect)
        try:
            reverse(self.db, entry, day=DAY)
        except InsufficientFunds:
            assert not allowed
            return
        assert allowed
        self.reversed.add(entry.id)
        for key, delta in effect.items():
            self.model[key] += delta

    @rule(target=requests, amount=cents)
    def capital_with_key(self, amount: Decimal) -> tuple[str, Decimal]:
        self.keys += 1
        key = f"capital-{self.keys}"
        lines = [debit(R.BANK, amount), credit(R.SHARE_CAPITAL, amount)]
        assert self._post("capital", lines, key) is not None
        return key, amount

    @rule(request=requests, other=cents)
    def retry(self, request: tuple[str, Decimal], other: Decimal) -> None:
        key, amount = request
        before = self._snapshot()
        lines = [debit(R.BANK, amount), credit(R.SHARE_CAPITAL, amount)]
        post(self.db, kind="capital", description="capital", day=DAY, lines=lines,
             idempotency_key=key)  # fmt: skip
        assert self._snapshot() == before, "a retry with the same key changed the ledger"
        if other != amount:
            different = [debit(R.BANK, other), credit(R.SHARE_CAPITAL, other)]
            with pytest.raises(IdempotencyConflict):
                post(self.db, kind="capital", description="capital", day=DAY, lines=different,
                     idempotency_key=key)  # fmt: skip
            assert self._snapshot() == before

    def _snapshot(self) -> tuple[int, int, dict[Any, Decimal]]:
        entries = self.db.scalar(select(func.count()).select_from(JournalEntry)) or 0
        lines = self.db.scalar(select(func.count()).select_from(Posting)) or 0
        return entries, lines, raw_balances(self.db, self._account_ids())

    def _account_ids(self) -> list[uuid.UUID]:
        return list(self.db.scalars(select(Account.id)))

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def entries_balance_per_currency(self) -> None:
        if not hasattr(self, "db"):
            return
        unbalanced = self.db.execute(
            select(Posting.entry_id, Posting.currency)
            .group_by(Posting.entry_id, Posting.currency)
            .having(func.sum(Posting.amount) != 0)
        ).all()
        assert unbalanced == []

    @invariant()
    def balances_are_derived_and_consistent(self) -> None:
        if not hasattr(self, "db"):
            return
        accounts = {a.id: a for a in self.db.scalars(select(Account))}
        derived = raw_balances(self.db, accounts)
        # Recomputed by hand from every raw line, without SQL sums.
        by_hand: dict[tuple[uuid.UUID, str], Decimal] = defaultdict(Decimal)
        for line in self.db.scalars(select(Posting)):
            by_hand[line.account_id, line.currency] += line.amount
        assert dict(by_hand) == derived
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for (account_id, currency), raw in derived.items():
            account = accounts[account_id]
            totals[currency] += raw
            natural = account.type.natural(raw)
            if not account.may_be_negative:
                assert natural >= 0, f"{account.number} is at {natural} {currency}"
            assert natural == self.model[account.role, account.activity_id, currency]
        assert all(total == 0 for total in totals.values()), totals
        for (role, activity, currency), value in self.model.items():
            if value:
                assert any(
                    (accounts[a].role, accounts[a].activity_id, c) == (role, activity, currency)
                    for a, c in derived
                ), (role, activity, currency, value)

    @invariant()
    def running_balances_are_the_sums_of_the_lines(self) -> None:
        if not hasattr(self, "db"):
            return
        ids = self._account_ids()
        assert stored_balances(self.db, ids) == raw_balances(self.db, ids)
        assert balance_problems(self.db) == []

    @invariant()
    def activity_balances_follow_the_model(self) -> None:
        if not hasattr(self, "db"):
            return
        for activity in self.books.activities.values():
            balance = activity_balance(self.db, activity, "EUR")
            assert balance.available == self.model[R.ACTIVITY_FUNDS, activity, "EUR"]
            assert balance.reserved == self.model[R.ACTIVITY_RESERVED, activity, "EUR"]
            assert balance.received == self.model[R.ACTIVITY_BUDGETS, activity, "EUR"]
            assert balance.receivable == self.model[R.CLIENT_RECEIVABLES, activity, "EUR"]
            assert balance.invoiced == self.model[R.TURNOVER, activity, "EUR"]
            assert balance.fees == self.model[R.FEE_INCOME, activity, "EUR"]


def test_ledger_state_machine(sqlite_db: Database, plugins: PluginHost) -> None:
    LedgerMachine.database = sqlite_db
    LedgerMachine.plugins = plugins
    LedgerMachine.TestCase.settings = settings(
        max_examples=30,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    LedgerMachine.TestCase().runTest()
