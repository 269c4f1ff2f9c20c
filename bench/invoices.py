"""Invoicing benchmark: sustained invoices issued per second by 8 concurrent clients.

Run with ``python -m bench.invoices``. SQLite always (one writer at a time: one
worker, the serial rate); PostgreSQL too when ``COOPKIT_BENCH_DATABASE_URL``
names a server and a role that may create databases and roles (a throw-away
database, the application role under row-level security; see bench/ledger.py).

Each worker has its own session and issues its share of prepared drafts one
by one, committing each: a number taken from the tenant's series under a row
lock, the seller and client snapshots, the mentions check, the ledger entry
with its running balances and the audit event — the whole ``issueInvoice``
path without HTTP. Afterwards the numbers are checked: 1..N, no gap, no
duplicate.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from bench.ledger import postgres_database
from coopkit.activities.service import create_activity
from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.migrate import upgrade
from coopkit.db.tenancy import set_tenant
from coopkit.demo_invoices import CLIENTS, SELLERS
from coopkit.invoicing.clients import create_client
from coopkit.invoicing.drafts import DraftIn, LineIn, create_draft
from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.models import Invoice
from coopkit.invoicing.seller import set_seller_identity
from coopkit.ledger.policy import set_rates
from coopkit.people.models import Role
from coopkit.people.service import add_membership, create_user
from coopkit.plugins import PluginHost
from coopkit.settings import Settings
from coopkit.tenants.service import create_tenant

WORKERS = 8
PER_WORKER = 50
DAY = date(2026, 3, 2)


def prepare(
    settings: Settings, plugins: PluginHost
) -> tuple[uuid.UUID, uuid.UUID, list[uuid.UUID]]:
    """A Belgian cooperative with its seller identity, a client and WORKERS × PER_WORKER drafts."""
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    with sessions() as db:
        tenant = create_tenant(
            db, plugins, slug=f"bench-{secrets.token_hex(3)}", name="Bench", kind="branch",
            country="BE",
        )  # fmt: skip
        user = create_user(db, f"{secrets.token_hex(4)}@bench.test", "Bench Member", "x" * 12)
        add_membership(db, tenant, user, Role.STAFF)
        set_tenant(db, tenant.id, user.id)
        set_rates(db, valid_from=date(2026, 1, 1), fee_rate=Decimal("0.065"),
                  guarantee_rate=Decimal("0.02"), decided_by="bench")  # fmt: skip
        set_seller_identity(db, SELLERS["BE"], plugins=plugins)
        client = create_client(db, plugins=plugins, **CLIENTS["be_company"])
        activity = create_activity(db, code="BENCH", name="Bench", managers=[user.id])
        line = LineIn("Photo shoot", Decimal(1), Decimal("450.00"), "standard", "DAY")
        drafts = [
            create_draft(db, DraftIn(activity.id, client.id, (line,), supply_date=DAY),
                         plugins=plugins, today=DAY).id
            for _ in range(WORKERS * PER_WORKER)
        ]  # fmt: skip
        db.commit()
        ids = (tenant.id, user.id)
    engine.dispose()
    return ids[0], ids[1], drafts


def issue_all(settings: Settings, plugins: PluginHost, label: str, workers: int = WORKERS) -> None:
    tenant_id, user_id, drafts = prepare(settings, plugins)
    engine = make_engine(settings.database_url, pool_size=workers)
    sessions = make_session_factory(engine)
    errors: list[BaseException] = []

    def work(mine: list[uuid.UUID]) -> None:
        with sessions() as db:
            for invoice_id in mine:
                set_tenant(db, tenant_id, user_id)
                try:
                    issue_invoice(db, invoice_id, day=DAY, issued_by=user_id, plugins=plugins)
                    db.commit()
                except BaseException as error:
                    db.rollback()
                    errors.append(error)

    shares = [drafts[i::workers] for i in range(workers)]
    threads = [threading.Thread(target=work, args=(share,)) for share in shares]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    with sessions() as db:
        set_tenant(db, tenant_id)
        numbers = sorted(
            int(n.rsplit("-", 1)[1])
            for n in db.scalars(select(Invoice.number).where(Invoice.number.is_not(None)))
        )
    engine.dispose()
    issued = len(numbers)
    gapless = numbers == list(range(1, issued + 1))
    print(
        f"{label}: {issued} invoices issued by {workers} concurrent worker(s) in {elapsed:.1f} s "
        f"= {issued / elapsed:.1f} invoices/s; numbers 1..{issued} "
        f"{'without gap or duplicate' if gapless else 'WITH GAPS OR DUPLICATES'}; "
        f"{len(errors)} refused{f' (first: {errors[0]!r})' if errors else ''}"
    )


def main() -> None:
    plugins = PluginHost.from_environment()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite:///{Path(folder) / 'bench.sqlite3'}", secret_key="bench" * 4
        )
        upgrade(settings)
        # SQLite lets one writer at a time: its figure is the serial rate of one worker.
        issue_all(settings, plugins, "SQLite", workers=1)
    server = os.environ.get("COOPKIT_BENCH_DATABASE_URL")
    if not server:
        print("PostgreSQL: set COOPKIT_BENCH_DATABASE_URL to a server to measure it too")
        return
    with postgres_database(server) as (settings, _owner):
        issue_all(settings, plugins, "PostgreSQL")


if __name__ == "__main__":
    main()
