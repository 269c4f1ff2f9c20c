"""Staff import a bank statement and resolve its waiting lines in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.bank_world import demo_invoice
from tests.browser.conftest import LiveServer
from tests.browser.test_pages import sign_in

# The flow is followed by its English texts (catalogs: tests/test_i18n.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("english_pages")]


STAFF_BE = "staff.be@demo.coopkit.test"
HEADER = "date,amount,currency,counterparty,iban,communication\n"


def test_staff_import_a_statement_and_work_through_the_queue(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    paid = demo_invoice(live_server, "Atelier Lumière", [("100.00", "0.21")])
    waiting = demo_invoice(live_server, "Studio Noord", [("400.00", "0.21")])
    statement = tmp_path / "march.csv"
    statement.write_text(
        HEADER
        + f"2026-03-16,121.00,EUR,Atelier Lumiere,,{paid.payment_reference}\n"
        + "2026-03-16,242.00,EUR,Studio Noord BV,,acompte\n"
        + "2026-03-17,15.00,EUR,Somebody,,?\n",
        encoding="utf-8",
    )
    page.goto("/login?next=/t/demo-be/")
    sign_in(page, STAFF_BE)
    page.wait_for_url(f"{live_server.url}/t/demo-be/")
    page.get_by_role("navigation").get_by_role("link", name="Bank").click()
    page.wait_for_url(f"{live_server.url}/t/demo-be/bank")
    page.get_by_label("Statement file").set_input_files(str(statement))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(f"{live_server.url}/t/demo-be/bank/queue")
    assert "1 line(s) paid invoices, 2 wait for you" in page.locator(".flash").inner_text()

    lines = page.locator("section.bank-line")
    assert lines.count() == 2
    first = lines.first  # the oldest: 242.00 of the 16th
    assert "Studio Noord BV" in first.locator(".counterparty").inner_text()
    assert "no invoice has this payment reference" in first.locator(".reason").inner_text()
    choice = first.get_by_label("Invoice it pays")
    choice.select_option(str(waiting.id))
    first.get_by_role("button", name="Record the payment").click()
    page.wait_for_load_state()
    assert "Payment of 242.00 EUR recorded." in page.locator(".flash").inner_text()

    assert page.locator("section.bank-line").count() == 1
    last = page.locator("section.bank-line").first
    last.get_by_label("Or set it aside, because").fill("Refunded to the sender")
    last.get_by_role("button", name="Set aside").click()
    page.wait_for_load_state()
    assert "The line is set aside." in page.locator(".flash").inner_text()
    assert page.locator("section.bank-line").count() == 0
    page.screenshot(path=str(tmp_path / "bank-queue.png"), full_page=True)
