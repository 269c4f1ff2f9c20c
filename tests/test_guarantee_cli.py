"""``coopkit guarantee policy``: record the fund's policy; bad input exits non-zero."""

from __future__ import annotations

from tests.test_cli import env, run  # noqa: F401  (fixture)


def test_a_policy_is_recorded_and_bad_input_refused(env: dict[str, str]) -> None:  # noqa: F811
    assert run(env, "db", "upgrade")[0] == 0
    code, output = run(
        env, "tenant", "create", "--slug", "coop-g", "--name", "Coop G", "--country", "be"
    )
    assert code == 0, output
    base = ("guarantee", "policy", "--tenant", "coop-g", "--from", "2026-01-01")
    code, output = run(
        env, *base, "--floor", "5000", "--member-limit", "3000", "--country", "be",
        "--country", "FR", "--decided-by", "General assembly of 2025-12-10",
    )  # fmt: skip
    assert code == 0, output
    assert "floor 5000.00 EUR, per member 3000.00 EUR, per client no limit" in output
    assert "clients in BE, FR" in output
    code, output = run(env, *base, "--floor", "-1", "--decided-by", "GA")
    assert code == 1
    assert "floor -1: give an amount of 0 or more" in output
    code, output = run(env, *base, "--floor", "1", "--decided-by", "GA", "--country", "XX")
    assert code == 1
    assert "ISO 3166" in output
