"""``coopkit payroll``: payslips, the salary simulator and batch payroll runs."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from coopkit.law import LawNotInForce, ProfileError, UnknownParameter
from coopkit.payroll import DEFAULT_FEE_RATE, PayrollInputError, PayrollRules, Payslip
from coopkit.payroll.answers import answer
from coopkit.payroll.batch import RESULT_COLUMNS, compute_batch, format_cents
from coopkit.payroll.questions import FieldError, SalaryQuestion, parse_month
from coopkit.plugins import NoPluginForCountry, PluginError, PluginHost

# Fields of a question that `simulate` takes as options of their own (the rest: --option).
SIMULATE_OPTIONS = frozenset(
    {"month", "gross", "budget", "days", "hours", "tax_rate"}
    | {"contract", "category", "employees", "accident_rate"}
)
# Country inputs with an option of their own, for the countries that declare them in
# PayrollRules.inputs() (Germany's wage tax card, Belgium's children…); a country that
# does not is refused with its list of inputs. A flag gives the input "yes".
NAMED_INPUTS = {
    "tax_class": "--tax-class",
    "children": "--children",
    "church_tax": "--church-tax",
    "health_extra_rate": "--health-extra-rate",
}

BATCH_HELP = """Compute many payslips from a CSV file and write their totals to a CSV file.

\b
Input columns (a header row is required; only gross is mandatory):
  id             your reference for the row (default: the row number)
  gross          monthly gross pay, e.g. 2500.00
  hours          paid hours in the month (default: full time, 151.67 in France)
  contract       cdi | cdd
  category       France: non-executive | executive; Belgium: white-collar | blue-collar
  employees      company headcount
  accident_rate  accident-at-work rate, e.g. 0.009
  tax_rate       personal withholding rate, e.g. 0.075 (default: the neutral grid)
  and the country's options (France: health_cover_employer, health_cover_employee,
  provident_employer_rate, mobility_rate; Belgium: family = single |
  partner-with-income | partner-without-income, children).
An empty cell takes the value of the command-line option of the same name.

\b
Output columns: id, gross, employee_contributions, net_before_income_tax, taxable,
income_tax_withheld, net_pay, employer_contributions, employer_cost
(exact decimals).
"""


def _month(value: str) -> dt.date:
    try:
        return parse_month(value)
    except FieldError as error:
        raise _field_error(error) from None


def _decimal(value: str | None, name: str) -> Decimal | None:
    if value is None:
        return None
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise click.BadParameter(f"{value!r} is not a number", param_hint=name) from None
    if not result.is_finite():
        raise click.BadParameter(f"{value!r} is not a finite number", param_hint=name)
    return result


def _rules(country: str) -> PayrollRules:
    try:
        return PluginHost.from_environment().payroll_rules(country)
    except (NoPluginForCountry, PluginError, ProfileError) as error:
        raise click.ClickException(str(error)) from None


def _options(pairs: tuple[str, ...]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(
                f"{pair!r}: write an option as NAME=VALUE", param_hint="--option"
            )
        options[name.strip()] = value.strip()
    return options


def _named_inputs(rules: PayrollRules, given: dict[str, str | bool | None]) -> dict[str, str]:
    """The named options given, as country options; refused when the country lacks the input."""
    declared = {spec.name for spec in rules.inputs()}
    options: dict[str, str] = {}
    for name, value in given.items():
        if value is None:
            continue
        if name not in declared:
            raise click.BadParameter(
                f"{rules.country} payroll has no input {name!r}; its inputs: "
                f"{', '.join(sorted(declared))}",
                param_hint=NAMED_INPUTS[name],
            )
        options[name] = "yes" if value is True else str(value)
    return options


def _law_error(error: Exception, country: str, month: dt.date) -> click.ClickException:
    return click.ClickException(
        f"no {country.upper()} payroll law for {month:%Y-%m} in the country profile: {error}"
    )


def _profile_options(f: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--country", required=True, help="ISO 3166 code served by a plugin (fr, be)."
            ),
            click.option("--month", required=True, help="Month paid, YYYY-MM."),
            click.option(
                "--contract",
                help="Contract type (FR, BE: cdi, cdd); default: the country's (cdi).",
            ),
            click.option(
                "--category",
                help=(
                    "Employee category (FR: non-executive, executive; BE: white-collar, "
                    "blue-collar); default: the country's first."
                ),
            ),
            click.option(
                "--employees",
                default=1,
                show_default=True,
                type=click.IntRange(1),
                help="Company headcount.",
            ),
            click.option(
                "--accident-rate", default="0.009", show_default=True, help="Accident-at-work rate."
            ),
            click.option(
                "--tax-rate",
                help="Personal withholding rate (0.075); default: the country's withholding.",
            ),
            click.option("--tax-class", help="Wage tax class (DE: 1 to 6)."),
            click.option("--children", help="Number of children (DE, BE)."),
            click.option(
                "--church-tax", is_flag=True, default=None, help="Church tax is due (DE)."
            ),
            click.option(
                "--health-extra-rate",
                help="The health insurer's additional rate (DE: 0.029); default: the average.",
            ),
            click.option(
                "--option",
                "option_pairs",
                multiple=True,
                metavar="NAME=VALUE",
                help=(
                    "A country option, e.g. health_cover_employer=40 (FR) or "
                    "family=partner-without-income, children=2 (BE); repeatable."
                ),
            ),
        ]
    ):
        f = option(f)
    return f


@click.group()
def payroll() -> None:
    """Payslips, the salary simulator and batch payroll runs."""


@payroll.command("simulate")
@_profile_options
@click.option("--gross", help="Monthly gross pay: compute the payslip forwards.")
@click.option("--budget", help="Money available on the activity: find the largest gross it pays.")
@click.option(
    "--days", help="Days worked in the month (7 paid hours a day in France, 7.6 in Belgium)."
)
@click.option("--hours", help="Paid hours in the month (default: full time).")
@click.option(
    "--fee-rate",
    default=str(DEFAULT_FEE_RATE),
    show_default=True,
    help="The coop's fees, a fraction of the employer cost (with --budget).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def simulate(
    country: str,
    month: str,
    contract: str | None,
    category: str | None,
    employees: int,
    accident_rate: str,
    tax_rate: str | None,
    tax_class: str | None,
    children: str | None,
    church_tax: bool | None,
    health_extra_rate: str | None,
    option_pairs: tuple[str, ...],
    gross: str | None,
    budget: str | None,
    days: str | None,
    hours: str | None,
    fee_rate: str,
    as_json: bool,
) -> None:
    """A payslip from a gross pay, or the largest gross a budget pays for some days of work.

    \b
    coopkit payroll simulate --country fr --month 2025-06 --gross 2500 --json
    coopkit payroll simulate --country fr --month 2026-03 --budget 3000 --days 6 --json
    coopkit payroll simulate --country de --month 2026-01 --gross 3500 --tax-class 1 --json
    """
    if (gross is None) == (budget is None):
        raise click.UsageError("give either --gross (forwards) or --budget (the simulator)")
    if days is not None and hours is not None:
        raise click.UsageError("give --days or --hours, not both")
    rules = _rules(country)
    named = _named_inputs(
        rules,
        {
            "tax_class": tax_class,
            "children": children,
            "church_tax": church_tax,
            "health_extra_rate": health_extra_rate,
        },
    )
    question = SalaryQuestion(
        month=month,
        gross=gross,
        budget=budget,
        days=days,
        hours=hours,
        tax_rate=tax_rate,
        profile={
            "contract": contract,
            "category": category,
            "employees": str(employees),
            "accident_rate": accident_rate,
            **_options(option_pairs),
            **named,
        },
    )
    try:
        _month(month)
        result = answer(rules, question, _decimal(fee_rate, "--fee-rate") or Decimal(0))
    except FieldError as error:
        raise _field_error(error) from None
    except PayrollInputError as error:
        raise click.ClickException(str(error)) from None
    if result.payslip is None:
        if as_json:
            click.echo(json.dumps(result.data, indent=2))
        else:
            click.echo(result.data["error"], err=True)
        sys.exit(2)
    _show(result.data, result.payslip, as_json)


def _field_error(error: FieldError) -> click.ClickException:
    """A refused field as click shows it: under its option's name, or the law's message."""
    if "reason" in error.params:  # no law for the month: not a typo in the option
        return click.ClickException(str(error))
    if error.field in NAMED_INPUTS:
        return click.BadParameter(str(error), param_hint=NAMED_INPUTS[error.field])
    name = error.field if error.field in SIMULATE_OPTIONS else "option"
    return click.BadParameter(str(error), param_hint="--" + name.replace("_", "-"))


def _show(data: dict[str, Any], payslip: Payslip, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Payslip {data['month']} ({data['country']}, {data['currency']})")
    for column in ("line", "base", "employee rate", "employee", "employer rate", "employer"):
        table.add_column(column, justify="left" if column == "line" else "right")
    for line in payslip.lines:
        row = line.as_dict()
        table.add_row(
            line.label,
            row["base"],
            row["employee_rate"] or "",
            row["employee"],
            row["employer_rate"] or "",
            row["employer"],
        )
    console = Console()
    console.print(table)
    for name in (
        "gross",
        "employee_contributions",
        "net_before_income_tax",
        "income_tax_withheld",
        "net_pay",
        "employer_contributions",
        "employer_cost",
        "budget",
        "fees",
    ):
        if name in data:
            console.print(f"{name.replace('_', ' ')}: {data[name]}")


@payroll.command("batch", help=BATCH_HELP)
@_profile_options
@click.option("--hours", help="Default paid hours (default: full time).")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--output", "output_path", required=True, type=click.Path(dir_okay=False, path_type=Path)
)
def batch(
    country: str,
    month: str,
    contract: str | None,
    category: str | None,
    employees: int,
    accident_rate: str,
    tax_rate: str | None,
    tax_class: str | None,
    children: str | None,
    church_tax: bool | None,
    health_extra_rate: str | None,
    option_pairs: tuple[str, ...],
    hours: str | None,
    input_path: Path,
    output_path: Path,
) -> None:
    paid = _month(month)
    rules = _rules(country)
    named = _named_inputs(
        rules,
        {
            "tax_class": tax_class,
            "children": children,
            "church_tax": church_tax,
            "health_extra_rate": health_extra_rate,
        },
    )
    defaults = {
        "contract": contract or "",
        "category": category or "",
        "employees": str(employees),
        "accident_rate": accident_rate,
        "tax_rate": tax_rate or "",
        "hours": hours or "",
        **_options(option_pairs),
        **named,
    }
    from rich.progress import Progress

    with input_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "gross" not in rows[0]:
        raise click.ClickException(
            f"{input_path}: no 'gross' column; see `coopkit payroll batch --help`"
        )
    with Progress(disable=not sys.stderr.isatty(), transient=True) as progress:
        task = progress.add_task("payslips", total=len(rows))
        try:
            result = compute_batch(
                rules,
                paid,
                rows,
                defaults,
                progress=lambda done: progress.update(task, completed=done),
            )
        except (LawNotInForce, UnknownParameter) as error:
            raise _law_error(error, country, paid) from None
        except PayrollInputError as error:
            raise click.ClickException(f"{input_path}: {error}") from None
    columns = [format_cents(result.columns[name]) for name in RESULT_COLUMNS]
    with output_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", *RESULT_COLUMNS])
        writer.writerows(zip(result.ids, *columns, strict=True))
    click.echo(f"{len(result)} payslips written to {output_path}", err=True)
