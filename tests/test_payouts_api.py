"""Paying members through API v1: bank accounts checked, batches created, exported once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from coopkit.db.tenancy import tenant_scope
from coopkit.payouts.models import PaymentBatch, Payout
from coopkit.people import service as people
from coopkit.tenants.models import Tenant
from tests.conftest import Client, Database
from tests.test_web import assert_problem, bearer

BE = "/api/v1/t/demo-be"
STAFF = "staff.be@demo.coopkit.test"
MEMBER = "amelie.claes@demo.coopkit.test"
OTHER = "bram.peeters@demo.coopkit.test"


def user_id(demo_db: Database, email: str) -> str:
    with demo_db.sessions() as db:
        user = people.find_user(db, email)
        assert user is not None
        return str(user.id)


def account_url(demo_db: Database, email: str) -> str:
    return f"{BE}/members/{user_id(demo_db, email)}/bank-account"


def story_batches(demo_db: Database) -> list[str]:
    """The batches of the demo story in demo-be (coopkit.demo_salaries: one per salary, both
    exported already), latest execution date first."""
    with demo_db.sessions() as db:
        tenant = db.scalars(select(Tenant.id).where(Tenant.slug == "demo-be")).one()
        with tenant_scope(db, tenant):
            query = select(PaymentBatch).order_by(PaymentBatch.execution_date.desc())
            batches = db.scalars(query).all()
    assert [b.exported_at is not None for b in batches] == [True, True]
    return [str(b.id) for b in batches]


@pytest.mark.parametrize(
    ("iban", "bic", "stored"),
    [
        ("BE68 5390 0754 7034", "", "BE68539007547034"),
        ("fr76 3000 6000 0112 3456 7890 189", "AGRIFRPPXXX", "FR7630006000011234567890189"),
        ("DE89 3704 0044 0532 0130 00", "COBADEFFXXX", "DE89370400440532013000"),
    ],
)
def test_a_member_sets_a_valid_account(
    client: Client, demo_db: Database, token: Callable[[str], str], iban: str, bic: str, stored: str
) -> None:
    url = account_url(demo_db, MEMBER)
    body = {"iban": iban, "holder": "Amélie Claes", "bic": bic}
    response = client.put(url, json=body, headers=bearer(token(MEMBER)))
    assert response.status_code == 200, response.text
    assert response.json()["iban"] == stored
    assert client.get(url, headers=bearer(token(MEMBER))).json()["iban"] == stored


@pytest.mark.parametrize(
    ("iban", "bic", "key", "words"),
    [
        ("BE68 5390 0754 7035", "", "iban", "BE68 5390 0754 7035: "),  # checksum
        ("BE68 5390 0754 703", "", "iban", "has 16 characters; this one has 15"),
        ("DE89 3704 0044 0532 0130 00", "GEBABEBB", "bic", "is a bank of BE"),
        ("DE89 3704 0044 0532 0130 00", "DEUTDEFF", "bic", "is not the bank of this IBAN"),
        ("DE89 3704 0044 0532 0130 00", "DEU", "bic", "not a BIC"),
    ],
)
def test_a_wrong_account_is_refused_with_the_reason(
    client: Client,
    demo_db: Database,
    token: Callable[[str], str],
    iban: str,
    bic: str,
    key: str,
    words: str,
) -> None:
    body = {"iban": iban, "holder": "Amélie Claes", "bic": bic}
    response = client.put(account_url(demo_db, MEMBER), json=body, headers=bearer(token(MEMBER)))
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["key"] == key
    assert words in problem["detail"]


def test_a_member_cannot_set_anothers_account_but_staff_can(
    client: Client, demo_db: Database, token: Callable[[str], str]
) -> None:
    body = {"iban": "BE68 5390 0754 7034", "holder": "Bram Peeters"}
    url = account_url(demo_db, OTHER)
    assert_problem(client.put(url, json=body, headers=bearer(token(MEMBER))), 404)
    assert_problem(client.get(url, headers=bearer(token(MEMBER))), 404)
    assert client.put(url, json=body, headers=bearer(token(STAFF))).status_code == 200


def test_staff_pay_the_demo_expenses_once_with_an_idempotent_retry(
    client: Client, demo_db: Database, token: Callable[[str], str]
) -> None:
    story = story_batches(demo_db)
    staff = bearer(token(STAFF))
    retry = {**staff, "Idempotency-Key": "batch-2026-12-01"}
    made = client.post(
        f"{BE}/payment-batches", json={"execution_date": "2026-12-01"}, headers=retry
    )
    assert made.status_code == 201, made.text
    again = client.post(
        f"{BE}/payment-batches", json={"execution_date": "2026-12-01"}, headers=retry
    )
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == made.json()
    batch = made.json()["batch"]
    assert made.json()["added"]
    assert batch["status"] == "open"
    url = f"{BE}/payment-batches/{batch['id']}"
    assert client.get(url, headers=staff).json()["items"][0]["payout"]["paid_on"] is None
    assert client.get(f"{url}/file", headers=staff).status_code == 404

    key = {**staff, "Idempotency-Key": "export-1"}
    exported = client.post(f"{url}/export", headers=key)
    assert exported.status_code == 200, exported.text
    assert client.post(f"{url}/export", headers=key).json() == exported.json()
    body = exported.json()
    assert body["status"] == "exported"
    assert all(i["payout"]["paid_on"] == "2026-12-01" for i in body["items"])
    refused = assert_problem(client.post(f"{url}/export", headers=staff), 409)
    assert "exported on" in refused["detail"]
    xml = client.get(f"{url}/file", headers=staff)
    assert xml.headers["content-type"].startswith("application/xml")
    assert b"pain.001.001.09" in xml.content
    import hashlib

    assert hashlib.sha256(xml.content).hexdigest() == body["file_sha256"]
    listed = client.get(f"{BE}/payment-batches", headers=staff).json()
    # Exported batches, latest first: this one, then the story's two (paid before today)
    assert [b["id"] for b in listed] == [batch["id"], *story]
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        with tenant_scope(db, tenant.id):
            paid = db.scalars(select(Payout).where(Payout.paid_on.is_not(None))).all()
        # This batch's transfers, and the story's two salaries (SOLO-02, SOLO-01) paid before
        assert len([p for p in paid if p.paid_on == date(2026, 12, 1)]) == body["transfers"]
        assert len(paid) == body["transfers"] + 2


def test_batches_are_staff_only_and_other_tenants_are_unknown(
    client: Client, token: Callable[[str], str], demo_db: Database
) -> None:
    assert_problem(client.get(f"{BE}/payment-batches", headers=bearer(token(MEMBER))), 403)
    fr = bearer(token("staff.fr@demo.coopkit.test"))
    made = client.post(
        "/api/v1/t/demo-fr/payment-batches", json={"execution_date": "2026-12-01"}, headers=fr
    )
    assert made.status_code == 201, made.text
    theirs = made.json()["batch"]["id"]
    staff = bearer(token(STAFF))
    assert_problem(client.get(f"{BE}/payment-batches/{theirs}", headers=staff), 404)
    assert_problem(client.post(f"{BE}/payment-batches/{theirs}/export", headers=staff), 404)
    # demo-be lists its own batches only: the demo story's two, not demo-fr's new one
    listed = [b["id"] for b in client.get(f"{BE}/payment-batches", headers=staff).json()]
    assert listed == story_batches(demo_db)


def test_nothing_to_pay_is_a_clear_refusal(client: Client, token: Callable[[str], str]) -> None:
    staff = bearer(token(STAFF))
    body = {"execution_date": "2020-01-01"}
    problem = assert_problem(client.post(f"{BE}/payment-batches", json=body, headers=staff), 422)
    assert "nothing to pay on 2020-01-01" in problem["detail"]
    bad = {"execution_date": "2026-12-01", "kinds": ["bonus"]}
    assert_problem(client.post(f"{BE}/payment-batches", json=bad, headers=staff), 422)
