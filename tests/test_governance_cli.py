"""``coopkit governance``: statutes, colleges and the rules in force; bad input exits non-zero."""

from __future__ import annotations

from tests.test_cli import env, run  # noqa: F401  (fixture)


def test_statutes_tighten_and_looser_ones_are_refused(env: dict[str, str]) -> None:  # noqa: F811
    assert run(env, "db", "upgrade")[0] == 0
    code, output = run(
        env, "tenant", "create", "--slug", "coop-law", "--name", "Coop", "--country", "fr"
    )
    assert code == 0, output
    base = ("governance", "statutes", "--tenant", "coop-law", "--from", "2026-01-01")
    code, output = run(
        env, *base, "--adopted-by", "EGM of 2025-12-01, art. 25", "--notice-days", "21",
        "--extraordinary-quorum", "1/2",
    )  # fmt: skip
    assert code == 0, output
    assert "notice: 21 days [statutes: EGM of 2025-12-01, art. 25]" in output
    assert "extraordinary: quorum 1/2, two_thirds majority" in output
    code, output = run(env, *base, "--adopted-by", "AGM", "--ordinary-majority", "simple",
                       "--extraordinary-majority", "simple")  # fmt: skip
    assert code == 1
    assert "the extraordinary majority simple is looser than the law's two_thirds" in output
    code, output = run(env, "governance", "rules", "--tenant", "coop-law", "--on", "2026-06-01")
    assert code == 0, output
    assert "notice: 21 days" in output
    assert "colleges: each between 0.1 and 0.5" in output


def test_colleges_are_set_within_the_law(env: dict[str, str]) -> None:  # noqa: F811
    assert run(env, "db", "upgrade")[0] == 0
    assert run(env, "tenant", "create", "--slug", "scic", "--name", "S", "--country", "fr")[0] == 0
    base = ("governance", "colleges", "set", "--tenant", "scic", "--from", "2026-01-01")
    code, output = run(env, *base, "--college", "w:Workers:0.6", "--college", "u:Users:0.4",
                       "--decided-by", "EGM")  # fmt: skip
    assert code == 1
    assert "w weighs 0.6, above the law's maximum 0.5" in output
    assert "19 octies" in output
    code, output = run(env, *base, "--college", "w:Workers:0.5", "--college", "u:Users:0.3",
                       "--college", "s:Supporters:0.2", "--decided-by", "EGM")  # fmt: skip
    assert code == 0, output
    code, output = run(
        env, "user", "create", "--email", "ann@example.org", "--name", "Ann",
        input="long-enough-pw\nlong-enough-pw\n",
    )  # fmt: skip
    assert code == 0, output
    assign = ("governance", "colleges", "assign", "--tenant", "scic", "--email", "ann@example.org")
    code, output = run(env, *assign, "--college", "w", "--from", "2026-02-01")
    assert code == 0, output
    assert "ann@example.org votes in college w from 2026-02-01" in output
    code, output = run(env, *assign, "--college", "board", "--from", "2026-02-01")
    assert code == 1
    assert "no college 'board'" in output
