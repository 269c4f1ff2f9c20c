"""``coopkit ledger``: open books, check the invariants over a live ledger, print a balance."""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from coopkit.db.engine import make_engine
from tests.test_cli import env, run  # noqa: F401  (fixture)


@pytest.mark.parametrize(
    "command",
    [
        "ledger",
        "ledger open-books",
        "ledger check",
        "ledger balance",
        "ledger export",
        "ledger rebuild-balances",
        "tenant set-company-id",
    ],
)
def test_ledger_commands_have_help(command: str, env: dict[str, str]) -> None:  # noqa: F811
    code, output = run(env, *command.split(), "--help")
    assert code == 0
    assert "Usage:" in output


def test_check_balance_and_open_books_on_the_demo(demo_env: dict[str, str]) -> None:
    code, output = run(demo_env, "ledger", "check", "--tenant", "demo-fr")
    assert code == 0, output
    assert "the ledger holds" in output
    code, output = run(
        demo_env, "ledger", "balance", "--tenant", "demo-be", "--activity", "solo-02"
    )
    assert code == 0, output
    assert "available" in output
    # 1306.77 − 225.00, the employer cost of the demo story's day of salary on SOLO-02
    assert "1081.77" in output.split("available")[1].splitlines()[0]
    code, output = run(demo_env, "ledger", "open-books", "--tenant", "demo-be")
    assert (code, output.strip()) == (0, "demo-be: 0 account(s) added")


def test_user_errors_exit_non_zero_with_a_message(demo_env: dict[str, str]) -> None:
    code, output = run(demo_env, "ledger", "balance", "--tenant", "demo-be", "--activity", "nope")
    assert code == 1
    assert "no activity 'nope' in demo-be" in output
    code, output = run(demo_env, "ledger", "check", "--tenant", "nowhere")
    assert code == 1
    assert "no cooperative 'nowhere'" in output


def test_check_finds_a_line_written_behind_the_ledgers_back(demo_env: dict[str, str]) -> None:
    engine = make_engine(demo_env["COOPKIT_DATABASE_URL"])
    with engine.begin() as conn:
        tenant, entry, account = conn.execute(
            text(
                "SELECT l.tenant_id, l.entry_id, l.account_id FROM journal_lines l "
                "JOIN tenants t ON t.id = l.tenant_id WHERE t.slug = 'demo-be' LIMIT 1"
            )
        ).one()
        conn.execute(
            text(
                "INSERT INTO journal_lines (tenant_id, id, entry_id, account_id, amount, currency) "
                "VALUES (:t, :i, :e, :a, 10000, 'EUR')"
            ),
            {"t": tenant, "i": uuid.uuid4().hex, "e": entry, "a": account},
        )
    engine.dispose()
    code, output = run(demo_env, "ledger", "check", "--tenant", "demo-be")
    assert code == 1
    assert "does not balance in EUR: off by 1.0000" in output
    assert "balances in EUR sum to 1.0000, not 0" in output


# -- exports, running balances, company numbers -------------------------------------------


def test_export_csv_to_standard_output(demo_env: dict[str, str]) -> None:
    code, output = run(
        demo_env, "ledger", "export", "--tenant", "demo-be", "--from", "2026-01-01",
        "--to", "2026-01-31",
    )  # fmt: skip
    assert code == 0, output
    rows = list(csv.DictReader(io.StringIO(output)))
    assert rows, output
    assert {row["day"][:7] for row in rows} == {"2026-01"}
    debit = sum(Decimal(row["debit"]) for row in rows)
    assert debit == sum(Decimal(row["credit"]) for row in rows) > 0


def test_export_fec_to_its_official_name(
    demo_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run(
        demo_env, "ledger", "export", "--tenant", "demo-fr", "--format", "fec",
        "--from", "2026-01-01", "--to", "2026-12-31",
    )  # fmt: skip
    assert code == 0, output
    written = tmp_path / "123456782FEC20261231.txt"
    assert f"FEC written to {written.name}" in output
    records = written.read_bytes().decode("iso8859_15").split("\r\n")
    assert records[0].split("\t")[:3] == ["JournalCode", "JournalLib", "EcritureNum"]
    assert any(r.startswith("VT\tVentes\tVT000001\t2026") for r in records)


def test_export_refusals_exit_non_zero(demo_env: dict[str, str]) -> None:
    code, output = run(
        demo_env, "ledger", "export", "--tenant", "demo-be", "--format", "fec",
        "--from", "2026-01-01", "--to", "2026-12-31",
    )  # fmt: skip
    assert code == 1
    assert "demo-be is a cooperative of BE" in output
    assert "--format csv" in output
    code, output = run(
        demo_env, "ledger", "export", "--tenant", "demo-be", "--from", "2026-02-01",
        "--to", "2026-01-01",
    )  # fmt: skip
    assert code == 1
    assert "ends (2026-01-01) before it starts (2026-02-01)" in output


def test_rebuild_balances_repairs_what_check_finds(demo_env: dict[str, str]) -> None:
    engine = make_engine(demo_env["COOPKIT_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE account_balances SET balance = balance + 100 WHERE tenant_id = "
                "(SELECT id FROM tenants WHERE slug = 'demo-fr')"
            )
        )
    engine.dispose()
    code, output = run(demo_env, "ledger", "check", "--tenant", "demo-fr")
    assert code == 1
    assert "the running balance is" in output
    code, output = run(demo_env, "ledger", "rebuild-balances", "--tenant", "demo-fr")
    assert code == 0, output
    assert "running balance(s) rebuilt" in output
    assert run(demo_env, "ledger", "check", "--tenant", "demo-fr")[0] == 0


def test_set_company_id_checks_the_number(demo_env: dict[str, str]) -> None:
    code, output = run(
        demo_env, "tenant", "set-company-id", "--slug", "demo-fr", "--company-id", "123 456 789"
    )
    assert code == 1
    assert "SIREN" in output
    code, output = run(
        demo_env, "tenant", "set-company-id", "--slug", "demo-fr", "--company-id", "732 829 320"
    )
    assert (code, output.strip()) == (0, "demo-fr: company number 732829320")
