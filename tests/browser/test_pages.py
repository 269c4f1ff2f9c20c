"""Clicking through coopkit in a real headless Chromium, as a person would."""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

import pytest

from coopkit import i18n
from coopkit.demo import DEMO_PASSWORD
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

ADMIN = "admin@demo.coopkit.test"
MEMBER_BE = "bram.peeters@demo.coopkit.test"


def sign_in(page: Any, email: str, password: str = DEMO_PASSWORD) -> None:
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Sign in").click()


def html_lang(page: Any) -> str:
    return str(page.locator("html").get_attribute("lang"))


def test_admin_signs_in_and_goes_to_a_cooperative(page: Any, live_server: LiveServer) -> None:
    page.goto("/")
    page.wait_for_url(re.compile(r"/login$"))
    assert page.locator("h1").inner_text() == "Sign in"
    sign_in(page, ADMIN)
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Welcome, Anne Admin"
    cooperatives = page.locator("ul.tenants li")
    assert cooperatives.count() == 2
    assert "SMart Demo Belgium" in cooperatives.all_inner_texts()[1]
    page.get_by_role("link", name="SMart Demo Belgium").click()
    page.wait_for_url(f"{live_server.url}/t/demo-be/")
    assert page.locator("h1").inner_text() == "SMart Demo Belgium"
    assert page.locator("dd.role").inner_text() == "administrator"
    assert page.title() == "Home · SMart Demo Belgium"


def test_staff_open_the_members_list_and_switch_to_french(
    page: Any, live_server: LiveServer, forget_languages: None
) -> None:
    page.goto("/login")
    sign_in(page, ADMIN)
    page.wait_for_url(f"{live_server.url}/")
    page.goto("/t/demo-be/")
    page.get_by_role("navigation").get_by_role("link", name="Members").click()
    page.wait_for_url(f"{live_server.url}/t/demo-be/members")
    assert page.locator("h1").inner_text() == "Members"
    assert page.locator("tbody tr").count() == 22
    assert "Amélie Claes" in page.locator("tbody").inner_text()
    assert html_lang(page) == "en"

    with page.expect_navigation():
        page.locator("#language").select_option("fr")
    assert page.url.rstrip("/").endswith("/t/demo-be/members")
    assert html_lang(page) == "fr"
    french = i18n.gettext("fr", "Members")  # "Membres" once the French catalog is filled
    assert page.locator("h1").inner_text() == french
    assert page.locator("#language").input_value() == "fr"
    # The choice holds on the next page too.
    page.goto("/t/demo-be/")
    assert html_lang(page) == "fr"


def test_a_member_does_not_get_the_members_list(page: Any, live_server: LiveServer) -> None:
    page.goto("/t/demo-be/members")
    page.wait_for_url(re.compile(r"/login\?next="))
    sign_in(page, MEMBER_BE)
    page.wait_for_url(re.compile(r"/t/demo-be/members$"))  # back where they wanted to go
    assert page.locator("h1").inner_text() == "You may not do this here"
    page.goto("/t/demo-be/")
    assert page.get_by_role("navigation").get_by_role("link", name="Members").count() == 0


def test_sign_out(page: Any, live_server: LiveServer) -> None:
    page.goto("/login")
    sign_in(page, ADMIN)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login$"))
    assert page.get_by_role("button", name="Sign out").count() == 0
    page.goto("/t/demo-be/")
    page.wait_for_url(re.compile(r"/login\?next="))


def test_a_wrong_password_shows_the_error(page: Any, live_server: LiveServer) -> None:
    page.goto("/login")
    sign_in(page, ADMIN, password="not-the-password")
    page.wait_for_load_state()
    error = page.get_by_role("status")
    assert error.inner_text() == "Wrong e-mail or password."
    assert page.url.endswith("/login")
    assert page.get_by_label("E-mail").input_value() == ADMIN
    assert page.get_by_label("Password").input_value() == ""
    assert page.get_by_role("button", name="Sign out").count() == 0


def test_screenshot_of_the_tenant_page(page: Any, live_server: LiveServer, tmp_path: Path) -> None:
    page.goto("/login?next=/t/demo-be/")
    sign_in(page, ADMIN)
    page.wait_for_url(f"{live_server.url}/t/demo-be/")
    shot = tmp_path / "tenant.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert width > 300
    assert height > 200
    assert len(data) > 5_000
