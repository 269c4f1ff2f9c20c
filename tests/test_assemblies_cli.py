"""``coopkit governance remind`` and ``close-due``: the scheduled jobs of online votes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.tenancy import set_tenant
from coopkit.governance.models import Resolution
from coopkit.governance.voting import cast_vote
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from tests.governance_world import DURING, Coop, cooperative, resolution
from tests.test_cli import env, run  # noqa: F401  (fixture)


def test_remind_once_then_close_due(env: dict[str, str], plugins: PluginHost) -> None:  # noqa: F811
    assert run(env, "db", "upgrade")[0] == 0
    engine = make_engine(env["COOPKIT_DATABASE_URL"])
    with make_session_factory(engine)() as db:
        coop: Coop = cooperative(db, plugins, 3)
        vote = resolution(db, None, "Online vote on the logo")
        cast_vote(db, vote.id, coop.member(0), "agree", now=DURING)
        slug = coop.tenant.slug
        db.commit()
    # The vote closes on 2026-06-12 18:00: 20 hours before, 2 of 3 have not voted.
    code, output = run(env, "governance", "remind", "--tenant", slug, "--now", "2026-06-11T22:00")
    assert code == 0, output
    assert f"{slug}: 2 reminder(s) queued" in output
    code, output = run(env, "governance", "remind", "--tenant", slug, "--now", "2026-06-11T23:00")
    assert f"{slug}: 0 reminder(s) queued" in output
    code, output = run(env, "governance", "close-due", "--now", "2026-06-12T17:00")
    assert code == 0, output
    assert f"{slug}: 0 vote(s) closed" in output
    code, output = run(env, "governance", "close-due", "--now", "2026-06-12T19:00")
    assert code == 0, output
    # 1 agree of 3, engine defaults (no quorum, simple majority): adopted.
    assert "Online vote on the logo: adopted" in output
    with make_session_factory(engine)() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == slug))
        assert tenant is not None
        set_tenant(db, tenant.id)
        stored = db.scalar(select(Resolution))
        assert stored is not None
        assert stored.adopted is True
    engine.dispose()


@pytest.mark.parametrize("command", ["remind", "close-due"])
def test_an_unknown_tenant_exits_non_zero(env: dict[str, str], command: str) -> None:  # noqa: F811
    assert run(env, "db", "upgrade")[0] == 0
    code, output = run(env, "governance", command, "--tenant", "nope")
    assert code == 1
    assert "nope" in output
