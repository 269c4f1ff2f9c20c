"""Instance folders: `coopkit new-branch` / `new-member-coop`, the bootstrap, `serve --instance`.

Rendered like cookiecutter-pypackage's tests: awkward names, the tree checked,
the TOML parsed; then the folder is started (migrations and bootstrap) once per
module and its pages read. Bad input is refused with the rule's name and leaves
nothing behind. One real `coopkit serve --instance` process answers on a free port.
"""

from __future__ import annotations

import base64
import shutil
import stat
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import func, select

from coopkit.audit.models import AuditEvent
from coopkit.branding.models import Branding as BrandingRow
from coopkit.cli import cli
from coopkit.cli.context import Context
from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.tenancy import tenant_scope
from coopkit.guarantee.policy import guarantee_policy_on
from coopkit.instance.generate import Generated, generate_instance
from coopkit.instance.spec import Admin, Branding, InstanceSpec, Policy
from coopkit.instance.start import Started, start_instance
from coopkit.ledger.models import Account
from coopkit.ledger.policy import rates_on
from coopkit.people.models import Membership, Role, User
from coopkit.plugins import PluginHost
from coopkit.salaries.policy import payment_days_on
from coopkit.scaffold import ScaffoldError
from coopkit.settings import Settings
from coopkit.tenants.models import Tenant, TenantKind
from tests.test_web import sign_in

AWKWARD = "Coop d'Économie & Partage"
PASSWORD = "first-admin-password"
# A 1×1 transparent PNG (67 bytes).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def a_spec(**changes: Any) -> InstanceSpec:
    spec = InstanceSpec(
        kind=TenantKind.BRANCH,
        slug="coop-economie",
        name=AWKWARD,
        country="be",
        currency="",
        locales=(),
        database_url="sqlite:///coopkit.sqlite3",
        branding=Branding(AWKWARD, "#12345A", "#e07a1f"),
        policy=Policy(
            date(2026, 1, 1),
            "Founding assembly",
            Decimal("0.065"),
            Decimal("0.02"),
            Decimal("1000"),
            7,
        ),
        admin=Admin("Founder@Example.org", "Ana Fundadora"),
    )
    return replace(spec, **changes)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, plugins: PluginHost) -> Generated:
    logo = tmp_path_factory.mktemp("logo") / "logo.png"
    logo.write_bytes(PNG)
    output = tmp_path_factory.mktemp("instances") / "coop"
    return generate_instance(a_spec(), output, plugins, logo=logo, admin_password=PASSWORD)


@pytest.fixture(scope="module")
def started(made: Generated, plugins: PluginHost) -> Started:
    """The instance migrated and bootstrapped once for the module (SQLite in its folder)."""
    return start_instance(made.folder, plugins, Settings())


@pytest.fixture
def db(started: Started) -> Iterator[Any]:
    engine = make_engine(started.settings.database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, plugins: PluginHost) -> CliRunner:
    """The CLI with the session's plugins (loading them again costs a second per command)."""
    monkeypatch.setattr(Context, "plugins", lambda self: plugins)
    return CliRunner()


# -- the folder ---------------------------------------------------------------------


def test_new_branch_tree_and_toml(made: Generated) -> None:
    folder = made.folder
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert files == [
        ".gitignore", "README.md", "branding/.keep", "branding/logo.png", "instance.toml",
        "secrets.toml",
    ]  # fmt: skip
    data = tomllib.loads((folder / "instance.toml").read_text(encoding="utf-8"))
    assert data["cooperative"] == {
        "kind": "branch",
        "slug": "coop-economie",
        "name": AWKWARD,  # quotes and ampersand survive TOML
        "country": "BE",
        "plugin": "be",
        "currency": "EUR",  # the plugin's
        "locales": ["fr_BE", "nl_BE", "de_BE", "en"],
    }
    assert data["branding"]["primary_colour"] == "#12345a"
    assert data["branding"]["logo"] == "branding/logo.png"
    assert data["policy"]["fee_rate"] == "0.065"  # exact decimals as text, never floats
    assert data["policy"]["guarantee_floor"] == "1000.00"
    assert data["admin"] == {"email": "founder@example.org", "name": "Ana Fundadora"}
    secrets = tomllib.loads((folder / "secrets.toml").read_text(encoding="utf-8"))
    assert secrets["admin_password_hash"].startswith("$argon2id$")
    assert stat.S_IMODE((folder / "secrets.toml").stat().st_mode) == 0o600
    assert "secrets.toml" in (folder / ".gitignore").read_text().splitlines()
    every_file = "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())
    assert PASSWORD not in every_file
    assert made.generated_password is None  # given, so not shown


def test_non_euro_currency_and_unserved_country(plugins: PluginHost, tmp_path: Path) -> None:
    # Only BE and FR are served: Switzerland (CHF) is refused, naming what is installed.
    with pytest.raises(
        ScaffoldError, match=r"no plugin serves country 'CH' \(served: BE, DE, FR\)"
    ):
        generate_instance(a_spec(country="ch", currency="CHF"), tmp_path / "ch", plugins)
    # A non-euro currency is accepted where the plugin serves the country.
    made = generate_instance(
        a_spec(currency="chf", slug="coop-chf"), tmp_path / "chf", plugins, admin_password=PASSWORD
    )
    assert (
        tomllib.loads((made.folder / "instance.toml").read_text())["cooperative"]["currency"]
        == "CHF"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chf"]  # nothing from the refusal


BASE = ["new-branch", "--name", AWKWARD, "--country", "be", "--admin-email", "a@example.org",
        "--admin-name", "Ann Admin", "--admin-password", PASSWORD]  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--country", "xx"], "not an ISO 3166-1 alpha-2 country code"),
        (["--country", "pt"], "no plugin serves country 'PT' (served: BE, DE, FR)"),
        (["--currency", "EURO"], "not an ISO 4217 currency code"),
        (["--primary-colour", "red"], "primary colour 'red': write a colour as #rrggbb"),
        (["--fee-rate", "1.2"], "fee rate 1.2: give a fraction from 0 to less than 1"),
        (["--fee-rate", "-0.1"], "fee rate -0.1: give a fraction from 0 to less than 1"),
        (["--fee-rate", "0.6", "--guarantee-rate", "0.4"], "must add up to less than 1"),
        (["--guarantee-floor", "10.001"], "guarantee-fund floor 10.001"),
        (["--payment-delay-days", "400"], "payment delay 400"),
        (["--locales", "ja"], "locales ja are not offered by the BE plugin"),
        (["--admin-password", "short"], "a password needs at least 8 characters"),
        (["--admin-email", "not-an-address"], "is not an e-mail address"),
        (["--slug", "Bad Slug"], "slug 'Bad Slug'"),
    ],
)
def test_bad_input_refused_and_nothing_left(
    runner: CliRunner, tmp_path: Path, extra: list[str], message: str
) -> None:
    result = runner.invoke(cli, [*BASE, "--output", str(tmp_path / "out" / "coop"), *extra])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Nothing was written." in result.output
    assert list(tmp_path.iterdir()) == []  # not even the parent folder


def test_existing_folder_and_bad_logo_refused(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    result = runner.invoke(cli, [*BASE, "--output", str(tmp_path / "taken")])
    assert result.exit_code == 1
    assert "already exists: nothing was written" in result.output
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["keep.txt"]
    (tmp_path / "logo.gif").write_bytes(b"GIF89a" + b"\0" * 20)
    result = runner.invoke(
        cli, [*BASE, "--output", str(tmp_path / "new"), "--logo", str(tmp_path / "logo.gif")]
    )
    assert result.exit_code == 1
    assert "give a PNG, JPEG, WebP or SVG image" in result.output
    assert not (tmp_path / "new").exists()


def test_missing_values_without_a_terminal_are_named(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["new-branch", "--name", "X", "--country", "be"])
    assert result.exit_code == 2
    assert "give --admin-email (no terminal to ask on)" in result.output


def test_a_person_at_a_terminal_is_asked_what_is_missing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import coopkit.cli.instance

    monkeypatch.setattr(coopkit.cli.instance, "_interactive", lambda: True)
    # name, country, then the four rules (Enter keeps the default shown), the admin, the folder
    answers = ["Coop Tty", "be", "", "", "", "", "t@example.org", "Tee", str(tmp_path / "tty")]
    result = runner.invoke(cli, ["new-branch"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Fee rate [0.065]:" in result.output
    policy = tomllib.loads((tmp_path / "tty" / "instance.toml").read_text())["policy"]
    assert (policy["fee_rate"], policy["payment_delay_days"]) == ("0.065", 7)


def test_generated_password_shown_once(runner: CliRunner, tmp_path: Path) -> None:
    args = [a for a in BASE if a not in ("--admin-password", PASSWORD)]
    result = runner.invoke(cli, [*args, "--output", str(tmp_path / "coop")])
    assert result.exit_code == 0, result.output
    assert "first administrator: a@example.org / " in result.output
    shown = result.output.split("a@example.org / ")[1].split()[0]
    assert shown not in (tmp_path / "coop" / "secrets.toml").read_text()


# -- the first start ----------------------------------------------------------------


def test_bootstrap_creates_the_branch(started: Started, db: Any) -> None:
    tenant = db.scalar(select(Tenant).where(Tenant.slug == "coop-economie"))
    assert (tenant.kind, tenant.name, tenant.country, tenant.currency) == (
        TenantKind.BRANCH, AWKWARD, "BE", "EUR",
    )  # fmt: skip
    admin = db.scalar(select(User).where(User.email == "founder@example.org"))
    with tenant_scope(db, tenant.id):
        assert db.scalar(select(Membership.role).where(Membership.user_id == admin.id)) is (
            Role.ADMIN
        )
        day = date(2026, 6, 1)
        rates = rates_on(db, day)
        assert (rates.fee_rate, rates.guarantee_rate) == (Decimal("0.065"), Decimal("0.02"))
        fund = guarantee_policy_on(db, day)
        assert fund is not None
        assert fund.floor == Decimal("1000.00")
        assert payment_days_on(db, day) == 7
        assert db.scalar(select(func.count(Account.id))) > 0  # books opened from the BE chart
        look = db.scalar(select(BrandingRow))
        assert (look.display_name, look.primary_colour, look.logo) == (AWKWARD, "#12345a", PNG)
    assert "branch Coop d'Économie & Partage created" in started.report.summary()


def test_second_start_changes_nothing(made: Generated, started: Started, db: Any,
                                      plugins: PluginHost) -> None:  # fmt: skip
    tenant = db.scalar(select(Tenant).where(Tenant.slug == "coop-economie"))
    with tenant_scope(db, tenant.id):
        events = db.scalar(select(func.count(AuditEvent.id)))
        again = start_instance(made.folder, plugins, Settings())
        assert again.report.done == []
        assert db.scalar(select(func.count(AuditEvent.id))) == events


def test_changed_branding_is_recorded_from_today(
    made: Generated, started: Started, plugins: PluginHost, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(made.folder, copy)
    toml = copy / "instance.toml"
    toml.write_text(toml.read_text().replace('"#e07a1f"', '"#aa0000"'))
    report = start_instance(copy, plugins, Settings()).report
    assert report.done == ["branding updated"]


def test_home_page_shows_the_branding(started: Started, plugins: PluginHost) -> None:
    from coopkit.web.app import create_app

    with TestClient(create_app(started.settings, plugins)) as client:
        assert sign_in(client, "founder@example.org", PASSWORD).status_code == 302
        home = client.get("/t/coop-economie/")
        assert home.status_code == 200
        assert "Coop d&#39;Économie &amp; Partage" in home.text
        assert "--ink: #12345a; --accent: #e07a1f;" in home.text
        assert 'src="/t/coop-economie/branding/logo"' in home.text
        logo = client.get("/t/coop-economie/branding/logo")
        assert (logo.status_code, logo.content) == (200, PNG)
        assert logo.headers["content-type"] == "image/png"
        assert "sandbox" in logo.headers["content-security-policy"]


# -- a member coop ------------------------------------------------------------------


def test_member_coop_instance(runner: CliRunner, started: Started, tmp_path: Path,
                              plugins: PluginHost, db: Any) -> None:  # fmt: skip
    # Its own folder, started on the branch's database (to skip a second migration).
    result = runner.invoke(cli, [
        "new-member-coop", "--name", "Les Jardins d'Ixelles", "--country", "be",
        "--parent-name", "Incubateur Bruxellois", "--output", str(tmp_path / "jardins"),
        "--admin-email", "jardins@example.org", "--admin-name", "Jo", "--admin-password",
        PASSWORD, "--database-url", started.settings.database_url,
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    folder = tmp_path / "jardins"
    notes = (folder / "GOVERNANCE.md").read_text()
    assert "launched by Incubateur Bruxellois" in notes
    assert "What does not come over by itself" in notes
    data = tomllib.loads((folder / "instance.toml").read_text())
    assert data["cooperative"]["kind"] == "member_coop"
    assert data["cooperative"]["parent_name"] == "Incubateur Bruxellois"
    report = start_instance(folder, plugins, Settings()).report
    assert report.done[:2] == [
        "parent Incubateur Bruxellois recorded",
        "member_coop Les Jardins d'Ixelles created",
    ]
    coop = db.scalar(select(Tenant).where(Tenant.slug == "les-jardins-d-ixelles"))
    parent = db.get(Tenant, coop.parent_id)
    assert (coop.kind, parent.kind, parent.name) == (
        TenantKind.MEMBER_COOP, TenantKind.INCUBATOR, "Incubateur Bruxellois",
    )  # fmt: skip


# -- a real server ------------------------------------------------------------------


def test_serve_instance_answers_on_a_free_port(made: Generated, started: Started) -> None:
    from bench.new_branch import home_page, serving

    with serving(made.folder) as base:
        html = home_page(base, "coop-economie", "founder@example.org", PASSWORD, timeout=60)
    assert "Coop d&#39;Économie &amp; Partage" in html
