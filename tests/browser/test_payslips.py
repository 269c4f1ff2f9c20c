"""A member opens their payslip in a real headless Chromium; staff issue one with the form."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_pages import sign_in

pytestmark = pytest.mark.browser

MEMBER_FR = "alice.moreau@demo.coopkit.test"
STAFF_FR = "staff.fr@demo.coopkit.test"


def test_a_member_opens_a_payslip_and_its_pdf(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    page.goto("/login?next=/t/demo-fr/")
    sign_in(page, MEMBER_FR)
    page.wait_for_url(f"{live_server.url}/t/demo-fr/")
    page.get_by_role("navigation").get_by_role("link", name="Payslips").click()
    page.wait_for_url(f"{live_server.url}/t/demo-fr/payslips")
    months = page.locator("table.payslips tbody tr")
    assert months.count() == 3  # June and July 2025, the demo story's salary; hers only
    page.get_by_role("link", name="June 2025").click()
    page.wait_for_url(re.compile(r"/t/demo-fr/payslips/[0-9a-f-]{36}$"))
    assert page.locator("h1").inner_text() == "Payslip — June 2025"
    assert page.locator("dd.member").inner_text() == "Alice Moreau"
    lines = page.locator("table.lines tbody tr")
    assert lines.count() > 10
    assert "Old-age insurance, capped" in lines.first.inner_text()
    assert "CSS art." in lines.first.locator(".source").inner_text()
    net = page.locator("table.totals tr.total-net_pay td").inner_text()
    assert re.fullmatch(r"€\d,\d{3}\.\d{2}", net), net
    page.screenshot(path=str(tmp_path / "payslip.png"), full_page=True)
    pdf_link = page.get_by_role("link", name="Download the PDF").get_attribute("href")
    response = page.request.get(pdf_link)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_staff_see_form_errors_next_to_the_field(page: Any, live_server: LiveServer) -> None:
    page.goto("/login?next=/t/demo-fr/payslips/new")
    sign_in(page, STAFF_FR)
    page.wait_for_url(f"{live_server.url}/t/demo-fr/payslips/new")
    page.get_by_label("Member").select_option(label="Damien Fournier")
    page.get_by_label("Month (YYYY-MM)").fill("2019-01")
    page.get_by_label("Gross pay (EUR)").fill("2500")
    page.get_by_role("button", name="Issue the payslip").click()
    page.wait_for_load_state()
    error = page.locator("#month-error")
    assert "no FR payroll law for 2019-01" in error.inner_text()
    assert page.get_by_label("Month (YYYY-MM)").input_value() == "2019-01"
    assert page.get_by_label("Gross pay (EUR)").input_value() == "2500"
