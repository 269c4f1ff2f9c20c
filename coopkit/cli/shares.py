"""``coopkit shares``: share classes and the statutes' capital policy of a cooperative."""

from __future__ import annotations

from datetime import datetime

import click

from coopkit.cli.commands import USER_ERRORS
from coopkit.cli.context import Context, pass_context
from coopkit.db.tenancy import set_tenant
from coopkit.membership.classes import add_share_class
from coopkit.membership.policy import set_share_policy
from coopkit.tenants import service as tenants


@click.group()
def shares() -> None:
    """Members' shares: classes and the capital's rules from the statutes."""


@shares.group("class")
def share_class() -> None:
    """Share classes (nominal value, holding limits, voting)."""


@share_class.command("add")
@click.option("--tenant", "slug", required=True, help="Slug of the cooperative.")
@click.option("--code", required=True, help="Short code of the class, e.g. A.")
@click.option("--name", required=True, help="Its name, e.g. 'A shares (members who use the coop)'.")
@click.option("--nominal", required=True, help="Nominal value of one share, e.g. 50.00.")
@click.option("--min-holding", default=1, show_default=True, type=int,
              help="Least a member holds of the class.")  # fmt: skip
@click.option("--max-per-member", type=int, help="Most a member may hold (none: no limit).")
@click.option("--voting/--no-voting", default=True, show_default=True,
              help="Whether holders vote in general assemblies.")  # fmt: skip
@click.option("--description", default="", help="What the class is for.")
@pass_context
def add_class_command(
    ctx: Context,
    slug: str,
    code: str,
    name: str,
    nominal: str,
    min_holding: int,
    max_per_member: int | None,
    voting: bool,
    description: str,
) -> None:
    """Define a class of shares in the cooperative's currency."""
    try:
        with ctx.session() as session:
            tenant = tenants.get_by_slug(session, slug)
            set_tenant(session, tenant.id)
            row = add_share_class(
                session,
                code=code,
                name=name,
                nominal=nominal,
                min_holding=min_holding,
                max_per_member=max_per_member,
                voting=voting,
                description=description,
            )
            text = f"{row.code} ({row.name}): {row.nominal:.2f} {row.currency} a share"
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{slug}: share class {text}")


@shares.command("policy")
@click.option("--tenant", "slug", required=True, help="Slug of the cooperative.")
@click.option("--from", "valid_from", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First day it holds, YYYY-MM-DD.")  # fmt: skip
@click.option("--minimum", required=True, help="Capital the statutes keep out of redemptions.")
@click.option("--year-start-month", default=1, show_default=True, type=int,
              help="First month of the financial year (1-12).")  # fmt: skip
@click.option("--window-months", type=int,
              help="Statutes' redemption window in months (12: any time).")  # fmt: skip
@click.option("--decided-by", required=True, help="The statutes' article or the assembly.")
@pass_context
def policy_command(
    ctx: Context,
    slug: str,
    valid_from: datetime,
    minimum: str,
    year_start_month: int,
    window_months: int | None,
    decided_by: str,
) -> None:
    """Record what the statutes say about the capital from a day on (a later one replaces it)."""
    try:
        with ctx.session() as session:
            tenant = tenants.get_by_slug(session, slug)
            set_tenant(session, tenant.id)
            set_share_policy(
                session,
                valid_from=valid_from.date(),
                statutory_minimum=minimum,
                year_start_month=year_start_month,
                redemption_window_months=window_months,
                decided_by=decided_by,
            )
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{slug}: share policy from {valid_from.date()} recorded")
