"""``coopkit payments``: pay members by SEPA credit transfer (pain.001) and list the batches."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import click
from sqlalchemy.orm import Session

from coopkit.cli.commands import USER_ERRORS
from coopkit.cli.context import Context, pass_context
from coopkit.db.tenancy import set_tenant
from coopkit.payouts.batches import (
    create_payment_batch,
    export_payment_batch,
    lines_of,
    list_payment_batches,
)
from coopkit.payouts.errors import NothingToPay, PaymentsConflict, UnknownPaymentBatch
from coopkit.payouts.models import PaymentBatch
from coopkit.tenants import service as tenants

CENT = Decimal("0.01")
TENANT = click.option("--tenant", "slug", required=True, help="Slug of the cooperative.")


@click.group()
def payments() -> None:
    """Paying members: SEPA credit-transfer files for the payouts waiting."""


def _select(session: Session, slug: str) -> None:
    set_tenant(session, tenants.get_by_slug(session, slug).id)


def _open_batch(session: Session, day: date, create: bool) -> PaymentBatch:
    if create:
        try:
            made = create_payment_batch(session, execution_date=day, created_by=None)
        except NothingToPay:
            done = [b for b in list_payment_batches(session) if b.execution_date == day]
            if done and done[0].exported_at is not None:
                raise PaymentsConflict(
                    f"the batch of {day} was exported on {done[0].exported_at:%Y-%m-%d} "
                    "already and nothing else is due by then: nothing to pay"
                ) from None
            raise
        for waiting in made.left:
            click.echo(f"left waiting: {waiting.payout.description}: {waiting.reason}", err=True)
        return made.batch
    for batch in list_payment_batches(session):
        if batch.execution_date == day and batch.exported_at is None:
            return batch
    raise UnknownPaymentBatch(f"no open batch for {day}: add --create to make one")


@payments.command("export")
@TENANT
@click.option(
    "--execution-date",
    "day",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day the bank executes the transfers (YYYY-MM-DD).",
)
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--create", is_flag=True, help="Create (or fill) the batch of that day first.")
@pass_context
def export_command(ctx: Context, slug: str, day: object, output: Path, create: bool) -> None:
    """Export the open batch of an execution date to a pain.001 file (once per batch)."""
    execution = day.date()  # type: ignore[attr-defined]
    try:
        with ctx.session() as session:
            _select(session, slug)
            batch = export_payment_batch(
                session, _open_batch(session, execution, create).id, exported_by=None
            )
            assert batch.file_xml is not None
            count = len(lines_of(session, batch))
            output.write_bytes(batch.file_xml)
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{output}: {count} transfer(s) on {execution}, SHA-256 {batch.file_sha256}")


@payments.command("list")
@TENANT
@pass_context
def list_command(ctx: Context, slug: str) -> None:
    """List the payment batches: execution date, status, transfers, total."""
    try:
        with ctx.session() as session:
            _select(session, slug)
            for batch in list_payment_batches(session):
                lines = lines_of(session, batch)
                total = sum((ln.item.amount for ln in lines), Decimal(0)).quantize(CENT)
                status = f"exported {batch.exported_at:%Y-%m-%d}" if batch.exported_at else "open"
                click.echo(
                    f"{batch.execution_date}\t{status}\t{len(lines)} transfer(s)\t{total}\t"
                    f"{batch.id}"
                )
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
