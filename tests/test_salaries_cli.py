"""``coopkit salaries policy``: the payment delay, recorded per cooperative and dated."""

from __future__ import annotations

from datetime import date

from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.tenancy import set_tenant
from coopkit.salaries.policy import payment_days_on
from coopkit.tenants import service as tenants
from tests.test_cli import run


def test_the_policy_is_recorded_and_bad_input_exits_non_zero(demo_env: dict[str, str]) -> None:
    env = demo_env
    base = ["salaries", "policy", "--tenant", "demo-be", "--from", "2026-04-01"]
    code, output = run(env, *base, "--payment-days", "5", "--decided-by", "GA of 2026-03-20")
    assert code == 0, output
    assert "5 day(s)" in output
    code, output = run(env, *base, "--payment-days", "-1", "--decided-by", "GA")
    assert code != 0
    assert "whole number of days" in output
    code, output = run(env, *base, "--payment-days", "5", "--decided-by", " ")
    assert code != 0
    code, output = run(env, "salaries", "policy", "--tenant", "nowhere", "--from", "2026-04-01",
                       "--payment-days", "5", "--decided-by", "GA")  # fmt: skip
    assert code != 0
    session = make_session_factory(make_engine(env["COOPKIT_DATABASE_URL"]))()
    try:
        set_tenant(session, tenants.get_by_slug(session, "demo-be").id)
        assert payment_days_on(session, date(2026, 3, 31)) == 7
        assert payment_days_on(session, date(2026, 4, 1)) == 5
    finally:
        session.close()
