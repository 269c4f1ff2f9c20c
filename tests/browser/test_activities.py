"""A member opens their activity's dashboard in a real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from coopkit.activities.models import Activity
from coopkit.db.tenancy import set_tenant
from coopkit.tenants.models import Tenant
from tests.browser.conftest import LiveServer
from tests.browser.test_pages import sign_in
from tests.test_activity_pages import story_months

pytestmark = pytest.mark.browser

MEMBER_BE = "bram.peeters@demo.coopkit.test"


def test_a_member_opens_the_dashboard_of_their_activity(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    page.goto("/login?next=/t/demo-be/")
    sign_in(page, MEMBER_BE)
    page.wait_for_url(f"{live_server.url}/t/demo-be/")
    page.get_by_role("navigation").get_by_role("link", name="Activities").click()
    page.wait_for_url(f"{live_server.url}/t/demo-be/activities")
    assert page.locator("table.activities tbody tr").count() == 1
    page.get_by_role("link", name="SOLO-02").click()
    page.wait_for_url(re.compile(r"/t/demo-be/activities/[0-9a-f-]{36}$"))
    assert page.locator("h1").inner_text().startswith("SOLO-02")
    available = page.locator("table.balance tr.figure-available td").inner_text()
    assert available == "€1,081.77"  # 1306.77 − 225.00 (the demo story's day of salary)
    chart = page.get_by_role("img", name="Received and available over time")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 300
    assert box["height"] > 100
    assert page.locator("polyline.series").count() == 2
    # January and February 2026 (the demo's invoices), then the month(s) of the story's salary
    with live_server.sessions() as db:
        tenant = db.scalars(select(Tenant.id).where(Tenant.slug == "demo-be")).one()
        set_tenant(db, tenant)
        solo = db.scalars(select(Activity.id).where(Activity.code == "SOLO-02")).one()
        story = story_months(db, solo)
    assert story
    assert page.locator("table.history tbody tr").count() == 2 + len(story)
    page.get_by_role("link", name="By day").click()
    page.wait_for_url(re.compile(r"\?by=day$"))
    assert page.locator("table.history tbody tr").count() > 2
    page.screenshot(path=str(tmp_path / "activity.png"), full_page=True)
