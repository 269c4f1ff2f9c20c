"""``coopkit ledger``: open a cooperative's books, check its invariants, read a balance."""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity
from coopkit.activities.service import activity_balance
from coopkit.cli.commands import USER_ERRORS
from coopkit.cli.context import Context, pass_context
from coopkit.db.tenancy import set_tenant
from coopkit.ledger.balances import ledger_problems
from coopkit.ledger.books import open_books
from coopkit.plugins import PluginError
from coopkit.tenants import service as tenants
from coopkit.tenants.models import Tenant

TENANT = click.option("--tenant", "slug", required=True, help="Slug of the cooperative.")


@click.group()
def ledger() -> None:
    """The ledger: books, invariants, balances."""


def _tenant(session: Session, slug: str) -> Tenant:
    tenant = tenants.get_by_slug(session, slug)
    set_tenant(session, tenant.id)
    return tenant


@ledger.command("open-books")
@TENANT
@pass_context
def open_books_command(ctx: Context, slug: str) -> None:
    """Create the cooperative's accounts from its country's chart (adds only what is missing)."""
    try:
        with ctx.session() as session:
            added = open_books(session, ctx.plugins(), _tenant(session, slug))
    except (*USER_ERRORS, PluginError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{slug}: {added} account(s) added")


@ledger.command("check")
@TENANT
@pass_context
def check_command(ctx: Context, slug: str) -> None:
    """Check the ledger's invariants over every entry; exit 1 if one does not hold."""
    try:
        with ctx.session() as session:
            _tenant(session, slug)
            problems = ledger_problems(session)
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(
        f"{slug}: the ledger holds (every entry balances, balances sum to zero, no overdraft)"
    )


@ledger.command("balance")
@TENANT
@click.option("--activity", "code", required=True, help="The activity's code.")
@click.option("--currency", help="ISO 4217 code; defaults to the cooperative's.")
@pass_context
def balance_command(ctx: Context, slug: str, code: str, currency: str | None) -> None:
    """Print an activity's balance, derived from the ledger."""
    from sqlalchemy import select

    try:
        with ctx.session() as session:
            _tenant(session, slug)
            activity = session.scalar(select(Activity).where(Activity.code == code.upper()))
            if activity is None:
                raise click.ClickException(f"no activity {code!r} in {slug}")
            balance = activity_balance(session, activity.id, currency and currency.upper())
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{activity.code} {activity.name} ({balance.currency})")
    for field in ("invoiced", "receivable", "received", "fees", "reserved", "available", "spent"):
        click.echo(f"  {field:<11}{getattr(balance, field):>14}")
