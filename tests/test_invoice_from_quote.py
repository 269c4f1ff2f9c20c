"""A confirmed quote becomes a draft invoice with its lines; other quotes cannot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.testing import TestClient

from tests.test_web import MEMBER_BE, STAFF_BE, assert_problem, bearer

Client = TestClient[Any]


def _quotes(client: Client, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    response = client.get("/api/v1/t/demo-be/quotes", headers=headers)
    assert response.status_code == 200, response.text
    return {quote["status"]: quote for quote in response.json()}


def test_a_confirmed_quote_is_invoiced_once_with_its_lines(
    client: Client, token: Callable[[str], str]
) -> None:
    staff = bearer(token(STAFF_BE))
    quotes = _quotes(client, staff)
    confirmed = quotes["confirmed"]
    response = client.post(f"/api/v1/t/demo-be/quotes/{confirmed['id']}/invoice", headers=staff)
    assert response.status_code == 201, response.text
    invoice = response.json()
    assert invoice["status"] == "draft"
    assert invoice["buyer_reference"] == confirmed["number"]
    assert invoice["client_id"] == confirmed["client_id"]
    assert invoice["activity_id"] == confirmed["activity_id"]
    quote = client.get(f"/api/v1/t/demo-be/quotes/{confirmed['id']}", headers=staff).json()
    assert [line["description"] for line in invoice["lines"]] == [
        line["description"] for line in quote["lines"]
    ]
    again = client.post(f"/api/v1/t/demo-be/quotes/{confirmed['id']}/invoice", headers=staff)
    assert_problem(again, 409)
    for status in ("declined", "sent", "draft"):
        refused = client.post(
            f"/api/v1/t/demo-be/quotes/{quotes[status]['id']}/invoice", headers=staff
        )
        assert_problem(refused, 422)
        assert "accepted through the link" in refused.json()["detail"]


def test_someone_outside_the_activity_gets_404(client: Client, token: Callable[[str], str]) -> None:
    confirmed = _quotes(client, bearer(token(STAFF_BE)))["confirmed"]
    response = client.post(
        f"/api/v1/t/demo-be/quotes/{confirmed['id']}/invoice", headers=bearer(token(MEMBER_BE))
    )
    assert response.status_code == 404
