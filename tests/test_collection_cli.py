"""``coopkit collect``: the daily run, twice, for one tenant or all."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from tests.collection_world import overdue_invoice
from tests.conftest import Database
from tests.invoicing_world import World, invoicing_world
from tests.test_cli import run

pytestmark = pytest.mark.usefixtures("weasyprint")


def slug_of(db: Database, world: World) -> str:
    with db.sessions() as session:
        return session.get_one(Tenant, world.books.tenant_id).slug


def test_collect_twice_takes_each_step_once_and_sends_once(
    sqlite_db: Database, plugins: PluginHost, tmp_path: Path
) -> None:
    belgium = invoicing_world(sqlite_db, plugins, "BE")
    france = invoicing_world(sqlite_db, plugins, "FR")
    with belgium.session(sqlite_db) as session:
        overdue_invoice(session, belgium, plugins)
    with france.session(sqlite_db) as session:
        overdue_invoice(session, france, plugins, client="fr_company")
    env = {
        "COOPKIT_DATABASE_URL": sqlite_db.settings.database_url,
        "COOPKIT_SECRET_KEY": "cli-test-secret-0123456789",
        "COOPKIT_OUTBOX_DIR": str(tmp_path / "outbox"),
    }
    slug = slug_of(sqlite_db, belgium)
    code, output = run(env, "collect", "--tenant", slug, "--day", "2025-06-22")
    assert code == 0, output
    assert f"{slug}: 1 new step(s) on 2025-06-22 (reminder 1," in output
    assert "1 e-mail(s) queued" in output
    assert "outbox: 1 e-mail(s) sent" in output
    code, output = run(env, "collect", "--tenant", slug, "--day", "2025-06-22")
    assert code == 0, output
    assert f"{slug}: 0 new step(s)" in output
    assert "outbox: 0 e-mail(s) sent" in output
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
    code, output = run(env, "collect", "--day", "2025-06-22")  # every tenant: France's turn
    assert code == 0, output
    assert f"{slug_of(sqlite_db, france)}: 1 new step(s)" in output
    assert f"{slug}: 0 new step(s)" in output
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2


def test_collect_fails_clearly(sqlite_db: Database, plugins: PluginHost) -> None:
    world = invoicing_world(sqlite_db, plugins, "BE")
    with world.session(sqlite_db) as session:
        overdue_invoice(session, world, plugins)
    env = {
        "COOPKIT_DATABASE_URL": sqlite_db.settings.database_url,
        "COOPKIT_SECRET_KEY": "cli-test-secret-0123456789",
    }
    code, output = run(env, "collect", "--tenant", "no-such-coop")
    assert code != 0
    assert "no-such-coop" in output
    # No Belgian rate is recorded after 2026-06-30: the run says so and exits 1.
    code, output = run(env, "collect", "--tenant", slug_of(sqlite_db, world), "--day", "2026-07-15")
    assert code == 1
    assert "commercial_rate: no value in force on 2026-07-15" in output
