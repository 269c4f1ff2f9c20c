"""Payment pages: staff create and export a batch; a member sets their account."""

from __future__ import annotations

import pytest

from tests.conftest import Client
from tests.test_web import csrf_from, signed_in_as

pytestmark = pytest.mark.usefixtures("english_pages")


def test_staff_create_export_and_download_a_batch(client: Client) -> None:
    signed_in_as("staff.be@demo.coopkit.test", client)
    listing = client.get("/t/demo-be/payments")
    assert listing.status_code == 200
    assert "Waiting payouts" in listing.text
    assert "OK" in listing.text
    made = client.post(
        "/t/demo-be/payments/batches",
        data={"execution_date": "2026-12-01", "_csrf_token": csrf_from(listing.text)},
    )
    assert made.status_code == 200
    assert "Export the batch" in made.text
    batch_url = str(made.url)
    exported = client.post(f"{batch_url}/export", data={"_csrf_token": csrf_from(made.text)})
    assert "Download the SEPA file" in exported.text
    file = client.get(f"{batch_url}/file")
    assert file.headers["content-type"].startswith("application/xml")
    again = client.post(f"{batch_url}/export", data={"_csrf_token": csrf_from(exported.text)})
    assert "exported on" in again.text


def test_a_member_sets_their_account_and_a_wrong_iban_says_why(client: Client) -> None:
    signed_in_as("amelie.claes@demo.coopkit.test", client)
    shown = client.get("/t/demo-be/my-payouts")
    assert "My payouts" in shown.text
    token = csrf_from(shown.text)
    wrong = client.post(
        "/t/demo-be/my-payouts/account",
        data={"iban": "BE68 5390 0754 7035", "holder": "Amélie Claes", "_csrf_token": token},
    )
    assert wrong.status_code == 400
    assert "BE68 5390 0754 7035:" in wrong.text
    right = client.post(
        "/t/demo-be/my-payouts/account",
        data={"iban": "BE68 5390 0754 7034", "holder": "Amélie Claes", "_csrf_token": token},
    )
    assert "BE68539007547034" in right.text


def test_members_do_not_see_the_payments_page(client: Client) -> None:
    signed_in_as("amelie.claes@demo.coopkit.test", client)
    assert client.get("/t/demo-be/payments").status_code == 403
