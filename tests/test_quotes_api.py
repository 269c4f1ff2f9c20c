"""The quotes API on the demo data: shapes, who sees which quote, sending with its link,
and the public confirmQuote with its refusals."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from coopkit.db.base import utcnow
from coopkit.db.tenancy import tenant_scope
from coopkit.invoicing.models import Client as Customer
from coopkit.quotes.link import sign_link
from coopkit.quotes.models import Quote, QuoteStatus
from coopkit.quotes.shown import sha256_hex
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.test_web import BOTH, MEMBER_BE, STAFF_BE, Client, assert_problem, bearer

BE = "/api/v1/t/demo-be"
STAFF_FR = "staff.fr@demo.coopkit.test"
ANSWER = {
    "decision": "accepted",
    "name": "Ana Client",
    "email": "ana@client.example",
    "accept": True,
}


@pytest.fixture
def ids(client: Client, token: Callable[[str], str], demo_db: Database) -> dict[str, str]:
    """Activity ids of demo-be by code, and its first client as ``client``."""
    answer = client.get(f"{BE}/activities", headers=bearer(token(STAFF_BE)))
    found = {a["code"]: a["id"] for a in answer.json()}
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        with tenant_scope(db, tenant.id):
            customer = db.scalar(select(Customer).order_by(Customer.name))
            assert customer is not None
            found["client"] = str(customer.id)
    return found


def body(activity: str, client_id: str, **changes: Any) -> dict[str, Any]:
    wanted: dict[str, Any] = {
        "activity_id": activity,
        "client_id": client_id,
        "valid_until": (utcnow().date() + timedelta(days=30)).isoformat(),
        "title": "Portraits",
        "lines": [
            {
                "description": "Studio session",
                "quantity": "3",
                "unit": "HUR",
                "unit_price": "95.005",
                "vat_code": "standard",
            },
            {"description": "Prints", "quantity": "2.5", "unit_price": "10", "vat_code": "reduced"},
        ],
    }
    wanted.update(changes)
    return wanted


def create(client: Client, clear: str, payload: dict[str, Any]) -> Any:
    return client.post(f"{BE}/quotes", json=payload, headers=bearer(clear))


def stored_quote(demo_db: Database, quote_id: str) -> Quote:
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        with tenant_scope(db, tenant.id):
            quote = db.scalar(select(Quote).where(Quote.id == uuid.UUID(quote_id)))
            assert quote is not None
            db.expunge(quote)
            return quote


def test_a_member_writes_a_draft_quote(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    answer = create(client, token(MEMBER_BE), body(ids["SOLO-02"], ids["client"]))
    assert answer.status_code == 201, answer.text
    quote = answer.json()
    assert (quote["status"], quote["number"], quote["link"], quote["confirmation"]) == (
        "draft",
        None,
        None,
        None,
    )
    assert quote["net_total"] == "310.02"  # 3 × 95.005 = 285.015 → 285.02, plus 25.00
    assert quote["currency"] == "EUR"
    assert [
        (line["quantity"], line["unit"], line["net"], line["vat_rate"]) for line in quote["lines"]
    ] == [("3", "HUR", "285.02", "0.21"), ("2.5", "C62", "25.00", "0.06")]
    again = client.get(f"{BE}/quotes/{quote['id']}", headers=bearer(token(MEMBER_BE)))
    assert again.json() == quote


def test_bad_quotes_are_422_with_the_field(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    clear = token(MEMBER_BE)
    wrong_rate = body(ids["SOLO-02"], ids["client"])
    wrong_rate["lines"][1]["vat_code"] = "luxury"
    problem = assert_problem(create(client, clear, wrong_rate), 422)
    assert problem["errors"] == [{"key": "lines[1].vat_code", "message": problem["detail"]}]
    assert "'luxury' is not a VAT rate of BE" in problem["detail"]
    past = body(ids["SOLO-02"], ids["client"], valid_until="2020-01-01")
    assert assert_problem(create(client, clear, past), 422)["errors"][0]["key"] == "valid_until"
    stranger = body(ids["SOLO-02"], str(uuid.uuid4()))
    assert assert_problem(create(client, clear, stranger), 422)["errors"][0]["key"] == "client_id"
    # Malformed bodies are 400: an unknown field, a missing one.
    assert_problem(create(client, clear, body(ids["SOLO-02"], ids["client"], colour="red")), 400)
    missing = body(ids["SOLO-02"], ids["client"])
    del missing["lines"]
    assert_problem(create(client, clear, missing), 400)


def test_quotes_of_an_activity_are_for_its_members_and_staff(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    # Bram works in SOLO-02 only: SOLO-01 (Amélie's) is as if it did not exist.
    refused = create(client, token(MEMBER_BE), body(ids["SOLO-01"], ids["client"]))
    assert "no activity" in assert_problem(refused, 404)["detail"]
    theirs = client.get(f"{BE}/quotes", headers=bearer(token(BOTH))).json()
    # The demo's quotes in every state, and the story's (coopkit.demo_salaries), confirmed
    assert sorted(q["status"] for q in theirs) == [
        "confirmed",
        "confirmed",
        "declined",
        "draft",
        "expired",
        "sent",
    ]
    for quote in theirs:
        other = client.get(f"{BE}/quotes/{quote['id']}", headers=bearer(token(MEMBER_BE)))
        assert "no quote" in assert_problem(other, 404)["detail"]
        assert (
            client.get(f"{BE}/quotes/{quote['id']}", headers=bearer(token(STAFF_BE))).json()
            == quote
        )
        foreign = client.get(
            f"/api/v1/t/demo-fr/quotes/{quote['id']}", headers=bearer(token(STAFF_FR))
        )
        assert_problem(foreign, 404)
    assert client.get(f"{BE}/quotes", headers=bearer(token(MEMBER_BE))).json() == []
    listed = client.get(
        f"{BE}/quotes", params={"activity_id": ids["SOLO-01"]}, headers=bearer(token(MEMBER_BE))
    )
    assert_problem(listed, 404)
    sent = client.get(f"{BE}/quotes", params={"status": "sent"}, headers=bearer(token(STAFF_BE)))
    assert [q["status"] for q in sent.json()] == ["sent"]
    assert sent.json()[0]["link"].startswith("http://testserver.local/q/")
    confirmed = next(q for q in theirs if q["status"] == "confirmed")
    assert confirmed["link"] is None
    record = confirmed["confirmation"]
    assert record["decision"] == "accepted"
    assert record["shown_sha256"] == confirmed["shown_sha256"]
    assert len(record["shown_sha256"]) == 64
    assert_problem(
        client.get(f"{BE}/quotes", params={"status": "lost"}, headers=bearer(token(STAFF_BE))), 400
    )
    assert_problem(client.get(f"{BE}/quotes"), 401)


def test_sending_numbers_the_quote_and_gives_its_link(
    client: Client, token: Callable[[str], str], ids: dict[str, str], demo_db: Database
) -> None:
    clear = token(MEMBER_BE)
    draft = create(client, clear, body(ids["SOLO-02"], ids["client"])).json()
    url = f"{BE}/quotes/{draft['id']}/send"
    headers = bearer(clear) | {"Idempotency-Key": "send-1"}
    answer = client.post(url, headers=headers)
    assert answer.status_code == 200, answer.text
    sent = answer.json()
    year = utcnow().date().year
    assert sent["status"] == "sent"
    # after the demo's four sent quotes and the story's fifth (sent, then confirmed)
    assert sent["number"] == f"Q{year}-00006"
    assert sent["sent_on"] == utcnow().date().isoformat()
    quote = stored_quote(demo_db, draft["id"])
    assert (
        sent["link"] == f"http://testserver.local/q/{sign_link(demo_db.settings.secret_key, quote)}"
    )
    assert sent["shown_sha256"] == sha256_hex(quote.shown or "")
    replay = client.post(url, headers=headers)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == sent
    assert client.post(url, headers=bearer(clear)).json() == sent  # sending again: same
    refused = client.post(url, headers=bearer(token(BOTH)))
    assert_problem(refused, 404)


def _public_link(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> dict[str, Any]:
    clear = token(MEMBER_BE)
    draft = create(client, clear, body(ids["SOLO-02"], ids["client"])).json()
    sent: dict[str, Any] = client.post(
        f"{BE}/quotes/{draft['id']}/send", headers=bearer(clear)
    ).json()
    sent["token"] = sent["link"].rsplit("/", 1)[1]
    return sent


def test_the_client_confirms_without_an_account(
    client: Client, token: Callable[[str], str], ids: dict[str, str]
) -> None:
    sent = _public_link(client, token, ids)
    answer = client.post(
        "/api/v1/quote-confirmations",
        json=ANSWER
        | {"token": sent["token"], "shown_sha256": sent["shown_sha256"], "company": "Brasserie"},
        headers={"User-Agent": "api-client/1.0"},
    )
    assert answer.status_code == 201, answer.text
    recorded = answer.json()
    assert recorded["quote_number"] == sent["number"]
    assert (recorded["status"], recorded["decision"]) == ("confirmed", "accepted")
    assert recorded["shown_sha256"] == sent["shown_sha256"]
    seen = client.get(f"{BE}/quotes/{sent['id']}", headers=bearer(token(MEMBER_BE))).json()
    assert seen["status"] == "confirmed"
    assert seen["link"] is None
    record = seen["confirmation"]
    assert (record["signer_name"], record["signer_email"], record["signer_company"]) == (
        "Ana Client",
        "ana@client.example",
        "Brasserie",
    )
    assert record["user_agent"] == "api-client/1.0"
    assert record["ip"] == "testclient"
    assert record["decided_at"] == recorded["decided_at"]
    # The link works once.
    again = client.post("/api/v1/quote-confirmations", json=ANSWER | {"token": sent["token"]})
    assert assert_problem(again, 409)["reason"] == "answered"


def test_confirm_quote_refusals(
    client: Client, token: Callable[[str], str], ids: dict[str, str], demo_db: Database
) -> None:
    sent = _public_link(client, token, ids)
    url = "/api/v1/quote-confirmations"
    tampered = sent["token"][:-2] + ("AA" if not sent["token"].endswith("AA") else "BB")
    assert assert_problem(client.post(url, json=ANSWER | {"token": tampered}), 404)["reason"] == (
        "tampered"
    )
    unticked = client.post(url, json=ANSWER | {"token": sent["token"], "accept": False})
    assert assert_problem(unticked, 422)["errors"][0]["key"] == "accept"
    other = client.post(url, json=ANSWER | {"token": sent["token"], "shown_sha256": "0" * 64})
    assert assert_problem(other, 422)["errors"][0]["key"] == "shown_sha256"
    assert_problem(
        client.post(url, json=ANSWER | {"token": sent["token"], "decision": "maybe"}), 400
    )
    # The demo's expired quote: its link answers 410 Gone.
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        with tenant_scope(db, tenant.id):
            expired = db.scalar(select(Quote).where(Quote.status == QuoteStatus.EXPIRED))
            assert expired is not None
            link = sign_link(demo_db.settings.secret_key, expired)
    gone = client.post(url, json=ANSWER | {"token": link})
    assert assert_problem(gone, 410)["reason"] == "expired"
    # Declining needs no tick.
    declined = client.post(
        url, json=ANSWER | {"token": sent["token"], "decision": "declined", "accept": False}
    )
    assert declined.status_code == 201, declined.text
    assert declined.json()["status"] == "declined"
