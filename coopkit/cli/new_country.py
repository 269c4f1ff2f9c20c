"""``coopkit new-country``: generate a country plugin and its profile from the template.

Every value can be given as an option (scripts: no prompt when all are given);
a missing one is asked for when a person is at a terminal, with a suggestion
from Babel's data, and is an error otherwise. Bad input stops the command
before anything is written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import click

import coopkit
from coopkit.scaffold import ScaffoldError, check_country_code
from coopkit.scaffold.country_plugin import NewCountry, suggestions


def interactive() -> bool:
    """True when a person can answer prompts (tests replace it)."""
    return sys.stdin.isatty()


def default_output() -> Path:
    """The coopkit checkout this coopkit runs from, else the current folder."""
    checkout = Path(coopkit.__file__).resolve().parents[1]
    if (checkout / "plugins").is_dir() and (checkout / "country_profiles").is_dir():
        return checkout
    return Path.cwd()


def _ask(option: str, given: str | None, question: str, default: str | None) -> str:
    if given is not None:
        return given
    if not interactive():
        raise click.UsageError(f"--{option} is missing (no terminal to ask): give it as an option.")
    return str(click.prompt(question, default=default or None))


def _ask_until_valid(
    option: str, given: str | None, question: str, check: Callable[[str], str]
) -> str:
    while True:
        typed = _ask(option, given, question, None)
        try:
            return check(typed)
        except ScaffoldError as error:
            if given is not None or not interactive():
                raise click.UsageError(str(error)) from None
            click.echo(f"Error: {error}", err=True)


@click.command("new-country")
@click.option("--code", help="ISO 3166-1 alpha-2 code of the country (pt).")
@click.option("--name", help="The country's name in English (Portugal).")
@click.option("--currency", help="ISO 4217 code of its currency (EUR).")
@click.option("--locales", help="Comma-separated locales, the default first (pt_PT,en).")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write plugins/ and country_profiles/ into (default: the coopkit checkout).",
)
def new_country(
    code: str | None,
    name: str | None,
    currency: str | None,
    locales: str | None,
    output: Path | None,
) -> None:
    """Generate plugins/coopkit-<cc>/ and country_profiles/<cc>/ for a new country."""
    country_code = _ask_until_valid("code", code, "ISO 3166 country code", check_country_code)
    offered = suggestions(country_code)
    try:
        request = NewCountry.checked(
            country_code,
            _ask("name", name, "Country name (English)", offered["name"]),
            _ask("currency", currency, "Currency (ISO 4217)", offered["currency"]),
            _ask("locales", locales, "Locales, the default first", offered["locales"]),
        )
        created = request.generate(output if output is not None else default_output())
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from None
    for path in created:
        click.echo(f"created {path}")
    _next_steps(request, created[0])


def _next_steps(request: NewCountry, plugin: Path) -> None:
    if request.slug in {entry.name for entry in metadata.entry_points(group="coopkit")}:
        click.echo(
            f"Warning: a plugin named {request.slug!r} is already installed: install only one "
            f"of them, or disable one with COOPKIT_DISABLED_PLUGINS={request.slug}.",
            err=True,
        )
    click.echo(
        "\nThe values in country_profiles are PLACEHOLDERS (placeholder: true): replace each "
        f"with the law and its source.\nNext: pip install -e {plugin} && "
        f"python -m pytest {plugin}\nSee {plugin / 'README.md'}."
    )
