"""``coopkit audit``: check the hash chain of each cooperative's audit log."""

from __future__ import annotations

import json
import sys

import click
from sqlalchemy import select

from coopkit.audit import service as audit
from coopkit.cli.context import Context, pass_context
from coopkit.db.tenancy import tenant_scope
from coopkit.tenants.models import Tenant


@click.group()
def audit_group() -> None:
    """The append-only, hash-chained audit log."""


@audit_group.command("verify")
@click.option("--tenant", "slug", help="Only this cooperative (default: every one).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_context
def verify(ctx: Context, slug: str | None, as_json: bool) -> None:
    """Re-hash every event and check the links; exit 1 if a chain is broken."""
    results = []
    with ctx.session() as db:
        query = select(Tenant).order_by(Tenant.slug)
        if slug:
            query = query.where(Tenant.slug == slug)
        tenants = list(db.scalars(query))
        if slug and not tenants:
            raise click.ClickException(f"no cooperative with slug {slug!r}")
        for tenant in tenants:
            with tenant_scope(db, tenant.id):
                report = audit.verify(db)
            results.append((tenant.slug, report))
    broken = [slug for slug, report in results if not report.intact]
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "tenant": name,
                        "events": report.events,
                        "head": report.head,
                        "intact": report.intact,
                        "problem": report.problem,
                        "broken_at": report.broken_at,
                    }
                    for name, report in results
                ],
                indent=2,
            )
        )
    else:
        for name, report in results:
            if report.intact:
                click.echo(f"{name}: {report.events} events, chain intact, head {report.head}")
            else:
                click.echo(
                    f"{name}: BROKEN — {report.problem} ({report.events} good events before it)",
                    err=True,
                )
    if broken:
        sys.exit(1)
