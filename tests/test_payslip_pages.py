"""Payslip pages and the payslip PDF, through the test client, against the demo.

The PDF is parsed for real (pypdf): it must carry the member's name, the net
pay formatted in the member's language and the lines' labels in that language.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from decimal import Decimal

import pypdf
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.numbers import format_currency
from babel.support import NullTranslations, Translations
from sqlalchemy import update

from coopkit import i18n
from coopkit.people.models import User
from tests.conftest import Client, Database
from tests.test_payslip_api import demo_payslips
from tests.test_web import BOTH, MEMBER_FR, assert_no_leak, csrf_from, main_of, signed_in_as

STAFF_FR = "staff.fr@demo.coopkit.test"
CAMILLE = "camille.roux@demo.coopkit.test"
EN = {"Accept-Language": "en"}  # the demo cooperative speaks French; these checks read English
PAGES = "/t/demo-fr/payslips"
# Until the lead translates the engine's labels, the tests bring their own French.
FRENCH = {
    "Old-age insurance, capped": "Assurance vieillesse plafonnée",
    "Net pay": "Net à payer",
    "Payslip": "Bulletin de paie",
}


@pytest.fixture
def french_labels(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A French catalog with a few payroll labels, in front of the real one."""
    catalog = Catalog(locale="fr", domain="messages")
    for english, french in FRENCH.items():
        catalog.add(english, french)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    real = i18n.translations

    def translations(locale: str) -> NullTranslations:
        if locale.split("_")[0] != "fr":
            return real(locale)
        extra = Translations(io.BytesIO(buffer.getvalue()), domain="messages")
        extra.add_fallback(real(locale))
        return extra

    monkeypatch.setattr(i18n, "translations", translations)
    return FRENCH


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def set_locale(demo_db: Database, email: str, locale: str | None) -> None:
    with demo_db.sessions() as db:
        db.execute(update(User).where(User.email == email).values(locale=locale))
        db.commit()


# -- the list and the page ---------------------------------------------------------------


def test_a_member_lists_their_own_payslips(client: Client, demo_db: Database) -> None:
    html = main_of(signed_in_as(MEMBER_FR, client).get(PAGES, headers=EN).text)
    own = demo_payslips(demo_db, "Alice Moreau")
    for payslip in own:
        assert f"{PAGES}/{payslip.id}" in html
    for other in demo_payslips(demo_db, "Baptiste Girard"):
        assert str(other.id) not in html
    assert "Issue a payslip" not in html


def test_staff_list_every_payslip_and_may_issue(client: Client, demo_db: Database) -> None:
    html = main_of(
        signed_in_as(STAFF_FR, client).get(PAGES, headers={"Accept-Language": "en"}).text
    )
    for name in ("Alice Moreau", "Baptiste Girard", "Camille Roux"):
        for payslip in demo_payslips(demo_db, name):
            assert f"{PAGES}/{payslip.id}" in html
    assert f'href="{PAGES}/new"' in html
    assert "corrected" in html


def test_the_payslip_page_shows_lines_with_their_source_and_the_totals(
    client: Client, demo_db: Database
) -> None:
    payslip = demo_payslips(demo_db, "Alice Moreau")[0]
    response = signed_in_as(MEMBER_FR, client).get(
        f"{PAGES}/{payslip.id}", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200
    html = main_of(response.text)
    assert "Alice Moreau" in html
    assert "Old-age insurance, capped" in html
    assert "CSS art. D242-4" in html  # the legal source of the line
    # The parameter and its exact value for the month (8.55 % in 2025).
    assert "payroll_social_security.old_age_capped_employer = 0.0855" in html
    assert format_currency(payslip.net_pay, "EUR", locale="en") in html
    assert format_currency(payslip.employer_cost, "EUR", locale="en") in html
    assert f"{PAGES}/{payslip.id}.pdf" in html
    assert "Issue a correction" not in html  # a member may not


def test_correction_links_go_both_ways(client: Client, demo_db: Database) -> None:
    original, correction = demo_payslips(demo_db, "Baptiste Girard", dt.date(2025, 6, 1))
    signed_in_as(STAFF_FR, client)
    first = main_of(client.get(f"{PAGES}/{original.id}", headers=EN).text)
    assert "This payslip was corrected by" in first
    assert f'href="{PAGES}/{correction.id}"' in first
    assert "Issue a correction" not in first  # the chain goes on from the latest
    second = main_of(client.get(f"{PAGES}/{correction.id}", headers=EN).text)
    assert "This payslip corrects and replaces" in second
    assert f'href="{PAGES}/{original.id}"' in second
    assert f'href="{PAGES}/new?corrects={correction.id}"' in second


def test_nobody_else_sees_a_payslip(client: Client, demo_db: Database) -> None:
    payslip = demo_payslips(demo_db, "Alice Moreau")[0]
    signed_in_as(CAMILLE, client)
    for path in (f"{PAGES}/{payslip.id}", f"{PAGES}/{payslip.id}.pdf", f"{PAGES}/nonsense"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert_no_leak(response)


def test_another_cooperatives_payslip_is_invisible_on_pages(
    client: Client, demo_db: Database
) -> None:
    payslip = demo_payslips(demo_db, "Alice Moreau")[0]
    signed_in_as(BOTH, client)  # a member of demo-be too
    assert client.get(f"/t/demo-be/payslips/{payslip.id}").status_code == 404
    assert client.get(f"/t/demo-be/payslips/{payslip.id}.pdf").status_code == 404
    assert str(payslip.id) not in client.get("/t/demo-be/payslips").text


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, demo_db: Database) -> None:
    payslip = demo_payslips(demo_db, "Alice Moreau")[0]
    for path in (PAGES, f"{PAGES}/{payslip.id}", f"{PAGES}/{payslip.id}.pdf", f"{PAGES}/new"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 302
        assert response.headers["location"].startswith("/login?next=")


# -- the staff form ----------------------------------------------------------------------


def form_page(client: Client, path: str = f"{PAGES}/new") -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.text


def submit(client: Client, html: str, **fields: str) -> object:
    data = {"_csrf_token": csrf_from(html), **fields}
    return client.post(f"{PAGES}/issue", data=data, follow_redirects=False)


def amelie(client: Client, demo_db: Database) -> str:
    with demo_db.sessions() as db:
        found = db.query(User).filter(User.email == BOTH).one()
    return str(found.id)


def test_a_member_may_not_open_the_form(client: Client) -> None:
    signed_in_as(MEMBER_FR, client)
    assert client.get(f"{PAGES}/new").status_code == 403


def test_staff_issue_a_payslip_with_the_form(client: Client, demo_db: Database) -> None:
    signed_in_as(STAFF_FR, client)
    html = form_page(client)
    assert 'name="contract"' in html
    assert '<option value="cdd"' in html
    response = submit(
        client,
        html,
        member_id=amelie(client, demo_db),
        month="2025-06",
        gross="2 500,50",
        contract="cdd",
    )
    assert response.status_code == 302, response.text  # type: ignore[attr-defined]
    target = response.headers["location"]  # type: ignore[attr-defined]
    page = client.get(target, headers={"Accept-Language": "en"}).text
    assert "Amélie Claes" in page
    assert re.search(r"Payslip 2025-06-[0-9a-f]{8} issued\.", page)
    assert format_currency(Decimal("2500.50"), "EUR", locale="en") in page
    # A label with a per cent sign is shown as it is (no %-formatting of data).
    assert "Training contribution for fixed-term contracts (1 %)" in page


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"month": "June"}, "month", "Give the month as YYYY-MM"),
        ({"month": "2019-01"}, "month", "no FR payroll law for 2019-01"),
        ({"gross": "lots"}, "gross", "Write a number"),
        ({"gross": ""}, "gross", "Give the gross pay"),
        ({"gross": "-5"}, "gross", "negative"),
        ({"contract": "freelance"}, "contract", "use one of cdi, cdd"),
        ({"hours": "0"}, "hours", "more than 0"),
        ({"member_id": ""}, "member", "Choose the member"),
    ],
)
def test_form_errors_are_shown_next_to_their_field(
    client: Client, demo_db: Database, fields: dict[str, str], field: str, says: str
) -> None:
    signed_in_as(STAFF_FR, client)
    typed = {"member_id": amelie(client, demo_db), "month": "2025-06", "gross": "2500", **fields}
    response = submit(client, form_page(client), **typed)
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = main_of(response.text)  # type: ignore[attr-defined]
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert error, html
    assert says in error.group(1)
    assert f'aria-describedby="{field}-error"' in html
    if fields.get("month"):
        assert f'value="{fields["month"]}"' in html  # what was typed is kept


def test_a_second_payslip_for_the_month_points_to_the_first(
    client: Client, demo_db: Database
) -> None:
    alice = demo_payslips(demo_db, "Alice Moreau")[0]
    signed_in_as(STAFF_FR, client)
    response = submit(
        client, form_page(client), member_id=str(alice.user_id), month="2025-06", gross="1"
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = main_of(response.text)  # type: ignore[attr-defined]
    assert "already has a payslip for 2025-06" in html
    assert f'href="{PAGES}/{alice.id}"' in html


def test_staff_correct_a_payslip_from_its_page(client: Client, demo_db: Database) -> None:
    original = demo_payslips(demo_db, "Camille Roux")[0]
    signed_in_as(STAFF_FR, client)
    html = form_page(client, f"{PAGES}/new?corrects={original.id}")
    assert f'name="corrects" value="{original.id}"' in html
    assert 'value="4200.00"' in html  # filled from the payslip it corrects
    response = submit(
        client,
        html,
        member_id=str(original.user_id),
        month="2025-06",
        gross="4300.00",
        category="executive",
        corrects=str(original.id),
    )
    assert response.status_code == 302, response.text  # type: ignore[attr-defined]
    page = main_of(
        client.get(response.headers["location"], headers=EN).text  # type: ignore[attr-defined]
    )
    assert "This payslip corrects and replaces" in page
    assert original.reference in page


# -- the PDF -----------------------------------------------------------------------------


@pytest.mark.usefixtures("weasyprint")
def test_the_pdf_is_in_the_members_language(
    client: Client, demo_db: Database, french_labels: dict[str, str]
) -> None:
    payslip = demo_payslips(demo_db, "Alice Moreau")[0]
    # Staff reading in English still get Alice's payslip in French (the coop's language).
    signed_in_as(STAFF_FR, client)
    response = client.get(f"{PAGES}/{payslip.id}.pdf", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="payslip-{payslip.reference}.pdf"' in response.headers["content-disposition"]
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Alice Moreau" in text
    net = format_currency(payslip.net_pay, "EUR", locale="fr_FR")
    assert "\u202f" in net  # Babel's narrow no-break space between thousands
    assert net in text
    assert "Assurance vieillesse plafonnée" in text
    assert "Old-age insurance, capped" not in text
    assert "Bulletin de paie — juin 2025" in text
    assert "CSS art. D242-4" in text


@pytest.mark.usefixtures("weasyprint")
def test_a_member_who_chose_english_gets_an_english_pdf(
    client: Client, demo_db: Database, french_labels: dict[str, str]
) -> None:
    payslip = demo_payslips(demo_db, "Alice Moreau")[0]
    set_locale(demo_db, MEMBER_FR, "en")
    signed_in_as(MEMBER_FR, client)
    response = client.get(f"{PAGES}/{payslip.id}.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert format_currency(payslip.net_pay, "EUR", locale="en") in text
    assert "Old-age insurance, capped" in text
    assert "Payslip — June 2025" in text
    assert "Assurance vieillesse" not in text


def test_without_weasyprint_the_pdf_is_a_503_that_says_why(
    client: Client, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    payslip = demo_payslips(demo_db, "Alice Moreau")[0]
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    signed_in_as(MEMBER_FR, client)
    response = client.get(f"{PAGES}/{payslip.id}.pdf")
    assert response.status_code == 503
    assert "libpango-1.0-0" in response.text
    assert_no_leak(response)
