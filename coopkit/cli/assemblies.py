"""``coopkit governance remind`` and ``close-due``: the scheduled jobs of online votes.

Run both from cron (every hour, say): reminders go once per voter and resolution, a
vote is closed once; both are safe to run twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.cli.context import Context, pass_context
from coopkit.db.base import utcnow
from coopkit.db.tenancy import set_tenant
from coopkit.tenants import service as tenants
from coopkit.tenants.models import Tenant

TENANT = click.option("--tenant", "slug", help="Slug of one cooperative (default: every one).")
NOW = click.option(
    "--now",
    type=click.DateTime(["%Y-%m-%dT%H:%M"]),
    help="The moment to run for, UTC (default: now).",
)


def _for_each_tenant(ctx: Context, slug: str | None, job: Callable[[Session, Tenant], str]) -> None:
    with ctx.session() as session:
        chosen = (
            [tenants.get_by_slug(session, slug)]
            if slug
            else list(session.scalars(select(Tenant).order_by(Tenant.slug)))
        )
        targets: list[uuid.UUID] = [tenant.id for tenant in chosen]
    for tenant_id in targets:
        with ctx.session() as session:
            set_tenant(session, tenant_id)
            tenant = session.get(Tenant, tenant_id)
            assert tenant is not None
            click.echo(f"{tenant.slug}: {job(session, tenant)}")


def _moment(now: datetime | None) -> datetime:
    return now.replace(tzinfo=utcnow().tzinfo) if now else utcnow()


@click.command("remind")
@TENANT
@click.option(
    "--hours",
    type=click.IntRange(1, 24 * 30),
    default=24,
    show_default=True,
    help="Remind of the votes closing within this many hours.",
)
@click.option("--base-url", default="", help="The site's address, for the links in the e-mails.")
@NOW
@pass_context
def remind_command(
    ctx: Context, slug: str | None, hours: int, base_url: str, now: datetime | None
) -> None:
    """Queue a reminder to every voter who has not voted on a vote closing soon (once each)."""
    from coopkit.governance.convocation import remind

    def job(db: Session, tenant: Tenant) -> str:
        return (
            f"{remind(db, tenant, hours, now=_moment(now), base_url=base_url)} reminder(s) queued"
        )

    try:
        _for_each_tenant(ctx, slug, job)
    except (ValueError, LookupError) as error:
        raise click.ClickException(str(error)) from None


@click.command("close-due")
@TENANT
@NOW
@pass_context
def close_due_command(ctx: Context, slug: str | None, now: datetime | None) -> None:
    """Close every vote whose window has ended: count it and apply adopted effects."""
    from coopkit.governance.closing import close_due

    def job(db: Session, tenant: Tenant) -> str:
        closed = close_due(db, tenant, _moment(now))
        lines = [f"{len(closed)} vote(s) closed"]
        for result in closed:
            verdict = result.outcome.get("adopted")
            word = "closed" if verdict is None else "adopted" if verdict else "rejected"
            lines.append(f"  {result.resolution.title}: {word}")
        return "\n".join(lines)

    try:
        _for_each_tenant(ctx, slug, job)
    except (ValueError, LookupError) as error:
        raise click.ClickException(str(error)) from None
