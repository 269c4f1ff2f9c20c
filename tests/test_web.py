"""The web application through Litestar's TestClient: sign-in, guards, API, errors, languages.

Every test runs against a fresh SQLite database with the demo data loaded
(``coopkit.demo``): the Belgian and French branches, their staff and members,
and Amélie Claes who belongs to both branches.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from babel.numbers import format_decimal
from litestar import Litestar, get
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath
from litestar.routes import HTTPRoute
from litestar.testing import TestClient
from sqlalchemy import select, text, update

from coopkit import i18n
from coopkit.db.tenancy import tenant_scope
from coopkit.demo import DEMO_PASSWORD
from coopkit.people import service as people
from coopkit.people.models import ApiToken, Membership, Role, User
from coopkit.plugins import PluginHost
from coopkit.settings import Settings
from coopkit.tenants.models import Tenant
from coopkit.web.access import RequireRole
from coopkit.web.app import create_app
from tests.conftest import Database

Client = TestClient[Litestar]

ADMIN = "admin@demo.coopkit.test"  # admin of demo-be, staff of demo-incubator
STAFF_BE = "staff.be@demo.coopkit.test"
MEMBER_BE = "bram.peeters@demo.coopkit.test"  # member of demo-be only
MEMBER_FR = "alice.moreau@demo.coopkit.test"  # member of demo-fr only
BOTH = "amelie.claes@demo.coopkit.test"  # member of demo-be and demo-fr
COACH = "coach@demo.coopkit.test"  # admin of demo-incubator

PROBLEM = "application/problem+json"
CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')
HTML_LANG = re.compile(r'<html lang="([^"]+)">')
LOWER_CAMEL = re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$")
LEAKS = [
    re.compile(r"Traceback"),
    re.compile(r'File "[^"]*"'),
    re.compile(r"(?:/[\w.-]+)+/[\w.-]+\.py\b"),
    re.compile(r"site-packages"),
]


# -- fixtures and helpers -------------------------------------------------------------


def bearer(clear: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {clear}"}


def csrf_from(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def csrf_token(client: Client) -> str:
    """The CSRF token a browser would find in the sign-in form."""
    return csrf_from(client.get("/login").text)


def sign_in(
    client: Client, email: str, password: str = DEMO_PASSWORD, next: str | None = None
) -> Any:
    form = {"email": email, "password": password, "_csrf_token": csrf_token(client)}
    if next is not None:
        form["next"] = next
    return client.post("/login", data=form, follow_redirects=False)


def signed_in_as(email: str, client: Client) -> Client:
    response = sign_in(client, email)
    assert response.status_code == 302, response.text
    return client


def html_lang(html: str) -> str:
    found = HTML_LANG.search(html)
    assert found, "no <html lang> on the page"
    return found.group(1)


def main_of(html: str) -> str:
    return html.split("<main>", 1)[1].split("</main>", 1)[0]


def assert_no_leak(response: Any) -> None:
    """No stack trace and no path to a Python file in what the visitor receives."""
    for pattern in LEAKS:
        assert not pattern.search(response.text), (
            f"{response.request.method} {response.request.url} leaks {pattern.pattern!r}: "
            f"{response.text[:500]}"
        )


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["instance"] == response.request.url.path
    assert_no_leak(response)
    return body


def signed_in_user_ids(database: Database) -> list[bytes]:
    """Stored web sessions that carry a signed-in user."""
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT data FROM web_sessions")).scalars().all()
    return [row for row in rows if b"user_id" in bytes(row)]


# -- /health --------------------------------------------------------------------------


def test_health_answers_ok_with_json(client: Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(tmp_path: Any, plugins: PluginHost) -> None:
    missing = tmp_path / "no-such-directory" / "coopkit.sqlite3"
    settings = Settings(database_url=f"sqlite:///{missing}", secret_key="test-" + "x" * 32)
    with TestClient(create_app(settings, plugins)) as broken:
        response = broken.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert_no_leak(response)


# -- signing in and out ---------------------------------------------------------------


def test_the_sign_in_page_sets_a_csrf_cookie(client: Client) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert csrf_from(response.text)
    assert 'name="password"' in response.text


def test_sign_in_without_csrf_token_is_refused(client: Client, demo_db: Database) -> None:
    client.get("/login")
    response = client.post(
        "/login",
        data={"email": ADMIN, "password": DEMO_PASSWORD, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert_no_leak(response)
    assert signed_in_user_ids(demo_db) == []
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_sign_in_with_a_forged_csrf_token_is_refused(client: Client, demo_db: Database) -> None:
    client.get("/login")
    response = client.post(
        "/login",
        data={"email": ADMIN, "password": DEMO_PASSWORD, "_csrf_token": "0" * 128},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert signed_in_user_ids(demo_db) == []


@pytest.mark.parametrize("language", ["en", "fr", "nl", "de"])
def test_wrong_password_shows_the_translated_error(
    client: Client, demo_db: Database, language: str
) -> None:
    client.headers["Accept-Language"] = language
    response = sign_in(client, ADMIN, password="not-the-password")
    assert response.status_code == 400
    assert html_lang(response.text) == language
    assert i18n.gettext(language, "Wrong e-mail or password.") in response.text
    assert f'value="{ADMIN}"' in response.text  # the e-mail is kept, the password is not
    assert DEMO_PASSWORD not in response.text
    assert signed_in_user_ids(demo_db) == []
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    # The message is shown once, not again on the next page.
    again = client.get("/login")
    assert i18n.gettext(language, "Wrong e-mail or password.") not in again.text


def test_unknown_account_gets_the_same_answer_as_a_wrong_password(client: Client) -> None:
    wrong_password = sign_in(client, ADMIN, password="nope")
    no_account = sign_in(client, "nobody@demo.coopkit.test", password="nope")
    assert wrong_password.status_code == no_account.status_code == 400
    assert "Wrong e-mail or password." in no_account.text


def test_right_password_redirects_to_next(client: Client, demo_db: Database) -> None:
    response = sign_in(client, ADMIN, next="/t/demo-be/")
    assert response.status_code == 302
    assert response.headers["location"] == "/t/demo-be/"
    assert len(signed_in_user_ids(demo_db)) == 1
    home = client.get("/t/demo-be/")
    assert home.status_code == 200
    assert "SMart Demo Belgium" in home.text


def test_email_is_matched_whatever_its_case(client: Client) -> None:
    response = sign_in(client, "  Admin@Demo.CoopKit.test ")
    assert response.status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/t/demo-be/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_never_leaves_the_site(client: Client, target: str) -> None:
    response = sign_in(client, ADMIN, next=target)
    assert response.status_code == 302
    assert response.headers["location"] == "/"
    page = client.get("/login", params={"next": target})
    assert 'name="next" value="/"' in page.text


def test_sign_out_ends_the_session(
    client: Client, new_client: Callable[[], Client], demo_db: Database
) -> None:
    signed_in_as(ADMIN, client)
    assert client.get("/", follow_redirects=False).status_code == 200
    stolen = client.cookies["session"]
    response = client.post(
        "/logout", data={"_csrf_token": csrf_from(client.get("/").text)}, follow_redirects=False
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/login"
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    assert signed_in_user_ids(demo_db) == []
    # The old cookie is dead on the server, not only forgotten by this browser.
    replay = new_client()
    replay.cookies.set("session", stolen)
    assert replay.get("/", follow_redirects=False).headers["location"] == "/login"


def test_sign_out_needs_the_csrf_token(client: Client) -> None:
    signed_in_as(ADMIN, client)
    response = client.post("/logout", follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


# Session fixation and anonymous sessions: tests/test_sessions.py.


# -- guards on pages ------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_and_back(client: Client) -> None:
    response = client.get("/t/demo-be/", follow_redirects=False)
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith("/login?next=/t/demo-be")
    next_target = location.split("next=", 1)[1]
    back = sign_in(client, ADMIN, next=next_target)
    assert back.headers["location"] == next_target
    assert client.get(next_target).status_code == 200


def test_front_page_sends_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/login"


def test_front_page_lists_the_cooperatives_of_the_person(client: Client) -> None:
    signed_in_as(BOTH, client)
    response = client.get("/")
    assert response.status_code == 200
    assert "SMart Demo Belgium" in response.text
    assert "Coop Démo France" in response.text
    assert "Demo Coop Incubator" not in response.text


def test_a_tenant_you_do_not_belong_to_looks_like_one_that_does_not_exist(
    client: Client,
) -> None:
    signed_in_as(MEMBER_FR, client)
    foreign = client.get("/t/demo-be/")
    unknown = client.get("/t/nope/")
    assert foreign.status_code == unknown.status_code == 404
    assert_no_leak(foreign)
    assert main_of(foreign.text) == main_of(unknown.text)
    assert "SMart Demo Belgium" not in foreign.text
    assert client.get("/t/demo-be/members").status_code == 404
    assert client.get("/t/demo-fr/").status_code == 200


def test_a_member_may_not_see_the_members_list(client: Client) -> None:
    signed_in_as(MEMBER_BE, client)
    home = client.get("/t/demo-be/")
    assert home.status_code == 200
    assert 'href="/t/demo-be/members"' not in home.text
    response = client.get("/t/demo-be/members")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "Amélie Claes" not in response.text
    assert_no_leak(response)


@pytest.mark.parametrize("email", [STAFF_BE, ADMIN])
def test_staff_see_the_members_of_their_cooperative_only(client: Client, email: str) -> None:
    signed_in_as(email, client)
    assert 'href="/t/demo-be/members"' in client.get("/t/demo-be/").text
    response = client.get("/t/demo-be/members")
    assert response.status_code == 200
    for name in ("Amélie Claes", "Bram Peeters", "Tom Hermans", "Stéphane Staff", "Anne Admin"):
        assert name in response.text
    for name in ("Alice Moreau", "Agnès Admin", "Claire Coach"):
        assert name not in response.text
    assert response.text.count("<tr>") == 1 + 22  # header + 2 staff + 20 members


def test_staff_of_one_branch_are_strangers_in_the_other(client: Client) -> None:
    signed_in_as(STAFF_BE, client)
    assert client.get("/t/demo-fr/members").status_code == 404


def test_names_are_escaped_in_pages(client: Client, demo_db: Database) -> None:
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        user = people.create_user(
            db, "xss@demo.coopkit.test", "<script>alert(1)</script>", "pw-123456"
        )
        people.add_membership(db, tenant, user, Role.MEMBER)
        db.commit()
    signed_in_as(STAFF_BE, client)
    response = client.get("/t/demo-be/members")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    echoed = sign_in(client, '"><script>x()</script>', password="nope")
    assert "<script>x()</script>" not in echoed.text


def test_a_bearer_token_does_not_open_pages(client: Client, token: Callable[[str], str]) -> None:
    response = client.get("/t/demo-be/", headers=bearer(token(ADMIN)), follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"].startswith("/login")


# -- the API --------------------------------------------------------------------------


def test_api_me_lists_the_tenants_of_the_token_holder(
    client: Client, token: Callable[[str], str]
) -> None:
    response = client.get("/api/v1/me", headers=bearer(token(BOTH)))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == BOTH
    assert body["name"] == "Amélie Claes"
    assert sorted((t["slug"], t["role"]) for t in body["tenants"]) == [
        ("demo-be", "member"),
        ("demo-fr", "member"),
    ]


def test_api_tenant_for_a_member(client: Client, token: Callable[[str], str]) -> None:
    response = client.get("/api/v1/t/demo-be", headers=bearer(token(MEMBER_BE)))
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "demo-be"
    assert body["name"] == "SMart Demo Belgium"
    assert body["country"] == "BE"
    assert body["currency"] == "EUR"
    assert body["parent_id"] is None


def test_api_tenant_for_a_non_member_is_404_like_an_unknown_one(
    client: Client, token: Callable[[str], str]
) -> None:
    headers = bearer(token(MEMBER_FR))
    foreign = assert_problem(client.get("/api/v1/t/demo-be", headers=headers), 404)
    unknown = assert_problem(client.get("/api/v1/t/nope", headers=headers), 404)
    assert foreign["title"] == unknown["title"]
    assert "SMart Demo Belgium" not in json.dumps(foreign)
    assert_problem(client.get("/api/v1/t/demo-be/members", headers=headers), 404)


@pytest.mark.parametrize(
    "path", ["/api/v1/nope", "/api/v1/t/nope/members", "/api/v2/me", "/api/v1/t/demo-be/nope"]
)
def test_api_unknown_paths_are_404_problems(
    client: Client, token: Callable[[str], str], path: str
) -> None:
    assert_problem(client.get(path, headers=bearer(token(ADMIN))), 404)


def test_api_members_needs_staff(client: Client, token: Callable[[str], str]) -> None:
    body = assert_problem(
        client.get("/api/v1/t/demo-be/members", headers=bearer(token(MEMBER_BE))), 403
    )
    assert "staff" in body["detail"]
    response = client.get("/api/v1/t/demo-be/members", headers=bearer(token(STAFF_BE)))
    assert response.status_code == 200
    members = response.json()
    assert len(members) == 22
    assert {m["email"] for m in members} >= {ADMIN, STAFF_BE, MEMBER_BE, BOTH}
    assert MEMBER_FR not in {m["email"] for m in members}
    assert {m["role"] for m in members} == {"admin", "staff", "member"}


def test_api_ignores_the_session_cookie(client: Client) -> None:
    signed_in_as(ADMIN, client)
    assert client.get("/").status_code == 200
    assert_problem(client.get("/api/v1/me"), 401)
    assert_problem(client.get("/api/v1/t/demo-be"), 401)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer ",
        "Bearer ck_garbage",
        "Bearer not-a-token-at-all",
        "Basic YWRtaW46eA==",
        "ck_x",
    ],
)
def test_api_without_a_valid_token_is_401(client: Client, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    assert_problem(client.get("/api/v1/me", headers=headers), 401)
    assert_problem(client.get("/api/v1/t/demo-be", headers=headers), 401)


def test_api_revoked_token_is_401(
    client: Client, demo_db: Database, token: Callable[[str], str]
) -> None:
    clear = token(ADMIN)
    assert client.get("/api/v1/me", headers=bearer(clear)).status_code == 200
    with demo_db.sessions() as db:
        db.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == people.token_digest(clear))
            .values(revoked_at=datetime.now(UTC))
        )
        db.commit()
    assert_problem(client.get("/api/v1/me", headers=bearer(clear)), 401)
    assert_problem(client.get("/api/v1/t/demo-be", headers=bearer(clear)), 401)


def test_api_public_country_data(client: Client) -> None:
    countries = client.get("/api/v1/countries").json()
    assert {c["code"] for c in countries} >= {"BE", "FR"}
    holidays = client.get("/api/v1/countries/BE/holidays", params={"year": 2025})
    assert holidays.status_code == 200
    assert any(h["day"] == "2025-07-21" for h in holidays.json())  # Belgian national day


# -- errors ---------------------------------------------------------------------------


CHECK = "/api/v1/countries/BE/identifiers/check"


@pytest.mark.parametrize(
    "body",
    [b"{", b"not json", b'{"kind": "iban", "value": "x"', b"\xff\xfe"],
    ids=["truncated", "text", "unclosed", "binary"],
)
def test_malformed_json_is_a_400_problem_with_errors(client: Client, body: bytes) -> None:
    response = client.post(CHECK, content=body, headers={"Content-Type": "application/json"})
    problem = assert_problem(response, 400)
    assert isinstance(problem["errors"], list)
    assert problem["errors"]


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"kind": 3, "value": "x"}, "kind"),
        ({"kind": "passport", "value": "x"}, "kind"),
        ({"kind": "iban", "value": 42}, "value"),
        ({"kind": "iban"}, "value"),
        ([], None),
    ],
)
def test_wrong_field_types_are_a_400_problem_with_errors(
    client: Client, body: Any, key: str | None
) -> None:
    problem = assert_problem(client.post(CHECK, json=body), 400)
    assert problem["errors"]
    if key is not None:
        assert key in json.dumps(problem["errors"])


def test_bad_query_and_path_parameters_are_400_problems(client: Client) -> None:
    for path, params in [
        ("/api/v1/countries/1/holidays", {"year": "2025"}),
        ("/api/v1/countries/BE/holidays", {"year": "soon"}),
        ("/api/v1/countries/BE/holidays", {"year": "99999"}),
        ("/api/v1/countries/BE/holidays", {}),
        ("/api/v1/countries/BE/vat-rates", {"on": "yesterday"}),
    ]:
        problem = assert_problem(client.get(path, params=params), 400)
        assert problem["errors"], (path, params)


def test_a_country_without_plugin_is_a_422_problem(client: Client) -> None:
    body = assert_problem(client.get("/api/v1/countries/XX/vat-rates"), 422)
    assert "XX" in body["detail"]


def test_a_valid_identifier_check(client: Client) -> None:
    response = client.post(CHECK, json={"kind": "iban", "value": "BE68 5390 0754 7034"})
    assert response.status_code == 200
    assert response.json()["valid"] is True


def test_no_answer_ever_shows_a_stack_trace(
    client: Client, new_client: Callable[[], Client], token: Callable[[str], str]
) -> None:
    anonymous = new_client()
    signed_in_as(MEMBER_FR, client)
    headers = bearer(token(MEMBER_FR))
    responses = [
        anonymous.get("/t/demo-be/"),
        anonymous.get("/nope"),
        anonymous.post("/login", data={"email": "x"}),
        anonymous.post("/language", data={}),
        client.get("/t/demo-be/"),
        client.get("/t/demo-fr/members"),
        client.get("/t/%00/"),
        client.post("/login", data={"_csrf_token": csrf_token(client)}),
        client.post("/language", data={"_csrf_token": csrf_token(client)}),
        client.put("/login"),
        client.get("/static/%2e%2e/templates/base.html"),
        client.get("/static/nope.css"),
        client.get("/api/v1/t/demo-be", headers=headers),
        client.get("/api/v1/t/demo-fr/members", headers=headers),
        client.delete("/api/v1/me", headers=headers),
        client.post(CHECK, content=b"{", headers={"Content-Type": "application/json"}),
        client.post(CHECK, json={"kind": "iban", "value": "x" * 1000}),
        client.get("/api/v1/countries/BE/holidays", params={"year": "x"}),
        client.get("/schema/nope"),
    ]
    for response in responses:
        assert response.status_code < 500, (response.request.url, response.text[:300])
        assert_no_leak(response)


@pytest.fixture
def exploding_app(demo_db: Database, plugins: PluginHost) -> Litestar:
    """The real application plus two routes that fail unexpectedly."""
    application = create_app(demo_db.settings, plugins)

    @get("/api/v1/explode", sync_to_thread=False, include_in_schema=False)
    def api_explode() -> None:
        raise RuntimeError("kaboom in /srv/coopkit/secret.py")

    @get("/explode", sync_to_thread=False, include_in_schema=False)
    def page_explode() -> None:
        raise RuntimeError("kaboom in /srv/coopkit/secret.py")

    application.register(api_explode)
    application.register(page_explode)
    return application


def test_an_unexpected_error_on_the_api_is_a_500_problem_with_a_reference(
    exploding_app: Litestar, caplog: pytest.LogCaptureFixture
) -> None:
    with TestClient(exploding_app) as test_client:
        response = test_client.get("/api/v1/explode")
    body = assert_problem(response, 500)
    assert re.fullmatch(r"[0-9a-f]{8}", body["reference"])
    assert body["reference"] in body["detail"]
    assert "kaboom" not in response.text
    # The trace goes to the log, under the same reference.
    logged = [r for r in caplog.records if body["reference"] in r.getMessage()]
    assert logged
    assert logged[0].exc_info is not None


def test_an_unexpected_error_on_a_page_is_a_friendly_page_with_a_reference(
    exploding_app: Litestar,
) -> None:
    with TestClient(exploding_app) as test_client:
        response = test_client.get("/explode")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "Something went wrong on our side" in response.text
    reference = re.search(r"Reference to quote: ([0-9a-f]{8})", response.text)
    assert reference, response.text
    assert "kaboom" not in response.text
    assert_no_leak(response)


def test_a_failing_service_is_a_500_with_a_reference_on_both_sides(
    client: Client, token: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = bearer(token(ADMIN))
    signed_in_as(ADMIN, client)

    def explode(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("database exploded at /srv/coopkit/people/service.py")

    monkeypatch.setattr(people, "tenants_of", explode)
    api = assert_problem(client.get("/api/v1/me", headers=headers), 500)
    assert api["reference"]
    page = client.get("/")
    assert page.status_code == 500
    assert "text/html" in page.headers["content-type"]
    assert "Reference to quote:" in page.text
    assert "exploded" not in page.text
    assert_no_leak(page)


# -- OpenAPI --------------------------------------------------------------------------

EXPECTED_OPERATIONS = {
    "createIncubatorProject",
    "listIncubatorProjects",
    "getIncubatorProject",
    "addProjectFounder",
    "planProjectShareClass",
    "pledgeProjectShares",
    "completeChecklistItem",
    "addProjectDocument",
    "openStageDecision",
    "castStageBallot",
    "closeStageDecision",
    "launchIncubatorProject",
    "getGuaranteeFund",
    "listDunning",
    "writeOffInvoice",
    "getHealth",
    "setBankAccount",
    "getBankAccount",
    "createPaymentBatch",
    "listPaymentBatches",
    "getPaymentBatch",
    "exportPaymentBatch",
    "getPaymentBatchFile",
    "getMe",
    "getTenant",
    "listMembers",
    "listCountries",
    "listVatRates",
    "listPublicHolidays",
    "checkIdentifier",
    "simulateSalary",
    "createPayslip",
    "getPayslip",
    "listPayslips",
    "listActivities",
    "createActivity",
    "getActivityBalance",
    "reserveActivityFunds",
    "createExpense",
    "listExpenses",
    "getExpense",
    "getExpenseReceipt",
    "approveExpense",
    "rejectExpense",
    "listExpenseCategories",
    "createSalaryRequest",
    "listSalaryRequests",
    "getSalaryRequest",
    "approveSalaryRequest",
    "rejectSalaryRequest",
    "cancelSalaryRequest",
    "recordPayment",
    "importBankStatement",
    "listBankStatements",
    "listBankLines",
    "assignBankLine",
    "ignoreBankLine",
    "createQuote",
    "getQuote",
    "listQuotes",
    "sendQuote",
    "confirmQuote",
    "createClient",
    "listClients",
    "getClient",
    "createInvoice",
    "updateInvoice",
    "listInvoices",
    "getInvoice",
    "issueInvoice",
    "createCreditNote",
    "getInvoicePdf",
    "createInvoiceFromQuote",
    "getInvoiceUbl",
    "exportJournal",
    "applyForMembership",
    "admitMember",
    "refuseMembership",
    "subscribeShares",
    "recordSharePayment",
    "redeemShares",
    "getShareRegister",
    "listAssemblies",
    "createAssembly",
    "getAssembly",
    "convokeAssembly",
    "addAssemblyDocuments",
    "getAssemblyDocument",
    "giveProxy",
    "openAssembly",
    "closeAssembly",
    "getMinutes",
    "signMinutes",
    "listResolutions",
    "createResolution",
    "getResolution",
    "updateResolution",
    "castVote",
    "recordShowOfHands",
    "closeResolution",
    "getResolutionResult",
}
HTTP_VERBS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def handlers_of(app: Litestar) -> Iterator[tuple[str, HTTPRouteHandler]]:
    """Every HTTP route handler with its path, leaving out Litestar's automatic OPTIONS."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"} and handler.handler_name == "options_handler":
                continue
            yield route.path, handler


def test_openapi_document_has_an_explicit_lower_camel_operation_id_everywhere(
    client: Client, app: Litestar
) -> None:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.text)
    assert document["openapi"].startswith("3.")
    operations = {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_VERBS
    }
    ids = [op.get("operationId") for op in operations.values()]
    assert all(isinstance(i, str) and LOWER_CAMEL.match(i) for i in ids), ids
    assert len(ids) == len(set(ids)), "operationIds must be unique"
    assert set(ids) == EXPECTED_OPERATIONS
    # Each one is written in the code, not generated by Litestar from the handler's name.
    in_code = {
        handler.operation_id: path
        for path, handler in handlers_of(app)
        if path.startswith("/api/") or path == "/health"
    }
    missing = [path for op, path in in_code.items() if not isinstance(op, str)]
    assert not missing, f"API routes without operation_id= in code: {missing}"
    assert set(in_code) == EXPECTED_OPERATIONS
    for operation in operations.values():
        assert operation.get("summary") or operation.get("description"), operation["operationId"]


def test_openapi_leaves_out_the_pages(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    assert not any(
        path.startswith(("/t/", "/login", "/logout", "/language")) for path in document["paths"]
    )


def test_swagger_docs_page(client: Client) -> None:
    response = client.get("/schema/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "swagger" in response.text.lower()


# -- guards everywhere (meta-test) ----------------------------------------------------

TENANT_PREFIXES = ("/t/", "/api/v1/t/")


def unguarded_tenant_routes(app: Litestar) -> list[str]:
    """Tenant routes (``/t/…`` and ``/api/v1/t/…``) without a RequireRole guard at any layer."""
    missing = []
    for path, handler in handlers_of(app):
        if not path.startswith(TENANT_PREFIXES):
            continue
        guards = [guard for layer in handler.ownership_layers for guard in (layer.guards or [])]
        if not any(isinstance(guard, RequireRole) for guard in guards):
            methods = ",".join(sorted(handler.http_methods))
            missing.append(f"{methods} {path} ({handler.handler_name})")
    return missing


def test_every_tenant_route_has_a_role_guard(app: Litestar) -> None:
    tenant_routes = [path for path, _h in handlers_of(app) if path.startswith(TENANT_PREFIXES)]
    assert len(tenant_routes) >= 4
    missing = unguarded_tenant_routes(app)
    assert not missing, f"tenant routes without a RequireRole guard: {missing}"


def test_the_guard_meta_test_catches_a_new_unguarded_route(app: Litestar) -> None:
    @get("/t/{slug:str}/forgotten", sync_to_thread=False)
    def forgotten(slug: FromPath[str]) -> str:
        return slug

    app.register(forgotten)
    assert unguarded_tenant_routes(app) == ["GET /t/{slug:str}/forgotten (forgotten)"]


# -- languages and formatting ---------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [("nl", "nl"), ("nl-BE,nl;q=0.9", "nl"), ("de-DE", "de"), ("fr;q=0.5, en", "en"), ("ja", "en")],
)
def test_accept_language_picks_the_page_language(
    client: Client, header: str, expected: str
) -> None:
    response = client.get("/login", headers={"Accept-Language": header})
    assert html_lang(response.text) == expected


def test_choosing_a_language_is_remembered_on_the_account(
    client: Client, demo_db: Database
) -> None:
    signed_in_as(ADMIN, client)
    assert html_lang(client.get("/").text) == "en"
    response = client.post(
        "/language",
        data={"language": "de", "next": "/", "_csrf_token": csrf_from(client.get("/").text)},
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert response.headers["location"] == "/"
    assert html_lang(client.get("/").text) == "de"
    assert html_lang(client.get("/", headers={"Accept-Language": "nl"}).text) == "de"
    with demo_db.sessions() as db:
        user = people.find_user(db, ADMIN)
        assert user is not None
        assert user.locale == "de"
    # Signing out and in again (a new session) keeps the choice.
    client.post("/logout", data={"_csrf_token": csrf_from(client.get("/").text)})
    signed_in_as(ADMIN, client)
    assert html_lang(client.get("/").text) == "de"


def test_an_anonymous_language_choice_lives_in_the_session_only(
    client: Client, demo_db: Database
) -> None:
    response = client.post(
        "/language",
        data={"language": "nl", "next": "/login", "_csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/login"
    assert html_lang(client.get("/login").text) == "nl"
    with demo_db.sessions() as db:
        assert db.scalar(select(User.id).where(User.locale.is_not(None))) is None


def test_an_unknown_language_is_ignored(client: Client, demo_db: Database) -> None:
    signed_in_as(ADMIN, client)
    token = csrf_from(client.get("/").text)
    for junk in ("xx", "klingon", "../../etc/passwd", "fr" * 20):
        response = client.post(
            "/language", data={"language": junk, "_csrf_token": token}, follow_redirects=False
        )
        assert response.status_code in (302, 400), junk
        assert_no_leak(response)
    assert html_lang(client.get("/").text) == "en"
    with demo_db.sessions() as db:
        user = people.find_user(db, ADMIN)
        assert user is not None
        assert user.locale is None


def test_choosing_a_language_needs_the_csrf_token(client: Client) -> None:
    signed_in_as(ADMIN, client)
    response = client.post("/language", data={"language": "de"}, follow_redirects=False)
    assert response.status_code == 403
    assert html_lang(client.get("/").text) == "en"


@pytest.fixture
def crowded_incubator(demo_db: Database) -> int:
    """A thousand more members in the incubator, so its head count needs a separator."""
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-incubator"))
        assert tenant is not None
        users = [
            User(email=f"crowd{n}@demo.coopkit.test", name=f"Crowd {n}", password_hash="x")
            for n in range(1000)
        ]
        db.add_all(users)
        db.flush()
        with tenant_scope(db, tenant.id):
            db.add_all(
                Membership(tenant_id=tenant.id, user_id=u.id, role=Role.MEMBER) for u in users
            )
            db.flush()
            count = len(db.scalars(select(Membership.id)).all())
        db.commit()
    return count


@pytest.mark.parametrize(
    ("header", "locale", "shown"),
    [("en", "en", "1,005"), ("nl", "nl_BE", "1.005"), ("fr", "fr_BE", "1\u202f005")],
)
def test_the_tenant_page_formats_the_head_count_for_the_language(
    client: Client, crowded_incubator: int, header: str, locale: str, shown: str
) -> None:
    # the coach, the Belgian admin, the three founders of Vélo Solidaire and the crowd
    assert crowded_incubator == 1005
    signed_in_as(COACH, client)
    response = client.get("/t/demo-incubator/", headers={"Accept-Language": header})
    assert response.status_code == 200
    assert format_decimal(crowded_incubator, locale=locale) == shown
    assert f"<dd>{shown}</dd>" in response.text
    assert "<dd>1005</dd>" not in response.text


def test_the_tenant_page_shows_its_facts(client: Client) -> None:
    signed_in_as(MEMBER_BE, client)
    response = client.get("/t/demo-be/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    text_ = response.text
    assert "<h1>SMart Demo Belgium</h1>" in text_
    assert "EUR" in text_
    assert "<dd>22</dd>" in text_
    assert html_lang(text_) == "en"


# -- details a person notices ---------------------------------------------------------


def test_sign_in_redirect_keeps_the_query_string(client: Client) -> None:
    response = client.get("/t/demo-be/members?sort=name&page=2", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/t/demo-be/members%3Fsort%3Dname%26page%3D2"


def test_api_401_says_how_to_authenticate(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


def test_language_picker_names_each_language_in_itself(client: Client) -> None:
    page = client.get("/login", headers={"accept-language": "de"}).text
    for name in ("English", "Français", "Nederlands", "Deutsch"):
        assert f">{name}</option>" in page


def test_a_page_outside_any_route_has_no_broken_language_form(client: Client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert 'action="/language"' not in response.text


def test_tenant_page_title_names_the_page_and_the_cooperative(client: Client) -> None:
    signed_in_as(ADMIN, client)
    page = client.get("/t/demo-be/", headers={"accept-language": "nl"}).text
    assert "<title>Start · SMart Demo Belgium</title>" in page
