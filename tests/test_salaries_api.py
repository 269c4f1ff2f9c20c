"""The salary requests API on the demo data: a member asks, staff approve (four eyes),
idempotent replays, refusals as problem+json, tenants apart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.test_web import ADMIN, BOTH, MEMBER_BE, STAFF_BE, Client, assert_problem, bearer

BE = "/api/v1/t/demo-be"
FR = "/api/v1/t/demo-fr"
CHLOE = "chloe.dubois@demo.coopkit.test"  # runs SOLO-03 in demo-be


@pytest.fixture
def ids(client: Client, token: Callable[[str], str]) -> dict[str, str]:
    answer = client.get(f"{BE}/activities", headers=bearer(token(STAFF_BE)))
    return {a["code"]: a["id"] for a in answer.json()}


def body(activity: str, **changes: str) -> dict[str, str]:
    return {
        "activity_id": activity,
        "period_start": "2026-03-02",
        "period_end": "2026-03-03",
        "days": "2",
        "gross": "250.00",
        **changes,
    }


def ask(client: Client, clear: str, sent: dict[str, str], key: str | None = None) -> Any:
    headers = bearer(clear) | ({"Idempotency-Key": key} if key else {})
    return client.post(f"{BE}/salary-requests", json=sent, headers=headers)


def test_a_member_asks_and_staff_approve(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    bram = token(MEMBER_BE)
    # The demo story's day of salary on SOLO-02 (coopkit.demo_salaries), approved already
    story = client.get(f"{BE}/salary-requests", headers=bearer(bram)).json()
    assert [(r["status"], r["gross"]) for r in story] == [("approved", "180.00")]
    made = ask(client, bram, body(ids["SOLO-02"]), key="salary-1")
    assert made.status_code == 201, made.text
    request = made.json()
    assert request["status"] == "requested"
    assert request["gross"] == "250.00"
    assert request["hours"] == "15.20"  # 2 days × 7.6 h in Belgium
    assert request["expected_due_date"] == "2026-03-10"
    assert request["due_date"] is None
    assert request["from_funds"] == request["employer_cost"]
    again = ask(client, bram, body(ids["SOLO-02"]), key="salary-1")
    assert again.json() == request
    assert again.headers["Idempotent-Replayed"] == "true"
    # Days already asked for are refused, naming the other request.
    overlap = assert_problem(ask(client, bram, body(ids["SOLO-02"])), 409)
    assert overlap["other"] == request["id"]
    # A member may not approve; staff may.
    url = f"{BE}/salary-requests/{request['id']}/approval"
    assert_problem(client.post(url, headers=bearer(bram)), 403)
    staff = bearer(token(STAFF_BE)) | {"Idempotency-Key": "approve-1"}
    approved = client.post(url, headers=staff)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["due_date"] == "2026-03-10"
    assert approved.json()["payslip_id"] is not None
    replay = client.post(url, headers=staff)
    assert replay.json() == approved.json()
    mine = client.get(f"{BE}/salary-requests", headers=bearer(bram)).json()
    # by the end of the period: this one in March, the story's later (today − 45 days)
    assert [r["id"] for r in mine] == [request["id"], story[0]["id"]]
    queue = client.get(
        f"{BE}/salary-requests?status=requested", headers=bearer(token(STAFF_BE))
    ).json()
    assert request["id"] not in [r["id"] for r in queue]


def test_refusals_are_problems(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    bram = token(MEMBER_BE)
    too_much = assert_problem(ask(client, bram, body(ids["SOLO-02"], gross="90000.00")), 422)
    assert float(too_much["missing"]) > 0  # a readable figure; exact in the service tests
    assert too_much["currency"] == "EUR"
    assert too_much["reasons"]
    months = assert_problem(ask(client, bram, body(ids["SOLO-02"], period_end="2026-04-01")), 422)
    assert months["errors"][0]["key"] == "period_end"
    words = assert_problem(ask(client, bram, body(ids["SOLO-02"], days="two")), 422)
    assert words["errors"][0]["key"] == "days"
    # Somebody else's activity is not there; a member asks for themself only.
    assert_problem(ask(client, token(CHLOE), body(ids["SOLO-02"])), 404)
    me = client.get("/api/v1/me", headers=bearer(token(CHLOE))).json()
    other = assert_problem(ask(client, bram, body(ids["SOLO-02"], member_id=me["id"])), 422)
    assert other["errors"][0]["key"] == "member_id"


def test_reject_cancel_and_tenants_apart(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    bram = token(MEMBER_BE)
    first = ask(client, bram, body(ids["SOLO-02"])).json()
    url = f"{BE}/salary-requests/{first['id']}"
    staff = bearer(token(STAFF_BE))
    assert_problem(client.post(f"{url}/rejection", json={"reason": ""}, headers=staff), 422)
    rejected = client.post(f"{url}/rejection", json={"reason": "Not worked"}, headers=staff)
    assert rejected.json()["status"] == "rejected"
    assert_problem(client.post(f"{url}/rejection", json={"reason": "Again"}, headers=staff), 409)
    second = ask(client, bram, body(ids["SOLO-02"])).json()
    url = f"{BE}/salary-requests/{second['id']}"
    assert_problem(client.post(f"{url}/cancellation", json={}, headers=staff), 404)
    cancelled = client.post(f"{url}/cancellation", json={}, headers=bearer(bram))
    assert cancelled.json()["status"] == "cancelled"
    # Another member of demo-be, and demo-fr's people, do not see it.
    assert_problem(client.get(url, headers=bearer(token(CHLOE))), 404)
    assert_problem(
        client.get(f"{FR}/salary-requests/{second['id']}", headers=bearer(token(BOTH))), 404
    )
    assert client.get(f"{FR}/salary-requests", headers=bearer(token(BOTH))).json() == []
    assert client.get(url, headers=bearer(token(ADMIN))).status_code == 200
