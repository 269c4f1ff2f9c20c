"""The invoicing API on the demo data: clients, drafts, issue with an Idempotency-Key,
standing, credit notes, who sees what, and problem answers."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from coopkit.db.tenancy import tenant_scope
from coopkit.invoicing.models import SellerIdentity
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.test_web import BOTH, MEMBER_BE, STAFF_BE, Client, assert_problem, bearer

BE = "/api/v1/t/demo-be"
NEW_CLIENT = {
    "kind": "company",
    "name": "Studio Nord BV",
    "country": "NL",
    "street": "Keizersgracht 1",
    "postcode": "1015 CJ",
    "city": "Amsterdam",
    "vat_number": "NL 004495445 B01",
}


@pytest.fixture
def amelie(token: Callable[[str], str]) -> dict[str, str]:
    """The demo member who runs SOLO-01 in demo-be."""
    return bearer(token(BOTH))


@pytest.fixture
def solo(client: Client, amelie: dict[str, str]) -> str:
    (activity,) = client.get(f"{BE}/activities", headers=amelie).json()
    assert activity["code"] == "SOLO-01"
    return str(activity["id"])


def draft_body(activity: str, client_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "activity_id": activity,
        "client_id": client_id,
        "supply_date": "2026-03-10",
        "lines": [
            {"description": "Two days of shooting", "quantity": "2", "unit": "DAY",
             "unit_price": "450.00", "vat_code": "reverse_charge_services"},
        ],
        **changes,
    }  # fmt: skip


def test_a_member_goes_from_client_to_issued_invoice_to_credit_note(
    client: Client, amelie: dict[str, str], solo: str
) -> None:
    made = client.post(f"{BE}/clients", json=NEW_CLIENT, headers=amelie)
    assert made.status_code == 201, made.text
    assert made.json()["vat_number"] == "NL004495445B01"
    assert made.json()["locale"] == "en"
    client_id = made.json()["id"]
    assert client.get(f"{BE}/clients/{client_id}", headers=amelie).json() == made.json()
    assert "Studio Nord BV" in [
        c["name"] for c in client.get(f"{BE}/clients", headers=amelie).json()
    ]

    drafted = client.post(f"{BE}/invoices", json=draft_body(solo, client_id), headers=amelie)
    assert drafted.status_code == 201, drafted.text
    invoice = drafted.json()
    assert (invoice["status"], invoice["number"], invoice["standing"]) == ("draft", None, None)
    assert invoice["gross_total"] == "900.00"
    changed = draft_body(solo, client_id)
    changed["lines"].append(
        {"description": "Travel", "quantity": "1", "unit_price": "100", "vat_code": "standard"}
    )
    updated = client.put(f"{BE}/invoices/{invoice['id']}", json=changed, headers=amelie)
    assert updated.status_code == 200, updated.text
    assert updated.json()["vat_breakdown"] == [
        {"category": "AE", "rate": "0", "taxable": "900.00", "vat": "0.00"},
        {"category": "S", "rate": "0.21", "taxable": "100.00", "vat": "21.00"},
    ]

    url = f"{BE}/invoices/{invoice['id']}/issue"
    key = {**amelie, "Idempotency-Key": f"issue-{invoice['id']}"}
    issued = client.post(url, json={"day": "2026-03-12"}, headers=key)
    assert issued.status_code == 200, issued.text
    body = issued.json()
    assert body["status"] == "issued"
    assert body["number"].startswith("INV2026-")
    assert body["payment_reference"].startswith("+++")
    assert body["due_date"] == "2026-04-11"
    assert body["standing"] == {
        "gross": "1021.00", "paid": "0.00", "credited": "0.00", "due": "1021.00"
    }  # fmt: skip
    assert body["lines"][0]["vat_exemption_reason"].startswith("Reverse charge")
    again = client.post(url, json={"day": "2026-03-12"}, headers=key)
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == body
    without_key = client.post(url, json={"day": "2026-03-12"}, headers=amelie)
    assert "already issued" in assert_problem(without_key, 409)["detail"]
    frozen = client.put(f"{BE}/invoices/{invoice['id']}", json=changed, headers=amelie)
    assert "never changes" in assert_problem(frozen, 409)["detail"]

    listed = client.get(
        f"{BE}/invoices", params={"client_id": client_id, "status": "issued"}, headers=amelie
    ).json()
    assert [i["id"] for i in listed] == [invoice["id"]]

    credit = {"day": "2026-03-13", "reason": "Travel not needed",
              "lines": [{"description": "Travel", "quantity": "1", "unit_price": "100.00",
                         "vat_code": "standard"}]}  # fmt: skip
    notes = f"{BE}/invoices/{invoice['id']}/credit-notes"
    noted = client.post(notes, json=credit, headers={**amelie, "Idempotency-Key": "cn-1"})
    assert noted.status_code == 201, noted.text
    assert noted.json()["kind"] == "credit_note"
    assert noted.json()["credits"]["id"] == invoice["id"]
    assert noted.json()["gross_total"] == "121.00"
    replay = client.post(notes, json=credit, headers={**amelie, "Idempotency-Key": "cn-1"})
    assert replay.json() == noted.json()
    after = client.get(f"{BE}/invoices/{invoice['id']}", headers=amelie).json()
    assert after["standing"]["due"] == "900.00"
    assert after["status"] == "partially_paid"
    assert [n["number"] for n in after["credit_notes"]] == [noted.json()["number"]]
    too_much = {**credit, "lines": [{**credit["lines"][0], "unit_price": "1000.00"}]}
    refused = client.post(notes, json=too_much, headers=amelie)
    assert "still due" in assert_problem(refused, 422)["detail"] or "taxed so" in refused.text


def test_a_client_with_a_wrong_vat_number_or_a_taken_one_is_refused(
    client: Client, amelie: dict[str, str]
) -> None:
    wrong = client.post(
        f"{BE}/clients", json={**NEW_CLIENT, "vat_number": "NL004495446B01"}, headers=amelie
    )
    body = assert_problem(wrong, 422)
    assert body["errors"][0]["key"] == "vat_number"
    assert "check digits" in body["errors"][0]["message"]
    taken = client.post(
        f"{BE}/clients",
        json={**NEW_CLIENT, "country": "BE", "vat_number": "BE0477472701"},
        headers=amelie,
    )
    assert "already the client" in assert_problem(taken, 409)["detail"]
    number = client.post(f"{BE}/invoices", json={"activity_id": 1}, headers=amelie)
    assert_problem(number, 400)


def test_issuing_lists_every_missing_mention(
    client: Client, amelie: dict[str, str], solo: str, demo_db: Database
) -> None:
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        with tenant_scope(db, tenant.id):
            for seller in db.scalars(select(SellerIdentity)):
                seller.company_number, seller.register = "", ""
            db.commit()
    clients = client.get(f"{BE}/clients", headers=amelie).json()
    home = next(c for c in clients if c["country"] == "BE" and c["kind"] == "company")
    body = draft_body(solo, home["id"])
    body["lines"][0]["vat_code"] = "standard"
    invoice = client.post(f"{BE}/invoices", json=body, headers=amelie).json()
    refused = client.post(f"{BE}/invoices/{invoice['id']}/issue", headers=amelie)
    problem = assert_problem(refused, 422)
    assert [e["key"] for e in problem["errors"]] == ["mentions", "mentions"]
    assert "Enterprise number (BCE/KBO)" in problem["missing"][0]
    assert "RPM" in problem["missing"][1]
    reverse = draft_body(solo, home["id"])
    home_reverse = client.post(f"{BE}/invoices", json=reverse, headers=amelie)
    problem = assert_problem(home_reverse, 422)
    assert problem["errors"][0]["key"] == "lines[0].vat_code"
    assert "own country" in problem["detail"]


def test_invoices_are_seen_by_their_activity_and_staff_only(
    client: Client, token: Callable[[str], str], amelie: dict[str, str]
) -> None:
    mine = client.get(f"{BE}/invoices", headers=amelie).json()
    assert {i["status"] for i in mine} >= {"draft", "issued", "credited", "partially_paid"}
    assert {i["kind"] for i in mine} == {"invoice", "credit_note"}
    staff = client.get(f"{BE}/invoices", headers=bearer(token(STAFF_BE))).json()
    assert {i["id"] for i in staff} == {i["id"] for i in mine}
    stranger = bearer(token(MEMBER_BE))
    assert client.get(f"{BE}/invoices", headers=stranger).json() == []
    hidden = client.get(f"{BE}/invoices/{mine[0]['id']}", headers=stranger)
    assert "no invoice" in assert_problem(hidden, 404)["detail"]
    assert_problem(client.get(f"{BE}/invoices/{uuid.uuid4()}", headers=amelie), 404)
    other_tenant = client.get(
        f"/api/v1/t/demo-fr/invoices/{mine[0]['id']}",
        headers=bearer(token("admin.fr@demo.coopkit.test")),
    )
    assert_problem(other_tenant, 404)
    credit_someone_elses = client.post(
        f"{BE}/invoices/{mine[0]['id']}/credit-notes", json={}, headers=stranger
    )
    assert_problem(credit_someone_elses, 404)
