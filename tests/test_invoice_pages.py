"""Invoice and client pages: a member drafts, corrects and issues an invoice in the
browser's HTML; errors are shown beside their fields; strangers get 404."""

from __future__ import annotations

import re

from tests.conftest import Database
from tests.test_web import BOTH, MEMBER_BE, STAFF_BE, Client, csrf_from, main_of, signed_in_as

BE = "/t/demo-be"


def _ids(html: str, name: str) -> dict[str, str]:
    """Option labels → values of the select ``name``."""
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return {
        label.strip(): value
        for value, label in re.findall(r'value="([^"]+)"[^>]*>([^<]+)<', select)
    }


def test_a_member_drafts_and_issues_an_invoice(client: Client) -> None:
    signed_in_as(BOTH, client)
    listing = client.get(f"{BE}/invoices")
    assert listing.status_code == 200
    assert "INV2026-00001" in main_of(listing.text)
    form = client.get(f"{BE}/invoices/new")
    assert form.status_code == 200
    activity = _ids(form.text, "activity_id")["SOLO-01 — Freelance activity 01"]
    customer = _ids(form.text, "client_id")["Jan Janssens (BE)"]
    data = {
        "_csrf_token": csrf_from(form.text),
        "activity_id": activity,
        "client_id": customer,
        "supply_date": "2026-03-10",
        "payment_terms_days": "15",
        "lines-0-description": "Portraits",
        "lines-0-quantity": "3",
        "lines-0-unit": "HUR",
        "lines-0-unit_price": "80,50",
        "lines-0-vat_code": "standard",
        "lines-1-description": "",
        "lines-1-unit_price": "",
        "action": "save",
    }
    wrong = client.post(f"{BE}/invoices/save", data={**data, "lines-0-unit_price": "lots"})
    assert wrong.status_code == 400
    assert "Write a number, such as 450.00." in wrong.text
    assert 'name="lines-0-unit_price"' in wrong.text
    more = client.post(f"{BE}/invoices/save", data={**data, "action": "add_row"})
    assert more.text.count('name="lines-') > wrong.text.count('name="lines-') - 5
    saved = client.post(f"{BE}/invoices/save", data=data, follow_redirects=False)
    assert saved.status_code == 302, saved.text
    page = client.get(saved.headers["location"])
    body = main_of(page.text)
    assert "Portraits" in body
    assert "241,50" in body  # 3 × 80.50, in French (Amélie reads the pages in fr)
    issued = client.post(
        saved.headers["location"] + "/issue",
        data={"_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert issued.status_code == 302, issued.text
    after = client.get(issued.headers["location"])
    assert re.search(r"INV2026-\d{5}", main_of(after.text))
    assert "+++" in after.text  # the Belgian structured communication
    assert "Issue the invoice" not in after.text


def test_a_client_with_a_wrong_vat_number_is_shown_back_with_the_reason(client: Client) -> None:
    signed_in_as(BOTH, client)
    form = client.get(f"{BE}/clients/new")
    data = {
        "_csrf_token": csrf_from(form.text), "kind": "company", "name": "Bildhaus GmbH",
        "country": "DE", "street": "Torstraße 9", "postcode": "10119", "city": "Berlin",
        "vat_number": "DE136695977", "email": "", "locale": "", "company_number": "",
    }  # fmt: skip
    refused = client.post(f"{BE}/clients/create", data=data)
    assert refused.status_code == 400
    assert "check digits" in refused.text
    assert 'value="Bildhaus GmbH"' in refused.text
    added = client.post(
        f"{BE}/clients/create", data={**data, "vat_number": "DE136695976"}, follow_redirects=False
    )
    assert "already the client" in added.text  # the demo has Bildwerk GmbH with that number
    ok = client.post(
        f"{BE}/clients/create", data={**data, "vat_number": ""}, follow_redirects=False
    )
    assert ok.status_code == 302
    assert "Bildhaus GmbH" in client.get(f"{BE}/clients").text


def test_another_members_invoice_is_not_found(client: Client) -> None:
    signed_in_as(BOTH, client)
    link = re.search(
        r'href="/t/demo-be/invoices/([0-9a-f-]{36})"', client.get(f"{BE}/invoices").text
    )
    assert link
    client.post("/logout", data={"_csrf_token": csrf_from(client.get("/").text)})
    signed_in_as(MEMBER_BE, client)
    assert client.get(f"{BE}/invoices/{link.group(1)}").status_code == 404
    assert "INV2026" not in main_of(client.get(f"{BE}/invoices").text)


def test_staff_write_an_unpaid_invoice_off_from_its_page(
    client: Client, demo_db: Database, english_pages: None
) -> None:
    unpaid = _invoice_with_status(demo_db, "issued")
    signed_in_as(STAFF_BE, client)
    page = client.get(f"{BE}/invoices/{unpaid}")
    assert "Write the invoice off" in page.text
    empty = client.post(
        f"{BE}/invoices/{unpaid}/write-off", data={"_csrf_token": csrf_from(page.text)}
    )
    assert empty.status_code == 422  # a reason is needed, nothing is written
    assert "Write the invoice off" in empty.text
    done = client.post(
        f"{BE}/invoices/{unpaid}/write-off",
        data={"_csrf_token": csrf_from(page.text), "reason": "Client bankrupt"},
        follow_redirects=False,
    )
    assert done.status_code == 302, done.text
    after = client.get(done.headers["location"]).text
    assert "written off" in after
    assert "Write the invoice off" not in after
    client.get("/logout")
    signed_in_as(MEMBER_BE, client)
    assert "Write the invoice off" not in client.get(f"{BE}/invoices/{unpaid}").text


def _invoice_with_status(demo_db: Database, status: str) -> str:
    from sqlalchemy import select

    from coopkit.db.tenancy import tenant_scope
    from coopkit.invoicing.models import DocumentKind, Invoice, InvoiceStatus
    from coopkit.tenants.models import Tenant

    with demo_db.sessions() as db:
        tenant = db.scalars(select(Tenant).where(Tenant.slug == "demo-be")).one()
        with tenant_scope(db, tenant.id):
            found = db.scalars(
                select(Invoice.id)
                .where(
                    Invoice.kind == DocumentKind.INVOICE, Invoice.status == InvoiceStatus(status)
                )
                .order_by(Invoice.number)
                .limit(1)
            ).one()
    return str(found)
