"""The decisions' pages per role: the surplus distribution (staff) and one's own part
(member), the directory, "My data" with its consent form, statistics and the partner export."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from coopkit.audit.models import AuditEvent
from coopkit.db.tenancy import set_tenant
from coopkit.decisions.data_use import may_use
from coopkit.decisions.models import Purpose, SurplusDistribution
from coopkit.governance import effects
from coopkit.membership.models import (
    MemberStatus,
    MemberStatusChange,
    RegisterEntryKind,
    ShareClass,
)
from coopkit.membership.register import append_entry
from coopkit.people import service as people
from coopkit.tenants.models import Tenant
from tests.conftest import Client, Database
from tests.decisions_world import adoption
from tests.test_web import BOTH, MEMBER_BE, STAFF_BE, csrf_from, main_of, signed_in_as

PAGES = "/t/demo-be"
EN = {"Accept-Language": "en"}
JOINED = date(2017, 1, 10)
# 100.00 = 10.00 + 50.00 + 3.00 + 37.00; Bram holds the only shares (2 × 50.00) at the
# end of 2017, so he gets the whole 3.00 of dividends (3 % of 100.00, below the cap of 6 %).
SPLIT = {
    "financial_year_end": "2017-12-31",
    "surplus": "100.00",
    "legal_reserve": "10.00",
    "other_reserves": "50.00",
    "ristourne": "0.00",
    "workers_share": "0.00",
    "dividends": "3.00",
    "carried_forward": "37.00",
}


@pytest.fixture
def decided(demo_db: Database) -> uuid.UUID:
    """Bram and Amélie members of demo-be since 2017, Bram with 2 shares, and the surplus
    of 2017 distributed; returns the distribution's id."""
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        set_tenant(db, tenant.id)
        bram, amelie = (people.find_user(db, email) for email in (MEMBER_BE, BOTH))
        assert bram is not None
        assert amelie is not None
        for person in (bram, amelie):
            db.add(
                MemberStatusChange(
                    user_id=person.id, status=MemberStatus.MEMBER, effective_on=JOINED
                )
            )
        shares = ShareClass(
            code="EFFX", name="Test shares", nominal=Decimal("50.00"), currency="EUR"
        )
        db.add(shares)
        db.flush()
        append_entry(
            db,
            user_id=bram.id,
            share_class=shares,
            kind=RegisterEntryKind.SUBSCRIPTION,
            quantity=2,
            effective_on=JOINED,
        )
        effects.apply(db, "surplus_distribution", SPLIT, adoption("resolution 3", date.today()))
        found = db.scalar(select(SurplusDistribution.id))
        db.commit()
        assert found is not None
        return found


def test_staff_see_the_distribution_its_entry_and_the_members_parts(
    client: Client, decided: uuid.UUID
) -> None:
    staff = signed_in_as(STAFF_BE, client)
    listing = staff.get(f"{PAGES}/surplus", headers=EN)
    assert listing.status_code == 200
    assert f"/surplus/{decided}" in listing.text
    page = staff.get(f"{PAGES}/surplus/{decided}", headers=EN)
    assert page.status_code == 200, page.text
    main = main_of(page.text)
    for text in ("Legal reserve", "€37.00", "130 Réserve légale", "471 Dividendes", "Bram"):
        assert text in main, text
    assert staff.get(f"{PAGES}/surplus/{uuid.uuid4()}", headers=EN).status_code == 404


def test_a_member_sees_their_own_part_not_the_staff_pages(
    client: Client, decided: uuid.UUID
) -> None:
    member = signed_in_as(MEMBER_BE, client)
    mine = member.get(f"{PAGES}/my-surplus", headers=EN)
    assert mine.status_code == 200
    assert "€3.00" in main_of(mine.text)  # his dividend
    assert "€100.00" in main_of(mine.text)  # on his capital of 2 × 50.00
    for staff_page in (f"/surplus/{decided}", "/surplus", "/member-statistics",
                       "/partner-sharing.csv"):  # fmt: skip
        assert member.get(f"{PAGES}{staff_page}").status_code == 403, staff_page


def test_a_member_agrees_on_my_data_and_appears_in_the_directory(
    client: Client, demo_db: Database, decided: uuid.UUID
) -> None:
    member = signed_in_as(MEMBER_BE, client)
    before = member.get(f"{PAGES}/directory", headers=EN)
    assert "Bram" not in main_of(before.text)  # no answer yet: not listed
    form = member.get(f"{PAGES}/my-data", headers=EN)
    # The demo's past assembly adopted a data-use policy (coopkit.demo_governance): the
    # directory still needs the member's consent.
    assert "as decided by General assembly of" in form.text
    assert "used only if you agree" in form.text
    sent = member.post(
        f"{PAGES}/my-data/consent",
        data={"_csrf_token": csrf_from(form.text), "purpose": "directory", "choice": "grant"},
        follow_redirects=False,
    )
    assert sent.status_code == 302
    after = member.get(f"{PAGES}/my-data", headers=EN)
    assert "You agreed: Listed in the members&#39; directory." in after.text
    assert "you agree" in main_of(after.text)
    listed = main_of(member.get(f"{PAGES}/directory", headers=EN).text)
    assert "Bram" in listed
    assert "Amélie" not in listed  # a member too, but she did not agree
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        set_tenant(db, tenant.id)
        bram = people.find_user(db, MEMBER_BE)
        assert bram is not None
        assert may_use(db, bram.id, Purpose.DIRECTORY, date.today())
        actions = db.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(bram.id)))
        assert "consent.granted" in set(actions)


def test_a_consent_form_with_an_unknown_use_is_refused(client: Client) -> None:
    member = signed_in_as(MEMBER_BE, client)
    form = member.get(f"{PAGES}/my-data", headers=EN)
    sent = member.post(
        f"{PAGES}/my-data/consent",
        data={"_csrf_token": csrf_from(form.text), "purpose": "newsletter", "choice": "grant"},
        headers=EN,
    )
    assert sent.status_code == 400
    assert "Choose a use of your data" in sent.text


def test_staff_see_statistics_and_download_the_partner_export(
    client: Client, decided: uuid.UUID
) -> None:
    staff = signed_in_as(STAFF_BE, client)
    stats = staff.get(f"{PAGES}/member-statistics", headers=EN)
    assert stats.status_code == 200
    assert "fewer than 5" in main_of(stats.text)  # nobody agreed: no count shown
    export = staff.get(f"{PAGES}/partner-sharing.csv")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert export.text == "name,email,language,shares\r\n"  # nobody agreed to be shared
