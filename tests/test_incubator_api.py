"""The incubator's API: a project walked to launch by its coach and founders, an
idempotent launch, and founders who see only their own project."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from coopkit.people.models import Role
from coopkit.people.service import add_membership, issue_api_token
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from coopkit.tenants.service import create_tenant
from coopkit.web.app import create_app
from tests.conftest import Client, Database, _sqlite_database, unique
from tests.factories import make_user
from tests.incubator_world import incubator_with_project

Headers = dict[str, str]


@dataclass
class ApiWorld:
    client: Client
    database: Database
    incubator: str  # slug
    coach: Headers
    founders: list[tuple[str, Headers]]  # (user id, headers) of three people to be founders
    other_project: str  # id of a project of the same incubator, with its own founder
    other_founder: Headers  # founder of other_project only
    outsider: Headers  # staff of another incubator


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, plugins: PluginHost) -> Iterator[ApiWorld]:
    """One database and application for the module; the tests use their own projects."""
    path: Path = tmp_path_factory.mktemp("incubator-api") / "coopkit.sqlite3"
    database = _sqlite_database(str(path))

    def bearer(db: Any, user: Any) -> Headers:
        return {"Authorization": f"Bearer {issue_api_token(db, user, 'tests')}"}

    with database.sessions() as db:
        world = incubator_with_project(db, plugins, founders=2)
        people = [make_user(db, name) for name in ("Ann Api", "Bob Api", "Cem Api")]
        for person in people:
            add_membership(db, world.incubator, person, Role.MEMBER)
        other = incubator_with_project(db, plugins)
        outsider = make_user(db, "Oscar Outsider")
        add_membership(db, other.incubator, outsider, Role.STAFF)
        headers = [(str(p.id), bearer(db, p)) for p in people]
        founder = bearer(db, world.people[0])
        ids = (world.incubator.slug, str(world.project.id))
        coach = bearer(db, world.coach)
        outside = bearer(db, outsider)
        db.commit()
    with TestClient(create_app(database.settings, plugins)) as client:
        yield ApiWorld(client, database, ids[0], coach, headers, ids[1], founder, outside)
    database.engine.dispose()


def projects_url(api: ApiWorld) -> str:
    return f"/api/v1/t/{api.incubator}/incubator/projects"


def ok(response: Any, status: int = 201) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def decide(api: ApiWorld, url: str, choices: list[str]) -> dict[str, Any]:
    """Open a decision, each founder votes with their own token, the coach closes it."""
    now = datetime.now(UTC)
    window = {
        "opens_at": (now - timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=7)).isoformat(),
    }
    decision = ok(api.client.post(f"{url}/decisions", json=window, headers=api.coach))
    for (_id, headers), choice in zip(api.founders, choices, strict=True):
        ok(
            api.client.post(
                f"{url}/decisions/{decision['id']}/ballots",
                json={"choice": choice},
                headers=headers,
            )
        )
    closing = f"{url}/decisions/{decision['id']}/closing"
    return ok(api.client.post(closing, headers=api.coach), 200)  # type: ignore[no-any-return]


def new_project(api: ApiWorld) -> str:
    """A project by the coach with the three founders and classes A (100.00) and B (250.00)."""
    client, coach = api.client, api.coach
    slug = unique("api-coop")
    body = {"name": "Api Coop", "slug": slug, "legal_form": "SC", "purpose": "Repairs bikes"}
    project = ok(client.post(projects_url(api), json=body, headers=coach))
    assert project["stage"] == "exploration"
    assert len(project["checklist"]) == 12  # two tasks at each of six stages
    url = f"{projects_url(api)}/{project['id']}"
    for person_id, _headers in api.founders:
        ok(client.post(f"{url}/founders", json={"person_id": person_id}, headers=coach))
    a = {"code": "A", "name": "Founders", "nominal": "100.00", "max_per_member": 10}
    b = {"code": "B", "name": "Support", "nominal": "250.00", "min_holding": 0, "voting": False}
    assert ok(client.post(f"{url}/share-classes", json=a, headers=coach))["nominal"] == "100.00"
    ok(client.post(f"{url}/share-classes", json=b, headers=coach))
    return url


def test_a_project_is_walked_to_launch_through_the_api(api: ApiWorld) -> None:
    client, coach = api.client, api.coach
    url = new_project(api)
    pledges = [("A", 3), ("A", 2), ("B", 2)]  # Ann 3 A, Bob 2 A, Cem 2 B
    for (_id, headers), (code, quantity) in zip(api.founders, pledges, strict=True):
        body = {"share_class": code, "quantity": quantity}
        ok(client.post(f"{url}/pledges", json=body, headers=headers))
    ann = api.founders[0][1]
    pdf = b"%PDF-1.4\nplan\n"
    document = ok(
        client.post(
            f"{url}/documents",
            files=[("document", ("plan.pdf", pdf, "application/pdf"))],
            data={"stage": "business_plan"},
            headers=ann,
        )
    )
    assert (document["stage"], document["size"]) == ("business_plan", len(pdf))
    for _stage in range(5):
        assert decide(api, url, ["go", "go", "abstain"])["outcome"] == "go"
    project = ok(client.get(url, headers=ann), 200)
    assert project["stage"] == "registration"
    for item in project["checklist"]:
        if item["stage"] == "registration":
            ok(client.post(f"{url}/checklist/{item['id']}/completion", headers=ann), 200)
    assert decide(api, url, ["go", "go", "go"])["outcome"] == "go"

    key = {"Idempotency-Key": unique("launch"), **coach}
    first = client.post(f"{url}/launch", json={}, headers=key)
    launched = ok(first)
    # 3 × 100.00 + 2 × 100.00 + 2 × 250.00 = 1000.00, three first members
    assert (launched["members"], launched["capital"], launched["currency"]) == (3, "1000.00", "EUR")
    again = client.post(f"{url}/launch", json={}, headers=key)
    assert ok(again) == launched
    assert again.headers["Idempotent-Replayed"] == "true"
    with api.database.sessions() as db:
        count = select(func.count()).select_from(Tenant).where(Tenant.slug == launched["slug"])
        assert db.scalar(count) == 1
    refused = client.post(f"{url}/launch", json={}, headers=coach)  # no key: a new request
    assert refused.status_code == 409
    assert "launched already" in refused.json()["detail"]
    shown = ok(client.get(url, headers=coach), 200)
    assert (shown["stage"], shown["launched_tenant"]) == ("launched", launched["slug"])
    # the founders are members of the new coop, with its API
    coop = ok(client.get(f"/api/v1/t/{launched['slug']}", headers=ann), 200)
    assert (coop["kind"], coop["name"]) == ("member_coop", "Api Coop")


def test_a_founder_sees_and_votes_on_their_own_project_only(api: ApiWorld) -> None:
    client = api.client
    url = new_project(api)
    other = f"{projects_url(api)}/{api.other_project}"
    mine = ok(client.get(projects_url(api), headers=api.other_founder), 200)
    assert [p["id"] for p in mine] == [api.other_project]
    assert client.get(url, headers=api.other_founder).status_code == 404
    ballot = client.post(
        f"{url}/pledges", json={"share_class": "A", "quantity": 1}, headers=api.other_founder
    )
    assert ballot.status_code == 404
    assert client.get(other, headers=api.founders[0][1]).status_code == 404
    # another incubator's coach: not even the incubator is there for them
    assert client.get(url, headers=api.outsider).status_code == 404
    # a founder does not start projects nor open decisions
    body = {"name": "Mine", "slug": unique("mine"), "legal_form": "SC"}
    assert client.post(projects_url(api), json=body, headers=api.other_founder).status_code == 403
    window = {"opens_at": "2026-03-02T09:00:00Z", "closes_at": "2026-03-09T09:00:00Z"}
    opened = client.post(f"{other}/decisions", json=window, headers=api.other_founder)
    assert opened.status_code == 403
    # nor pledges for another founder
    bob = ok(client.get(url, headers=api.coach), 200)["founders"][1]["id"]
    for_bob = {"share_class": "A", "quantity": 1, "founder_id": bob}
    forbidden = client.post(f"{url}/pledges", json=for_bob, headers=api.founders[0][1])
    assert forbidden.status_code == 403


def test_refusals_name_the_rule(api: ApiWorld) -> None:
    client = api.client
    other = f"{projects_url(api)}/{api.other_project}"
    refused = client.post(f"{other}/launch", json={}, headers=api.coach)
    assert refused.status_code == 409  # still at exploration
    body = {"share_class": "A", "quantity": 11}
    too_many = client.post(f"{other}/pledges", json=body, headers=api.other_founder)
    assert too_many.status_code == 422
    problem = too_many.json()
    assert problem["rule"] == "planned share class A: minimum holding 1, maximum per member 10"
    assert problem["errors"][0]["key"] == "quantity"
    bad = {"name": "X", "slug": unique("x"), "legal_form": "SCOP"}
    unknown = client.post(projects_url(api), json=bad, headers=api.coach)
    assert unknown.status_code == 422
    assert "forms offered: SC" in unknown.json()["detail"]


def test_a_branch_has_no_projects(api: ApiWorld, plugins: PluginHost) -> None:
    with api.database.sessions() as db:
        branch = create_tenant(
            db, plugins, slug=unique("branch"), name="Branch", kind="branch", country="BE"
        )
        staff = make_user(db, "Branch Staff")
        add_membership(db, branch, staff, Role.STAFF)
        token = issue_api_token(db, staff, "tests")
        db.commit()
    body = {"name": "Y", "slug": unique("y"), "legal_form": "SC"}
    refused = api.client.post(
        f"/api/v1/t/{branch.slug}/incubator/projects",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 422
    assert "only an incubator follows projects" in refused.json()["detail"]
