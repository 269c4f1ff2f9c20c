"""``coopkit ledger``: open a cooperative's books, check its invariants, read a balance,
rebuild the running balances, export the journal (CSV, FEC)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import click
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity
from coopkit.activities.service import activity_balance
from coopkit.cli.commands import USER_ERRORS
from coopkit.cli.context import Context, pass_context
from coopkit.db.tenancy import set_tenant
from coopkit.ledger.balances import ledger_problems, rebuild_balances
from coopkit.ledger.books import open_books
from coopkit.ledger.export.fec import fec_export
from coopkit.ledger.export.journal import journal_csv
from coopkit.plugins import PluginError
from coopkit.tenants import service as tenants
from coopkit.tenants.models import Tenant

TENANT = click.option("--tenant", "slug", required=True, help="Slug of the cooperative.")


@click.group()
def ledger() -> None:
    """The ledger: books, invariants, balances, exports."""


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


@ledger.command("rebuild-balances")
@TENANT
@pass_context
def rebuild_balances_command(ctx: Context, slug: str) -> None:
    """Recompute the running balances from the journal lines (after a bulk load or a drift)."""
    try:
        with ctx.session() as session:
            _tenant(session, slug)
            count = rebuild_balances(session)
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{slug}: {count} running balance(s) rebuilt from the journal lines")


@ledger.command("export")
@TENANT
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First day, YYYY-MM-DD.")  # fmt: skip
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Last day (for the FEC: the closing date of the financial year).")  # fmt: skip
@click.option("--format", "kind", type=click.Choice(["csv", "fec"]), default="csv",
              show_default=True, help="csv: the general journal; fec: France's FEC.")  # fmt: skip
@click.option("--output", type=click.Path(dir_okay=False, writable=True),
              help="File to write (csv: standard output; fec: <SIREN>FEC<to>.txt)")  # fmt: skip
@pass_context
def export_command(
    ctx: Context, slug: str, start: datetime, end: datetime, kind: str, output: str | None
) -> None:
    """Export the journal entries dated --from to --to, line by line, as CSV or FEC."""
    try:
        with ctx.session() as session:
            tenant = _tenant(session, slug)
            if kind == "fec":
                fec = fec_export(session, ctx.plugins(), tenant, start.date(), end.date())
                target = output or fec.filename
                _write(target, fec.encoded())
                click.echo(f"{slug}: FEC written to {target}", err=True)
                return
            chunks = (c.encode("utf-8") for c in journal_csv(session, start.date(), end.date()))
            _write(output, chunks)
    except (*USER_ERRORS, PluginError) as error:
        raise click.ClickException(str(error)) from None


def _write(path: str | None, chunks: Iterator[bytes]) -> None:
    """Write ``chunks`` to ``path`` (standard output when None), one at a time."""
    if path is None:
        for chunk in chunks:
            click.echo(chunk, nl=False)  # bytes go to the binary stream as they are
        return
    with open(path, "wb") as file:
        for chunk in chunks:
            file.write(chunk)
