"""``coopkit guarantee``: the guarantee fund's policy (floor, limits, eligible countries)."""

from __future__ import annotations

from datetime import datetime

import click

from coopkit.cli.commands import USER_ERRORS
from coopkit.cli.context import Context, pass_context
from coopkit.db.tenancy import set_tenant
from coopkit.guarantee.policy import describe, set_guarantee_policy
from coopkit.ledger.posting import tenant_currency
from coopkit.tenants import service as tenants


@click.group()
def guarantee() -> None:
    """The mutual guarantee fund."""


@guarantee.command("policy")
@click.option("--tenant", "slug", required=True, help="Slug of the cooperative.")
@click.option("--from", "valid_from", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First day the policy holds, YYYY-MM-DD.")  # fmt: skip
@click.option("--floor", required=True, help="What the fund keeps, advances outstanding deducted.")
@click.option("--member-limit", help="Most outstanding in advances per member (none: no limit).")
@click.option("--client-limit", help="Most outstanding on one client's invoices.")
@click.option("--overall-limit", help="Most outstanding in total.")
@click.option("--country", "countries", multiple=True,
              help="ISO code of a country whose clients' invoices are eligible (repeat it); "
                   "none: the EU member states.")  # fmt: skip
@click.option("--decided-by", required=True, help="Who decided it, e.g. 'General assembly of …'.")
@pass_context
def policy_command(
    ctx: Context,
    slug: str,
    valid_from: datetime,
    floor: str,
    member_limit: str | None,
    client_limit: str | None,
    overall_limit: str | None,
    countries: tuple[str, ...],
    decided_by: str,
) -> None:
    """Record the guarantee fund's policy from a day on (a later one replaces it)."""
    try:
        with ctx.session() as session:
            tenant = tenants.get_by_slug(session, slug)
            set_tenant(session, tenant.id)
            row = set_guarantee_policy(
                session,
                valid_from=valid_from.date(),
                floor=floor,
                member_limit=member_limit,
                client_limit=client_limit,
                overall_limit=overall_limit,
                eligible_countries=list(countries) or None,
                decided_by=decided_by,
            )
            text = describe(row, tenant_currency(session))
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{slug}: guarantee fund policy {text}")
