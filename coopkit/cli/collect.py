"""``coopkit collect``: the daily run of debt collection (dunning steps, then the outbox)."""

from __future__ import annotations

import datetime as dt
import uuid

import click
from sqlalchemy import select

from coopkit.cli.context import Context, pass_context
from coopkit.collection.models import STEP_ORDER
from coopkit.collection.schedule import advance_dunning
from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.tenancy import set_tenant
from coopkit.outbox.sending import send_outbox
from coopkit.tenants import service as tenants
from coopkit.tenants.models import Tenant


@click.command("collect")
@click.option("--tenant", "slug", help="Slug of one cooperative (default: every one).")
@click.option(
    "--day",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The day to run for (default: today); steps whose day has come are taken.",
)
@pass_context
def collect_command(ctx: Context, slug: str | None, day: dt.datetime | None) -> None:
    """Chase overdue invoices: take the dunning steps due, then send the queued e-mails.

    Safe to run twice: a step is taken once per invoice, an e-mail sent once.
    Exits 1 when an invoice or an e-mail failed (the rest is done).
    """
    run_day = day.date() if day else dt.date.today()
    plugins = ctx.plugins()
    errors: list[str] = []
    tenant_ids: list[uuid.UUID] = []
    try:
        with ctx.session() as session:
            if slug:
                chosen = [tenants.get_by_slug(session, slug)]
            else:
                chosen = list(session.scalars(select(Tenant).order_by(Tenant.slug)))
            targets = [(tenant.id, tenant.slug) for tenant in chosen]
        for tenant_id, tenant_slug in targets:
            with ctx.session() as session:
                set_tenant(session, tenant_id)
                report = advance_dunning(
                    session,
                    day=run_day,
                    plugins=plugins,
                    tenant_templates=ctx.settings.tenant_templates_dir,
                )
            tenant_ids.append(tenant_id)
            counts = ", ".join(f"{kind.value} {report.steps[kind]}" for kind in STEP_ORDER)
            click.echo(
                f"{tenant_slug}: {report.total} new step(s) on {run_day} ({counts}); "
                f"{report.emails} e-mail(s) queued, {report.to_post} letter(s) to post"
            )
            errors.extend(report.errors)
    except (ValueError, LookupError, PermissionError) as error:
        raise click.ClickException(str(error)) from None
    engine = make_engine(ctx.settings.database_url)
    try:
        sent = send_outbox(make_session_factory(engine), ctx.settings, tenant_ids)
    finally:
        engine.dispose()
    where = "over SMTP" if ctx.settings.smtp_url else f"to {ctx.settings.outbox_dir}"
    click.echo(f"outbox: {sent.sent} e-mail(s) sent {where}, {sent.failed} failed")
    errors.extend(sent.errors)
    for problem in errors:
        click.echo(f"error: {problem}", err=True)
    if errors:
        raise SystemExit(1)
