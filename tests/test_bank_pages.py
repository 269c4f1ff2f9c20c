"""The staff bank pages: statements with the upload form, the queue, assign and ignore."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from coopkit.db.tenancy import set_tenant
from coopkit.invoicing.models import Invoice, InvoiceStatus
from tests.bank_world import demo_invoice
from tests.conftest import Database
from tests.test_web import MEMBER_BE, STAFF_BE, Client, assert_no_leak, csrf_from, signed_in_as

# The flows are followed by their English texts (catalogs: tests/test_i18n.py).
pytestmark = pytest.mark.usefixtures("english_pages")


PAGES = "/t/demo-be/bank"
HEADER = "date,amount,currency,counterparty,iban,communication\n"


def upload(client: Client, name: str, content: bytes, fmt: str = "") -> Any:
    token = csrf_from(client.get(PAGES).text)
    return client.post(
        f"{PAGES}/import",
        data={"_csrf_token": token, "format": fmt},
        files={"file": (name, content, "application/octet-stream")},
        follow_redirects=False,
    )


def status_of(database: Database, invoice: Invoice) -> InvoiceStatus:
    with database.sessions() as db:
        set_tenant(db, invoice.tenant_id)
        return db.scalars(select(Invoice.status).where(Invoice.id == invoice.id)).one()


def test_only_staff_see_the_bank_pages(client: Client) -> None:
    signed_in_as(MEMBER_BE, client)
    assert client.get(PAGES).status_code == 403
    assert client.get(f"{PAGES}/queue").status_code == 403
    assert "/bank" not in client.get("/t/demo-be/").text


def test_staff_import_a_statement_and_resolve_the_queue(client: Client, demo_db: Database) -> None:
    paid = demo_invoice(demo_db, "Atelier Lumière", [("100.00", "0.21")])
    open_one = demo_invoice(demo_db, "Brasserie du Parc", [("500.00", "0.21")])
    signed_in_as(STAFF_BE, client)
    assert 'href="/t/demo-be/bank"' in client.get("/t/demo-be/").text
    content = (
        HEADER
        + f"2026-03-16,121.00,EUR,Atelier Lumiere,,{paid.payment_reference}\n"
        + "2026-03-16,200.00,EUR,B. du Parc <script>,,acompte\n"
        + "2026-03-17,45.00,EUR,Unknown,,?\n"
        + "2026-03-17,-9.99,EUR,Bank,,fees\n"
    ).encode()
    answer = upload(client, "march.csv", content)
    assert answer.status_code in (302, 303), answer.text
    assert answer.headers["location"] == f"{PAGES}/queue"
    assert status_of(demo_db, paid) is InvoiceStatus.PAID

    queue = client.get(f"{PAGES}/queue")
    assert queue.status_code == 200
    assert "march.csv imported: 1 line(s) paid invoices, 2 wait for you, 1 money out." in queue.text
    assert "&lt;script&gt;" in queue.text
    assert "<script>" not in queue.text
    assert "no invoice has this payment reference" in queue.text
    assert open_one.number in queue.text  # suggested for the line of 200.00
    token = csrf_from(queue.text)
    lines = [part.split('"')[0] for part in queue.text.split('id="line-')[1:]]
    first, second = lines  # the oldest first: 200.00 on the 16th, then 45.00

    assigned = client.post(
        f"{PAGES}/lines/{first}/assign",
        data={"_csrf_token": token, "invoice_number": open_one.number},
        follow_redirects=True,
    )
    assert "Payment of 200.00 EUR recorded." in assigned.text
    assert status_of(demo_db, open_one) is InvoiceStatus.PARTIALLY_PAID

    refused = client.post(
        f"{PAGES}/lines/{second}/assign",
        data={"_csrf_token": token, "invoice_number": paid.number},
        follow_redirects=True,
    )
    assert "Not assigned:" in refused.text
    assert f"invoice {paid.number} is paid: nothing is due on it any more" in refused.text

    no_reason = client.post(
        f"{PAGES}/lines/{second}/ignore", data={"_csrf_token": token}, follow_redirects=True
    )
    assert "say why" in no_reason.text
    ignored = client.post(
        f"{PAGES}/lines/{second}/ignore",
        data={"_csrf_token": token, "reason": "Refunded"},
        follow_redirects=True,
    )
    assert "The line is set aside." in ignored.text
    assert "Nothing waits" in ignored.text

    listing = client.get(PAGES)
    assert "march.csv" in listing.text
    assert "0 bank lines wait for you" in listing.text


def test_a_bad_file_is_shown_back_with_what_is_wrong(client: Client) -> None:
    signed_in_as(STAFF_BE, client)
    bad = upload(client, "bad.csv", (HEADER + "2026-03-16,ten,EUR,A,,\n").encode())
    assert bad.status_code == 400
    assert "row 2: amount &#39;ten&#39;" in bad.text
    assert_no_leak(bad)
    unknown = upload(client, "statement.txt", b"whatever")
    assert unknown.status_code == 400
    assert "CAMT.053 or CSV" in unknown.text
    good = (HEADER + "2026-03-16,1.00,EUR,A,,\n").encode()
    assert upload(client, "one.csv", good).status_code in (302, 303)
    again = upload(client, "one-again.csv", good)
    assert again.status_code == 400
    assert "this file was already imported on" in again.text


def test_the_forms_need_the_csrf_token(client: Client) -> None:
    signed_in_as(STAFF_BE, client)
    answer = client.post(f"{PAGES}/import", files={"file": ("a.csv", b"x")}, follow_redirects=False)
    assert answer.status_code == 403
