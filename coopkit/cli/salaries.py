"""``coopkit salaries``: the cooperative's salary payment delay."""

from __future__ import annotations

from datetime import datetime

import click

from coopkit.cli.commands import USER_ERRORS
from coopkit.cli.context import Context, pass_context
from coopkit.db.tenancy import set_tenant
from coopkit.salaries.policy import SalaryPolicyError, set_salary_policy
from coopkit.tenants import service as tenants


@click.group()
def salaries() -> None:
    """Salary requests: the cooperative's rules for paying them."""


@salaries.command("policy")
@click.option("--tenant", "slug", required=True, help="Slug of the cooperative.")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="The first day the delay applies (YYYY-MM-DD).")  # fmt: skip
@click.option("--payment-days", required=True, type=int,
              help="Days after a work period ends by which its salary is paid (7).")  # fmt: skip
@click.option("--decided-by", required=True, help="Who decided it (the general assembly of …).")
@pass_context
def policy_command(
    ctx: Context, slug: str, start: datetime, payment_days: int, decided_by: str
) -> None:
    """Record the salary payment delay decided from a day on (append-only)."""
    try:
        with ctx.session() as session:
            tenant = tenants.get_by_slug(session, slug)
            set_tenant(session, tenant.id)
            set_salary_policy(
                session,
                valid_from=start.date(),
                payment_days=payment_days,
                decided_by=decided_by,
            )
    except (*USER_ERRORS, SalaryPolicyError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{slug}: salaries due {payment_days} day(s) after the work period from {start.date()}"
    )
