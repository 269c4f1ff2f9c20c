"""Membership and shares through the web: the public form, the staff's queue, the register
(page, PDF, CSV), the member's record and certificate, "My shares", and the API operations.

Against the demo, whose demo-be has a class A of 50.00 (at most 100 a member) and 21 register
lines or more already (coopkit.demo_governance).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from coopkit.db.tenancy import set_tenant
from coopkit.membership.classes import share_class_by_code
from coopkit.membership.models import ShareRegisterEntry
from coopkit.tenants.service import get_by_slug
from tests.conftest import Client, Database
from tests.test_web import (
    MEMBER_BE,
    STAFF_BE,
    assert_no_leak,
    assert_problem,
    bearer,
    csrf_from,
    main_of,
    signed_in_as,
)

EN = {"Accept-Language": "en"}
SHARES = "/t/demo-be/shares"
API = "/api/v1/t/demo-be"
APPLICATION = re.compile(r"/shares/applications/([0-9a-f-]{36})/admit")
SUBSCRIPTION = re.compile(r"/shares/subscriptions/([0-9a-f-]{36})/pay")
MEMBER_LINK = re.compile(r'href="/t/demo-be/shares/members/([0-9a-f-]{36})"')


@pytest.fixture
def a_shares(demo_db: Database) -> None:
    """Class A of 50.00, at most 100 a member, in demo-be: the demo's."""
    with demo_db.sessions() as db:
        tenant = get_by_slug(db, "demo-be")
        set_tenant(db, tenant.id)
        shares = share_class_by_code(db, "A")
        assert (shares.nominal, shares.max_per_member) == (Decimal("50.00"), 100)


def register_lines(demo_db: Database) -> int:
    with demo_db.sessions() as db:
        set_tenant(db, get_by_slug(db, "demo-be").id)
        return int(db.scalar(select(func.count()).select_from(ShareRegisterEntry)) or 0)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 1
    return "\n".join(page.extract_text() for page in reader.pages)


def apply_on_the_public_form(client: Client, email: str, quantity: str = "4") -> object:
    form = client.get("/t/demo-be/join", headers=EN)
    assert form.status_code == 200, form.text
    return client.post(
        "/t/demo-be/join/submit",
        data={
            "_csrf_token": csrf_from(form.text),
            "name": "Zoé Public",
            "email": email,
            "share_class": "A",
            "quantity": quantity,
            "motivation": "I make films.",
        },
        headers=EN,
    )


@pytest.mark.usefixtures("a_shares")
def test_apply_admit_pay_and_print_the_register(
    client: Client, new_client: Callable[[], Client], demo_db: Database
) -> None:
    before = register_lines(demo_db)  # the demo's lines
    visitor = new_client()
    too_many = apply_on_the_public_form(visitor, "zoe@example.org", "101")
    assert too_many.status_code == 400  # type: ignore[attr-defined]
    assert "at most 100 A shares" in too_many.text  # type: ignore[attr-defined]
    sent = apply_on_the_public_form(visitor, "zoe@example.org")
    assert sent.status_code == 200  # type: ignore[attr-defined]
    assert "Application sent" in sent.text  # type: ignore[attr-defined]
    assert visitor.get("/t/no-such-coop/join").status_code == 404

    signed_in_as(STAFF_BE, client)
    queue = client.get(f"{SHARES}/applications", headers=EN)
    assert "Zoé Public" in queue.text
    # The demo's applicant waits before her (oldest first): Zoé's admit button follows her name.
    found = APPLICATION.search(queue.text, queue.text.index("Zoé Public"))
    assert found
    admitted = client.post(
        f"{SHARES}/applications/{found.group(1)}/admit",
        data={"_csrf_token": csrf_from(queue.text)},
        follow_redirects=False,
    )
    assert admitted.status_code == 302

    register = client.get(f"{SHARES}/register", headers=EN)
    assert "Zoé Public" not in main_of(register.text)  # admitted, not paid: no shares yet
    members = client.get("/t/demo-be/members", headers=EN)
    assert "Zoé Public" in members.text
    # The record page of the new member: find them through the API's register later; here
    # through the subscription form on their record.
    with demo_db.sessions() as db:
        from coopkit.people.service import find_user

        zoe = find_user(db, "zoe@example.org")
        assert zoe is not None
        zoe_id = zoe.id
    record = client.get(f"{SHARES}/members/{zoe_id}", headers=EN)
    assert record.status_code == 200, record.text
    assert "waiting for payment" in record.text, main_of(record.text)
    pay = SUBSCRIPTION.search(record.text)
    assert pay
    paid = client.post(
        f"{SHARES}/subscriptions/{pay.group(1)}/pay",
        data={"_csrf_token": csrf_from(record.text), "day": "", "reference": "SEPA"},  # today
        follow_redirects=False,
    )
    assert paid.status_code == 302
    assert register_lines(demo_db) == before + 1
    register = main_of(client.get(f"{SHARES}/register", headers=EN).text)
    assert "Zoé Public" in register
    assert "Subscription" in register
    assert MEMBER_LINK.search(register)

    # A document is printed in the reader's saved language, else the coop's first
    # (document_locale): the demo staff member has none, demo-be prints in fr_BE.
    text = pdf_text(client.get(f"{SHARES}/register.pdf").content)
    assert "Registre des parts" in text
    assert "Zoé Public" in text
    csv = client.get(f"{SHARES}/register.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    header, *lines = csv.text.splitlines()
    assert header.startswith("line,effective_on,member,email,share_class,kind,quantity,amount")
    assert len(lines) == before + 1
    today = date.today().isoformat()
    zoe_line = f"{before + 1},{today},Zoé Public,zoe@example.org,A,subscription,4,200.00,EUR"
    assert any(line.startswith(zoe_line) for line in lines)
    certificate = pdf_text(client.get(f"{SHARES}/members/{zoe_id}/certificate.pdf").content)
    assert "Share certificate" in certificate
    assert "Zoé Public" in certificate
    assert "chair" in certificate


@pytest.mark.usefixtures("a_shares")
def test_my_shares_for_a_member_and_staff_pages_forbidden_to_them(client: Client) -> None:
    signed_in_as(MEMBER_BE, client)
    mine = client.get("/t/demo-be/my-shares", headers=EN)
    assert mine.status_code == 200
    # Bram holds the 2 A shares of the demo (coopkit.demo_governance): 2 × 50.00 = 100.00.
    assert "What you hold today" in mine.text
    assert "€100.00" in main_of(mine.text)
    assert 'href="/t/demo-be/my-shares"' in mine.text  # in the navigation
    assert 'href="/t/demo-be/shares/register"' not in mine.text
    certificate = client.get("/t/demo-be/my-shares/certificate.pdf")
    assert "Bram Peeters" in pdf_text(certificate.content)
    for path in ("/register", "/register.pdf", "/register.csv", "/applications", "/classes"):
        refused = client.get(f"{SHARES}{path}", headers=EN)
        assert refused.status_code == 403, path
        assert_no_leak(refused)
    assert client.get("/t/demo-fr/my-shares").status_code == 404  # not their cooperative


def test_staff_define_a_share_class_on_their_page(client: Client) -> None:
    signed_in_as(STAFF_BE, client)
    form = client.get(f"{SHARES}/classes", headers=EN)
    added = client.post(
        f"{SHARES}/classes/add",
        data={
            "_csrf_token": csrf_from(form.text),
            "code": "C",  # the demo has A and B already
            "name": "C shares (partners)",
            "nominal": "250,00",
            "min_holding": "1",
            "max_per_member": "",
            "voting": "on",
        },
        headers=EN,
    )
    assert added.status_code == 200, added.text
    assert "C shares (partners)" in added.text


@pytest.mark.usefixtures("a_shares")
def test_api_operations(client: Client, token: Callable[[str], str], demo_db: Database) -> None:
    before = register_lines(demo_db)  # the demo's lines
    applied = client.post(
        f"{API}/membership-applications",
        json={"name": "Api Person", "email": "api.person@example.org", "share_class": "A",
              "quantity": 2},
    )  # fmt: skip
    assert applied.status_code == 201, applied.text
    staff = bearer(token(STAFF_BE))
    member = bearer(token(MEMBER_BE))
    admission = f"{API}/membership-applications/{applied.json()['id']}/admission"
    assert client.post(admission, json={}, headers=member).status_code == 403
    admitted = client.post(admission, json={"day": "2026-01-10"}, headers=staff)
    assert admitted.status_code == 200, admitted.text
    assert admitted.json()["status"] == "admitted"
    subscription = admitted.json()["subscription_id"]
    again = client.post(admission, json={}, headers=staff)
    assert assert_problem(again, 409)["detail"] == "this application was admitted already"

    # A demo member who resigned at T-30 (coopkit.demo_governance): refused, clearly.
    resigned = bearer(token("tom.hermans@demo.coopkit.test"))
    refused = client.post(
        f"{API}/share-subscriptions", json={"share_class": "A", "quantity": 1}, headers=resigned
    )
    assert "only members subscribe shares" in assert_problem(refused, 422)["detail"]

    payment = f"{API}/share-subscriptions/{subscription}/payment"
    key = {"Idempotency-Key": "pay-api-person-1", **staff}
    first = client.post(payment, json={"paid_on": "2026-01-15"}, headers=key)
    assert first.status_code == 200, first.text
    assert (first.json()["status"], first.json()["amount"]) == ("paid", "100.00")  # 2 × 50.00
    retry = client.post(payment, json={"paid_on": "2026-01-15"}, headers=key)
    assert retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert register_lines(demo_db) == before + 1
    twice = client.post(payment, json={"paid_on": "2026-01-15"}, headers=staff)
    assert "paid on 2026-01-15 already" in assert_problem(twice, 409)["detail"]

    user_id = admitted.json()["user_id"]
    july = client.post(
        f"{API}/share-redemptions",
        json={"user_id": user_id, "share_class": "A", "quantity": 1, "day": "2026-07-15"},
        headers=staff,
    )
    body = assert_problem(july, 422)
    assert "6:120 §1" in body["rule"]
    march = client.post(
        f"{API}/share-redemptions",
        json={"user_id": user_id, "share_class": "A", "quantity": 1, "day": "2026-03-16"},
        headers=staff,
    )
    assert march.status_code == 201, march.text
    assert Decimal(march.json()["amount"]) == Decimal("50.00")

    register = client.get(f"{API}/share-register", headers=staff)
    assert [(x["line"], x["kind"], x["quantity"]) for x in register.json()][before:] == [
        (before + 1, "subscription", 2),
        (before + 2, "redemption", -1),
    ]
    csv = client.get(f"{API}/share-register?format=csv", headers=staff)
    assert csv.text.splitlines()[before + 2].startswith(f"{before + 2},2026-03-16,Api Person")
    assert client.get(f"{API}/share-register", headers=member).status_code == 403
