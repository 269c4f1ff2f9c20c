"""Ledger benchmark: an activity's balance with 1,000,000 journal lines in one tenant.

Run with ``python -m bench.ledger`` (``make bench`` runs it too). SQLite always;
PostgreSQL too when ``COOPKIT_BENCH_DATABASE_URL`` names a server and a role
that may create databases and roles (a throw-away database is made, the query
runs as an application role under row-level security, and it is dropped).

The lines are loaded with bulk inserts (balanced entries of two lines each,
over 1,000 activities, plus one busy activity with 100,000 lines), the running
balances are then rebuilt from them (``rebuild_balances``, as
``coopkit ledger rebuild-balances`` does), and the balance is read through
``coopkit.activities.service.activity_balance``, the function the API calls.
For comparison the same figures are summed from the lines (what
``coopkit ledger check`` does), and an entry is posted on the busy activity
through ``post`` (which updates the running balances and checks the overdraft).
"""

from __future__ import annotations

import os
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity
from coopkit.activities.service import activity_balance
from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.migrate import upgrade
from coopkit.db.tenancy import set_tenant
from coopkit.ledger.balances import balance_problems, rebuild_balances
from coopkit.ledger.books import open_activity_accounts
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.ledger.posting import credit, debit, post
from coopkit.plugins import PluginHost
from coopkit.settings import Settings
from coopkit.tenants.service import create_tenant

LINES = 1_000_000
ACTIVITIES = 1_000
BUSY_LINES = 100_000
BATCH = 20_000
TARGET_MS = 20.0


def _timings_ms(run: Callable[[], object], repeat: int = 200) -> tuple[float, float]:
    """Median and 95th percentile of ``repeat`` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    cuts = statistics.quantiles(times, n=20)
    return statistics.median(times) * 1000, cuts[18] * 1000


def _summed_balance(db: Session, activity: uuid.UUID) -> dict[AccountRole, Decimal]:
    """The activity's raw balances summed from its lines: what the running balances replace."""
    rows = db.execute(
        select(Account.role, func.sum(Posting.amount))
        .join(
            Posting, (Posting.tenant_id == Account.tenant_id) & (Posting.account_id == Account.id)
        )
        .where(Account.activity_id == activity, Posting.currency == "EUR")
        .group_by(Account.role)
    ).all()
    return dict(rows)


def load(settings: Settings, plugins: PluginHost) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """A tenant with 1,001 activities and 1,000,000 lines; return (tenant, typical, busy)."""
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    with sessions() as db:
        tenant = create_tenant(
            db, plugins, slug=f"bench-{secrets.token_hex(3)}", name="Bench", kind="branch",
            country="BE",
        )  # fmt: skip
        set_tenant(db, tenant.id)
        activities = []
        for number in range(ACTIVITIES + 1):
            activity = Activity(code=f"A{number:05d}", name=f"Activity {number}")
            db.add(activity)
            activities.append(activity)
        db.flush()
        funds: dict[uuid.UUID, uuid.UUID] = {}
        budgets: dict[uuid.UUID, uuid.UUID] = {}
        for activity in activities:
            for account in open_activity_accounts(db, activity.id, activity.code, activity.name):
                if account.role is AccountRole.ACTIVITY_FUNDS:
                    funds[activity.id] = account.id
                elif account.role is AccountRole.ACTIVITY_BUDGETS:
                    budgets[activity.id] = account.id
        db.commit()
        tenant_id = tenant.id
    busy, typical = activities[0].id, activities[1].id
    plan = [busy] * (BUSY_LINES // 2) + [
        activities[1 + i % ACTIVITIES].id for i in range((LINES - BUSY_LINES) // 2)
    ]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("SELECT set_config('coopkit.tenant_id', :t, true)"), {"t": str(tenant_id)}
            )
        for start in range(0, len(plan), BATCH):
            chunk = plan[start : start + BATCH]
            entries = [
                {"tenant_id": tenant_id, "id": uuid.uuid4(), "day": date(2026, 1, 1 + i % 28),
                 "kind": "paid_share", "description": "bench", "posted_at": _now(),
                 "sequence": number}
                for i, number in enumerate(_numbers(conn, start, len(chunk)))
            ]  # fmt: skip
            conn.execute(insert(JournalEntry.__table__), entries)  # type: ignore[arg-type]
            lines = []
            for entry, activity in zip(entries, chunk, strict=True):
                amount = Decimal(100 + (entry["id"].int % 900_00)) / 100
                for account, signed in ((budgets[activity], amount), (funds[activity], -amount)):
                    lines.append(
                        {"tenant_id": tenant_id, "id": uuid.uuid4(), "entry_id": entry["id"],
                         "account_id": account, "amount": signed, "currency": "EUR"}
                    )  # fmt: skip
            conn.execute(insert(Posting.__table__), lines)  # type: ignore[arg-type]
    engine.dispose()
    return tenant_id, typical, busy


def _numbers(conn: Connection, done: int, count: int) -> list[int]:
    """Posting numbers for ``count`` new entries, as ``post`` would draw them."""
    if conn.dialect.name == "postgresql":
        return list(
            conn.execute(
                text("SELECT nextval('journal_entry_sequence') FROM generate_series(1, :n)"),
                {"n": count},
            ).scalars()
        )
    return list(range(done + 1, done + count + 1))


def _now() -> object:
    from coopkit.db.base import utcnow

    return utcnow()


def measure(settings: Settings, owner: Engine, plugins: PluginHost, label: str) -> None:
    start = time.perf_counter()
    tenant_id, typical, busy = load(settings, plugins)
    loaded = time.perf_counter() - start
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    with sessions() as db:
        set_tenant(db, tenant_id)
        start = time.perf_counter()
        rebuilt = rebuild_balances(db)
        db.commit()
        rebuild = time.perf_counter() - start
    with owner.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("COMMIT"))
            conn.execute(text("VACUUM ANALYZE journal_lines"))
            conn.execute(text("VACUUM ANALYZE account_balances"))
        else:
            conn.execute(text("ANALYZE"))
    with sessions() as db:
        set_tenant(db, tenant_id)
        lines = db.scalar(text("SELECT count(*) FROM journal_lines"))
        print(f"{label}: {lines:,} journal lines in one tenant, loaded in {loaded:.0f} s; "
              f"{rebuilt:,} running balances rebuilt from them in {rebuild:.1f} s")  # fmt: skip
        p50, p95 = _timings_ms(lambda: db.execute(text("SELECT 1")).scalar_one())
        print(f"  one round trip (SELECT 1), the floor: {p50:.2f} ms (p50), {p95:.2f} ms (p95)")
        for name, activity in (
            ("typical activity (~900 lines)", typical),
            ("busy activity (100,000 lines)", busy),
        ):
            balance = activity_balance(db, activity)
            p50, p95 = _timings_ms(lambda a=activity: activity_balance(db, a))  # type: ignore[misc]
            verdict = "ok" if p95 < TARGET_MS else f"OVER the {TARGET_MS:.0f} ms target"
            print(f"  {name}: balance in {p50:.2f} ms (p50), {p95:.2f} ms (p95) — {verdict}; "
                  f"available {balance.available} {balance.currency}")  # fmt: skip
            s50, s95 = _timings_ms(lambda a=activity: _summed_balance(db, a), repeat=20)  # type: ignore[misc]
            print(f"    summed from the lines instead: {s50:.2f} ms (p50), {s95:.2f} ms (p95)")
        p50, p95 = _timings_ms(lambda: _post_salary(db, busy), repeat=50)
        print(f"  posting a salary on the busy activity: {p50:.2f} ms (p50), {p95:.2f} ms (p95)")
        db.rollback()
        assert not balance_problems(db), "running balances differ from the lines"
    engine.dispose()


def _post_salary(db: Session, activity: uuid.UUID) -> None:
    post(db, kind="salary", description="bench salary", day=date(2026, 2, 1),
         lines=[debit(AccountRole.ACTIVITY_FUNDS, "1.00", activity),
                credit(AccountRole.SALARIES_PAYABLE, "1.00")])  # fmt: skip


def sqlite(plugins: PluginHost) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite:///{Path(folder) / 'bench.sqlite3'}", secret_key="bench" * 4
        )
        upgrade(settings)
        owner = make_engine(settings.database_url)
        try:
            measure(settings, owner, plugins, "SQLite")
        finally:
            owner.dispose()


@contextmanager
def postgres_database(server: str) -> Iterator[tuple[Settings, Engine]]:
    """A throw-away database with an owner role and an application role under RLS."""
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    suffix = secrets.token_hex(4)
    name, owner, app = f"coopkit_bench_{suffix}", f"bench_owner_{suffix}", f"bench_app_{suffix}"
    password = secrets.token_hex(12)
    with admin.connect() as conn:
        for role in (owner, app):
            conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}' NOBYPASSRLS"))
        conn.execute(text(f"CREATE DATABASE {name} OWNER {owner}"))
    base = make_url(server).set(drivername="postgresql+psycopg", database=name, password=password)
    settings = Settings(
        database_url=base.set(username=app).render_as_string(hide_password=False),
        migration_database_url=base.set(username=owner).render_as_string(hide_password=False),
        app_role=app,
        secret_key="bench" * 4,
    )
    upgrade(settings)
    owner_engine = make_engine(settings.owner_database_url, isolation_level="AUTOCOMMIT")
    try:
        yield settings, owner_engine
    finally:
        owner_engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            for role in (owner, app):
                conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


def main() -> None:
    plugins = PluginHost.from_environment()
    sqlite(plugins)
    server = os.environ.get("COOPKIT_BENCH_DATABASE_URL")
    if not server:
        print("PostgreSQL: set COOPKIT_BENCH_DATABASE_URL to a server to measure it too")
        return
    with postgres_database(server) as (settings, owner):
        measure(settings, owner, plugins, "PostgreSQL")


if __name__ == "__main__":
    main()
