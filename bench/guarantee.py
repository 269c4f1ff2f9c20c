"""Guarantee fund benchmark: ``fund_report`` on a tenant with 10,000 invoices and 5,000 advances.

Run with ``python -m bench.guarantee`` (``make bench`` runs it too). SQLite always;
PostgreSQL too when ``COOPKIT_BENCH_DATABASE_URL`` names a server (a throw-away
database and an application role under row-level security, as bench.ledger).

One Belgian cooperative, 200 clients, 50 activities, 10,000 issued invoices
over 2025–2026. 5,000 are paid (a ``paid_share`` entry crediting the fund its
contribution), the other 5,000 have an ``advance``; 2,000 of those are repaid
(``advance_repayment``) and 500 absorbed (``advance_write_off``). Rows are bulk
inserted, the running balances rebuilt, and the report read through
``coopkit.guarantee.report.fund_report`` — what the API and the page call — then
the month-end history and the stress test.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, insert, text

from bench.ledger import _now, _numbers, _timings_ms, postgres_database
from coopkit.activities.models import Activity
from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.migrate import upgrade
from coopkit.db.tenancy import set_tenant
from coopkit.guarantee.history import fund_history
from coopkit.guarantee.report import fund_report
from coopkit.guarantee.stress import stress_test
from coopkit.invoicing.models import Client, DocumentKind, Invoice, InvoiceStatus
from coopkit.ledger.balances import balance_problems, rebuild_balances
from coopkit.ledger.books import open_activity_accounts
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.plugins import PluginHost
from coopkit.settings import Settings
from coopkit.tenants.service import create_tenant

INVOICES = 10_000
ADVANCES = 5_000
REPAID = 2_000
ABSORBED = 500
CLIENTS = 200
ACTIVITIES = 50
DAY = date(2026, 11, 20)


def load(settings: Settings, plugins: PluginHost) -> uuid.UUID:
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    with sessions() as db:
        tenant = create_tenant(db, plugins, slug=f"fund-{secrets.token_hex(3)}", name="Bench",
                               kind="branch", country="BE")  # fmt: skip
        set_tenant(db, tenant.id)
        activities = [Activity(code=f"A{n:03d}", name=f"Activity {n}") for n in range(ACTIVITIES)]
        db.add_all(activities)
        clients = [Client(kind="company", name=f"Client {n:03d}", country="BE", street="Rue 1",
                          postcode="1000", city="Bruxelles", locale="fr_BE")
                   for n in range(CLIENTS)]  # fmt: skip
        db.add_all(clients)
        db.flush()
        funds = {}
        for activity in activities:
            for account in open_activity_accounts(db, activity.id, activity.code, activity.name):
                if account.role is R.ACTIVITY_FUNDS:
                    funds[activity.id] = account.id
        roles = {a.role: a.id for a in db.query(Account).filter(Account.activity_id.is_(None))}
        invoices = []
        for n in range(INVOICES):
            issued = DAY - timedelta(days=n % 600)
            net = Decimal(500 + n % 4500)
            invoices.append({
                "tenant_id": tenant.id, "id": uuid.uuid4(), "kind": DocumentKind.INVOICE,
                "status": InvoiceStatus.ISSUED, "activity_id": activities[n % ACTIVITIES].id,
                "client_id": clients[(n * 7) % CLIENTS].id, "number": f"B{n:06d}",
                "currency": "EUR", "locale": "fr_BE", "issue_date": issued, "supply_date": issued,
                "net_total": net, "vat_total": net * Decimal("0.21"),
                "gross_total": net * Decimal("1.21"), "created_at": _now(),
            })  # fmt: skip
        db.execute(insert(Invoice.__table__), invoices)  # type: ignore[arg-type]
        db.commit()
        tenant_id = tenant.id
    entries, lines = [], []

    def entry(
        kind: str, day: date, invoice: dict[str, object], *pairs: tuple[uuid.UUID, Decimal]
    ) -> None:
        entry_id = uuid.uuid4()
        entries.append({"tenant_id": tenant_id, "id": entry_id, "day": day, "kind": kind,
                        "description": "bench", "reference": f"invoice:{invoice['id']}",
                        "posted_at": _now()})  # fmt: skip
        for account, amount in pairs:
            lines.append({"tenant_id": tenant_id, "id": uuid.uuid4(), "entry_id": entry_id,
                          "account_id": account, "amount": amount, "currency": "EUR"})  # fmt: skip

    for n, invoice in enumerate(invoices):
        issued_on: date = invoice["issue_date"]  # type: ignore[assignment]
        day = issued_on + timedelta(days=10)
        funded = funds[invoice["activity_id"]]  # type: ignore[index]
        amount = (invoice["net_total"] * Decimal("0.02")).quantize(Decimal("0.01"))  # type: ignore[operator]
        if n % 2 == 0:  # paid: its contribution (the rest of the share left out)
            entry("paid_share", day, invoice, (funded, amount), (roles[R.GUARANTEE_FUND], -amount))
            continue
        advanced = amount * 2
        entry("advance", day, invoice, (roles[R.GUARANTEE_ADVANCES], advanced), (funded, -advanced))
        k = n // 2
        if k < REPAID:
            entry("advance_repayment", day + timedelta(days=30), invoice,
                  (funded, advanced), (roles[R.GUARANTEE_ADVANCES], -advanced))  # fmt: skip
        elif k < REPAID + ABSORBED:
            absorbed = (roles[R.GUARANTEE_FUND], advanced), (roles[R.GUARANTEE_ADVANCES], -advanced)
            entry("advance_write_off", day + timedelta(days=120), invoice, *absorbed)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("SELECT set_config('coopkit.tenant_id', :t, true)"), {"t": str(tenant_id)}
            )
        for row, number in zip(entries, _numbers(conn, 0, len(entries)), strict=True):
            row["sequence"] = number
        conn.execute(insert(JournalEntry.__table__), entries)  # type: ignore[arg-type]
        conn.execute(insert(Posting.__table__), lines)  # type: ignore[arg-type]
    engine.dispose()
    return tenant_id


def measure(settings: Settings, owner: Engine, plugins: PluginHost, label: str) -> None:
    start = time.perf_counter()
    tenant_id = load(settings, plugins)
    loaded = time.perf_counter() - start
    with owner.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("COMMIT"))
            conn.execute(text("VACUUM ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        set_tenant(db, tenant_id)
        rebuild_balances(db)
        db.commit()
        report = fund_report(db, day=DAY)
        print(f"{label}: {INVOICES:,} invoices, {ADVANCES:,} advances, loaded in {loaded:.0f} s; "
              f"fund {report.balance} EUR, outstanding {report.outstanding} EUR on "
              f"{sum(b.invoices for b in report.by_age):,} invoices")  # fmt: skip
        for name, run in (
            ("fund_report", lambda: fund_report(db, day=DAY)),
            ("fund_history (12 months)", lambda: fund_history(db, day=DAY)),
            ("stress_test (20 %)", lambda: stress_test(db, day=DAY, rate=Decimal(20))),
        ):
            p50, p95 = _timings_ms(run, repeat=100)
            print(f"  {name}: {p50:.1f} ms (p50), {p95:.1f} ms (p95)")
        assert not balance_problems(db), "running balances differ from the lines"
    engine.dispose()


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
