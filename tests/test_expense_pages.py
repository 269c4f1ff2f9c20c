"""Expense pages through the test client, against the demo: the member's form with a
receipt upload and their list, the staff's queue with approve and reject, the receipt."""

from __future__ import annotations

import re
from collections.abc import Callable

from coopkit.demo_receipts import receipt_pdf
from tests.conftest import Client
from tests.test_web import MEMBER_BE, STAFF_BE, assert_no_leak, csrf_from, main_of, signed_in_as

EN = {"Accept-Language": "en"}
PAGES = "/t/demo-be/expenses"
ADMIN_BE = "admin@demo.coopkit.test"
CLAIM_LINK = re.compile(r'href="/t/demo-be/expenses/([0-9a-f-]{36})"')


def submit(client: Client, **changes: str) -> object:
    form = client.get(f"{PAGES}/new", headers=EN)
    assert form.status_code == 200, form.text
    activity = re.search(r'<option value="([0-9a-f-]{36})"', form.text)
    assert activity, "the form offers the member's activity"
    fields = {
        "_csrf_token": csrf_from(form.text),
        "activity_id": activity.group(1),
        "day": "2026-03-05",
        "supplier": "Librairie Papyrus",
        "description": "Reference books",
        "category": "general",
        "net": "30,00",
        "vat_rate": "reduced",
        **changes,
    }
    pdf = receipt_pdf(["Librairie Papyrus", "Total 31.80"])
    return client.post(
        f"{PAGES}/submit",
        data=fields,
        files=[("receipts", ("invoice.pdf", pdf, "application/pdf"))],
        headers=EN,
        follow_redirects=False,
    )


def test_a_member_claims_and_staff_approve(
    client: Client, new_client: Callable[[], Client]
) -> None:
    signed_in_as(MEMBER_BE, client)
    answer = submit(client)  # "30,00", typed the reader's way
    assert answer.status_code == 302, answer.text  # type: ignore[attr-defined]
    page = client.get(answer.headers["location"], headers=EN)  # type: ignore[attr-defined]
    text = main_of(page.text)
    assert "waiting for approval" in text
    assert "Librairie Papyrus" in text
    assert "€31.80" in text or "31.80" in text
    receipt = re.search(r'href="(/t/demo-be/expenses/[^"]+/receipts/[^"]+)"', text)
    assert receipt
    assert client.get(receipt.group(1)).content.startswith(b"%PDF")
    listed = main_of(client.get(PAGES, headers=EN).text)
    assert "Librairie Papyrus" in listed
    assert "Claims to approve" not in listed

    staff = signed_in_as(STAFF_BE, new_client())
    queue = staff.get(f"{PAGES}/queue", headers=EN)
    assert queue.status_code == 200
    assert "Librairie Papyrus" in queue.text
    claim_id = answer.headers["location"].rsplit("/", 1)[1]  # type: ignore[attr-defined]
    approved = staff.post(
        f"{PAGES}/{claim_id}/approve",
        data={"_csrf_token": csrf_from(queue.text)},
        headers=EN,
    )
    assert approved.status_code == 200
    assert "approved." in approved.text
    assert "Librairie Papyrus" not in main_of(approved.text).split("Claims to approve", 1)[1]
    seen = main_of(client.get(f"{PAGES}/{claim_id}", headers=EN).text)
    assert "approved" in seen
    assert "Stéphane Staff" in seen


def test_the_form_shows_what_to_fix(client: Client) -> None:
    signed_in_as(MEMBER_BE, client)
    answer = submit(client, net="lots", supplier="")
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert 'aria-invalid="true"' in answer.text  # type: ignore[attr-defined]
    assert "amount excluding VAT" in answer.text  # type: ignore[attr-defined]
    too_much = submit(client, net="99999.00")
    assert "available" in too_much.text  # type: ignore[attr-defined]
    assert_no_leak(too_much)


def test_a_rejection_needs_a_reason(client: Client) -> None:
    signed_in_as(ADMIN_BE, client)
    queue = client.get(f"{PAGES}/queue", headers=EN)
    claim_id = CLAIM_LINK.search(main_of(queue.text))
    assert claim_id
    url = f"{PAGES}/{claim_id.group(1)}/reject"
    token = csrf_from(queue.text)
    empty = client.post(url, data={"_csrf_token": token, "reason": " "}, headers=EN)
    assert "Not rejected" in empty.text
    assert "say why" in empty.text
    done = client.post(url, data={"_csrf_token": token, "reason": "No VAT number"}, headers=EN)
    assert "rejected." in done.text
    page = client.get(f"{PAGES}/{claim_id.group(1)}", headers=EN)
    assert "No VAT number" in page.text


def test_members_have_no_queue(client: Client) -> None:
    signed_in_as(MEMBER_BE, client)
    assert client.get(f"{PAGES}/queue", headers=EN).status_code == 403
