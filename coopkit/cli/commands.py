"""Operator commands: serve, db, demo, tenant, user, plugins."""

from __future__ import annotations

import json
from typing import Any

import click

from coopkit.cli.context import Context, pass_context
from coopkit.people import service as people
from coopkit.people.models import Role
from coopkit.plugins import NoPluginForCountry
from coopkit.tenants import service as tenants
from coopkit.tenants.models import TenantKind

USER_ERRORS = (ValueError, LookupError, PermissionError)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coopkit")
def cli() -> None:
    """coopkit: run a shared enterprise of freelancers, for many cooperatives at once.

    Settings come from COOPKIT_* environment variables (see README).
    """


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--reload", is_flag=True, help="Restart when code changes (development).")
@pass_context
def serve(ctx: Context, host: str, port: int, reload: bool) -> None:
    """Serve the web application and the API."""
    import uvicorn

    from coopkit.web.app import create_app

    app = create_app(ctx.settings, ctx.plugins())
    click.echo(f"coopkit on http://{host}:{port}  (API docs: http://{host}:{port}/schema/docs)")
    uvicorn.run(app, host=host, port=port, log_level="info")


@cli.group()
def db() -> None:
    """Database schema: migrations."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@pass_context
def db_upgrade(ctx: Context, revision: str) -> None:
    """Apply migrations (and, on PostgreSQL, row-level security and grants)."""
    from coopkit.db.migrate import current_revision, upgrade

    upgrade(ctx.settings, revision)
    click.echo(f"database at revision {current_revision(ctx.settings)}")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the change is, in a few words.")
@pass_context
def db_revision(ctx: Context, message: str) -> None:
    """Write a new migration for model changes (review it before committing)."""
    from coopkit.db.migrate import new_revision

    click.echo(f"wrote {new_revision(ctx.settings, message)}")


@cli.command()
@click.option("--if-new", is_flag=True, help="Only when the database has no cooperative yet.")
@pass_context
def demo(ctx: Context, if_new: bool) -> None:
    """Load demo data (idempotent): Belgian and French branches, an incubator and its coop."""
    from coopkit.demo import DEMO_PASSWORD, load_demo

    with ctx.session() as session:
        report = load_demo(session, ctx.plugins(), only_if_empty=if_new)
    click.echo(report.summary())
    click.echo(
        f"demo sign-in: {report.admin_email} / {DEMO_PASSWORD}  (every demo account "
        "has this password)"
    )


@cli.group()
def tenant() -> None:
    """Cooperatives on this installation."""


@tenant.command("create")
@click.option("--slug", required=True, help="Short name used in addresses: /t/<slug>/.")
@click.option("--name", required=True)
@click.option(
    "--kind", type=click.Choice([k.value for k in TenantKind]), default="branch", show_default=True
)
@click.option("--country", required=True, help="ISO 3166 code served by a plugin (be, fr, ...).")
@click.option("--currency", help="ISO 4217 code; defaults to the country's currency.")
@click.option("--locales", help="Comma-separated, first is the default; defaults to the country's.")
@click.option("--parent", "parent_slug", help="Slug of the incubator or branch (member coops).")
@click.option("--company-id", help="Registration number (FR: SIREN, BE: enterprise number).")
@pass_context
def tenant_create(
    ctx: Context,
    slug: str,
    name: str,
    kind: str,
    country: str,
    currency: str | None,
    locales: str | None,
    parent_slug: str | None,
    company_id: str | None,
) -> None:
    """Create a cooperative."""
    try:
        with ctx.session() as session:
            created = tenants.create_tenant(
                session,
                ctx.plugins(),
                slug=slug,
                name=name,
                kind=kind,
                country=country,
                currency=currency,
                parent_slug=parent_slug,
                locales=[loc.strip() for loc in locales.split(",")] if locales else None,
                company_id=company_id,
            )
            click.echo(
                f"created {created.kind.value} {created.slug} ({created.country}, "
                f"{created.currency}, {', '.join(created.locales)})"
            )
    except (tenants.TenantError, tenants.UnknownTenant, NoPluginForCountry) as error:
        raise click.ClickException(str(error)) from None


@tenant.command("set-company-id")
@click.option("--slug", required=True, help="Slug of the cooperative.")
@click.option("--company-id", required=True, help="FR: SIREN (9 digits), BE: enterprise number.")
@pass_context
def tenant_set_company_id(ctx: Context, slug: str, company_id: str) -> None:
    """Record a cooperative's registration number, checked by its country's plugin."""
    try:
        with ctx.session() as session:
            found = tenants.get_by_slug(session, slug)
            compact = tenants.set_company_id(session, ctx.plugins(), found, company_id)
    except (tenants.TenantError, tenants.UnknownTenant, NoPluginForCountry) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{slug}: company number {compact}")


@cli.group()
def user() -> None:
    """People who can sign in."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--tenant", "tenant_slug", help="Give a role in this cooperative.")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default="member", show_default=True
)
@click.option("--api-token", is_flag=True, help="Also issue an API token and print it once.")
@pass_context
def user_create(
    ctx: Context,
    email: str,
    name: str,
    password: str,
    tenant_slug: str | None,
    role: str,
    api_token: bool,
) -> None:
    """Create a user, optionally with a role in a cooperative and an API token."""
    try:
        with ctx.session() as session:
            created = people.create_user(session, email, name, password)
            if tenant_slug:
                people.add_membership(
                    session, tenants.get_by_slug(session, tenant_slug), created, Role(role)
                )
            token = people.issue_api_token(session, created, "cli") if api_token else None
        click.echo(
            f"created user {created.email}" + (f" ({role} in {tenant_slug})" if tenant_slug else "")
        )
        if token:
            click.echo(f"API token (shown once): {token}")
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None


@user.command("token")
@click.option("--email", required=True)
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
@pass_context
def user_token(ctx: Context, email: str, name: str) -> None:
    """Issue an API token for an existing user (printed once)."""
    with ctx.session() as session:
        found = people.find_user(session, email)
        if found is None:
            raise click.ClickException(f"no user with e-mail {email}")
        click.echo(people.issue_api_token(session, found, name))


@cli.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_context
def plugins_command(ctx: Context, as_json: bool) -> None:
    """List the loaded plugins, their versions, countries and hooks."""
    host = ctx.plugins()
    countries = {c.plugin: c.code for c in host.countries.values()}
    rows: list[dict[str, Any]] = [
        {
            "name": p.name,
            "version": p.version,
            "country": countries.get(p.name),
            "hooks": list(p.hooks),
        }
        for p in host.plugins()
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no plugins loaded (check COOPKIT_LOAD_PLUGINS / COOPKIT_DISABLED_PLUGINS)")
    for row in rows:
        click.echo(f"{row['name']} {row['version']}  country={row['country'] or '-'}")
        for hook in row["hooks"]:
            click.echo(f"    {hook}")


from coopkit.cli.ledger import ledger  # noqa: E402
from coopkit.cli.payroll import payroll  # noqa: E402

cli.add_command(payroll)
from coopkit.cli.audit import audit_group  # noqa: E402

cli.add_command(audit_group, "audit")
cli.add_command(ledger)
from coopkit.cli.invoices import invoices  # noqa: E402

cli.add_command(invoices)
from coopkit.cli.collect import collect_command  # noqa: E402

cli.add_command(collect_command)
from coopkit.cli.payments import payments  # noqa: E402

cli.add_command(payments)
from coopkit.cli.salaries import salaries  # noqa: E402

cli.add_command(salaries)
from coopkit.cli.guarantee import guarantee  # noqa: E402

cli.add_command(guarantee)
from coopkit.cli.assemblies import close_due_command, remind_command  # noqa: E402
from coopkit.cli.governance import governance  # noqa: E402

governance.add_command(remind_command)
governance.add_command(close_due_command)

cli.add_command(governance)
from coopkit.cli.shares import shares  # noqa: E402

cli.add_command(shares)
from coopkit.cli.new_country import new_country  # noqa: E402

cli.add_command(new_country)
