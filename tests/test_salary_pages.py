"""Salary pages through the test client, against the demo: the member prices then sends a
request and follows it, staff's queue with approve and reject and the on-time report,
what members and other cooperatives cannot reach."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from coopkit.i18n import format_day
from tests.conftest import Client, Database
from tests.test_web import (
    BOTH,
    MEMBER_BE,
    STAFF_BE,
    csrf_from,
    html_lang,
    main_of,
    signed_in_as,
)

pytestmark = pytest.mark.usefixtures("english_pages")

PAGES = "/t/demo-be/salaries"
STAFF_FR = "staff.fr@demo.coopkit.test"
CHLOE = "chloe.dubois@demo.coopkit.test"  # runs SOLO-03 in demo-be
ROW = re.compile(r'<tr id="salary-([0-9a-f-]{36})"')


def typed(activity: str, **changes: str) -> dict[str, str]:
    return {
        "activity_id": activity,
        "period_start": "2026-03-02",
        "period_end": "2026-03-03",
        "worked": "2",
        "unit": "days",
        "amount": "250,00",  # typed the reader's way
        "asked": "gross",
        "step": "price",
        **changes,
    }


def solo2_form(client: Client) -> tuple[str, str]:
    """The member's form (from the activity page's link): SOLO-02's id and a CSRF token."""
    form = client.get(f"{PAGES}/new")
    assert form.status_code == 200, form.text
    found = re.search(r'<option value="([0-9a-f-]{36})"[^>]*>SOLO-02', form.text)
    assert found, "the form offers the member's activity"
    return found.group(1), csrf_from(form.text)


def ask(client: Client, fields: dict[str, str]) -> Any:
    form = client.get(f"{PAGES}/new")
    return client.post(
        f"{PAGES}/ask",
        data={"_csrf_token": csrf_from(form.text), **fields},
        follow_redirects=False,
    )


def counts(demo_db: Database) -> tuple[int, int]:
    """Salary requests and journal entries of every cooperative (nothing scoped away)."""
    with demo_db.sessions() as db:
        requests = db.execute(text("SELECT count(*) FROM salary_requests")).scalar_one()
        entries = db.execute(text("SELECT count(*) FROM journal_entries")).scalar_one()
    return requests, entries


def test_a_member_prices_sends_and_staff_approve(
    client: Client, new_client: Callable[[], Client], demo_db: Database
) -> None:
    signed_in_as(MEMBER_BE, client)
    activity, _ = solo2_form(client)
    dashboard = client.get(f"/t/demo-be/activities/{activity}")
    assert f'href="{PAGES}/new?activity={activity}"' in dashboard.text
    chosen = client.get(f"{PAGES}/new?activity={activity}")
    assert re.search(rf'<option value="{activity}" selected>SOLO-02', chosen.text)
    before = counts(demo_db)

    priced = ask(client, typed(activity))
    assert priced.status_code == 200, priced.text
    quote = main_of(priced.text)
    for label in ("Gross salary", "Net pay", "Tax withheld", "Employer cost"):
        assert label in quote
    assert re.search(r"From the activity(&#39;|'|&#x27;)s money", quote)
    assert "Missing" not in quote
    assert 'name="step" value="send"' in quote
    assert 'value="250,00"' in quote  # as typed
    assert counts(demo_db) == before  # priced, nothing written

    sent = ask(client, typed(activity, step="send"))
    assert sent.status_code == 302, sent.text
    assert sent.headers["location"] == PAGES
    mine = client.get(PAGES)
    assert "sent." in mine.text
    listed = main_of(mine.text)
    ids = ROW.findall(listed)
    assert len(ids) == 2  # the demo's paid salary, and this one
    new = next(i for i in ids if f"/salaries/{i}/cancel" in listed)
    assert "waiting for approval" in listed
    assert counts(demo_db)[0] == before[0] + 1

    staff = signed_in_as(STAFF_BE, new_client())
    queue = staff.get(PAGES)
    waiting = main_of(queue.text).split("To approve", 1)[1].split("Approved", 1)[0]
    assert f'id="salary-{new}"' in waiting
    assert "Bram" in waiting
    approved = staff.post(f"{PAGES}/{new}/approve", data={"_csrf_token": csrf_from(queue.text)})
    assert approved.status_code == 200
    assert "approved." in approved.text
    assert f"{PAGES}/{new}/approve" not in approved.text

    seen = client.get(PAGES)
    row = main_of(seen.text).split(f'id="salary-{new}"', 1)[1].split("</tr>", 1)[0]
    assert format_day(date(2026, 3, 10), html_lang(seen.text)) in row  # 7 days after the work
    late = (date.today() - date(2026, 3, 10)).days  # unpaid: no payment batch yet
    assert ("approved, to be paid" if late <= 0 else f"late by {late} day") in row
    assert "/t/demo-be/payslips/" in row
    assert "/cancel" not in row


def test_more_than_the_money_shows_what_is_missing_and_writes_nothing(
    client: Client, demo_db: Database
) -> None:
    signed_in_as(MEMBER_BE, client)
    activity, _ = solo2_form(client)
    before = counts(demo_db)
    priced = ask(client, typed(activity, amount="90000.00"))
    assert priced.status_code == 200, priced.text
    quote = main_of(priced.text)
    assert "Missing" in quote
    assert "Neither the activity nor the guarantee fund can pay" in quote
    assert re.search(r'<ul class="reasons"><li>', quote), "the fund says why"
    assert 'name="step" value="send"' not in quote
    # Sent anyway (an old page): refused on the form, as typed, and nothing written.
    sent = ask(client, typed(activity, amount="90000.00", step="send"))
    assert sent.status_code == 400
    assert "is missing" in sent.text
    assert 'value="90000.00"' in sent.text
    assert counts(demo_db) == before


def test_the_form_shows_what_to_fix_and_keeps_what_was_typed(client: Client) -> None:
    signed_in_as(MEMBER_BE, client)
    activity, _ = solo2_form(client)
    wrong = ask(client, typed(activity, period_start="2 March", worked="two"))
    assert wrong.status_code == 400
    assert wrong.text.count('aria-invalid="true"') == 2
    assert 'value="2 March"' in wrong.text
    assert 'value="two"' in wrong.text
    months = ask(client, typed(activity, period_end="2026-04-01"))
    assert months.status_code == 400
    assert 'id="period_end-error"' in months.text
    assert ask(client, typed(activity, step="send")).status_code == 302
    overlap = ask(client, typed(activity, step="send", worked="1", period_start="2026-03-03"))
    assert overlap.status_code == 400
    assert "overlaps" in overlap.text
    assert "or cancel that request" in overlap.text


def test_the_member_cancels_while_requested(client: Client) -> None:
    signed_in_as(MEMBER_BE, client)
    activity, _ = solo2_form(client)
    assert ask(client, typed(activity, step="send")).status_code == 302
    mine = client.get(PAGES)
    cancel = re.search(rf'action="({PAGES}/[0-9a-f-]{{36}}/cancel)"', mine.text)
    assert cancel
    done = client.post(cancel.group(1), data={"_csrf_token": csrf_from(mine.text)})
    assert "cancelled." in done.text
    assert "cancelled by the member" in main_of(done.text)
    assert "/cancel" not in main_of(done.text)


def test_staff_see_the_on_time_report_of_the_demo(client: Client) -> None:
    signed_in_as(STAFF_BE, client)
    queue = main_of(client.get(PAGES).text)
    report = queue.split("To approve", 1)[0]
    # The demo: one salary paid two days after its due date, one paid on its due date.
    assert '<span class="on-time">1 on time</span>' in report
    assert '<span class="late">1 late</span>' in report
    assert '<span class="waiting">0 waiting, not yet due</span>' in report
    cells = re.findall(r'<td class="num">([^<]*)</td>', report)
    assert cells == ["1", "2", "2", "2", "2", "0", "2", "2"]  # count, p50, p95, max
    approved = queue.split('id="approved-title"', 1)[1]
    assert "paid 2 days late" in approved
    assert "paid on time" in approved


def test_four_eyes_and_rejection_with_a_reason(
    client: Client, new_client: Callable[[], Client]
) -> None:
    signed_in_as(MEMBER_BE, client)
    activity, _ = solo2_form(client)
    assert ask(client, typed(activity, step="send")).status_code == 302
    staff = signed_in_as(STAFF_BE, new_client())
    queue = staff.get(PAGES)
    new = re.search(rf'action="{PAGES}/([0-9a-f-]{{36}})/reject"', queue.text)
    assert new
    url, token = f"{PAGES}/{new.group(1)}/reject", csrf_from(queue.text)
    empty = staff.post(url, data={"_csrf_token": token, "reason": " "})
    assert "Not rejected" in empty.text
    assert "say why" in empty.text
    done = staff.post(url, data={"_csrf_token": token, "reason": "Those days were holidays"})
    assert "rejected." in done.text
    again = staff.post(f"{PAGES}/{new.group(1)}/approve", data={"_csrf_token": token})
    assert "Not approved: this salary request was rejected already" in again.text
    seen = main_of(client.get(PAGES).text)
    assert "Those days were holidays" in seen
    assert "rejected" in seen


def test_members_cannot_reach_staff_actions(
    client: Client, new_client: Callable[[], Client]
) -> None:
    signed_in_as(MEMBER_BE, client)
    activity, token = solo2_form(client)
    assert ask(client, typed(activity, step="send")).status_code == 302
    mine = client.get(PAGES)
    assert "To approve" not in main_of(mine.text)
    assert "on time" not in main_of(mine.text)
    new = re.search(rf'action="{PAGES}/([0-9a-f-]{{36}})/cancel"', mine.text)
    assert new
    for action in ("approve", "reject"):
        answer = client.post(f"{PAGES}/{new.group(1)}/{action}", data={"_csrf_token": token})
        assert answer.status_code == 403
    # Another member of the cooperative cannot cancel it: it is not there for them.
    chloe = signed_in_as(CHLOE, new_client())
    page = chloe.get(PAGES)
    assert f"salary-{new.group(1)}" not in page.text
    cancel = chloe.post(
        f"{PAGES}/{new.group(1)}/cancel", data={"_csrf_token": csrf_from(page.text)}
    )
    assert cancel.status_code == 404


def test_another_cooperatives_request_is_not_found(
    client: Client, new_client: Callable[[], Client]
) -> None:
    signed_in_as(MEMBER_BE, client)
    activity, _ = solo2_form(client)
    assert ask(client, typed(activity, step="send")).status_code == 302
    mine = client.get(PAGES)
    new = re.search(rf'action="{PAGES}/([0-9a-f-]{{36}})/cancel"', mine.text)
    assert new
    fr_staff = signed_in_as(STAFF_FR, new_client())
    queue = fr_staff.get("/t/demo-fr/salaries")
    assert queue.status_code == 200
    assert new.group(1) not in queue.text
    token = csrf_from(queue.text)
    for action in ("approve", "reject"):
        answer = fr_staff.post(
            f"/t/demo-fr/salaries/{new.group(1)}/{action}",
            data={"_csrf_token": token, "reason": "Not ours"},
        )
        assert answer.status_code == 404, action
    assert "waiting for approval" in main_of(client.get(PAGES).text)
    both = signed_in_as(BOTH, client)  # a member of both cooperatives, in the other one
    fr_page = both.get("/t/demo-fr/salaries")
    answer = both.post(
        f"/t/demo-fr/salaries/{new.group(1)}/cancel", data={"_csrf_token": csrf_from(fr_page.text)}
    )
    assert answer.status_code == 404
