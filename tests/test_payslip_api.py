"""Payslips in the JSON API: createPayslip, getPayslip, listPayslips.

Against the demo (coopkit.demo): the French branch demo-fr has issued payslips
to Alice Moreau (June and July 2025), Baptiste Girard (June, corrected once)
and Camille Roux (June). Amélie Claes belongs to both branches and has none in
demo-fr. The demo story (coopkit.demo_salaries, dated from the day the demo is
loaded) adds one payslip per approved salary request in each branch: in demo-fr
Baptiste Girard's (SOLO-02) and Alice Moreau's (SOLO-01), in demo-be Bram
Peeters' and Amélie Claes'.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from coopkit.db.tenancy import tenant_scope
from coopkit.payslips.models import Payslip
from coopkit.people.models import User
from coopkit.plugins import PluginHost
from coopkit.salaries.models import SalaryRequest
from coopkit.tenants.models import Tenant
from coopkit.web.app import create_app
from tests.conftest import Client, Database
from tests.test_web import ADMIN, BOTH, MEMBER_FR, assert_problem, bearer

STAFF_FR = "staff.fr@demo.coopkit.test"
PAYSLIPS = "/api/v1/t/demo-fr/payslips"


def user_id(database: Database, email: str) -> uuid.UUID:
    with database.sessions() as db:
        found = db.scalar(select(User.id).where(User.email == email))
    assert found is not None, email
    return found


def demo_payslips(database: Database, member: str, month: dt.date | None = None) -> list[Payslip]:
    """The demo payslips of a member of demo-fr (of one month if given), originals first."""
    with database.sessions() as db:
        tenant = db.scalars(select(Tenant).where(Tenant.slug == "demo-fr")).one()
        query = select(Payslip).where(Payslip.member_name == member)
        if month is not None:
            query = query.where(Payslip.month == month)
        with tenant_scope(db, tenant.id):
            rows = db.scalars(query.order_by(Payslip.month, Payslip.corrects_id.is_not(None))).all()
    return list(rows)


def story_payslips(database: Database, slug: str) -> list[Payslip]:
    """The payslips of the demo story's salary requests in a branch (one per request)."""
    with database.sessions() as db:
        tenant = db.scalars(select(Tenant).where(Tenant.slug == slug)).one()
        with tenant_scope(db, tenant.id):
            ids = select(SalaryRequest.payslip_id)
            rows = db.scalars(select(Payslip).where(Payslip.id.in_(ids))).all()
    assert len(rows) == 2, slug
    return list(rows)


def worked_in(database: Database, payslip: Payslip) -> dt.date:
    """The first day of the month the story's salary request behind ``payslip`` was worked in."""
    with database.sessions() as db, tenant_scope(db, payslip.tenant_id):
        request = db.scalars(
            select(SalaryRequest).where(SalaryRequest.payslip_id == payslip.id)
        ).one()
        return request.period_start.replace(day=1)


@pytest.fixture
def staff(token: Callable[[str], str]) -> dict[str, str]:
    return bearer(token(STAFF_FR))


def amelie_in_june(demo_db: Database, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "member_id": str(user_id(demo_db, BOTH)),
        "month": "2025-06",
        "gross": "2500.00",
    }
    return {**body, **changes}


# -- createPayslip ---------------------------------------------------------------------


def test_staff_issue_a_payslip(client: Client, staff: dict[str, str], demo_db: Database) -> None:
    response = client.post(
        PAYSLIPS,
        json=amelie_in_june(demo_db, hours="120", tax_rate="0.05", contract="cdd"),
        headers=staff,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"{PAYSLIPS}/{body['id']}"
    assert (body["member_name"], body["month"], body["country"]) == (
        "Amélie Claes",
        "2025-06",
        "FR",
    )
    assert (body["contract"], body["hours"], body["tax_rate"]) == ("cdd", "120", "0.05")
    totals = {name: Decimal(value) for name, value in body["totals"].items()}
    assert totals["gross"] == Decimal("2500.00")
    assert (
        totals["net_pay"]
        == totals["gross"] - totals["employee_contributions"] - (totals["income_tax_withheld"])
    )
    assert totals["employer_cost"] == totals["gross"] + totals["employer_contributions"]
    assert body["totals"]["net_pay"].count(".") == 1  # exact decimals as strings, 2 places
    assert len(body["totals"]["net_pay"].split(".")[1]) == 2
    line = next(line for line in body["lines"] if line["code"] == "old_age_capped")
    assert line["parameter"] == "payroll_social_security.old_age_capped_employer"
    assert line["parameter_value"] == line["employer_rate"]
    assert "CSS" in line["source"]
    assert body["issued_by"] == str(user_id(demo_db, STAFF_FR))
    assert body["corrects"] is None
    assert body["corrected_by"] is None


def test_gross_lines_with_hours_times_a_rate(
    client: Client, staff: dict[str, str], demo_db: Database
) -> None:
    lines = [
        {"code": "hours", "label": "Hours", "quantity": "100", "unit_rate": "20.5"},
        {"code": "bonus", "label": "Bonus", "amount": "150.00"},
    ]
    response = client.post(
        PAYSLIPS, json=amelie_in_june(demo_db, gross=None, gross_lines=lines), headers=staff
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert [line["amount"] for line in body["gross_lines"]] == ["2050.00", "150.00"]
    assert body["totals"]["gross"] == "2200.00"


def test_a_member_may_not_issue_payslips(
    client: Client, token: Callable[[str], str], demo_db: Database
) -> None:
    response = client.post(PAYSLIPS, json=amelie_in_june(demo_db), headers=bearer(token(BOTH)))
    assert_problem(response, 403)


def test_staff_of_another_cooperative_find_nothing_there(
    client: Client, token: Callable[[str], str], demo_db: Database
) -> None:
    response = client.post(PAYSLIPS, json=amelie_in_june(demo_db), headers=bearer(token(ADMIN)))
    assert_problem(response, 404)


@pytest.mark.parametrize(
    ("changes", "key", "says"),
    [
        ({"month": "2019-01"}, "month", "no FR payroll law for 2019-01"),
        ({"month": "2025-13"}, "month", "YYYY-MM"),
        ({"contract": "freelance"}, "contract", "use one of cdi, cdd"),
        ({"gross": "-10"}, "gross", "negative"),
        ({"gross": "99999999"}, "gross", "not plausible"),
        ({"gross": "NaN"}, "gross", "not a number"),
        ({"gross": None}, "gross", "either gross"),
        ({"gross_lines": [{"amount": "1"}]}, "gross", "either gross"),
        ({"hours": "-1"}, "hours", "more than 0"),
        ({"tax_rate": "7.5"}, "tax_rate", "between 0 and 1"),
        ({"options": {"yacht": "1"}}, "options", "unknown option"),
        ({"member_id": str(uuid.uuid4())}, "member", "no member"),
        ({"corrects": str(uuid.uuid4())}, "corrects", "no payslip"),
    ],
)
def test_bad_input_is_a_422_problem_saying_what_to_fix(
    client: Client,
    staff: dict[str, str],
    demo_db: Database,
    changes: dict[str, Any],
    key: str,
    says: str,
) -> None:
    response = client.post(PAYSLIPS, json=amelie_in_june(demo_db, **changes), headers=staff)
    body = assert_problem(response, 422)
    assert says in body["detail"]
    assert body["errors"] == [{"key": key, "message": body["detail"]}]


@pytest.mark.parametrize(
    "changes",
    [
        {"member_id": "alice"},
        {"month": "June"},
        {"gross": [1]},
        {"colour": "blue"},
        {"employees": "x"},
    ],
)
def test_malformed_input_is_a_400_problem(
    client: Client, staff: dict[str, str], demo_db: Database, changes: dict[str, Any]
) -> None:
    body = assert_problem(
        client.post(PAYSLIPS, json=amelie_in_june(demo_db, **changes), headers=staff), 400
    )
    assert body["errors"]


def test_a_second_original_is_a_409_and_a_retry_changes_nothing(
    client: Client, staff: dict[str, str], demo_db: Database
) -> None:
    first = client.post(PAYSLIPS, json=amelie_in_june(demo_db), headers=staff)
    assert first.status_code == 201
    retry = client.post(PAYSLIPS, json=amelie_in_june(demo_db), headers=staff)
    body = assert_problem(retry, 409)
    assert body["existing"] == first.json()["id"]
    assert "issue a correction" in body["detail"]
    listed = client.get(
        PAYSLIPS, params={"member_id": amelie_in_june(demo_db)["member_id"]}, headers=staff
    )
    assert [p["id"] for p in listed.json()] == [first.json()["id"]]


def test_corrections_through_the_api(
    client: Client, staff: dict[str, str], demo_db: Database
) -> None:
    original = client.post(PAYSLIPS, json=amelie_in_june(demo_db), headers=staff).json()
    fixed = client.post(
        PAYSLIPS,
        json=amelie_in_june(demo_db, gross="2700.00", corrects=original["id"]),
        headers=staff,
    )
    assert fixed.status_code == 201, fixed.text
    assert fixed.json()["corrects"] == original["id"]
    again = client.get(f"{PAYSLIPS}/{original['id']}", headers=staff).json()
    assert again["corrected_by"] == fixed.json()["id"]
    assert again["totals"] == original["totals"]  # the original is untouched
    twice = client.post(
        PAYSLIPS, json=amelie_in_june(demo_db, corrects=original["id"]), headers=staff
    )
    assert assert_problem(twice, 409)["existing"] == fixed.json()["id"]
    elsewhere = client.post(
        PAYSLIPS,
        json=amelie_in_june(demo_db, month="2025-07", corrects=fixed.json()["id"]),
        headers=staff,
    )
    assert assert_problem(elsewhere, 422)["errors"][0]["key"] == "corrects"


def test_a_country_without_its_plugin_is_a_422_problem(
    demo_db: Database, token: Callable[[str], str]
) -> None:
    only_belgium = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be"})
    with TestClient(create_app(demo_db.settings, only_belgium)) as client:
        response = client.post(
            PAYSLIPS, json=amelie_in_june(demo_db), headers=bearer(token(STAFF_FR))
        )
    body = assert_problem(response, 422)
    assert "no plugin serves country 'FR'" in body["detail"]


# -- getPayslip and listPayslips ---------------------------------------------------------


def test_a_member_reads_their_own_payslips_only(
    client: Client, token: Callable[[str], str], demo_db: Database
) -> None:
    alice = bearer(token(MEMBER_FR))
    own = demo_payslips(demo_db, "Alice Moreau")
    listed = client.get(PAYSLIPS, headers=alice).json()
    assert {p["id"] for p in listed} == {str(p.id) for p in own}
    # newest first: the story's salary on SOLO-01 (coopkit.demo_salaries), July, June 2025
    (story,) = [p for p in own if p.salary_request_id is not None]
    assert [p["month"] for p in listed] == [
        f"{worked_in(demo_db, story):%Y-%m}",
        "2025-07",
        "2025-06",
    ]
    # Asking for somebody else's list still gives one's own.
    camille = demo_payslips(demo_db, "Camille Roux")[0]
    listed = client.get(PAYSLIPS, params={"member_id": str(camille.user_id)}, headers=alice)
    assert {p["id"] for p in listed.json()} == {str(p.id) for p in own}
    mine = client.get(f"{PAYSLIPS}/{own[0].id}", headers=alice)
    assert mine.status_code == 200
    assert mine.json()["member_name"] == "Alice Moreau"
    assert_problem(client.get(f"{PAYSLIPS}/{camille.id}", headers=alice), 404)
    assert_problem(client.get(f"{PAYSLIPS}/{uuid.uuid4()}", headers=alice), 404)


def test_staff_read_every_payslip_with_its_corrections(
    client: Client, staff: dict[str, str], demo_db: Database
) -> None:
    original, correction = demo_payslips(demo_db, "Baptiste Girard", dt.date(2025, 6, 1))
    listed = {p["id"]: p for p in client.get(PAYSLIPS, headers=staff).json()}
    assert len(listed) == 7  # the demo's five, and one per salary request of the story
    assert listed[str(original.id)]["corrected_by"] == str(correction.id)
    assert listed[str(correction.id)]["corrects"] == str(original.id)
    june = client.get(PAYSLIPS, params={"month": "2025-06"}, headers=staff).json()
    assert {p["month"] for p in june} == {"2025-06"}
    assert len(june) == 4
    body = client.get(f"{PAYSLIPS}/{correction.id}", headers=staff).json()
    assert [g["code"] for g in body["gross_lines"]] == ["salary", "bonus"]
    assert body["hours"] == "120"


def test_another_cooperatives_payslip_is_invisible_through_the_api(
    client: Client, token: Callable[[str], str], demo_db: Database
) -> None:
    payslip = demo_payslips(demo_db, "Alice Moreau")[0]
    # Amélie is a member of both branches, the Belgian admin staff of demo-be only.
    for email, slug in ((BOTH, "demo-be"), (ADMIN, "demo-be"), (ADMIN, "demo-fr")):
        response = client.get(
            f"/api/v1/t/{slug}/payslips/{payslip.id}", headers=bearer(token(email))
        )
        assert_problem(response, 404)
    # demo-be lists its own: the two of the demo story there, none of demo-fr's
    listed = client.get("/api/v1/t/demo-be/payslips", headers=bearer(token(ADMIN))).json()
    assert {p["id"] for p in listed} == {str(p.id) for p in story_payslips(demo_db, "demo-be")}


def test_the_openapi_document_describes_the_payslip_operations(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    operations = {
        operation["operationId"]: (method, path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert operations["createPayslip"] == ("post", "/api/v1/t/{slug}/payslips")
    assert operations["getPayslip"] == ("get", "/api/v1/t/{slug}/payslips/{payslip_id}")
    assert operations["listPayslips"] == ("get", "/api/v1/t/{slug}/payslips")
    create = document["paths"]["/api/v1/t/{slug}/payslips"]["post"]
    assert "201" in create["responses"]
    assert create["requestBody"]["required"] is True


def test_months_are_stored_as_their_first_day(demo_db: Database) -> None:
    alice = demo_payslips(demo_db, "Alice Moreau")
    (story,) = [p for p in alice if p.salary_request_id is not None]
    assert {p.month for p in alice} == {
        dt.date(2025, 6, 1),
        dt.date(2025, 7, 1),
        worked_in(demo_db, story),  # the story's salary on SOLO-01: the first of its month
    }
