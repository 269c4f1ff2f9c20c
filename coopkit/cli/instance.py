"""``coopkit new-branch``, ``new-member-coop`` and ``bootstrap --instance``: instance folders.

Every value is an option, so scripts never meet a prompt; a person at a
terminal is asked only for what is missing. Nothing is written until every
answer is checked (coopkit.instance.generate).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from coopkit.branding.service import DEFAULT_ACCENT, DEFAULT_PRIMARY
from coopkit.cli.context import Context, pass_context
from coopkit.instance.generate import DEFAULT_DATABASE_URL, generate_instance
from coopkit.instance.spec import Admin, Branding, InstanceSpec, Policy, slugify
from coopkit.instance.start import Started, start_instance
from coopkit.plugins import PluginHost
from coopkit.scaffold import ScaffoldError
from coopkit.tenants.models import TenantKind
from coopkit.tenants.service import TenantError

# The founders decide these; the defaults are only a starting point they are shown.
DEFAULT_FEE_RATE = "0.065"
DEFAULT_GUARANTEE_RATE = "0.02"
DEFAULT_FLOOR = "0"
DEFAULT_PAYMENT_DAYS = 7
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(value: Any, label: str, option: str, default: Any = None) -> Any:
    """``value`` if given; else a prompt at a terminal; else ``default``; else an error."""
    if value is not None:
        return value
    if _interactive():
        return click.prompt(label, default=default)
    if default is not None:
        return default
    raise click.UsageError(f"give {option} (no terminal to ask on)")


INSTANCE_OPTIONS: list[Decorator] = [
    click.option("--name", help="The cooperative's name, as printed."),
    click.option("--country", help="ISO 3166 code of a country an installed plugin serves."),
    click.option(
        "--output", type=click.Path(path_type=Path), help="The folder to create (must not exist)."
    ),
    click.option("--slug", help="Its address: /t/<slug>/ (default: from the name)."),
    click.option("--currency", help="ISO 4217 code (default: the country plugin's)."),
    click.option("--locales", help="Comma-separated, first is the default (default: plugin's)."),
    click.option("--database-url", help="SQLAlchemy URL (default: an SQLite file in the folder)."),
    click.option("--logo", type=click.Path(path_type=Path, dir_okay=False), help="PNG/JPEG/SVG."),
    click.option("--primary-colour", help=f"#rrggbb (default {DEFAULT_PRIMARY})."),
    click.option("--accent-colour", help=f"#rrggbb (default {DEFAULT_ACCENT})."),
    click.option(
        "--fee-rate", help=f"Fraction of paid turnover, exact (default {DEFAULT_FEE_RATE})."
    ),
    click.option(
        "--guarantee-rate", help=f"Guarantee-fund share (default {DEFAULT_GUARANTEE_RATE})."
    ),
    click.option("--guarantee-floor", help="What the fund always keeps (default 0)."),
    click.option("--payment-delay-days", type=int, help="Salary paid within N days (default 7)."),
    click.option("--admin-email", help="The first administrator's e-mail."),
    click.option("--admin-name", help="The first administrator's name."),
    click.option("--admin-password", help="8 characters or more (default: generated, shown once)."),
]


def instance_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(INSTANCE_OPTIONS):
        command = option(command)
    return command


def _spec(kind: TenantKind, values: dict[str, Any], parent_name: str = "") -> InstanceSpec:
    name = _ask(values["name"], "Cooperative's name", "--name")
    country = _ask(values["country"], "Country (ISO code, e.g. be)", "--country")
    ask = values.get
    return InstanceSpec(
        kind=kind,
        slug=ask("slug") or slugify(name),
        name=name,
        country=country,
        currency=ask("currency") or "",
        locales=tuple(p.strip() for p in (ask("locales") or "").split(",") if p.strip()),
        database_url=ask("database_url") or DEFAULT_DATABASE_URL,
        branding=Branding(
            display_name=name,
            primary_colour=ask("primary_colour") or DEFAULT_PRIMARY,
            accent_colour=ask("accent_colour") or DEFAULT_ACCENT,
        ),
        policy=Policy(
            valid_from=date.today(),
            decided_by=f"Founders of {name}",
            fee_rate=_ask(ask("fee_rate"), "Fee rate", "--fee-rate", DEFAULT_FEE_RATE),
            guarantee_rate=_ask(
                ask("guarantee_rate"),
                "Guarantee-fund rate",
                "--guarantee-rate",
                DEFAULT_GUARANTEE_RATE,
            ),
            guarantee_floor=_ask(
                ask("guarantee_floor"), "Guarantee-fund floor", "--guarantee-floor", DEFAULT_FLOOR
            ),
            payment_delay_days=_ask(
                ask("payment_delay_days"),
                "Salary paid within (days)",
                "--payment-delay-days",
                DEFAULT_PAYMENT_DAYS,
            ),
        ),
        admin=Admin(
            email=_ask(ask("admin_email"), "First administrator's e-mail", "--admin-email"),
            name=_ask(ask("admin_name"), "First administrator's name", "--admin-name"),
        ),
        parent_name=parent_name,
    )


def _generate(ctx: Context, kind: TenantKind, values: dict[str, Any], parent: str = "") -> None:
    spec = _spec(kind, values, parent)
    output = _ask(values["output"], "Folder to create", "--output")
    try:
        made = generate_instance(
            spec,
            Path(output),
            ctx.plugins(),
            logo=values["logo"],
            admin_password=values["admin_password"],
        )
    except ScaffoldError as error:
        raise click.ClickException(f"{error} Nothing was written.") from None
    click.echo(
        f"created {made.folder}: {made.spec.kind.value} {made.spec.name} ({made.spec.country}, "
        f"{made.spec.currency}, {', '.join(made.spec.locales)})"
    )
    if made.generated_password:
        click.echo(
            f"first administrator: {made.spec.admin.email} / {made.generated_password}  "
            "(shown once: only its hash is stored)"
        )
    click.echo(f"start it with: coopkit serve --instance {made.folder}")


@click.command("new-branch")
@instance_options
@pass_context
def new_branch(ctx: Context, /, **values: Any) -> None:
    """Generate the instance folder of a new national branch (templates/branch)."""
    _generate(ctx, TenantKind.BRANCH, values)


@click.command("new-member-coop")
@instance_options
@click.option("--parent-name", help="The incubator or branch that launched it.")
@pass_context
def new_member_coop(ctx: Context, /, parent_name: str | None, **values: Any) -> None:
    """Generate the instance folder of a member coop leaving its parent's installation
    (templates/branch with templates/member-coop's governance notes)."""
    parent = _ask(parent_name, "Parent's name (incubator or branch)", "--parent-name")
    _generate(ctx, TenantKind.MEMBER_COOP, values, parent)


@click.command("bootstrap")
@click.option(
    "--instance", "folder", required=True, type=click.Path(path_type=Path, file_okay=False)
)
@pass_context
def bootstrap_command(ctx: Context, folder: Path) -> None:
    """Migrate an instance's database and create what its folder describes (idempotent)."""
    started = start(ctx, folder)
    click.echo(started.report.summary())


def start(ctx: Context, folder: Path, plugins: PluginHost | None = None) -> Started:
    """Start the instance in ``folder`` or stop with the reason (serve and bootstrap)."""
    try:
        return start_instance(folder, plugins or ctx.plugins(), ctx.settings)
    except (ScaffoldError, TenantError) as error:
        raise click.ClickException(str(error)) from None
