"""Debt collection on the web: the staff page, the letters, the reminders on the invoice page
and listDunning, on the demo (coopkit.demo_salaries chased two invoices of each branch to
the final step on 2026-05-31 and wrote a third off on 2026-06-10)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from sqlalchemy import select

from coopkit.activities.models import Activity, ActivityMember, ActivityRole
from coopkit.collection.models import DunningStep, DunningStepKind
from coopkit.collection.schedule import advance_dunning
from coopkit.db.tenancy import set_tenant
from coopkit.invoicing.drafts import DraftIn, LineIn, create_draft
from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.models import Client as InvoiceClient
from coopkit.invoicing.models import ClientKind, Invoice
from coopkit.people.models import User
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from tests.conftest import Client, Database
from tests.test_web import (
    MEMBER_BE,
    MEMBER_FR,
    STAFF_BE,
    assert_problem,
    bearer,
    main_of,
    signed_in_as,
)

PAGE = "/t/demo-be/collection"
API = "/api/v1/t/demo-be/collection"
EN = {"Accept-Language": "en"}
# Within the first half of 2026, whose Belgian rate (10.5 %) the profile sources.
IN_H1 = date(2026, 6, 20)
NO_RATE = date(2099, 1, 15)  # no late-payment rate recorded for that day
CHASED = ("INV2026-00001", "INV2026-00005")  # the demo's unpaid invoices, due on 2026-04-01
WRITTEN_OFF = "INV2026-00006"


def _eur(amount: str) -> str:
    return format_currency(Decimal(amount), "EUR", locale="en")


def _row(html: str, number: str) -> str:
    """The table row of the invoice ``number``."""
    found = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*>{number}</a>(?:(?!</tr>).)*</tr>", html, re.S)
    assert found, f"no row for {number}"
    return found.group(0)


def _staff_page(client: Client, on: date) -> str:
    """The collection page as of ``on``, as staff of demo-be see it (its <main>)."""
    response = signed_in_as(STAFF_BE, client).get(f"{PAGE}?on={on}", headers=EN)
    assert response.status_code == 200, response.text
    assert 'href="/t/demo-be/collection"' in response.text  # the nav link
    return main_of(response.text)


def _steps(db_: Database, slug: str, number: str) -> list[DunningStep]:
    with db_.sessions() as db:
        tenant = db.scalars(select(Tenant).where(Tenant.slug == slug)).one()
        set_tenant(db, tenant.id)
        invoice = db.scalars(select(Invoice).where(Invoice.number == number)).one()
        return list(
            db.scalars(
                select(DunningStep)
                .where(DunningStep.invoice_id == invoice.id)
                .order_by(DunningStep.day)
            )
        )


@dataclass(frozen=True)
class Reminded:
    number: str
    due: date


@pytest.fixture
def reminded(demo_db: Database, plugins: PluginHost) -> Reminded:
    """A consumer's invoice of SOLO-01 issued today and given its first reminder only."""
    today = date.today()
    with demo_db.sessions() as db:
        tenant = db.scalars(select(Tenant).where(Tenant.slug == "demo-be")).one()
        set_tenant(db, tenant.id)
        activity = db.scalars(select(Activity).where(Activity.code == "SOLO-01")).one()
        person = db.scalars(
            select(InvoiceClient).where(InvoiceClient.kind == ClientKind.PERSON).limit(1)
        ).one()
        line = LineIn("Portrait session", Decimal(1), Decimal("250.00"), "standard", "DAY")
        draft = create_draft(db, DraftIn(activity.id, person.id, (line,), supply_date=today),
                             plugins=plugins, today=today)  # fmt: skip
        invoice = issue_invoice(db, draft.id, day=today, plugins=plugins)
        assert invoice.due_date is not None
        assert invoice.number is not None
        report = advance_dunning(db, day=invoice.due_date + timedelta(days=7), plugins=plugins)
        assert report.steps[DunningStepKind.REMINDER] >= 1, report.errors
        db.commit()
        return Reminded(invoice.number, invoice.due_date)


def test_staff_see_the_chased_invoices_their_steps_and_figures(
    client: Client, english_pages: None
) -> None:
    html = _staff_page(client, IN_H1)
    ready = html.split('id="ready-title"', 1)[1].split('id="written-off-title"', 1)[0]
    assert "Ready for collection or write-off" in html
    for number in CHASED:
        row = _row(ready, number)
        assert "Brasserie Bruxelloise SA" in row
        assert "May 31, 2026" in row  # the final step
        assert row.count("/collection/letters/") == 3  # reminder, second reminder, notice
        assert "Collection or write-off" in row
    # 1 021.58 € × 10.5 % × 80 days (2 April – 20 June) / 365 = 23.51; the fixed 40.00.
    first = _row(ready, CHASED[0])
    assert _eur("1021.58") in first
    assert _eur("23.51") in first
    assert _eur("40.00") in first
    assert '<td class="num days-late">80</td>' in first
    written_off = _row(html.split('id="written-off-title"', 1)[1], WRITTEN_OFF)
    assert "Jun 10, 2026" in written_off
    assert _eur("1161.60") in written_off
    assert "No invoice is being chased." in html


def test_on_a_past_day_the_demo_invoices_are_between_steps(
    client: Client, english_pages: None
) -> None:
    html = _staff_page(client, date(2026, 4, 25))
    chased = html.split('id="ready-title"', 1)[0]
    row = _row(chased, CHASED[0])
    assert "Second reminder</span>, Apr 22, 2026" in row  # the last step taken by then
    assert "Formal notice</span>, May 6, 2026" in row  # the next one
    assert row.count("/collection/letters/") == 2
    # 1 021.58 € × 10.5 % × 24 days (2 – 25 April) / 365 = 7.05
    assert _eur("7.05") in row
    assert "No invoice has reached the final step." in html
    assert "No invoice written off." in html


def test_an_invoice_between_steps_shows_its_last_and_next_step(
    client: Client, english_pages: None, reminded: Reminded
) -> None:
    on = reminded.due + timedelta(days=10)
    chased = _staff_page(client, on).split('id="ready-title"', 1)[0]
    row = _row(chased, reminded.number)
    last = re.search(r'class="last-step">(.*?)</td>', row, re.S)
    following = re.search(r'class="next-step">(.*?)</td>', row, re.S)
    assert last
    assert following
    assert "Reminder" in last.group(1)
    assert "Second reminder" in following.group(1)
    # A consumer owes no interest nor compensation (directive 2011/7/EU is B2B).
    assert row.count(_eur("0.00")) == 2
    assert '<td class="num days-late">10</td>' in row
    assert row.count("/collection/letters/") == 1


def test_a_missing_legal_rate_shows_the_law_s_message_in_the_row(
    client: Client, english_pages: None
) -> None:
    row = _row(_staff_page(client, NO_RATE), CHASED[0])
    assert "figures-error" in row
    assert "late_payment.commercial_rate: no value in force on 2099-01-15" in row
    assert _eur("1021.58") in row  # the amount still due is shown all the same


def test_a_letter_downloads_and_another_cooperative_s_is_not_found(
    client: Client, demo_db: Database
) -> None:
    ours = _steps(demo_db, "demo-be", CHASED[0])
    assert [s.step for s in ours] == list(DunningStepKind)
    signed_in_as(STAFF_BE, client)
    reminder = client.get(f"{PAGE}/letters/{ours[0].id}.pdf")
    assert reminder.status_code == 200
    assert reminder.headers["content-type"] == "application/pdf"
    assert reminder.content.startswith(b"%PDF")
    assert reminder.content == ours[0].letter_pdf
    assert f'filename="reminder-{CHASED[0]}.pdf"' in reminder.headers["content-disposition"]
    theirs = _steps(demo_db, "demo-fr", CHASED[0])[0]
    assert client.get(f"{PAGE}/letters/{theirs.id}.pdf").status_code == 404
    assert client.get(f"{PAGE}/letters/{ours[-1].id}.pdf").status_code == 404  # final: none
    assert client.get(f"{PAGE}/letters/{uuid.uuid4()}.pdf").status_code == 404
    assert client.get(f"{PAGE}/letters/not-a-step.pdf").status_code == 404


def test_members_may_not_see_collection(client: Client, demo_db: Database) -> None:
    letter = _steps(demo_db, "demo-be", CHASED[0])[0]
    signed_in_as(MEMBER_BE, client)
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}/letters/{letter.id}.pdf").status_code == 403
    assert 'href="/t/demo-be/collection"' not in client.get("/t/demo-be/invoices").text
    client.cookies.clear()
    signed_in_as(MEMBER_FR, client)  # not in demo-be at all
    assert client.get(PAGE).status_code == 404


def _manager_email(db_: Database, number: str) -> str:
    with db_.sessions() as db:
        tenant = db.scalars(select(Tenant).where(Tenant.slug == "demo-be")).one()
        set_tenant(db, tenant.id)
        invoice = db.scalars(select(Invoice).where(Invoice.number == number)).one()
        manager = db.scalars(
            select(User)
            .join(ActivityMember, ActivityMember.user_id == User.id)
            .where(
                ActivityMember.activity_id == invoice.activity_id,
                ActivityMember.role == ActivityRole.MANAGER,
            )
        ).first()
        assert manager is not None
        return manager.email


@pytest.mark.parametrize("who", ["staff", "manager"])
def test_the_invoice_page_lists_the_reminders_sent(
    client: Client, demo_db: Database, english_pages: None, who: str
) -> None:
    steps = _steps(demo_db, "demo-be", CHASED[0])
    email = STAFF_BE if who == "staff" else _manager_email(demo_db, CHASED[0])
    signed_in_as(email, client)
    response = client.get(f"/t/demo-be/invoices/{steps[0].invoice_id}", headers=EN)
    assert response.status_code == 200, response.text
    html = main_of(response.text)
    assert "Reminders sent" in html
    table = html.split("Reminders sent", 1)[1].split("</table>", 1)[0]
    labels = re.findall(r'<tr class="step-(\w+)"><td>([^<]+)</td><td>([^<]+)</td>', table)
    assert [(kind, label) for kind, label, _day in labels] == [
        ("reminder", "Reminder"),
        ("second_reminder", "Second reminder"),
        ("formal_notice", "Formal notice"),
        ("final", "Final step: collection or write-off"),
    ]
    assert labels[0][2] == "Apr 8, 2026"
    rows = table.split("</tr>")
    for step, row in zip(steps, rows[1:], strict=False):
        assert _eur(str(step.interest)) in row
        assert _eur(str(step.compensation)) in row


def test_an_invoice_without_steps_has_no_reminders(
    client: Client, demo_db: Database, english_pages: None
) -> None:
    with demo_db.sessions() as db:
        tenant = db.scalars(select(Tenant).where(Tenant.slug == "demo-be")).one()
        set_tenant(db, tenant.id)
        chased = select(DunningStep.invoice_id)
        quiet = db.scalars(select(Invoice.id).where(Invoice.id.not_in(chased)).limit(1)).one()
    signed_in_as(STAFF_BE, client)
    assert "Reminders sent" not in client.get(f"/t/demo-be/invoices/{quiet}", headers=EN).text


def test_list_dunning_for_staff(
    client: Client, token: Callable[[str], str], reminded: Reminded
) -> None:
    answer = client.get(f"{API}?on={IN_H1}", headers=bearer(token(STAFF_BE)))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["day"] == IN_H1.isoformat()
    assert reminded.number not in {row["number"] for row in body["ready"]}
    ready = {row["number"]: row for row in body["ready"]}
    assert set(ready) == set(CHASED)
    first = ready[CHASED[0]]
    assert (first["client"], first["due_date"], first["days_late"]) == (
        "Brasserie Bruxelloise SA", "2026-04-01", 80)  # fmt: skip
    assert (first["amount_due"], first["interest"], first["compensation"]) == (
        "1021.58", "23.51", "40.00")  # fmt: skip
    assert first["figures_error"] is None
    assert [s["step"] for s in first["steps"]] == [k.value for k in DunningStepKind]
    assert [s["has_letter"] for s in first["steps"]] == [True, True, True, False]
    assert (first["last_step"], first["last_step_day"]) == ("final", "2026-05-31")
    assert first["next_step"] is None
    assert first["next_step_day"] is None
    written_off = [(w["number"], w["day"], w["amount"], w["advance_absorbed"])
                   for w in body["written_off"]]  # fmt: skip
    assert written_off == [(WRITTEN_OFF, "2026-06-10", "1161.60", "0.00")]

    later = reminded.due + timedelta(days=10)
    body = client.get(f"{API}?on={later}", headers=bearer(token(STAFF_BE))).json()
    [row] = [row for row in body["chased"] if row["number"] == reminded.number]
    assert (row["last_step"], row["next_step"]) == ("reminder", "second_reminder")
    assert row["next_step_day"] == (reminded.due + timedelta(days=21)).isoformat()
    assert (row["interest"], row["compensation"], row["days_late"]) == ("0.00", "0.00", 10)

    missing = client.get(f"{API}?on={NO_RATE}", headers=bearer(token(STAFF_BE))).json()
    gone = {row["number"]: row for row in missing["ready"]}[CHASED[0]]
    assert gone["interest"] is None
    assert gone["compensation"] is None
    assert "late_payment.commercial_rate" in gone["figures_error"]


def test_list_dunning_is_refused_to_members(client: Client, token: Callable[[str], str]) -> None:
    assert_problem(client.get(API, headers=bearer(token(MEMBER_BE))), 403)
    assert_problem(client.get(API, headers=bearer(token(MEMBER_FR))), 404)
