"""The operator's command line, run through click's runner against a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from coopkit.cli import cli
from coopkit.db.engine import make_engine, make_session_factory
from coopkit.tenants.models import Tenant
from tests.test_migrations import head_revision


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "COOPKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "COOPKIT_SECRET_KEY": "cli-test-secret-0123456789",
    }


def run(env: dict[str, str], *args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env, input=input)
    return result.exit_code, result.output


def count_tenants(env: dict[str, str]) -> int:
    engine = make_engine(env["COOPKIT_DATABASE_URL"])
    with make_session_factory(engine)() as db:
        total = db.scalar(select(func.count()).select_from(Tenant))
    engine.dispose()
    return int(total or 0)


COMMANDS = [
    [],
    ["serve"],
    ["db"],
    ["db", "upgrade"],
    ["db", "revision"],
    ["demo"],
    ["tenant"],
    ["tenant", "create"],
    ["user"],
    ["user", "create"],
    ["user", "token"],
    ["plugins"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "coopkit")
def test_every_command_has_help(command: list[str], env: dict[str, str]) -> None:
    code, output = run(env, *command, "--help")
    assert code == 0
    assert "Usage:" in output


def test_upgrade_demo_and_idempotence(env: dict[str, str]) -> None:
    code, output = run(env, "db", "upgrade")
    assert code == 0, output
    assert f"revision {head_revision()}" in output
    code, output = run(env, "demo")
    assert code == 0, output
    assert "demo-be" in output
    assert "admin@demo.coopkit.test / coopkit-demo" in output
    assert count_tenants(env) == 5
    code, output = run(env, "demo")
    assert code == 0
    assert "created: none" in output
    code, output = run(env, "demo", "--if-new")
    assert "nothing loaded" in output
    assert count_tenants(env) == 5


def test_tenant_and_user_create(env: dict[str, str]) -> None:
    run(env, "db", "upgrade")
    code, output = run(
        env, "tenant", "create", "--slug", "coop-fr", "--name", "Coop FR", "--country", "fr"
    )
    assert code == 0, output
    assert "created branch coop-fr (FR, EUR, fr_FR, en)" in output
    code, output = run(
        env,
        "user",
        "create",
        "--email",
        "Ana@Example.org",
        "--name",
        "Ana",
        "--tenant",
        "coop-fr",
        "--role",
        "staff",
        "--api-token",
        input="long-enough-pw\nlong-enough-pw\n",
    )
    assert code == 0, output
    assert "created user ana@example.org (staff in coop-fr)" in output
    assert "API token (shown once): ck_" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "Bad Slug", "--name", "X", "--country", "be"], "lower-case letters"),
        (["--slug", "pt", "--name", "X", "--country", "pt"], "no plugin serves country 'PT'"),
        (["--slug", "x1", "--name", "X", "--country", "be", "--currency", "EURO"], "ISO 4217"),
        (["--slug", "x2", "--name", "X", "--country", "be", "--locales", "es_ES"], "not offered"),
        (
            ["--slug", "x3", "--name", "X", "--country", "be", "--kind", "member_coop"],
            "needs its parent",
        ),
        (
            [
                "--slug",
                "x4",
                "--name",
                "X",
                "--country",
                "be",
                "--kind",
                "member_coop",
                "--parent",
                "nope",
            ],
            "no cooperative 'nope'",
        ),
    ],
)
def test_tenant_create_refuses_bad_input(
    env: dict[str, str], args: list[str], message: str
) -> None:
    run(env, "db", "upgrade")
    code, output = run(env, "tenant", "create", *args)
    assert code != 0
    assert message in output
    assert "Traceback" not in output
    assert count_tenants(env) == 0


def test_user_create_refuses_bad_input_and_writes_nothing(env: dict[str, str]) -> None:
    run(env, "db", "upgrade")
    code, output = run(
        env,
        "user",
        "create",
        "--email",
        "not-an-email",
        "--name",
        "A",
        "--password",
        "long-enough-pw",
    )
    assert code != 0
    assert "is not an e-mail address" in output
    code, output = run(
        env, "user", "create", "--email", "a@b.org", "--name", "A", "--password", "short"
    )
    assert code != 0
    assert "at least 8 characters" in output
    # A failing membership must not leave the user behind: all or nothing.
    code, output = run(
        env,
        "user",
        "create",
        "--email",
        "a@b.org",
        "--name",
        "A",
        "--password",
        "long-enough-pw",
        "--tenant",
        "missing",
    )
    assert code != 0
    assert "no cooperative 'missing'" in output
    code, output = run(
        env, "user", "create", "--email", "a@b.org", "--name", "A", "--password", "long-enough-pw"
    )
    assert code == 0, output


def test_plugins_lists_first_party_plugins(env: dict[str, str]) -> None:
    code, output = run(env, "plugins", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(output)}
    assert rows["be"]["country"] == "BE"
    assert rows["fr"]["version"] == "0.1.0"
    assert "coopkit_vat_rates" in rows["be"]["hooks"]


def test_plugins_respects_disabled(env: dict[str, str]) -> None:
    code, output = run({**env, "COOPKIT_DISABLED_PLUGINS": "fr"}, "plugins", "--json")
    assert code == 0
    assert [row["name"] for row in json.loads(output)] == ["be", "de"]


def test_bad_settings_are_explained(env: dict[str, str]) -> None:
    code, output = run({**env, "COOPKIT_DEBUG": "maybe"}, "plugins")
    assert code != 0
    assert "COOPKIT_DEBUG" in output


def test_a_broken_country_profile_stops_the_command_with_its_reason(
    env: dict[str, str], tmp_path: Path
) -> None:
    profiles = tmp_path / "profiles" / "be"
    profiles.mkdir(parents=True)
    (profiles / "vat.yaml").write_text(
        "standard:\n  values:\n    - valid_from: 2020-01-01\n      value: 0.21\n",
        encoding="utf-8",
    )
    code, output = run({**env, "COOPKIT_PROFILES_DIR": str(tmp_path / "profiles")}, "plugins")
    assert code != 0
    assert "vat.yaml" in output
    assert "missing source" in output
    assert "Traceback" not in output
