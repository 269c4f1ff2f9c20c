"""A member writes and sends a quote in a real headless Chromium; an anonymous visitor
accepts it through the link, and the member sees the recorded answer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from coopkit.db.tenancy import tenant_scope
from coopkit.quotes.models import QuoteConfirmation, QuoteDecision
from coopkit.quotes.shown import sha256_hex
from coopkit.tenants.models import Tenant
from tests.browser.conftest import LiveServer
from tests.browser.test_pages import sign_in

# The flow is followed by its English texts (catalogs: tests/test_i18n.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("english_pages")]


MEMBER_BE = "bram.peeters@demo.coopkit.test"  # runs SOLO-02 in demo-be


def test_a_member_sends_a_quote_and_a_visitor_accepts_it(
    page: Any, browser: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    page.goto("/login?next=/t/demo-be/")
    sign_in(page, MEMBER_BE)
    page.wait_for_url(f"{live_server.url}/t/demo-be/")
    page.get_by_role("navigation").get_by_role("link", name="Quotes").click()
    page.wait_for_url(f"{live_server.url}/t/demo-be/quotes")
    page.get_by_role("link", name="Write a quote").click()
    page.wait_for_url(f"{live_server.url}/t/demo-be/quotes/new")
    page.get_by_label("Client", exact=True).select_option(label="Brasserie Bruxelloise SA")
    page.get_by_label("Valid until").fill("2099-06-30")
    page.get_by_label("Title (optional)").fill("Bottling day photographs")
    page.get_by_label("Description, line 1").fill("Photography, half day")
    page.get_by_label("Quantity, line 1").fill("2")
    page.get_by_label("Unit, line 1").select_option("DAY")
    page.get_by_label("Unit price, line 1").fill("450")
    page.get_by_label("Description, line 2").fill("Retouching")
    page.get_by_label("Quantity, line 2").fill("1.5")
    page.get_by_label("Unit, line 2").select_option("HUR")
    page.get_by_label("Unit price, line 2").fill("60")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(re.compile(r"/t/demo-be/quotes/[0-9a-f-]{36}$"))
    assert page.locator("h1").inner_text() == "Draft quote — Bottling day photographs"
    assert page.locator("tr.total td").inner_text() == "€990.00"  # 2 × 450 + 1.5 × 60
    page.get_by_role("button", name="Send the quote").click()
    page.wait_for_load_state()
    number = page.locator("dd.number").inner_text()
    assert re.fullmatch(r"Q\d{4}-\d{5}", number), number
    link = page.get_by_label("Link").input_value()
    assert link.startswith(f"{live_server.url}/q/")
    quote_url = page.url

    # Someone without an account opens the link in another browser.
    visitor = browser.new_context(locale="en-US").new_page()
    visitor.goto(link)
    assert visitor.locator("html").get_attribute("lang") == "fr"  # the client's language
    assert visitor.locator("dd.number").inner_text() == number
    assert "Brasserie Bruxelloise SA" in visitor.locator("section.client").inner_text()
    visitor.locator("#name").fill("Claire Lumière")
    visitor.locator("#email").fill("claire@lumiere.example")
    visitor.locator("#company").fill("Brasserie Lumière SRL")
    visitor.locator("button[name=decision][value=accepted]").click()
    visitor.wait_for_load_state()
    assert visitor.locator("#accept-error").is_visible()  # the box was not ticked
    visitor.locator("#accept").check()
    visitor.locator("button[name=decision][value=accepted]").click()
    visitor.wait_for_url(link)
    assert "Claire Lumière" in visitor.locator("p.answered").inner_text()
    fingerprint = visitor.locator("code.sha256").inner_text()
    visitor.screenshot(path=str(tmp_path / "quote-accepted.png"), full_page=True)
    visitor.context.close()

    # The member sees the answer on the quote's page.
    page.goto(quote_url)
    assert page.locator("h2", has_text="Accepted by the client").is_visible()
    assert "Claire Lumière" in page.locator("dd.signer").inner_text()
    assert page.locator("code.sha256").inner_text() == fingerprint
    assert page.get_by_label("Link").count() == 0
    with live_server.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        with tenant_scope(db, tenant.id):
            answer = db.scalar(
                select(QuoteConfirmation).where(QuoteConfirmation.shown_sha256 == fingerprint)
            )
            assert answer is not None
            assert answer.decision is QuoteDecision.ACCEPTED
            assert answer.signer_email == "claire@lumiere.example"
            assert "Chrome" in answer.user_agent
            assert answer.ip == "127.0.0.1"
            assert sha256_hex(answer.shown) == fingerprint
