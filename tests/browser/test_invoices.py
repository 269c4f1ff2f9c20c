"""A member adds a client, drafts an invoice and issues it, in a real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_pages import sign_in

pytestmark = pytest.mark.browser

MEMBER_BE = "amelie.claes@demo.coopkit.test"  # runs SOLO-01 in demo-be


def test_a_member_adds_a_client_drafts_and_issues_an_invoice(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    page.goto("/login?next=/t/demo-be/clients")
    sign_in(page, MEMBER_BE)
    page.wait_for_url(f"{live_server.url}/t/demo-be/clients")
    page.get_by_role("link", name="Add a client").first.click()
    page.get_by_label("Kind").select_option("company")
    page.get_by_label("Name").fill("Studio Nord BV")
    page.get_by_label("Street and number").fill("Keizersgracht 1")
    page.get_by_label("Postcode").fill("1015 CJ")
    page.get_by_label("City").fill("Amsterdam")
    page.get_by_label("Country (ISO code: BE, FR, DE…)").fill("NL")
    page.get_by_label("VAT number").fill("NL004495446B01")
    page.get_by_role("button", name="Add the client").click()
    page.wait_for_load_state()
    assert "check digits" in page.locator("#vat_number-error").inner_text()
    page.get_by_label("VAT number").fill("NL004495445B01")
    page.get_by_role("button", name="Add the client").click()
    page.wait_for_url(f"{live_server.url}/t/demo-be/clients")
    assert "Studio Nord BV" in page.locator("table.clients").inner_text()

    page.get_by_role("navigation").get_by_role("link", name="Invoices").click()
    page.get_by_role("link", name="Draft an invoice").click()
    page.get_by_label("Activity").select_option(label="SOLO-01 — Freelance activity 01")
    page.get_by_label("Client", exact=True).select_option(label="Studio Nord BV (NL)")
    page.get_by_label("Date of the work or delivery (YYYY-MM-DD; empty: the day of issue)").fill(
        "2026-03-10"
    )
    row = page.locator("table.lines tbody tr").first
    row.get_by_label("What").fill("Two days of shooting")
    row.get_by_label("Quantity").fill("2")
    row.get_by_label("Unit", exact=True).select_option("DAY")
    row.get_by_label("Unit price excl. VAT").fill("450.00")
    row.get_by_label("VAT", exact=True).select_option("reverse_charge_services")
    page.get_by_role("button", name="Add a row").click()
    page.wait_for_load_state()
    assert page.locator("table.lines tbody tr").count() == 4
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(re.compile(r"/t/demo-be/invoices/[0-9a-f-]{36}$"))
    assert "(draft)" in page.locator("h1").inner_text()
    assert "Reverse charge" in page.locator("table.lines").inner_text()
    page.get_by_role("button", name="Issue the invoice").click()
    page.wait_for_load_state()
    assert re.search(r"INV\d{4}-\d{5}", page.locator("h1").inner_text())
    assert page.locator("dd.reference").inner_text().startswith("+++")
    assert "€900.00" in page.locator("td.due").inner_text()
    page.screenshot(path=str(tmp_path / "invoice.png"), full_page=True)
