"""``coopkit shares class add`` and ``coopkit shares policy``; bad input exits non-zero."""

from __future__ import annotations

from tests.test_cli import env, run  # noqa: F401  (fixture)


def test_share_classes_and_policy_from_the_command_line(env: dict[str, str]) -> None:  # noqa: F811
    assert run(env, "db", "upgrade")[0] == 0
    code, output = run(
        env, "tenant", "create", "--slug", "coop-s", "--name", "Coop S", "--country", "be"
    )
    assert code == 0, output
    add = ("shares", "class", "add", "--tenant", "coop-s")
    code, output = run(
        env, *add, "--code", "A", "--name", "A shares", "--nominal", "50",
        "--max-per-member", "100",
    )  # fmt: skip
    assert code == 0, output
    assert "coop-s: share class A (A shares): 50.00 EUR a share" in output
    code, output = run(env, *add, "--code", "A", "--name", "Again", "--nominal", "50")
    assert code == 1
    assert "there is a share class A already" in output
    code, output = run(env, *add, "--code", "B", "--name", "B", "--nominal", "0")
    assert code == 1
    assert "nominal 0: above 0" in output
    policy = ("shares", "policy", "--tenant", "coop-s", "--from", "2026-01-01")
    code, output = run(env, *policy, "--minimum", "18550", "--decided-by", "Statutes art. 5")
    assert code == 0, output
    code, output = run(env, *policy, "--minimum", "1", "--window-months", "13",
                       "--decided-by", "Statutes")  # fmt: skip
    assert code == 1
    assert "1 to 12 months" in output
