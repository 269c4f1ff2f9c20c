"""The expenses API on the demo data: multipart claims with receipts, idempotent replays,
four eyes, the activity's money, and problem answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from coopkit.demo_receipts import receipt_pdf, receipt_png
from tests.test_web import MEMBER_BE, STAFF_BE, Client, assert_problem, bearer

BE = "/api/v1/t/demo-be"
ADMIN_BE = "admin@demo.coopkit.test"
CHLOE = "chloe.dubois@demo.coopkit.test"  # runs SOLO-03 in demo-be
PNG = receipt_png()


@pytest.fixture
def ids(client: Client, token: Callable[[str], str]) -> dict[str, str]:
    answer = client.get(f"{BE}/activities", headers=bearer(token(STAFF_BE)))
    return {a["code"]: a["id"] for a in answer.json()}


def form(activity: str, **changes: str) -> dict[str, str]:
    return {
        "activity_id": activity,
        "day": "2026-03-05",
        "supplier": "Papeterie Centrale",
        "description": "Sketchbooks",
        "category": "general",
        "net": "40.00",
        "vat_rate": "standard",
        **changes,
    }


def create(
    client: Client,
    clear: str,
    fields: dict[str, str],
    files: list[tuple[str, bytes]] | None = None,
    key: str | None = None,
) -> Any:
    chosen = [("t.png", PNG)] if files is None else files or [("", b"")]  # as a browser sends
    sent = [("receipts", (name, content)) for name, content in chosen]
    headers = bearer(clear) | ({"Idempotency-Key": key} if key else {})
    return client.post(f"{BE}/expenses", data=fields, files=sent, headers=headers)


def test_a_member_claims_an_expense_with_receipts(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    bram = token(MEMBER_BE)
    pdf = receipt_pdf(["Papeterie Centrale", "Total 48.40"])
    made = create(client, bram, form(ids["SOLO-02"]), [("ticket.png", PNG), ("bill.pdf", pdf)])
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["net"], body["vat"], body["gross"]) == ("40.00", "8.40", "48.40")
    assert body["recoverable_vat"] == "8.40"
    assert body["charged_to_activity"] == "40.00"
    assert body["status"] == "submitted"
    assert "art. 45" in body["vat_source"]
    assert [r["content_type"] for r in body["receipts"]] == ["image/png", "application/pdf"]
    download = client.get(body["receipts"][1]["url"], headers=bearer(bram))
    assert download.status_code == 200
    assert download.content == pdf
    assert download.headers["content-type"] == "application/pdf"
    staff = client.get(f"{BE}/expenses/{body['id']}", headers=bearer(token(STAFF_BE)))
    assert staff.json() == body
    # Another member of the cooperative: as if it did not exist.
    other = client.get(f"{BE}/expenses/{body['id']}", headers=bearer(token(CHLOE)))
    assert "no expense claim" in assert_problem(other, 404)["detail"]
    assert_problem(client.get(body["receipts"][0]["url"], headers=bearer(token(CHLOE))), 404)
    mine = client.get(f"{BE}/expenses", headers=bearer(bram)).json()
    assert [c["id"] for c in mine] == [body["id"]]


def test_a_retried_claim_with_its_key_is_made_once(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    bram = token(MEMBER_BE)
    first = create(client, bram, form(ids["SOLO-02"]), key="claim-1")
    again = create(client, bram, form(ids["SOLO-02"]), key="claim-1")
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(client.get(f"{BE}/expenses", headers=bearer(bram)).json()) == 1
    other_file = create(
        client, bram, form(ids["SOLO-02"]), [("t.png", receipt_png(8, 8))], "claim-1"
    )
    assert "already used" in assert_problem(other_file, 422)["detail"]


@pytest.mark.parametrize(
    ("changes", "files", "key"),
    [
        ({}, [("photo.png", b"GIF89a" + b"\0" * 64)], "receipts[0]"),
        ({"net": "forty"}, None, "net"),
        ({"net": "-1"}, None, "net"),
        ({"category": "yacht"}, None, "category"),
        ({"vat_rate": "luxury"}, None, "vat_rate"),
        ({"day": "05/03/2026"}, None, "day"),
        ({"currency": "USD"}, None, "currency"),
    ],
)
def test_bad_claims_are_422_problems_naming_the_field(
    client: Client,
    token: Callable[[str], str],
    ids: dict[str, str],
    changes: dict[str, str],
    files: list[tuple[str, bytes]] | None,
    key: str,
) -> None:
    answer = create(client, token(MEMBER_BE), form(ids["SOLO-02"], **changes), files)
    body = assert_problem(answer, 422)
    assert body["errors"][0]["key"] == key


def test_an_empty_file_field_says_to_attach_a_file(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    answer = create(client, token(MEMBER_BE), form(ids["SOLO-02"]), [])
    error = assert_problem(answer, 400)["errors"][0]
    assert error["key"] == "receipts[0]"
    assert "attach a file" in error["message"]


def test_a_claim_above_the_activitys_money_is_refused_with_both_amounts(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    answer = create(client, token(MEMBER_BE), form(ids["SOLO-02"], net="5000.00"))
    body = assert_problem(answer, 422)
    # available: 1306.77 − 225.00 (the employer cost of the demo story's day of salary)
    assert (body["available"], body["gross"], body["currency"]) == ("1081.77", "6050.00", "EUR")
    assert "1081.77" in body["detail"]
    assert "6050.00" in body["detail"]


def test_only_people_of_the_activity_claim_on_it(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    stranger = create(client, token(CHLOE), form(ids["SOLO-02"]))
    assert_problem(stranger, 404)
    staff = create(client, token(STAFF_BE), form(ids["SOLO-02"]))
    assert "only its members and managers" in assert_problem(staff, 403)["detail"]


def test_staff_approve_once_members_may_not(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    made = create(client, token(MEMBER_BE), form(ids["SOLO-02"], category="passenger_car"))
    url = f"{BE}/expenses/{made.json()['id']}/approval"
    assert_problem(client.post(url, headers=bearer(token(MEMBER_BE))), 403)
    staff = bearer(token(STAFF_BE))
    approved = client.post(url, headers=staff | {"Idempotency-Key": "approve-1"})
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "approved"
    assert body["entry_id"]
    assert (body["recoverable_vat"], body["charged_to_activity"]) == ("4.20", "44.20")
    replay = client.post(url, headers=staff | {"Idempotency-Key": "approve-1"})
    assert replay.json() == body
    assert replay.headers["Idempotent-Replayed"] == "true"
    twice = client.post(url, headers=staff)
    assert "approved already" in assert_problem(twice, 409)["detail"]
    balance = client.get(f"{BE}/activities/{ids['SOLO-02']}/balance", headers=staff).json()
    assert balance["available"] == "1037.57"  # 1306.77 − 225.00 (the story's salary) − 44.20
    queue = client.get(f"{BE}/expenses?status=submitted", headers=staff).json()
    assert body["id"] not in [c["id"] for c in queue]
    assert [c["day"] for c in queue] == sorted(c["day"] for c in queue)  # the demo's, oldest first


def test_a_claim_the_activity_cannot_pay_any_more_stays_submitted(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    bram = token(MEMBER_BE)
    # 800.00 + 21 % VAT = 968.00 fits in the 1081.77 available (1306.77 − 225.00, the story's
    # day of salary); after 200.00 reserved, 881.77 no longer does.
    made = create(client, bram, form(ids["SOLO-02"], net="800.00", category="reception"))
    assert made.status_code == 201, made.text
    reservation = {"amount": "200.00", "description": "Holiday pay"}
    spent = client.post(
        f"{BE}/activities/{ids['SOLO-02']}/reservations", json=reservation, headers=bearer(bram)
    )
    assert spent.status_code == 201
    url = f"{BE}/expenses/{made.json()['id']}"
    held = client.post(
        f"{url}/approval", headers=bearer(token(STAFF_BE)) | {"Idempotency-Key": "a"}
    )
    detail = assert_problem(held, 422)["detail"]
    assert "stays submitted" in detail
    assert "968.00" in detail
    claim = client.get(url, headers=bearer(bram)).json()
    assert claim["status"] == "submitted"
    assert claim["held_reason"] == detail


def test_rejection_needs_a_reason_and_is_shown_to_the_member(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    made = create(client, token(MEMBER_BE), form(ids["SOLO-02"]))
    url = f"{BE}/expenses/{made.json()['id']}/rejection"
    staff = bearer(token(STAFF_BE))
    empty = client.post(url, json={"reason": "  "}, headers=staff)
    assert assert_problem(empty, 422)["errors"][0]["key"] == "reason"
    assert_problem(client.post(url, json={}, headers=staff), 400)
    rejected = client.post(url, json={"reason": "Personal purchase"}, headers=staff)
    assert rejected.status_code == 200, rejected.text
    seen = client.get(f"{BE}/expenses/{made.json()['id']}", headers=bearer(token(MEMBER_BE)))
    assert (seen.json()["status"], seen.json()["rejection_reason"]) == (
        "rejected",
        "Personal purchase",
    )


def test_expense_categories_of_the_country(client: Client, token: Callable[[str], str]) -> None:
    answer = client.get(f"{BE}/expense-categories?day=2026-03-01", headers=bearer(token(MEMBER_BE)))
    assert answer.status_code == 200
    found = {c["code"]: c for c in answer.json()}
    assert found["passenger_car"]["recoverable"] == "0.5"
    assert answer.json()[0]["code"] == "general"


def test_another_cooperatives_claim_is_not_found(
    client: Client, token: Callable[[str], str]
) -> None:
    claims = client.get(f"{BE}/expenses", headers=bearer(token(STAFF_BE))).json()
    assert len(claims) == 4  # the demo's
    other = client.get(
        f"/api/v1/t/demo-fr/expenses/{claims[0]['id']}",
        headers=bearer(token("admin.fr@demo.coopkit.test")),
    )
    assert_problem(other, 404)
    assert ADMIN_BE
