"""The ledger: charts from plugins, posting rules, refusals, immutability, fees, idempotency,
running balances (kept by every posting, equal to the lines, checked, rebuilt, concurrent)."""

from __future__ import annotations

import contextlib
import random
import threading
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopkit import hookimpl
from coopkit.activities.service import (
    ActivityError,
    activity_balance,
    create_activity,
    reserve,
)
from coopkit.db.append_only import FinalRecordError
from coopkit.db.tenancy import set_tenant
from coopkit.idempotency import IdempotencyConflict
from coopkit.ledger.balances import (
    balance_problems,
    ledger_problems,
    raw_balances,
    rebuild_balances,
    role_balance,
    stored_balances,
)
from coopkit.ledger.books import open_books
from coopkit.ledger.chart import AccountDefinition, AccountRole, AccountType
from coopkit.ledger.errors import (
    AlreadyReversed,
    InsufficientFunds,
    LedgerError,
    UnbalancedEntry,
    UnknownAccount,
)
from coopkit.ledger.fees import post_paid_share
from coopkit.ledger.models import Account, AccountBalance, JournalEntry, Posting
from coopkit.ledger.policy import FeePolicy, PolicyError, rates_on, set_rates
from coopkit.ledger.posting import credit, debit, lines_of, post, reverse
from coopkit.plugins import PluginError, PluginHost
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.ledger_world import DAY, Books, fund, open_cooperative
from tests.test_plugins import make_testland

R = AccountRole


@pytest.fixture
def books(db: Database, plugins: PluginHost) -> Books:
    return open_cooperative(db, plugins)


@pytest.fixture
def session(books: Books, db: Database) -> Session:  # type: ignore[override]
    with books.session(db) as s:
        yield s  # type: ignore[misc]
        s.rollback()


def count(session: Session, model: type[object]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


# -- the chart of accounts from the country plugins ---------------------------------------


def test_hook_coopkit_chart_of_accounts(plugins: PluginHost, tmp_path: Path) -> None:
    be = {d.role: d for d in plugins.chart_of_accounts("BE", date(2026, 1, 1))}
    fr = {d.role: d for d in plugins.chart_of_accounts("FR", date(2026, 1, 1))}
    assert set(be) == set(fr) == set(AccountRole)
    assert (be[R.BANK].number, be[R.CLIENT_RECEIVABLES].number) == ("550", "400")
    assert (be[R.VAT_DEDUCTIBLE].number, be[R.VAT_COLLECTED].number) == ("411", "451")
    assert (be[R.SALARIES_PAYABLE].number, be[R.TURNOVER].number) == ("455", "700")
    assert (fr[R.BANK].number, fr[R.CLIENT_RECEIVABLES].number) == ("512", "411")
    assert (fr[R.VAT_DEDUCTIBLE].number, fr[R.VAT_COLLECTED].number) == ("44566", "44571")
    assert (fr[R.SALARIES_PAYABLE].number, fr[R.TURNOVER].number) == ("421", "706")
    assert all("12 septembre 1983" in d.source for d in be.values())
    assert all("2014-03" in d.source for d in fr.values())
    assert be[R.ACTIVITY_FUNDS].type is AccountType.LIABILITY
    assert be[R.ACTIVITY_FUNDS].per_activity
    assert not be[R.BANK].per_activity
    # Before the first day the chart is in force there is no chart: the law says so.
    with pytest.raises(LookupError, match="2016-01-01"):
        plugins.chart_of_accounts("FR", date(2015, 6, 1))

    # A plugin without the hook is still a plugin (the hook is optional)...
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "vat.yaml").write_text(
        "standard:\n  values:\n    - {valid_from: 2020-01-01, value: 0.2, source: s}\n"
    )
    bare = PluginHost.from_plugins([("testland", make_testland(tmp_path / "xx"))])
    assert not bare.has_chart_of_accounts("XX")
    with pytest.raises(PluginError, match="coopkit_chart_of_accounts"):
        bare.chart_of_accounts("XX", date(2026, 1, 1))

    # ...and a chart missing a role or giving a role the wrong type is refused.
    class Sloppy:
        @hookimpl
        def coopkit_chart_of_accounts(self, country: str, on: date, law: object) -> object:
            bank = AccountDefinition(R.BANK, "550", "Bank", AccountType.LIABILITY, False, "s")
            return [bank] if country == "XX" else None

    sloppy = PluginHost.from_plugins(
        [("testland", make_testland(tmp_path / "xx")), ("sloppy", Sloppy())]
    )
    with pytest.raises(PluginError) as refused:
        sloppy.chart_of_accounts("XX", date(2026, 1, 1))
    message = str(refused.value)
    assert "role turnover: 0 accounts" in message
    assert "role bank: account 550 is of type liability; this role needs the type asset" in message


def test_books_are_opened_once_from_the_chart(
    books: Books, db: Database, plugins: PluginHost, session: Session
) -> None:
    headers = session.scalars(select(Account).where(Account.activity_id.is_(None))).all()
    assert {a.role for a in headers} == set(AccountRole)
    assert {a.number for a in headers if a.role is R.BANK} == {"550"}
    tenant = session.get(Tenant, books.tenant_id)
    assert tenant is not None
    assert open_books(session, plugins, tenant) == 0  # nothing missing, nothing added
    subs = session.scalars(
        select(Account).where(Account.activity_id == books.activities["SOLO"])
    ).all()
    assert sorted(a.number for a in subs) == [
        "400.SOLO", "4890.SOLO", "4891.SOLO", "6480.SOLO", "700.SOLO", "7430.SOLO",
    ]  # fmt: skip


def test_activities_need_a_manager_and_members_of_the_cooperative(
    books: Books, session: Session
) -> None:
    with pytest.raises(ActivityError, match="at least one manager"):
        create_activity(session, code="NOBODY", name="Nobody", managers=[])
    with pytest.raises(ActivityError, match="not members of this cooperative"):
        create_activity(session, code="STRANGER", name="X", managers=[uuid.uuid4()])
    with pytest.raises(ActivityError, match="capital letters"):
        create_activity(session, code="a b", name="X", managers=[books.manager])
    with pytest.raises(ActivityError, match="already exists"):
        create_activity(session, code="solo", name="Again", managers=[books.manager])


# -- posting ---------------------------------------------------------------------------


def invoice(session: Session, activity: uuid.UUID, net: str, vat: str) -> JournalEntry:
    gross = Decimal(net) + Decimal(vat)
    return post(
        session,
        kind="invoice",
        description="Invoice 2026-0001",
        day=DAY,
        reference="invoice:1",
        lines=[
            debit(R.CLIENT_RECEIVABLES, gross, activity),
            credit(R.TURNOVER, net, activity),
            credit(R.VAT_COLLECTED, vat),
        ],
    )


def test_an_invoice_paid_in_two_parts(books: Books, session: Session) -> None:
    solo = books.activities["SOLO"]
    entry = invoice(session, solo, "1000.00", "210.00")
    assert sum(line.amount for line in lines_of(session, entry)) == 0
    for part, net in (("605.00", "500.00"), ("605.00", "500.00")):
        post(
            session,
            kind="payment",
            description="Client paid",
            day=DAY,
            lines=[debit(R.BANK, part), credit(R.CLIENT_RECEIVABLES, part, solo)],
        )
        post_paid_share(
            session, activity=solo, paid_excluding_vat=net, day=DAY, description="Paid share"
        )
    balance = activity_balance(session, solo)
    # 6.5 % fee and 2 % guarantee contribution on each 500.00: 32.50 and 10.00.
    assert balance.invoiced == Decimal("1000.00")
    assert balance.receivable == Decimal("0.00")
    assert balance.received == Decimal("1000.00")
    assert balance.fees == Decimal("65.00")
    assert balance.available == Decimal("915.00")
    assert balance.spent == Decimal("20.00")  # the guarantee contributions
    assert role_balance(session, R.GUARANTEE_FUND, "EUR") == Decimal("20.00")
    assert role_balance(session, R.VAT_COLLECTED, "EUR") == Decimal("210.00")
    assert role_balance(session, R.FEE_INCOME, "EUR") == Decimal("65.00")
    assert ledger_problems(session) == []


def test_an_unbalanced_entry_is_refused_and_says_by_how_much(
    books: Books, session: Session
) -> None:
    with pytest.raises(UnbalancedEntry) as refused:
        post(
            session,
            kind="invoice",
            description="Wrong sum",
            day=DAY,
            lines=[
                debit(R.CLIENT_RECEIVABLES, "121.00", books.activities["SOLO"]),
                credit(R.TURNOVER, "100.00", books.activities["SOLO"]),
                credit(R.VAT_COLLECTED, "20.00"),
            ],
        )
    assert str(refused.value).startswith(
        "the entry does not balance in EUR: debits 121.00, credits 120.00 (difference 1.00)"
    )
    assert count(session, JournalEntry) == 0


def test_balance_is_per_currency(books: Books, session: Session) -> None:
    with pytest.raises(UnbalancedEntry, match="in CHF"):
        post(
            session,
            kind="capital",
            description="Two currencies",
            day=DAY,
            lines=[
                debit(R.BANK, "100.00", currency="EUR"),
                credit(R.SHARE_CAPITAL, "100.00", currency="CHF"),
            ],
        )


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([debit(R.BANK, "1.001"), credit(R.SHARE_CAPITAL, "1.001")], "more decimals than EUR"),
        ([debit(R.BANK, "10"), credit(R.SHARE_CAPITAL, "10", currency="XYZ")], "ISO 4217"),
        ([debit(R.BANK, "10")], "at least two lines"),
        ([debit(R.BANK, "10"), credit(R.TURNOVER, "10")], "split by activity"),
    ],
)
def test_bad_lines_are_refused_with_what_to_do(
    books: Books, session: Session, lines: list[object], message: str
) -> None:
    with pytest.raises(LedgerError, match=message):
        post(session, kind="capital", description="Bad", day=DAY, lines=lines)  # type: ignore[arg-type]


def test_amounts_are_never_floats_nor_negative_in_debit_and_credit() -> None:
    with pytest.raises(LedgerError, match="never a float"):
        debit(R.BANK, 10.5)
    with pytest.raises(LedgerError, match="positive"):
        credit(R.BANK, "-3")


def test_a_global_role_takes_no_activity(books: Books, session: Session) -> None:
    with pytest.raises(UnknownAccount, match="not split by activity"):
        post(
            session,
            kind="capital",
            description="Bank of an activity",
            day=DAY,
            lines=[debit(R.BANK, "1", books.activities["SOLO"]), credit(R.SHARE_CAPITAL, "1")],
        )


def test_an_activity_cannot_spend_more_than_it_has(books: Books, session: Session) -> None:
    solo = books.activities["SOLO"]
    fund(session, solo, "100.00")
    salary = [debit(R.ACTIVITY_FUNDS, "100.01", solo), credit(R.SALARIES_PAYABLE, "100.01")]
    with pytest.raises(InsufficientFunds) as refused:
        post(session, kind="salary", description="Salary", day=DAY, lines=salary)
    message = str(refused.value)
    assert "4890.SOLO" in message
    assert "holds 100.00 EUR" in message
    assert "would leave -0.01" in message
    entries = count(session, JournalEntry)
    exact = [debit(R.ACTIVITY_FUNDS, "100.00", solo), credit(R.SALARIES_PAYABLE, "100.00")]
    post(session, kind="salary", description="Salary", day=DAY, lines=exact)
    assert count(session, JournalEntry) == entries + 1
    assert activity_balance(session, solo).available == 0


def test_reservations_move_money_aside_and_back(books: Books, session: Session) -> None:
    shared = books.activities["SHARED"]
    fund(session, shared, "300.00")
    reserve(session, shared, "120.00", day=DAY, description="Salary of March")
    balance = activity_balance(session, shared)
    assert (balance.available, balance.reserved) == (Decimal("180.00"), Decimal("120.00"))
    with pytest.raises(InsufficientFunds):
        reserve(session, shared, "120.01", day=DAY, description="Too much", release=True)
    reserve(session, shared, "20.00", day=DAY, description="Less needed", release=True)
    balance = activity_balance(session, shared)
    assert (balance.available, balance.reserved) == (Decimal("200.00"), Decimal("100.00"))


# -- immutability and reversal -------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_a_posted_entry(books: Books, session: Session) -> None:
    entry = invoice(session, books.activities["SOLO"], "100.00", "21.00")
    session.commit()
    entry.description = "Something else"
    with pytest.raises(FinalRecordError, match=r"refusing to change.*reverse it"):
        session.flush()
    session.rollback()
    line = lines_of(session, entry)[0]
    session.delete(line)
    with pytest.raises(FinalRecordError, match="refusing to delete"):
        session.flush()
    session.rollback()
    policy = session.scalars(select(FeePolicy)).one()
    policy.fee_rate = Decimal("0.5")
    with pytest.raises(FinalRecordError):
        session.flush()


@pytest.mark.parametrize("table", ["journal_entries", "journal_lines", "fee_policies"])
def test_the_database_refuses_to_change_or_delete_them_too(
    books: Books, db: Database, table: str
) -> None:
    with books.session(db) as session:
        invoice(session, books.activities["SOLO"], "100.00", "21.00")
        session.commit()
    with db.engine.connect() as conn:
        for statement in (f"UPDATE {table} SET tenant_id = tenant_id", f"DELETE FROM {table}"):
            with conn.begin():
                conn.execute(
                    text("SELECT set_config('coopkit.tenant_id', :t, true)")
                    if db.dialect == "postgresql"
                    else text("SELECT :t"),
                    {"t": str(books.tenant_id)},
                )
                with pytest.raises(IntegrityError, match="append-only"):
                    conn.execute(text(statement))
    # ORM bulk statements are refused before they reach the database.
    with books.session(db) as session, pytest.raises(FinalRecordError, match="refusing to update"):
        session.execute(update(JournalEntry).values(description="x"))


def test_a_correction_is_a_reversing_entry(books: Books, session: Session) -> None:
    solo = books.activities["SOLO"]
    original = invoice(session, solo, "100.00", "21.00")
    reversal = reverse(session, original, day=date(2026, 3, 5))
    assert reversal.reverses_id == original.id
    assert reversal.kind == original.kind
    assert reversal.description == "Reversal of: Invoice 2026-0001"
    mine = sorted((ln.account_id, ln.amount) for ln in lines_of(session, reversal))
    theirs = sorted((ln.account_id, -ln.amount) for ln in lines_of(session, original))
    assert mine == theirs
    assert activity_balance(session, solo).invoiced == 0
    with pytest.raises(AlreadyReversed, match="already reversed"):
        reverse(session, original)
    with pytest.raises(AlreadyReversed, match="itself a reversal"):
        reverse(session, reversal)
    assert ledger_problems(session) == []


def test_money_already_spent_cannot_be_reversed_away(books: Books, session: Session) -> None:
    solo = books.activities["SOLO"]
    share = post_paid_share(
        session, activity=solo, paid_excluding_vat="100.00", day=DAY, description="Paid share"
    )
    post(
        session,
        kind="salary",
        description="Salary",
        day=DAY,
        lines=[debit(R.ACTIVITY_FUNDS, "50.00", solo), credit(R.SALARIES_PAYABLE, "50.00")],
    )
    with pytest.raises(InsufficientFunds, match=r"4890\.SOLO"):
        reverse(session, share)


# -- fee policy ---------------------------------------------------------------------------


def test_rates_are_dated_and_a_later_decision_wins(books: Books, session: Session) -> None:
    assert rates_on(session, date(2026, 6, 1)).fee_rate == Decimal("0.065")
    set_rates(
        session,
        valid_from=date(2026, 7, 1),
        fee_rate="0.07",
        guarantee_rate="0.02",
        decided_by="General assembly of 2026-06-20",
    )
    assert rates_on(session, date(2026, 6, 30)).fee_rate == Decimal("0.065")
    assert rates_on(session, date(2026, 7, 1)).decided_by == "General assembly of 2026-06-20"
    with pytest.raises(PolicyError, match="no fee rate in force on 2025-12-31"):
        rates_on(session, date(2025, 12, 31))
    share = post_paid_share(
        session,
        activity=books.activities["SOLO"],
        paid_excluding_vat="33.33",
        day=date(2026, 7, 1),
        description="Paid share",
    )
    amounts = sorted(line.amount for line in lines_of(session, share))
    # 7 % of 33.33 = 2.3331 → 2.33; 2 % = 0.6666 → 0.67 (half-up to the cent).
    assert amounts == [Decimal("-30.33"), Decimal("-2.33"), Decimal("-0.67"), Decimal("33.33")]


@pytest.mark.parametrize(
    ("fee", "guarantee", "message"),
    [
        ("1", "0", "less than 1"),
        ("-0.01", "0", "from 0"),
        ("0.6", "0.4", "add up to less than 1"),
        ("0.0650001", "0", "6 decimal places"),
        (0.065, "0", "never a float"),
    ],
)
def test_rates_are_checked(
    books: Books, session: Session, fee: object, guarantee: str, message: str
) -> None:
    with pytest.raises(PolicyError, match=message):
        set_rates(session, valid_from=DAY, fee_rate=fee, guarantee_rate=guarantee, decided_by="GA")


# -- idempotency ------------------------------------------------------------------------


def test_a_retry_with_the_same_key_posts_once(books: Books, session: Session) -> None:
    solo = books.activities["SOLO"]
    lines = [debit(R.BANK, "50.00"), credit(R.SHARE_CAPITAL, "50.00")]
    first = post(session, kind="capital", description="Shares", day=DAY, lines=lines,
                 idempotency_key="k-1")  # fmt: skip
    again = post(session, kind="capital", description="Shares", day=DAY, lines=lines,
                 idempotency_key="k-1")  # fmt: skip
    assert again.id == first.id
    same_amount = [debit(R.BANK, "50"), credit(R.SHARE_CAPITAL, "50.0")]
    third = post(session, kind="capital", description="Shares", day=DAY, lines=same_amount,
                 idempotency_key="k-1")  # fmt: skip
    assert third.id == first.id
    assert count(session, JournalEntry) == 1
    with pytest.raises(IdempotencyConflict, match="already used for another request"):
        post(session, kind="capital", description="Shares", day=DAY,
             lines=[debit(R.BANK, "51.00"), credit(R.SHARE_CAPITAL, "51.00")],
             idempotency_key="k-1")  # fmt: skip
    with pytest.raises(IdempotencyConflict):
        reserve(session, solo, "1.00", day=DAY, description="x", idempotency_key="k-1")
    assert count(session, JournalEntry) == 1


def test_a_refused_request_leaves_its_key_free(books: Books, session: Session) -> None:
    solo = books.activities["SOLO"]
    with pytest.raises(InsufficientFunds):
        reserve(session, solo, "10.00", day=DAY, description="Early", idempotency_key="k-2")
    fund(session, solo, "10.00")
    entry = reserve(session, solo, "10.00", day=DAY, description="Early", idempotency_key="k-2")
    assert entry.kind == "reservation"


# -- concurrency (PostgreSQL) ----------------------------------------------------------------


def _race(db: Database, books: Books, attempts: int, work: object) -> list[object]:
    """Run ``work(session, i)`` in ``attempts`` threads at once, each in its own session."""
    results: list[object] = [None] * attempts
    barrier = threading.Barrier(attempts)

    def run(i: int) -> None:
        with books.session(db) as session:
            barrier.wait()
            try:
                results[i] = work(session, i)  # type: ignore[operator]
                session.commit()
            except Exception as error:
                session.rollback()
                results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgres
def test_concurrent_spending_never_overdraws(postgres_db: Database, plugins: PluginHost) -> None:
    books = open_cooperative(postgres_db, plugins)
    shared = books.activities["SHARED"]
    with books.session(postgres_db) as session:
        fund(session, shared, "100.00")
        session.commit()

    def spend(session: Session, i: int) -> object:
        return post(
            session,
            kind="expense",
            description=f"Expense {i}",
            day=DAY,
            lines=[debit(R.ACTIVITY_FUNDS, "30.00", shared), credit(R.SUPPLIERS_PAYABLE, "30.00")],
        )

    results = _race(postgres_db, books, 8, spend)
    posted = [r for r in results if isinstance(r, JournalEntry)]
    refused = [r for r in results if isinstance(r, InsufficientFunds)]
    assert (len(posted), len(refused)) == (3, 5), results
    with books.session(postgres_db) as session:
        assert activity_balance(session, shared).available == Decimal("10.00")
        assert ledger_problems(session) == []


@pytest.mark.postgres
def test_concurrent_retries_with_one_key_post_once(
    postgres_db: Database, plugins: PluginHost
) -> None:
    books = open_cooperative(postgres_db, plugins)

    def pay_in(session: Session, i: int) -> object:
        lines = [debit(R.BANK, "25.00"), credit(R.SHARE_CAPITAL, "25.00")]
        entry = post(session, kind="capital", description="Shares", day=DAY, lines=lines,
                     idempotency_key="same-key")  # fmt: skip
        return entry.id

    results = _race(postgres_db, books, 6, pay_in)
    assert all(isinstance(r, uuid.UUID) for r in results), results
    assert len(set(results)) == 1
    with books.session(postgres_db) as session:
        assert count(session, JournalEntry) == 1
        assert count(session, Posting) == 2


def test_a_session_of_another_tenant_sees_no_balance(
    books: Books, db: Database, plugins: PluginHost
) -> None:
    other = open_cooperative(db, plugins, country="FR", codes=("SOLO",))
    with books.session(db) as session:
        fund(session, books.activities["SOLO"], "70.00")
        session.commit()
    with db.sessions() as session:
        set_tenant(session, other.tenant_id)
        assert activity_balance(session, books.activities["SOLO"]).available == 0
        assert activity_balance(session, other.activities["SOLO"]).available == 0
        assert role_balance(session, R.BANK, "EUR") == 0


# -- running balances (account_balances) ----------------------------------------------


def account_ids(session: Session) -> list:  # type: ignore[type-arg]
    return list(session.scalars(select(Account.id)))


def test_random_postings_and_reversals_keep_balances_equal_to_the_lines(
    books: Books, session: Session
) -> None:
    rng = random.Random(20261122)
    solo, shared = books.activities["SOLO"], books.activities["SHARED"]
    fund(session, solo, "5000.00")
    fund(session, shared, "5000.00")
    posted: list[JournalEntry] = []
    for step in range(120):
        activity = rng.choice([solo, shared])
        amount = Decimal(rng.randrange(1, 20000)) / 100
        currency = rng.choice(["EUR", "EUR", "CHF"])
        lines = rng.choice(
            [
                [debit(R.CLIENT_RECEIVABLES, amount, activity, currency),
                 credit(R.TURNOVER, amount, activity, currency)],
                [debit(R.ACTIVITY_FUNDS, amount, activity), credit(R.SUPPLIERS_PAYABLE, amount)],
                [debit(R.ACTIVITY_FUNDS, amount, activity),
                 credit(R.ACTIVITY_RESERVED, amount, activity)],
            ]
        )  # fmt: skip
        with contextlib.suppress(InsufficientFunds):
            posted.append(post(session, kind="test", description=f"step {step}", day=DAY,
                               lines=lines))  # fmt: skip
        if posted and rng.random() < 0.2:
            entry = posted.pop(rng.randrange(len(posted)))
            with contextlib.suppress(InsufficientFunds):
                reverse(session, entry, day=DAY)
    ids = account_ids(session)
    assert stored_balances(session, ids) == raw_balances(session, ids)
    assert ledger_problems(session) == []


def test_a_refused_entry_leaves_the_balances_as_they_were(books: Books, session: Session) -> None:
    solo = books.activities["SOLO"]
    fund(session, solo, "10.00")
    before = stored_balances(session, account_ids(session))
    with pytest.raises(InsufficientFunds, match=r"holds 10\.00 EUR; this entry takes 10\.01 EUR"):
        post(session, kind="expense", description="Too much", day=DAY,
             lines=[debit(R.ACTIVITY_FUNDS, "10.01", solo),
                    credit(R.SUPPLIERS_PAYABLE, "10.01")])  # fmt: skip
    assert stored_balances(session, account_ids(session)) == before
    assert activity_balance(session, solo).available == Decimal("10.00")


def test_check_finds_a_running_balance_that_drifted_and_rebuild_repairs_it(
    books: Books, session: Session
) -> None:
    solo = books.activities["SOLO"]
    fund(session, solo, "80.00")
    funds = session.scalar(
        select(Account.id).where(Account.role == R.ACTIVITY_FUNDS, Account.activity_id == solo)
    )
    session.execute(
        update(AccountBalance)
        .where(AccountBalance.account_id == funds)
        .values(balance=Decimal("-79.00"))
    )
    problems = balance_problems(session)
    assert len(problems) == 1
    assert "running balance is -79.0000 over 1 line(s) but its lines sum to -80.0000" in problems[0]
    assert "rebuild-balances" in problems[0]
    assert problems[0] in ledger_problems(session)
    assert activity_balance(session, solo).available == Decimal("79.00")  # it reads the row
    assert rebuild_balances(session) == 4  # bank, capital, budgets, funds
    assert balance_problems(session) == []
    assert activity_balance(session, solo).available == Decimal("80.00")


def test_a_missing_running_balance_is_a_problem(books: Books, session: Session) -> None:
    fund(session, books.activities["SOLO"], "5.00")
    session.execute(delete(AccountBalance).where(AccountBalance.line_count == 1))
    assert len(balance_problems(session)) == 4


@pytest.mark.postgres
def test_concurrent_postings_on_shared_accounts_neither_deadlock_nor_lose_updates(
    postgres_db: Database, plugins: PluginHost
) -> None:
    """Every thread posts on the bank and the VAT account (busy, shared) and on an activity,
    with its lines in a different order: all succeed, and the totals add up exactly."""
    books = open_cooperative(postgres_db, plugins)
    solo, shared = books.activities["SOLO"], books.activities["SHARED"]

    def invoice_and_collect(session: Session, i: int) -> object:
        activity = solo if i % 2 else shared
        lines = [
            debit(R.CLIENT_RECEIVABLES, "12.10", activity),
            credit(R.VAT_COLLECTED, "2.10"),
            credit(R.TURNOVER, "10.00", activity),
        ]
        post(session, kind="invoice", description=f"Invoice {i}", day=DAY,
             lines=lines if i % 2 else lines[::-1])  # fmt: skip
        payment = [debit(R.BANK, "12.10"), credit(R.CLIENT_RECEIVABLES, "12.10", activity)]
        return post(session, kind="payment", description=f"Payment {i}", day=DAY,
                    lines=payment if i % 3 else payment[::-1])  # fmt: skip

    results = _race(postgres_db, books, 10, invoice_and_collect)
    assert all(isinstance(r, JournalEntry) for r in results), results
    with books.session(postgres_db) as session:
        assert ledger_problems(session) == []
        bank = session.scalar(
            select(AccountBalance.balance)
            .join(Account, Account.id == AccountBalance.account_id)
            .where(Account.role == R.BANK)
        )
        assert bank == Decimal("121.00")
        assert activity_balance(session, solo).invoiced == Decimal("50.00")
