"""The assemblies API on the demo: staff draft and convene, members vote (retries counted once),
staff close, everyone reads the explained result; refusals are problems naming the rule."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from coopkit.db.tenancy import tenant_scope
from coopkit.membership.models import (
    MemberStatus,
    MemberStatusChange,
    RegisterEntryKind,
    ShareClass,
)
from coopkit.membership.register import append_entry
from coopkit.people import service as people
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.test_web import BOTH, MEMBER_BE, STAFF_BE, Client, assert_problem, bearer

BE = "/api/v1/t/demo-be"
TODAY = datetime.now(UTC).date()
VOTERS = (MEMBER_BE, BOTH, STAFF_BE)


def make_members(
    database: Database, emails: tuple[str, ...], slug: str = "demo-be"
) -> dict[str, uuid.UUID]:
    """Make demo people members of the cooperative with one voting share, 30 days ago."""
    ids = {}
    with database.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == slug))
        assert tenant is not None
        with tenant_scope(db, tenant.id):
            shares = db.scalar(select(ShareClass).where(ShareClass.code == "GA"))
            if shares is None:
                shares = ShareClass(code="GA", name="A", nominal=Decimal("50.00"), currency="EUR")
                db.add(shares)
                db.flush()
            for email in emails:
                person = people.find_user(db, email)
                assert person is not None
                ids[email] = person.id
                joined = TODAY - timedelta(days=30)
                db.add(
                    MemberStatusChange(
                        user_id=person.id, status=MemberStatus.MEMBER, effective_on=joined
                    )
                )
                db.flush()
                append_entry(
                    db,
                    user_id=person.id,
                    share_class=shares,
                    kind=RegisterEntryKind.SUBSCRIPTION,
                    quantity=1,
                    effective_on=joined,
                )
        db.commit()
    return ids


@pytest.fixture
def members(demo_db: Database) -> dict[str, uuid.UUID]:
    return make_members(demo_db, VOTERS)


def draft_assembly(client: Client, staff: dict[str, str], days: int = 30) -> dict[str, Any]:
    answer = client.post(
        f"{BE}/assemblies",
        json={
            "title": "General assembly",
            "kind": "ordinary",
            "meeting_on": str(TODAY + timedelta(days=days)),
            "record_date": str(TODAY),
            "place": "Brussels",
            "agenda": ["Accounts", "Surplus"],
        },
        headers=staff,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def draft_resolution(
    client: Client, staff: dict[str, str], assembly: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    now = datetime.now(UTC)
    answer = client.post(
        f"{BE}/resolutions",
        json={
            "title": "Approve the accounts",
            "assembly_id": assembly["id"],
            "agenda_item_id": assembly["agenda"][0]["id"],
            "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=40)).isoformat(),
            **extra,
        },
        headers=staff,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_convene_vote_close_and_read_the_result(
    client: Client, token: Callable[[str], str], members: dict[str, uuid.UUID]
) -> None:
    staff = bearer(token(STAFF_BE))
    bram, amelie = bearer(token(MEMBER_BE)), bearer(token(BOTH))
    assembly = draft_assembly(client, staff)
    assert [item["title"] for item in assembly["agenda"]] == ["Accounts", "Surplus"]
    item = draft_resolution(client, staff, assembly)
    convened = client.post(f"{BE}/assemblies/{assembly['id']}/convocation", headers=staff)
    assert convened.status_code == 201, convened.text
    # The demo's voters on the record date (coopkit.demo_governance): 20 members hold A shares,
    # one resigned at T-30: 19; plus Stéphane Staff, whom make_members gives a voting GA share
    # (Bram and Amélie vote already): 19 + 1 = 20.
    assert convened.json()["recipients"] == 20
    votes = f"{BE}/resolutions/{item['id']}/votes"
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = client.post(votes, json={"choice": "agree"}, headers=bram | key)
    assert first.status_code == 201, first.text
    replay = client.post(votes, json={"choice": "agree"}, headers=bram | key)
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    twice = assert_problem(client.post(votes, json={"choice": "disagree"}, headers=bram), 409)
    assert "one member, one vote" in twice["rule"]
    assert client.post(votes, json={"choice": "disagree"}, headers=amelie).status_code == 201
    mine = client.get(f"{BE}/resolutions/{item['id']}", headers=bram).json()
    assert mine["voted"] is True
    provisional = client.get(f"{BE}/resolutions/{item['id']}/result", headers=bram).json()
    assert provisional["final"] is False
    # Members may not close a vote.
    assert_problem(client.post(f"{BE}/resolutions/{item['id']}/closing", headers=bram), 403)
    closed = client.post(f"{BE}/resolutions/{item['id']}/closing", headers=staff)
    assert closed.status_code == 200, closed.text
    result = client.get(f"{BE}/resolutions/{item['id']}/result", headers=bram).json()
    # 1 agree (counted once despite the retry), 1 disagree of 20: no majority for.
    assert result["final"] is True
    assert result["totals"]["agree"] == "1"
    assert result["totals"]["disagree"] == "1"
    assert result["present"] == "2"
    assert result["electorate"] == "20"  # see the recipients above
    assert result["adopted"] is False
    assert result["explanation"]
    assert (
        client.post(f"{BE}/resolutions/{item['id']}/closing", headers=staff).json() == closed.json()
    )


def test_refusals_name_their_rule(
    client: Client, token: Callable[[str], str], members: dict[str, uuid.UUID]
) -> None:
    staff = bearer(token(STAFF_BE))
    bram = bearer(token(MEMBER_BE))
    too_soon = draft_assembly(client, staff, days=3)
    notice = assert_problem(
        client.post(f"{BE}/assemblies/{too_soon['id']}/convocation", headers=staff), 422
    )
    assert "3 days away" in notice["detail"]
    assert notice["rule"]
    assembly = draft_assembly(client, staff)
    item = draft_resolution(client, staff, assembly, hidden_results=True, secret=True)
    # Not convened yet: no vote.
    assert_problem(
        client.post(f"{BE}/resolutions/{item['id']}/votes", json={"choice": "agree"}, headers=bram),
        409,
    )
    client.post(f"{BE}/assemblies/{assembly['id']}/convocation", headers=staff)
    bad = assert_problem(
        client.post(f"{BE}/resolutions/{item['id']}/votes", json={"choice": "yes"}, headers=bram),
        422,
    )
    assert bad["rule"] == "the proposal method"
    # Tom Hermans resigned at T-30 in the demo (coopkit.demo_governance): not a member today.
    outsider = bearer(token("tom.hermans@demo.coopkit.test"))
    refused = assert_problem(
        client.post(
            f"{BE}/resolutions/{item['id']}/votes", json={"choice": "agree"}, headers=outsider
        ),
        403,
    )
    assert "record date" in refused["rule"]
    hidden = assert_problem(client.get(f"{BE}/resolutions/{item['id']}/result", headers=bram), 409)
    assert "hidden until the vote closes" in hidden["detail"]
    unsecret = assert_problem(
        client.patch(f"{BE}/resolutions/{item['id']}", json={"secret": False}, headers=staff), 409
    )
    assert "cannot be made open again" in unsecret["detail"]
    proxy = client.post(
        f"{BE}/assemblies/{assembly['id']}/proxies",
        json={"holder_id": str(members[BOTH])},
        headers=bram,
    )
    assert proxy.status_code == 201, proxy.text
    staff_proxy = assert_problem(
        client.post(
            f"{BE}/assemblies/{assembly['id']}/proxies",
            json={"holder_id": str(members[BOTH])},
            headers=staff,
        ),
        422,
    )
    assert "proxies" in staff_proxy["detail"]
    assert staff_proxy["rule"]
    effect = assert_problem(
        client.post(
            f"{BE}/resolutions",
            json={
                "title": "Unknown",
                "opens_at": datetime.now(UTC).isoformat(),
                "closes_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
                "effect_kind": "no_such_effect",
                "effect_payload": {},
            },
            headers=staff,
        ),
        422,
    )
    assert "no_such_effect" in effect["detail"]


def test_assemblies_are_listed_and_read_by_members_and_drafted_by_staff_only(
    client: Client, token: Callable[[str], str], members: dict[str, uuid.UUID]
) -> None:
    staff = bearer(token(STAFF_BE))
    bram = bearer(token(MEMBER_BE))
    assembly = draft_assembly(client, staff)
    listed = client.get(f"{BE}/assemblies", headers=bram)
    assert listed.status_code == 200
    # The latest meeting first: this draft, then the demo's past assembly (coopkit.demo_governance).
    assert listed.json()[0]["id"] == assembly["id"]
    assert [a["status"] for a in listed.json()] == ["draft", "closed"]
    got = client.get(f"{BE}/assemblies/{assembly['id']}", headers=bram).json()
    assert got["status"] == "draft"
    assert got["minutes_signed"] is False
    assert_problem(
        client.post(
            f"{BE}/assemblies",
            json={
                "title": "x",
                "kind": "ordinary",
                "meeting_on": "2027-01-01",
                "record_date": "2026-12-01",
            },
            headers=bram,
        ),
        403,
    )
    assert_problem(client.get(f"{BE}/assemblies/{uuid.uuid4()}", headers=bram), 404)
    assert client.get(f"{BE}/resolutions", headers=bram).status_code == 200
    # Minutes are not signed: a member gets 404.
    assert_problem(client.get(f"{BE}/assemblies/{assembly['id']}/minutes", headers=bram), 404)


def test_documents_are_attached_by_staff_and_read_by_members(
    client: Client, token: Callable[[str], str], members: dict[str, uuid.UUID]
) -> None:
    from coopkit.demo_receipts import receipt_pdf

    staff = bearer(token(STAFF_BE))
    bram = bearer(token(MEMBER_BE))
    assembly = draft_assembly(client, staff)
    pdf = receipt_pdf(["Accounts 2025", "Balance sheet"])
    url = f"{BE}/assemblies/{assembly['id']}/documents"
    added = client.post(
        url, files=[("documents", ("accounts.pdf", pdf, "application/pdf"))], headers=staff
    )
    assert added.status_code == 201, added.text
    [document] = added.json()
    assert document["file_name"] == "accounts.pdf"
    assert client.get(document["url"], headers=bram).content == pdf
    refused = client.post(
        url, files=[("documents", ("notes.txt", b"plain text", "text/plain"))], headers=staff
    )
    assert "a document must be a PDF, JPEG or PNG" in assert_problem(refused, 422)["detail"]
    assert_problem(
        client.post(url, files=[("documents", ("a.pdf", pdf, "application/pdf"))], headers=bram),
        403,
    )
    assert [
        d["id"]
        for d in client.get(f"{BE}/assemblies/{assembly['id']}", headers=bram).json()["documents"]
    ] == [document["id"]]
