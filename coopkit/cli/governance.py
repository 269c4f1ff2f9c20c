"""``coopkit governance``: the statutes' voting rules, voting colleges, the rules in force."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import click
from sqlalchemy.orm import Session

from coopkit.cli.commands import USER_ERRORS
from coopkit.cli.context import Context, pass_context
from coopkit.db.tenancy import set_tenant
from coopkit.governance.colleges import assign_college, set_colleges
from coopkit.governance.rules import (
    AssemblyRules,
    College,
    DecisionRule,
    ItemKind,
    Majority,
    assembly_rules,
    colleges_on,
    law_rules,
)
from coopkit.governance.statutes import Statutes, set_statutes
from coopkit.governance.tally import as_share
from coopkit.people import service as people
from coopkit.plugins import PluginHost
from coopkit.tenants import service as tenants
from coopkit.tenants.models import Tenant

TENANT = click.option("--tenant", "slug", required=True, help="Slug of the cooperative.")
DAY = click.DateTime(["%Y-%m-%d"])
MAJORITY = click.Choice([m.value for m in Majority])


@click.group()
def governance() -> None:
    """General-assembly rules: statutes, voting colleges."""


def _open(session: Session, slug: str) -> Tenant:
    tenant = tenants.get_by_slug(session, slug)
    set_tenant(session, tenant.id)
    return tenant


def _fraction(raw: str | None, what: str) -> Decimal | None:
    if raw is None:
        return None
    try:
        if "/" in raw:
            top, bottom = raw.split("/", 1)
            return Decimal(int(top)) / Decimal(int(bottom))
        return Decimal(raw)
    except (InvalidOperation, ValueError, ZeroDivisionError):
        raise click.BadParameter(
            f"{raw!r}: give a fraction (0.5 or 1/3)", param_hint=what
        ) from None


def _share(value: Decimal) -> str:
    """A quorum as the fraction it is (1/2, 1/3, 0 for none)."""
    return str(as_share(value))


def _describe_rule(kind: ItemKind, rule: DecisionRule) -> str:
    return (
        f"{kind.value}: quorum {_share(rule.quorum)}, {rule.majority.value} majority; "
        f"second call: quorum {_share(rule.second_call_quorum)}, "
        f"{rule.second_call_majority.value} majority [{rule.source}]"
    )


def describe(rules: AssemblyRules, members: int | None = None) -> list[str]:
    """The rules as lines for an operator, each with its source."""
    proxies = rules.max_proxies if members is None else rules.proxy_cap(members)
    lines = [
        f"notice: {rules.notice_days} days [{rules.notice_source}]",
        *(_describe_rule(kind, rules.rule(kind)) for kind in ItemKind),
        f"proxies: {proxies} per member [{rules.proxies_source}]",
    ]
    if rules.college_min is not None or rules.college_max is not None:
        lines.append(
            f"colleges: each between {rules.college_min} and {rules.college_max} "
            f"[{rules.colleges_source}]"
        )
    return lines


@governance.command("rules")
@TENANT
@click.option("--on", "on", type=DAY, help="The day (default: today).")
@pass_context
def rules_command(ctx: Context, slug: str, on: datetime | None) -> None:
    """Show the assembly rules in force: the law tightened by the statutes, with sources."""
    day = on.date() if on else date.today()
    try:
        with ctx.session() as session:
            tenant = _open(session, slug)
            found = assembly_rules(session, tenant, day, ctx.plugins())
            colleges = colleges_on(session, day)
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    for line in describe(found):
        click.echo(line)
    for college in colleges:
        click.echo(f"college {college.code} ({college.name}): weight {college.weight}")


@governance.command("statutes")
@TENANT
@click.option("--from", "valid_from", required=True, type=DAY, help="First day, YYYY-MM-DD.")
@click.option(
    "--adopted-by", required=True, help="Who adopted them and where: 'EGM of …, art. 25'."
)
@click.option("--notice-days", type=int, help="Minimum days of notice.")
@click.option("--ordinary-quorum", help="Share of the members, 0.25 or 1/3.")
@click.option("--ordinary-majority", type=MAJORITY)
@click.option("--ordinary-second-call-quorum")
@click.option("--ordinary-second-call-majority", type=MAJORITY)
@click.option("--extraordinary-quorum")
@click.option("--extraordinary-majority", type=MAJORITY)
@click.option("--extraordinary-second-call-quorum")
@click.option("--extraordinary-second-call-majority", type=MAJORITY)
@click.option("--max-proxies", type=int, help="Proxies one member may carry.")
@pass_context
def statutes_command(
    ctx: Context, /, slug: str, valid_from: datetime, adopted_by: str, **asked: object
) -> None:
    """Record what the statutes add to the law from a day on (never looser than the law)."""
    values: dict[str, object] = {}
    for name, raw in asked.items():
        if raw is None:
            continue
        if name.endswith("quorum"):
            values[name] = _fraction(str(raw), f"--{name.replace('_', '-')}")
        elif name.endswith("majority"):
            values[name] = Majority(str(raw))
        else:
            values[name] = raw
    plugins = ctx.plugins()
    try:
        with ctx.session() as session:
            tenant = _open(session, slug)
            law = law_rules(tenant.country, valid_from.date(), plugins)
            set_statutes(
                session,
                law,
                Statutes(valid_from=valid_from.date(), adopted_by=adopted_by, **values),
            )
            found = assembly_rules(session, tenant, valid_from.date(), plugins)
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{slug}: statutes recorded from {valid_from.date().isoformat()}; rules then:")
    for line in describe(found):
        click.echo(f"  {line}")


@governance.group("colleges")
def colleges_group() -> None:
    """Voting colleges and the members in them."""


def _parse_college(raw: str) -> College:
    parts = raw.split(":")
    if len(parts) != 3:
        raise click.BadParameter(f"{raw!r}: write CODE:NAME:WEIGHT (workers:Workers:0.5)")
    weight = _fraction(parts[2], "--college")
    assert weight is not None
    return College(parts[0].strip(), parts[1].strip(), weight)


@colleges_group.command("set")
@TENANT
@click.option("--from", "valid_from", required=True, type=DAY, help="First day, YYYY-MM-DD.")
@click.option("--college", "raw", multiple=True, required=True,
              help="CODE:NAME:WEIGHT, repeated (weights add up to 1).")  # fmt: skip
@click.option("--decided-by", required=True, help="Who decided it: 'EGM of …'.")
@pass_context
def set_colleges_command(
    ctx: Context, slug: str, valid_from: datetime, raw: tuple[str, ...], decided_by: str
) -> None:
    """Record a new set of voting colleges from a day on (checked against the law)."""
    colleges = [_parse_college(item) for item in raw]
    plugins: PluginHost = ctx.plugins()
    try:
        with ctx.session() as session:
            tenant = _open(session, slug)
            law = law_rules(tenant.country, valid_from.date(), plugins)
            set_colleges(session, law, colleges, valid_from.date(), decided_by)
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    shares = ", ".join(f"{c.code} {c.weight}" for c in colleges)
    click.echo(f"{slug}: colleges from {valid_from.date().isoformat()}: {shares}")


@colleges_group.command("assign")
@TENANT
@click.option("--email", required=True, help="The member's e-mail address.")
@click.option("--college", required=True, help="The college's code.")
@click.option("--from", "effective_on", required=True, type=DAY, help="First day, YYYY-MM-DD.")
@pass_context
def assign_command(
    ctx: Context, slug: str, email: str, college: str, effective_on: datetime
) -> None:
    """Put a member in a voting college from a day on."""
    try:
        with ctx.session() as session:
            _open(session, slug)
            user = people.find_user(session, email)
            if user is None:
                raise LookupError(f"no user with e-mail {email!r}")
            assign_college(session, user.id, college, effective_on.date())
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{slug}: {email} votes in college {college} from {effective_on.date().isoformat()}")
