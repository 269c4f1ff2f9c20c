"""``simulateSalary``: the answers of ``coopkit payroll simulate --json``, and clear refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import coopkit_fr
import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from coopkit.cli import cli
from coopkit.payroll import DEFAULT_FEE_RATE, PayInputs, simulate_budget
from coopkit.plugins import PluginHost
from coopkit.web.app import create_app
from tests.conftest import Database
from tests.test_web import BOTH, MEMBER_BE, MEMBER_FR, STAFF_BE, Client, assert_problem, bearer

URL = "/api/v1/t/demo-fr/salary-simulations"
MARCH = date(2026, 3, 1)
Token = Callable[[str], str]


def cli_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli,
        ["payroll", "simulate", "--country", "fr", *args, "--json"],
        env={"COOPKIT_LOAD_PLUGINS": "be,fr"},
    )
    data: dict[str, Any] = json.loads(result.output)
    return data


def post(client: Client, token: Token, body: Any, who: str = MEMBER_FR) -> Any:
    return client.post(URL, json=body, headers=bearer(token(who)))


# -- answers -------------------------------------------------------------------------------


def test_a_budget_gets_the_answer_of_the_command_line(client: Client, token: Token) -> None:
    response = post(client, token, {"month": "2026-03", "budget": "3000", "days": "6"})
    assert response.status_code == 200, response.text
    assert response.json() == cli_json("--month", "2026-03", "--budget", "3000", "--days", "6")
    body = response.json()
    assert body["net_pay"] == "1571.04"
    assert Decimal(body["employer_cost"]) + Decimal(body["fees"]) <= Decimal(3000)
    assert body["fee_rate"] == str(DEFAULT_FEE_RATE)
    assert all(isinstance(body[key], str) for key in ("gross", "net_pay", "budget", "fees"))


def test_a_gross_gets_the_payslip_of_the_command_line(client: Client, token: Token) -> None:
    response = post(client, token, {"month": "2025-06", "gross": "2500", "employees": 10})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == cli_json("--month", "2025-06", "--gross", "2500", "--employees", "10")
    assert body["net_before_income_tax"] == "1978.99"
    assert body["employer_cost"] == "3141.90"
    assert "budget" not in body
    assert "days" not in body


def test_profile_options_and_tax_rate_reach_the_engine(client: Client, token: Token) -> None:
    body = {
        "month": "2026-03",
        "budget": "4200.50",
        "hours": "100",
        "category": "executive",
        "contract": "cdd",
        "accident_rate": "0.012",
        "tax_rate": "0.075",
        "options": {"health_cover_employer": "40", "mobility_rate": "0.0295"},
    }
    response = post(client, token, body)
    assert response.status_code == 200, response.text
    expected = cli_json(
        "--month", "2026-03", "--budget", "4200.50", "--hours", "100",
        "--category", "executive", "--contract", "cdd", "--accident-rate", "0.012",
        "--tax-rate", "0.075",
        "--option", "health_cover_employer=40", "--option", "mobility_rate=0.0295",
    )  # fmt: skip
    assert response.json() == expected
    plain = post(client, token, {"month": "2026-03", "budget": "4200.50", "hours": "100"})
    assert plain.json()["gross"] != response.json()["gross"]
    codes = {line["code"] for line in response.json()["lines"]}
    assert {"health_cover", "mobility"} <= codes


def test_a_budget_below_the_minimum_wage_says_what_is_missing(
    client: Client, token: Token, plugins: PluginHost
) -> None:
    response = post(client, token, {"month": "2026-03", "budget": "300", "days": "6"})
    body = assert_problem(response, 422)
    rules = plugins.payroll_rules("FR")
    hours = rules.hours_for_days(MARCH, Decimal(6))
    expected = simulate_budget(rules, PayInputs(MARCH, (), hours=hours), Decimal(300))
    assert expected.payslip is None
    assert body["shortfall"] == str(expected.shortfall) == "247.87"
    assert body["minimum_gross"] == str(expected.minimum_gross)
    assert body["minimum_total"] == str(expected.minimum_total)
    assert f"{expected.shortfall} is missing" in body["detail"]
    assert "minimum wage" in body["detail"]
    assert body["days"] == "6"
    assert "net_pay" not in body


# -- refusals --------------------------------------------------------------------------------

GOOD = {"month": "2026-03", "budget": "3000", "days": "6"}


@pytest.mark.parametrize(
    ("change", "key", "expected"),
    [
        ({"month": "2019-03"}, "month", "no FR payroll law for 2019-03 in the country profile"),
        ({"month": "June"}, "month", "write it as YYYY-MM"),
        ({"budget": "-10"}, "budget", "-10 is negative"),
        ({"budget": "99999999"}, "budget", "absurd for a month"),
        ({"budget": "3000.001"}, "budget", "more than 2 decimals"),
        ({"budget": "a lot"}, "budget", "'a lot' is not a number"),
        ({"budget": "NaN"}, "budget", "not a finite number"),
        ({"budget": "0"}, "budget", "the budget must be more than 0"),
        ({"contract": "freelance"}, "contract", "contract type 'freelance': use one of cdi, cdd"),
        ({"category": "boss"}, "category", "use one of non-executive, executive"),
        ({"options": {"yacht": "1"}}, "options.yacht", "unknown option(s) yacht for FR"),
        ({"options": {"mobility_rate": "x"}}, "options.mobility_rate", "'x' is not a number"),
        ({"options": {"health_cover_employee": "-5"}}, "options.health_cover_employee", "or more"),
        ({"days": "40"}, "days", "days worked must be between 0 and 31"),
        ({"days": "6", "hours": "42"}, "days", "give days or hours worked, not both"),
        ({"days": None, "hours": "401"}, "hours", "paid hours must be between 0 and 400"),
        ({"tax_rate": "7.5"}, "tax_rate", "7.5 is not a rate"),
        ({"accident_rate": "-0.1"}, "accident_rate", "is not a rate"),
        ({"budget": None}, "budget", "give either a gross pay"),
        ({"gross": "2500"}, "gross", "give either a gross pay"),
    ],
)  # fmt: skip
def test_bad_input_is_a_422_that_names_the_field(
    client: Client, token: Token, change: dict[str, Any], key: str, expected: str
) -> None:
    body = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    problem = assert_problem(post(client, token, body), 422)
    assert expected in problem["detail"]
    assert problem["errors"] == [{"message": problem["detail"], "key": key, "source": "body"}]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"accident_rate": "0.5"}, "accident-at-work rate 0.5 is not plausible"),
        ({"options": {"health_cover_employer": "1.234"}}, "1.234 has more decimals"),
        ({"hours": "42.555", "days": None}, "hours 42.555 has more decimals"),
    ],
)
def test_a_rule_of_the_engine_or_the_country_is_a_422(
    client: Client, token: Token, change: dict[str, Any], expected: str
) -> None:
    body = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    problem = assert_problem(post(client, token, body), 422)
    assert expected in problem["detail"]


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({**GOOD, "budget": 3000}, "budget"),
        ({**GOOD, "budget": 3000.5}, "budget"),
        ({**GOOD, "days": 6}, "days"),
        ({**GOOD, "employees": 0}, "employees"),
        ({**GOOD, "salary": "3000"}, "salary"),
        ({"budget": "3000"}, "month"),
    ],
)
def test_malformed_bodies_are_400_problems(
    client: Client, token: Token, body: dict[str, Any], key: str
) -> None:
    problem = assert_problem(post(client, token, body), 400)
    assert key in json.dumps(problem["errors"])


def test_a_json_number_for_money_says_to_send_a_string(client: Client, token: Token) -> None:
    problem = assert_problem(post(client, token, {**GOOD, "budget": 3000.1}), 400)
    (error,) = problem["errors"]
    assert error["key"] == "budget"
    assert "send it as a JSON string" in error["message"]
    assert '"3000.00"' in error["message"]


# -- who may ask -----------------------------------------------------------------------------


def test_members_of_another_cooperative_get_404_like_an_unknown_one(
    client: Client, token: Token
) -> None:
    foreign = assert_problem(post(client, token, GOOD, who=MEMBER_BE), 404)
    unknown = assert_problem(
        client.post(
            "/api/v1/t/nope/salary-simulations", json=GOOD, headers=bearer(token(MEMBER_BE))
        ),
        404,
    )
    assert foreign["title"] == unknown["title"]
    assert_problem(post(client, token, GOOD, who=STAFF_BE), 404)
    assert post(client, token, GOOD, who=BOTH).status_code == 200


def test_no_token_is_401(client: Client) -> None:
    assert_problem(client.post(URL, json=GOOD), 401)


def test_the_operation_is_documented(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    operation = document["paths"]["/api/v1/t/{slug}/salary-simulations"]["post"]
    assert operation["operationId"] == "simulateSalary"
    assert "application/problem+json" in operation["responses"]["422"]["content"]
    request = document["components"]["schemas"]["SalarySimulationIn"]["properties"]["budget"]
    assert "JSON numbers are refused" in json.dumps(request)
    assert "net_pay" in document["components"]["schemas"]["SalarySimulation"]["properties"]


# -- countries without payroll ---------------------------------------------------------------


def test_a_country_without_a_plugin_is_a_422(demo_db: Database, token: Token) -> None:
    only_belgium = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be"})
    with TestClient(create_app(demo_db.settings, only_belgium)) as other:
        problem = assert_problem(other.post(URL, json=GOOD, headers=bearer(token(MEMBER_FR))), 422)
    assert "no plugin serves country 'FR'" in problem["detail"]


def without_payroll() -> PluginHost:
    """France served by a plugin that has no payroll rules."""
    bare = SimpleNamespace(coopkit_country=coopkit_fr.coopkit_country)
    return PluginHost.from_plugins([("fr-without-payroll", bare)])


def test_a_plugin_without_payroll_rules_is_a_422(demo_db: Database, token: Token) -> None:
    with TestClient(create_app(demo_db.settings, without_payroll())) as other:
        problem = assert_problem(other.post(URL, json=GOOD, headers=bearer(token(MEMBER_FR))), 422)
    assert "no payroll rules for FR" in problem["detail"]
    assert "does not implement coopkit_payroll_rules" in problem["detail"]
