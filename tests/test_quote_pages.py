"""Quote pages: the member's list, form and quote page, and the public page of the link."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from coopkit.db.tenancy import tenant_scope
from coopkit.quotes.link import sign_link
from coopkit.quotes.models import Quote, QuoteStatus
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.test_web import (
    BOTH,
    MEMBER_BE,
    Client,
    assert_no_leak,
    csrf_from,
    html_lang,
    main_of,
    signed_in_as,
)

# The flows are followed by their English texts (catalogs: tests/test_i18n.py).
pytestmark = pytest.mark.usefixtures("english_pages")


LINK = re.compile(r'value="http://testserver\.local(/q/[^"]+)"')
QUOTE_PAGE = re.compile(r"/t/demo-be/quotes/([0-9a-f-]{36})$")


def demo_link(demo_db: Database, status: QuoteStatus) -> str:
    """The link of the demo-be quote in ``status`` (signed with the test server's key)."""
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        with tenant_scope(db, tenant.id):
            quote = db.scalar(select(Quote).where(Quote.status == status))
            assert quote is not None
            return f"/q/{sign_link(demo_db.settings.secret_key, quote)}"


def write_and_send(client: Client) -> str:
    """As Bram (SOLO-02): write a quote through the form, send it; return its link's path."""
    signed_in_as(MEMBER_BE, client)
    form_page = client.get("/t/demo-be/quotes/new")
    assert form_page.status_code == 200
    client_id = re.search(r'<option value="([0-9a-f-]{36})"[^>]*>Jan Janssens', form_page.text)
    assert client_id is not None
    form = {
        "_csrf_token": csrf_from(form_page.text),
        "activity_id": re.findall(
            r'name="activity_id"[^>]*>\s*<option value="([^"]+)"', form_page.text
        )[0],
        "client_id": client_id.group(1),
        "valid_until": "2099-12-31",
        "title": "Portraits",
        "description": ["Studio session", "", ""],
        "quantity": ["3", "", ""],
        "unit": ["HUR", "C62", "C62"],
        "unit_price": ["1200.50", "", ""],
        "vat_code": ["standard", "standard", "standard"],
    }
    drafted = client.post("/t/demo-be/quotes/write", data=form)
    assert drafted.status_code == 200, main_of(drafted.text)
    assert QUOTE_PAGE.search(str(drafted.url))
    assert "Quote drafted" in drafted.text
    assert re.search(r"3.601,50\s€", drafted.text), main_of(drafted.text)  # 3 × 1200.50, in French
    sent = client.post(f"{drafted.url}/send", data={"_csrf_token": csrf_from(drafted.text)})
    assert sent.status_code == 200
    found = LINK.search(sent.text)
    assert found, main_of(sent.text)
    return found.group(1)


def test_members_see_the_quotes_of_their_activities(client: Client) -> None:
    signed_in_as(BOTH, client)
    listing = client.get("/t/demo-be/quotes")
    assert listing.status_code == 200
    rows = re.findall(r'<tr class="status-(\w+)">', listing.text)
    # the demo's quotes of SOLO-01 in every state, and the story's, confirmed online
    assert sorted(rows) == ["confirmed", "confirmed", "declined", "draft", "expired", "sent"]
    confirmed = re.search(
        r'<tr class="status-confirmed">\s*<td><a href="(/t/demo-be/quotes/[0-9a-f-]{36})"',
        listing.text,
    )
    assert confirmed is not None
    page = client.get(confirmed.group(1))
    assert "Accepted by the client" in page.text
    assert re.search(r'<code class="sha256">[0-9a-f]{64}</code>', page.text)
    assert "/q/" not in page.text  # an answered quote has no link any more
    client.post("/logout", data={"_csrf_token": csrf_from(page.text)})
    signed_in_as(MEMBER_BE, client)
    assert "No quote yet" in client.get("/t/demo-be/quotes").text
    assert client.get(confirmed.group(1)).status_code == 404


def test_the_form_shows_what_to_fix_next_to_the_field(client: Client) -> None:
    signed_in_as(MEMBER_BE, client)
    form_page = client.get("/t/demo-be/quotes/new")
    answer = client.post(
        "/t/demo-be/quotes/write",
        data={
            "_csrf_token": csrf_from(form_page.text),
            "activity_id": "",
            "valid_until": "someday",
            "description": "Studio session",
            "quantity": "three",
        },
    )
    assert answer.status_code == 400
    for field in ("activity_id", "client_id", "valid_until"):
        assert f'id="{field}-error"' in answer.text
    assert 'value="three"' in answer.text


def test_a_member_sends_a_quote_and_the_client_accepts_it_without_an_account(
    client: Client, new_client: Callable[[], Client]
) -> None:
    link = write_and_send(client)
    visitor = new_client()
    opened = visitor.get(link)
    assert opened.status_code == 200
    assert html_lang(opened.text) == "nl"  # Jan Janssens reads Dutch
    assert "Portraits" in opened.text
    base = {
        "_csrf_token": csrf_from(opened.text),
        "shown_sha256": re.findall(r'name="shown_sha256" value="([0-9a-f]{64})"', opened.text)[0],
        "name": "Jan Janssens",
        "email": "pieter@example.org",
        "decision": "accepted",
    }
    # Without the CSRF field: refused before anything is read.
    forged = visitor.post(f"{link}/answer", data={k: v for k, v in base.items() if k[0] != "_"})
    assert forged.status_code == 403
    unticked = visitor.post(f"{link}/answer", data=base)
    assert unticked.status_code == 400
    assert 'id="accept-error"' in unticked.text
    accepted = visitor.post(f"{link}/answer", data=base | {"accept": "yes"}, follow_redirects=False)
    assert accepted.status_code == 302
    assert accepted.headers["location"] == link
    after = visitor.get(link)
    assert after.status_code == 200
    assert 'class="flash answered"' in after.text
    assert '<form method="post" action="/q/' not in after.text
    again = visitor.post(f"{link}/answer", data=base | {"accept": "yes"})
    assert again.status_code == 409
    # The member sees who accepted, when and the fingerprint.
    member_page = client.get("/t/demo-be/quotes")
    assert "accepted by the client" in member_page.text


def test_bad_links_get_a_clear_page(client: Client, demo_db: Database) -> None:
    expired = client.get(demo_link(demo_db, QuoteStatus.EXPIRED))
    assert expired.status_code == 410
    assert expired.text.count('<p class="flash flash-error refusal"') == 1  # in French
    assert '<form method="post" action="/q/' not in expired.text
    link = demo_link(demo_db, QuoteStatus.SENT)
    for wrong in (link[:-4] + "abcd", link[:20], "/q/nothing", link + "x"):
        refused = client.get(wrong)
        assert refused.status_code == 404, wrong
        assert "This link does not open a quote" in refused.text
        assert_no_leak(refused)
    answered = client.get(demo_link(demo_db, QuoteStatus.CONFIRMED))
    assert answered.status_code == 200
    assert "accepted this quote on" in answered.text
