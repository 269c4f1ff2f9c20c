"""The payment and bank statement API on the demo data: shapes, refusals, idempotent replays."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.bank_world import demo_invoice
from tests.conftest import Database
from tests.test_web import MEMBER_BE, STAFF_BE, Client, assert_problem, bearer

BE = "/api/v1/t/demo-be"
STAFF_FR = "staff.fr@demo.coopkit.test"
CAMT = (Path(__file__).parent / "data" / "camt053_v02_be.xml").read_bytes()
HEADER = "date,amount,currency,counterparty,iban,communication\n"


@pytest.fixture
def staff(token: Callable[[str], str]) -> dict[str, str]:
    return bearer(token(STAFF_BE))


def pay(client: Client, headers: dict[str, str], invoice: Any, body: dict[str, Any]) -> Any:
    return client.post(f"{BE}/invoices/{invoice.id}/payments", json=body, headers=headers)


def upload_csv(client: Client, headers: dict[str, str], text: str, **params: str) -> Any:
    return client.post(
        f"{BE}/bank-statements",
        content=(HEADER + text).encode(),
        params={"format": "csv", **params},
        headers=headers | {"Content-Type": "text/csv"},
    )


# -- recordPayment --------------------------------------------------------------------------


def test_record_a_payment(client: Client, demo_db: Database, staff: dict[str, str]) -> None:
    invoice = demo_invoice(demo_db, "Atelier Lumière", [("1000.00", "0.21")])
    answer = pay(client, staff, invoice, {"amount": "210.00", "day": "2026-03-16", "payer": "AL"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert {k: body[k] for k in ("invoice_id", "amount", "currency", "day", "method")} == {
        "invoice_id": str(invoice.id),
        "amount": "210.00",
        "currency": "EUR",
        "day": "2026-03-16",
        "method": "transfer",
    }
    assert (body["invoice_status"], body["invoice_due"]) == ("partially_paid", "1000.00")
    assert body["entry_id"]
    assert body["share_entry_id"]


def test_a_payment_retried_with_its_key_is_recorded_once(
    client: Client, demo_db: Database, staff: dict[str, str]
) -> None:
    invoice = demo_invoice(demo_db, "Atelier Lumière", [("100.00", "0")])
    keyed = staff | {"Idempotency-Key": "pay-1"}
    first = pay(client, keyed, invoice, {"amount": "60.00"})
    again = pay(client, keyed, invoice, {"amount": "60.00"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    # Had it been recorded twice, 120 would exceed the 100 due; 40 is left.
    assert pay(client, staff, invoice, {"amount": "40.00"}).json()["invoice_status"] == "paid"
    other = pay(client, keyed, invoice, {"amount": "1.00"})
    assert "already used for another request" in assert_problem(other, 422)["detail"]


def test_payment_refusals_are_problems(
    client: Client, demo_db: Database, staff: dict[str, str], token: Callable[[str], str]
) -> None:
    invoice = demo_invoice(demo_db, "Atelier Lumière", [("100.00", "0.21")])
    over = assert_problem(pay(client, staff, invoice, {"amount": "121.01"}), 422)
    assert (over["due"], over["amount"]) == ("121.00", "121.01")
    assert "121.01 EUR is more than the 121.00 EUR still due" in over["detail"]
    decimals = assert_problem(pay(client, staff, invoice, {"amount": "1.005"}), 422)
    assert "more decimals than EUR" in decimals["detail"]
    method = assert_problem(pay(client, staff, invoice, {"amount": "1", "method": "cheque"}), 422)
    assert "use one of transfer" in method["detail"]
    number = assert_problem(pay(client, staff, invoice, {"amount": 1.5}), 400)
    assert number["errors"]
    missing = pay(client, staff, type("X", (), {"id": uuid.uuid4()}), {"amount": "1.00"})
    assert "no invoice" in assert_problem(missing, 404)["detail"]
    member = pay(client, bearer(token(MEMBER_BE)), invoice, {"amount": "1.00"})
    assert_problem(member, 403)
    stranger = client.post(
        f"/api/v1/t/demo-fr/invoices/{invoice.id}/payments",
        json={"amount": "1.00"},
        headers=bearer(token(STAFF_FR)),
    )
    assert_problem(stranger, 404)


# -- importBankStatement ------------------------------------------------------------------------


def test_import_a_camt_file_as_a_multipart_upload(
    client: Client, demo_db: Database, staff: dict[str, str]
) -> None:
    demo_invoice(demo_db, "Atelier Lumière", [("1000.00", "0.21")], reference="090/9337/55493")
    answer = client.post(
        f"{BE}/bank-statements",
        files={"file": ("statement-52.xml", CAMT, "application/xml")},
        headers=staff,
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["matched"], body["unmatched"], body["ignored"]) == (1, 4, 2)
    statement = body["statement"]
    assert statement["id"] == body["statement_id"]
    assert (statement["format"], statement["file_name"], statement["closing_balance"]) == (
        "camt053",
        "statement-52.xml",
        "10769.40",
    )
    again = client.post(
        f"{BE}/bank-statements",
        files={"file": ("copy.xml", CAMT, "application/xml")},
        headers=staff,
    )
    duplicate = assert_problem(again, 409)
    assert "this file was already imported on" in duplicate["detail"]
    listed = client.get(f"{BE}/bank-statements", headers=staff).json()
    assert [s["id"] for s in listed] == [body["statement_id"]]


def test_an_import_retried_with_its_key_returns_the_first_answer(
    client: Client, staff: dict[str, str]
) -> None:
    keyed = staff | {"Idempotency-Key": "import-1"}
    first = upload_csv(client, keyed, "2026-03-16,12.00,EUR,Someone,,hello\n")
    again = upload_csv(client, keyed, "2026-03-16,12.00,EUR,Someone,,hello\n")
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    # Without the key, the same file is a duplicate.
    assert_problem(upload_csv(client, staff, "2026-03-16,12.00,EUR,Someone,,hello\n"), 409)


def test_import_refusals_are_problems(
    client: Client, staff: dict[str, str], token: Callable[[str], str]
) -> None:
    bad = assert_problem(
        upload_csv(client, staff, "2026-03-16,1,EUR,A,,\n2026-03-17,x,EUR,B,,\n"), 422
    )
    assert bad["detail"].startswith("row 3: amount 'x'")
    malformed = client.post(
        f"{BE}/bank-statements",
        content=CAMT[:500],
        params={"format": "camt053"},
        headers=staff,
    )
    assert "not well-formed XML" in assert_problem(malformed, 422)["detail"]
    unknown = client.post(f"{BE}/bank-statements", content=b"x", headers=staff)
    assert "say which format" in assert_problem(unknown, 400)["detail"]
    wrong = client.post(
        f"{BE}/bank-statements", content=b"x", params={"format": "mt940"}, headers=staff
    )
    assert_problem(wrong, 400)
    no_file = client.post(f"{BE}/bank-statements", files={"other": ("a.csv", b"x")}, headers=staff)
    assert "field 'file'" in assert_problem(no_file, 400)["detail"]
    member = upload_csv(client, bearer(token(MEMBER_BE)), "2026-03-16,1,EUR,A,,\n")
    assert_problem(member, 403)
    assert client.get(f"{BE}/bank-statements", headers=staff).json() == []


# -- the queue --------------------------------------------------------------------------------


def test_staff_work_through_the_queue(
    client: Client, demo_db: Database, staff: dict[str, str], token: Callable[[str], str]
) -> None:
    invoice = demo_invoice(demo_db, "Brasserie du Parc", [("100.00", "0.21")])
    imported = upload_csv(
        client,
        staff,
        "2026-03-16,60.00,EUR,Somebody,,acompte\n"
        "2026-03-17,20.00,EUR,Nobody,,?\n"
        "2026-03-17,-5.00,EUR,Bank,,fees\n",
    ).json()
    assert (imported["matched"], imported["unmatched"], imported["ignored"]) == (0, 2, 1)
    waiting = client.get(f"{BE}/bank-lines", params={"status": "unmatched"}, headers=staff).json()
    assert [(w["amount"], w["counterparty_name"]) for w in waiting] == [
        ("60.00", "Somebody"),
        ("20.00", "Nobody"),
    ]
    assert waiting[0]["reason"].startswith("no invoice has this payment reference")
    first, second = (w["id"] for w in waiting)

    assigned = client.post(
        f"{BE}/bank-lines/{first}/assignment",
        json={"invoice_id": str(invoice.id)},
        headers=staff | {"Idempotency-Key": "assign-1"},
    )
    assert assigned.status_code == 200, assigned.text
    body = assigned.json()
    assert (body["line"]["status"], body["line"]["payment_id"]) == (
        "matched",
        body["payment"]["id"],
    )
    assert (body["payment"]["invoice_status"], body["payment"]["invoice_due"]) == (
        "partially_paid",
        "61.00",
    )
    twice = client.post(
        f"{BE}/bank-lines/{first}/assignment", json={"invoice_id": str(invoice.id)}, headers=staff
    )
    assert "is matched already" in assert_problem(twice, 422)["detail"]

    empty = client.post(f"{BE}/bank-lines/{second}/ignore", json={"reason": ""}, headers=staff)
    assert_problem(empty, 400)
    ignored = client.post(
        f"{BE}/bank-lines/{second}/ignore", json={"reason": "Refunded"}, headers=staff
    )
    assert ignored.status_code == 200, ignored.text
    assert (ignored.json()["status"], ignored.json()["reason"]) == ("ignored", "Refunded")
    assert (
        client.get(f"{BE}/bank-lines", params={"status": "unmatched"}, headers=staff).json() == []
    )
    everything = client.get(
        f"{BE}/bank-lines", params={"statement_id": imported["statement_id"]}, headers=staff
    ).json()
    assert [line["status"] for line in everything] == ["matched", "ignored", "ignored"]

    unknown = client.post(
        f"{BE}/bank-lines/{uuid.uuid4()}/ignore", json={"reason": "x"}, headers=staff
    )
    assert_problem(unknown, 404)
    bad_status = client.get(f"{BE}/bank-lines", params={"status": "lost"}, headers=staff)
    assert_problem(bad_status, 400)
    member = client.get(f"{BE}/bank-lines", headers=bearer(token(MEMBER_BE)))
    assert_problem(member, 403)
