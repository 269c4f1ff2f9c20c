"""The activities API on the demo data: who sees which activity, balances, reservations
with idempotency keys, and problem answers."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.test_web import BOTH, MEMBER_BE, STAFF_BE, Client, assert_problem, bearer

BE = "/api/v1/t/demo-be"
MANAGER_SHARED = "elise.jacobs@demo.coopkit.test"  # manages COLLECTIF in demo-be
WORKER_SHARED = "farid.benali@demo.coopkit.test"  # works in COLLECTIF, does not manage it


@pytest.fixture
def ids(client: Client, token: Callable[[str], str]) -> dict[str, str]:
    """Activity ids of demo-be by code, as staff sees them."""
    answer = client.get(f"{BE}/activities", headers=bearer(token(STAFF_BE)))
    assert answer.status_code == 200, answer.text
    return {a["code"]: a["id"] for a in answer.json()}


def test_staff_list_every_activity_members_only_theirs(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    assert sorted(ids) == ["COLLECTIF", "SOLO-01", "SOLO-02", "SOLO-03", "SOLO-04"]
    mine = client.get(f"{BE}/activities", headers=bearer(token(MEMBER_BE))).json()
    assert [a["code"] for a in mine] == ["SOLO-02"]
    assert mine[0]["people"][0]["role"] == "manager"
    shared = client.get(f"{BE}/activities", headers=bearer(token(WORKER_SHARED))).json()
    assert [(a["code"], len(a["people"])) for a in shared] == [("COLLECTIF", 3)]


def test_balance_for_the_activity_member_and_staff_only(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    url = f"{BE}/activities/{ids['SOLO-02']}/balance"
    answer = client.get(url, headers=bearer(token(MEMBER_BE)))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["currency"] == "EUR"
    # Demo: 2150 paid in full, half of 1070 paid; 6.5 % fee, 2 % contribution.
    assert body["invoiced"] == "3220.00"
    assert body["received"] == "2685.00"
    assert body["fees"] == "174.53"
    assert body["reserved"] == "250.00"
    assert body["available"] == "1081.77"  # 1306.77 − 225.00 (the story's salary of a day)
    assert client.get(url, headers=bearer(token(STAFF_BE))).json() == body
    # Another member of the cooperative: as if it did not exist.
    other = client.get(url, headers=bearer(token(BOTH)))
    assert "no activity" in assert_problem(other, 404)["detail"]
    unknown = client.get(f"{BE}/activities/{uuid.uuid4()}/balance", headers=bearer(token(STAFF_BE)))
    assert_problem(unknown, 404)
    wrong_tenant = client.get(
        f"/api/v1/t/demo-fr/activities/{ids['SOLO-02']}/balance",
        headers=bearer(token("admin.fr@demo.coopkit.test")),
    )
    assert_problem(wrong_tenant, 404)


def reserve(
    client: Client, clear: str, activity: str, body: dict[str, Any], key: str | None
) -> Any:
    headers = bearer(clear) | ({"Idempotency-Key": key} if key else {})
    return client.post(f"{BE}/activities/{activity}/reservations", json=body, headers=headers)


def test_a_reservation_retried_with_its_key_is_made_once(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    clear = token(MANAGER_SHARED)
    shared = ids["COLLECTIF"]
    body = {"amount": "100.00", "description": "Salary of March", "day": "2026-03-01"}
    first = reserve(client, clear, shared, body, "res-1")
    assert first.status_code == 201, first.text
    again = reserve(client, clear, shared, body, "res-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["balance"]["reserved"] == "350.00"
    balance = client.get(f"{BE}/activities/{shared}/balance", headers=bearer(clear)).json()
    assert balance["reserved"] == "350.00"
    changed = reserve(client, clear, shared, {**body, "amount": "100.01"}, "res-1")
    assert "already used for another request" in assert_problem(changed, 422)["detail"]
    without_key = reserve(client, clear, shared, body, None)
    assert without_key.json()["balance"]["reserved"] == "450.00"


def test_a_reservation_beyond_the_funds_is_a_422_problem(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    body = {"amount": "1000000.00", "description": "Too much"}
    answer = reserve(client, token(MEMBER_BE), ids["SOLO-02"], body, "big")
    detail = assert_problem(answer, 422)["detail"]
    assert "may not go below zero" in detail
    # A refused request leaves the key free for a corrected one.
    smaller = reserve(client, token(MEMBER_BE), ids["SOLO-02"], {**body, "amount": "1"}, "big")
    assert smaller.status_code == 201, smaller.text


def test_only_managers_and_staff_move_an_activitys_money(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    body = {"amount": "1.00", "description": "Mine"}
    worker = reserve(client, token(WORKER_SHARED), ids["COLLECTIF"], body, None)
    assert "managers" in assert_problem(worker, 403)["detail"]
    staff = reserve(client, token(STAFF_BE), ids["COLLECTIF"], body, None)
    assert staff.status_code == 201


def test_staff_create_an_activity_with_its_accounts(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    staff = bearer(token(STAFF_BE))
    people = client.get(f"{BE}/members", headers=staff).json()
    bram = next(p["user_id"] for p in people if p["email"] == MEMBER_BE)
    body = {"code": "photo-01", "name": "Photography", "managers": [bram]}
    created = client.post(f"{BE}/activities", json=body, headers=staff)
    assert created.status_code == 201, created.text
    activity = created.json()
    assert (activity["code"], activity["status"]) == ("PHOTO-01", "active")
    balance = client.get(f"{BE}/activities/{activity['id']}/balance", headers=staff).json()
    assert balance["available"] == "0.00"
    again = client.post(f"{BE}/activities", json=body, headers=staff)
    assert "already exists" in assert_problem(again, 422)["detail"]
    stranger = {**body, "code": "X-1", "managers": [str(uuid.uuid4())]}
    assert_problem(client.post(f"{BE}/activities", json=stranger, headers=staff), 422)
    member = client.post(f"{BE}/activities", json=body, headers=bearer(token(MEMBER_BE)))
    assert_problem(member, 403)
