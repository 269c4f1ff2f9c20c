"""``coopkit invoices``: the number series and the seller identity of a cooperative (staff)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from coopkit.cli.commands import USER_ERRORS
from coopkit.cli.context import Context, pass_context
from coopkit.cli.ledger import TENANT, _tenant
from coopkit.invoicing.models import DocumentKind
from coopkit.invoicing.numbering import DEFAULT_PATTERN, configure_series
from coopkit.invoicing.seller import SellerFields, set_seller_identity
from coopkit.plugins import PluginError


@click.group()
def invoices() -> None:
    """Invoicing set-up: number series, the coop's identity as a seller."""


@invoices.command("series")
@TENANT
@click.option(
    "--kind",
    type=click.Choice([k.value for k in DocumentKind]),
    default=DocumentKind.INVOICE.value,
    show_default=True,
)
@click.option("--year", type=int, default=None, help="Default: this year.")
@click.option("--prefix", required=True, help="e.g. F (no spaces, at most 20 characters).")
@click.option("--pattern", default=DEFAULT_PATTERN, show_default=True)
@pass_context
def series_command(
    ctx: Context, slug: str, kind: str, year: int | None, prefix: str, pattern: str
) -> None:
    """Set the prefix and format of a year's series before its first number is given;
    later years keep them."""
    try:
        with ctx.session() as session:
            _tenant(session, slug)
            series = configure_series(
                session,
                DocumentKind(kind),
                year or dt.date.today().year,
                prefix=prefix,
                pattern=pattern,
            )
            sample = series.pattern.format(prefix=series.prefix, year=series.year, number=1)
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{slug}: {kind} {series.year}: the next number looks like {sample}")


@invoices.command("seller")
@TENANT
@click.option("--valid-from", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--name", "legal_name", required=True)
@click.option("--street", required=True)
@click.option("--postcode", required=True)
@click.option("--city", required=True)
@click.option("--vat-number", required=True)
@click.option("--iban", required=True)
@click.option("--bic", default="")
@click.option("--legal-form", default="")
@click.option("--company-number", default="", help="KBO/BCE, SIREN…")
@click.option("--register", default="", help="e.g. RPM Bruxelles, RCS Lyon.")
@click.option("--share-capital", default="")
@click.option("--email", default="")
@click.option("--website", default="")
@click.option("--brand-colour", default="#1f5f8b", show_default=True)
@click.option("--logo", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def seller_command(
    ctx: Context, /, slug: str, valid_from: dt.datetime, logo: Path | None, **fields: str
) -> None:
    """Record the cooperative's legal identity on its invoices from a day on (VAT number and
    IBAN checked by its country's plugin); the same day again corrects it."""
    try:
        with ctx.session() as session:
            _tenant(session, slug)
            data = SellerFields(
                valid_from=valid_from.date(),
                logo_png=logo.read_bytes() if logo else None,
                **fields,
            )
            row = set_seller_identity(session, data, plugins=ctx.plugins())
            vat, iban = row.vat_number, row.iban
    except (*USER_ERRORS, PluginError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{slug}: seller identity from {valid_from.date()}: VAT {vat}, IBAN {iban}")
