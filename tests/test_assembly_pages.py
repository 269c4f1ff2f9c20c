"""Assembly pages through the test client, against the demo: staff convene an assembly with
a resolution, a member votes with the stance buttons and gives a proxy, staff close the vote
and everyone reads the explained result; members do not see the staff's forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import Client, Database
from tests.test_assemblies_api import TODAY, make_members
from tests.test_web import BOTH, MEMBER_BE, STAFF_BE, csrf_from, main_of, signed_in_as

EN = {"Accept-Language": "en"}
PAGES = "/t/demo-be/assemblies"
ASSEMBLY_LINK = re.compile(r"/t/demo-be/assemblies/([0-9a-f-]{36})")
VOTE_LINK = re.compile(r'href="(/t/demo-be/votes/[0-9a-f-]{36})"')


def moment(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M")


def convene_with_a_resolution(staff: Client) -> str:
    form = staff.get(f"{PAGES}/new", headers=EN)
    assert form.status_code == 200
    created = staff.post(
        f"{PAGES}/create",
        data={
            "_csrf_token": csrf_from(form.text),
            "title": "Spring assembly",
            "kind": "ordinary",
            "meeting_on": str(TODAY + timedelta(days=30)),
            "record_date": str(TODAY),
            "meeting_time": "18:30",
            "place": "Brussels",
            "agenda": "Accounts\nSurplus",
        },
        headers=EN,
        follow_redirects=False,
    )
    assert created.status_code == 302, created.text
    url = created.headers["location"]
    page = staff.get(url, headers=EN)
    text = main_of(page.text)
    assert "Accounts" in text
    assert "Send the convocation" in text
    item = re.search(r'<option value="([0-9a-f-]{36})">1\. Accounts', page.text)
    assert item
    added = staff.post(
        f"{url}/resolutions",
        data={
            "_csrf_token": csrf_from(page.text),
            "title": "Approve the accounts 2025",
            "method": "proposal",
            "kind": "ordinary",
            "agenda_item_id": item.group(1),
            "opens_at": moment(-timedelta(hours=1)),
            "closes_at": moment(timedelta(days=40)),
        },
        headers=EN,
    )
    assert "Resolution added." in added.text, main_of(added.text)
    convened = staff.post(f"{url}/convoke", data={"_csrf_token": csrf_from(added.text)}, headers=EN)
    assert "Convocation queued" in convened.text, main_of(convened.text)
    return str(url)


@pytest.mark.usefixtures("english_pages")
def test_staff_convene_a_member_votes_staff_close_and_the_result_is_explained(
    client: Client, new_client: Callable[[], Client], demo_db: Database
) -> None:
    make_members(demo_db, (MEMBER_BE, BOTH, STAFF_BE))
    staff = signed_in_as(STAFF_BE, client)
    url = convene_with_a_resolution(staff)

    member = signed_in_as(MEMBER_BE, new_client())
    listed = member.get(PAGES, headers=EN)
    assert listed.status_code == 200
    assert 'href="/t/demo-be/assemblies"' in listed.text  # in the navigation
    assert "Spring assembly" in main_of(listed.text)
    assert "Convene an assembly" not in listed.text
    assert member.get(f"{PAGES}/new", headers=EN).status_code == 403
    page = member.get(url, headers=EN)
    text = main_of(page.text)
    assert "Run the assembly" not in text
    assert "Give my proxy" in text
    vote_url = VOTE_LINK.search(text)
    assert vote_url
    ballot = member.get(vote_url.group(1), headers=EN)
    assert 'value="agree"' in ballot.text
    assert 'value="block"' in ballot.text
    assert "Close the vote" not in ballot.text
    voted = member.post(
        f"{vote_url.group(1)}/vote",
        data={"_csrf_token": csrf_from(ballot.text), "choice": "agree"},
        headers=EN,
    )
    assert "Your vote is recorded." in voted.text
    assert "You have voted." in voted.text
    again = member.post(
        f"{vote_url.group(1)}/vote",
        data={"_csrf_token": csrf_from(voted.text), "choice": "disagree"},
        headers=EN,
    )
    assert "one member, one vote" in again.text
    holder = re.search(r'<option value="([0-9a-f-]{36})">Amélie', member.get(url, headers=EN).text)
    assert holder
    proxy = member.post(
        f"{url}/proxy",
        data={"_csrf_token": csrf_from(page.text), "holder_id": holder.group(1)},
        headers=EN,
    )
    assert "You gave your proxy to Amélie" in proxy.text

    vote_page = staff.get(vote_url.group(1), headers=EN)
    assert "Show of hands" not in vote_page.text  # only once the assembly is in session
    opened = staff.post(f"{url}/open", data={"_csrf_token": csrf_from(vote_page.text)}, headers=EN)
    assert "The assembly is in session." in opened.text
    vote_page = staff.get(vote_url.group(1), headers=EN)
    assert "Show of hands" in vote_page.text
    hands = staff.post(
        f"{vote_url.group(1)}/hands",
        data={"_csrf_token": csrf_from(vote_page.text), "count_agree": "1", "present": "1"},
        headers=EN,
    )
    assert "Show of hands recorded." in hands.text
    closed = staff.post(
        f"{vote_url.group(1)}/close", data={"_csrf_token": csrf_from(hands.text)}, headers=EN
    )
    assert "The vote is closed and counted." in closed.text
    result = main_of(member.get(vote_url.group(1), headers=EN).text)
    # 1 agree online + 1 hand in the room, of 3 voters; the Belgian rule of ordinary items
    # (simple majority) adopts.
    assert "Adopted." in result
    assert "2 for" in result


@pytest.mark.usefixtures("english_pages", "weasyprint")
def test_staff_close_the_assembly_and_sign_the_minutes_members_read_them(
    client: Client, new_client: Callable[[], Client], demo_db: Database
) -> None:
    make_members(demo_db, (MEMBER_BE, STAFF_BE))
    staff = signed_in_as(STAFF_BE, client)
    url = convene_with_a_resolution(staff)
    member = signed_in_as(MEMBER_BE, new_client())
    assert member.get(f"{url}/minutes.pdf").status_code == 404
    page = staff.get(url, headers=EN)
    closed = staff.post(f"{url}/close", data={"_csrf_token": csrf_from(page.text)}, headers=EN)
    assert "The assembly is closed" in closed.text
    assert "Draft minutes (PDF)" in closed.text
    assert staff.get(f"{url}/minutes.pdf").content.startswith(b"%PDF")
    signed = staff.post(
        f"{url}/sign",
        data={
            "_csrf_token": csrf_from(closed.text),
            "signed_by": "Stéphane Staff",
            "signed_on": str(TODAY),
        },
        headers=EN,
    )
    assert "The minutes are signed and final." in signed.text
    assert "signed by Stéphane Staff" in member.get(url, headers=EN).text
    assert member.get(f"{url}/minutes.pdf").content.startswith(b"%PDF")


def test_the_vote_forms_give_the_method_s_choice() -> None:
    from coopkit.governance.errors import GovernanceError
    from coopkit.web.pages.votes import choice_from_form

    assert choice_from_form("proposal", {"choice": "agree"}) == "agree"
    # Numbered selects: 2 for a, 1 for c, b left out → c first, then a.
    assert choice_from_form("ranked", {"rank_a": "2", "rank_b": "", "rank_c": "1"}) == ["c", "a"]
    assert choice_from_form("score", {"score_red": "4", "score_blue": "0"}) == {"red": 4, "blue": 0}
    with pytest.raises(GovernanceError, match="different rank"):
        choice_from_form("ranked", {"rank_a": "1", "rank_b": "1"})
