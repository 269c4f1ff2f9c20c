"""``coopkit payroll``: simulate (forwards and from a budget) and batch, through click's runner."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopkit.cli import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={"COOPKIT_LOAD_PLUGINS": "be,fr"})
    return result.exit_code, result.output


def run_batch(tmp_path: Path, country: str, table: str) -> tuple[int, str, Path]:
    """Run ``payroll batch`` for June 2025 on ``table`` (CSV text); returns the output file."""
    source = tmp_path / "people.csv"
    source.write_text(table, encoding="utf-8")
    target = tmp_path / "payslips.csv"
    code, output = run(
        "payroll",
        "batch",
        "--country",
        country,
        "--month",
        "2025-06",
        "--input",
        str(source),
        "--output",
        str(target),
    )
    return code, output, target


FIELDS = {
    "gross",
    "employee_contributions",
    "net_before_income_tax",
    "income_tax_withheld",
    "net_pay",
    "employer_contributions",
    "employer_cost",
    "lines",
}


@pytest.mark.parametrize(
    "command", [["payroll"], ["payroll", "simulate"], ["payroll", "batch"]], ids=" ".join
)
def test_help(command: list[str]) -> None:
    code, output = run(*command, "--help")
    assert code == 0
    assert "Usage:" in output


def test_simulate_forwards_json() -> None:
    code, output = run(
        "payroll",
        "simulate",
        "--country",
        "fr",
        "--month",
        "2025-06",
        "--gross",
        "2500",
        "--contract",
        "cdi",
        "--category",
        "non-executive",
        "--hours",
        "151.67",
        "--employees",
        "10",
        "--accident-rate",
        "0.009",
        "--json",
    )
    assert code == 0, output
    data = json.loads(output)
    assert set(data) >= FIELDS
    assert data["net_before_income_tax"] == "1978.99"
    assert data["employer_cost"] == "3141.90"
    assert all(isinstance(data[name], str) for name in FIELDS - {"lines"})
    assert {line["code"] for line in data["lines"]} >= {"csg_deductible", "general_reduction"}


def test_simulate_from_a_budget_json() -> None:
    code, output = run(
        "payroll",
        "simulate",
        "--country",
        "fr",
        "--month",
        "2026-03",
        "--budget",
        "3000",
        "--days",
        "6",
        "--json",
    )
    assert code == 0, output
    data = json.loads(output)
    assert FIELDS | {"budget", "fees"} <= set(data)
    total = Decimal(data["employer_cost"]) + Decimal(data["fees"])
    assert total <= Decimal(3000)
    assert data["fees"] == str(
        (Decimal(data["employer_cost"]) * Decimal("0.065")).quantize(
            Decimal("0.01"), "ROUND_HALF_UP"
        )
    )


def test_simulate_table_without_json() -> None:
    code, output = run(
        "payroll", "simulate", "--country", "fr", "--month", "2025-06", "--gross", "2500"
    )
    assert code == 0, output
    assert "net pay" in output


def test_budget_below_the_minimum_wage() -> None:
    code, output = run(
        "payroll",
        "simulate",
        "--country",
        "fr",
        "--month",
        "2026-03",
        "--budget",
        "300",
        "--days",
        "6",
        "--json",
    )
    assert code == 2
    data = json.loads(output)
    assert "minimum wage" in data["error"]
    assert Decimal(data["shortfall"]) > 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--country", "fr", "--month", "2019-01", "--gross", "2500"],
            "no FR payroll law for 2019-01",
        ),
        (
            ["--country", "fr", "--month", "2019-01", "--budget", "3000", "--days", "6"],
            "no FR payroll law for 2019-01",
        ),
        (
            ["--country", "fr", "--month", "2025-06", "--gross", "2500", "--tax-rate", "7.5"],
            "7.5 is not a rate",
        ),
        (
            ["--country", "fr", "--month", "2025-06", "--budget", "0"],
            "the budget must be more than 0",
        ),
        (["--country", "fr", "--month", "2025-06", "--gross", "-10"], "negative"),
        (["--country", "fr", "--month", "2025-06", "--gross", "99999999"], "absurd"),
        (
            ["--country", "fr", "--month", "2025-06", "--gross", "2500", "--contract", "x"],
            "use one of cdi, cdd",
        ),
        (
            ["--country", "zz", "--month", "2025-06", "--gross", "2500"],
            "no plugin serves country 'ZZ'",
        ),
        (
            ["--country", "be", "--month", "2025-06", "--gross", "2500", "--category", "executive"],
            "use one of white-collar, blue-collar",
        ),
        (
            ["--country", "be", "--month", "2024-06", "--gross", "2500"],
            "no BE payroll law for 2024-06",
        ),
        (["--country", "fr", "--month", "June", "--gross", "2500"], "YYYY-MM"),
        (["--country", "fr", "--month", "2025-06"], "either --gross"),
    ],
)
def test_bad_input_says_what_to_fix(args: list[str], expected: str) -> None:
    code, output = run("payroll", "simulate", *args)
    assert code != 0
    assert expected in output


def test_batch(tmp_path: Path) -> None:
    code, output, target = run_batch(
        tmp_path,
        "fr",
        "id,gross,hours,contract,category,employees,tax_rate\n"
        "ana,2500,,,,10,\n"
        "ben,1200,80,cdd,,10,\n"
        "cleo,11775,,,executive,60,0.1\n",
    )
    assert code == 0, output
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["ana", "ben", "cleo"]
    assert rows[0]["net_before_income_tax"] == "1978.99"
    assert rows[0]["employer_cost"] == "3141.90"
    assert rows[1]["employer_cost"] == "1447.27"
    assert rows[2]["employer_cost"] == "16922.91"


def test_batch_bad_row(tmp_path: Path) -> None:
    code, output, _target = run_batch(
        tmp_path,
        "fr",
        "id,gross\nana,2500\nben,-3\n",
    )
    assert code != 0
    assert "row 3: gross '-3' is negative" in output


def test_belgium_forwards_json() -> None:
    code, output = run(
        "payroll",
        "simulate",
        "--country",
        "be",
        "--month",
        "2025-06",
        "--gross",
        "2500",
        "--json",
    )
    assert code == 0, output
    data = json.loads(output)
    assert data["category"] == "white-collar"  # the country's default, not France's
    assert data["net_pay"] == "2093.20"
    assert data["employer_cost"] == "3125.00"
    assert {line["code"] for line in data["lines"]} >= {
        "personal",
        "work_bonus_a",
        "work_bonus_b",
        "special_contribution",
        "fiscal_work_bonus",
    }


def test_belgium_family_options() -> None:
    code, output = run(
        "payroll",
        "simulate",
        "--country",
        "be",
        "--month",
        "2025-06",
        "--gross",
        "3500",
        "--option",
        "family=partner-without-income",
        "--json",
    )
    assert code == 0, output
    assert json.loads(output)["income_tax_withheld"] == "263.89"
    code, output = run(
        "payroll",
        "simulate",
        "--country",
        "be",
        "--month",
        "2025-06",
        "--gross",
        "3500",
        "--option",
        "children=many",
    )
    assert code != 0
    assert "children: 'many' is not a number" in output


def test_belgium_budget_and_shortfall() -> None:
    args = ["payroll", "simulate", "--country", "be", "--month", "2026-03", "--days", "6"]
    code, output = run(*args, "--budget", "3000", "--json")
    assert code == 0, output
    data = json.loads(output)
    assert Decimal(data["employer_cost"]) + Decimal(data["fees"]) <= Decimal(3000)
    assert data["hours"] == "45.6"
    code, output = run(*args, "--budget", "500", "--json")
    assert code == 2
    data = json.loads(output)
    assert data["minimum_gross"] == "584.82"
    assert Decimal(data["shortfall"]) > 0


def test_belgium_batch(tmp_path: Path) -> None:
    code, output, target = run_batch(
        tmp_path,
        "be",
        "id,gross,hours,category,family,children\n"
        "ana,2500,,,,\n"
        "ben,3500,,,partner-without-income,\n"
        "cleo,3000,,blue-collar,,\n"
        "dan,3500,,,,2\n",
    )
    assert code == 0, output
    rows = {row["id"]: row for row in csv.DictReader(target.open(encoding="utf-8"))}
    assert rows["ana"]["net_pay"] == "2093.20"
    assert rows["ben"]["income_tax_withheld"] == "263.89"
    assert rows["cleo"]["employer_contributions"] == "1323.22"
    assert rows["dan"]["income_tax_withheld"] == "452.56"


def test_belgium_batch_bad_family(tmp_path: Path) -> None:
    code, output, _target = run_batch(
        tmp_path,
        "be",
        "id,gross,family\nana,2500,married\n",
    )
    assert code != 0
    assert "unknown family situation 'married'" in output
