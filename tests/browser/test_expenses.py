"""A member claims an expense with a receipt in a real headless Chromium; another
person, staff, approves it from the queue."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from coopkit.demo_receipts import receipt_png
from tests.browser.conftest import LiveServer
from tests.browser.test_pages import sign_in

pytestmark = pytest.mark.browser

MEMBER_BE = "bram.peeters@demo.coopkit.test"
STAFF_BE = "staff.be@demo.coopkit.test"


def test_a_claim_with_a_receipt_approved_by_staff(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    receipt = tmp_path / "ticket.png"
    receipt.write_bytes(receipt_png())
    page.goto("/login?next=/t/demo-be/expenses/new")
    sign_in(page, MEMBER_BE)
    page.wait_for_url(f"{live_server.url}/t/demo-be/expenses/new")
    page.get_by_label("Day you paid (YYYY-MM-DD)").fill("2026-03-05")
    page.get_by_label("Supplier").fill("Brico Wavre")
    page.get_by_label("What it was for").fill("Shelves for the workshop")
    page.get_by_label("Amount excluding VAT (EUR)").fill("50.00")
    page.get_by_label("Receipts (PDF, JPEG or PNG, at most 10 MB each)").set_input_files(
        str(receipt)
    )
    page.get_by_role("button", name="Submit the claim").click()
    page.wait_for_url(re.compile(r"/t/demo-be/expenses/[0-9a-f-]{36}$"))
    assert "waiting for approval" in page.locator("p.status").inner_text()
    assert page.locator("dd.gross").inner_text() == "€60.50"
    claim_url = page.url
    page.get_by_role("button", name="Sign out").click()

    page.goto("/login?next=/t/demo-be/expenses/queue")
    sign_in(page, STAFF_BE)
    page.wait_for_url(f"{live_server.url}/t/demo-be/expenses/queue")
    claim = page.locator("section.claim", has_text="Brico Wavre")
    receipt_link = claim.get_by_role("link", name="ticket.png").get_attribute("href")
    shown = page.request.get(receipt_link)
    assert shown.status == 200
    assert shown.headers["content-type"] == "image/png"
    claim.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert "approved." in page.locator("p.flash").first.inner_text()
    page.goto(claim_url)
    assert "approved" in page.locator("p.status").inner_text()
    assert "Stéphane Staff" in page.locator("dl.facts").inner_text()
    page.screenshot(path=str(tmp_path / "expense.png"), full_page=True)
