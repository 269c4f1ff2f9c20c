"""Demo: the members' shares, a past general assembly with its signed minutes, an open vote.

Loaded by coopkit.demo at the end, for each branch; idempotent (a cooperative
that has share classes is left as it is). Everything goes through the real
services (applications, admission, payments into capital, convocation, votes,
closing, minutes), so the register, the ledger and the audit chain agree.
Dates follow the day the demo is loaded (T):

1. share classes A (voting, for the members who use the coop) and B (non-voting,
   for partners);
2. every demo member applied at T-130, was admitted at T-120 and paid 1 to 4 A
   shares a few days later (a register line and a capital entry each); the
   branch's staff partner holds B shares; a newcomer applied at T-3 and waits
   in the staff queue;
3. the ordinary general assembly of T-45 (record date T-59, convened at T-66):
   the accounts approved, the data-use policy adopted (its effect is in force
   from the meeting day), a poll on the venue of the next members' day; most
   members voted online, one by proxy; the chair signed the minutes at T-44;
4. the last member of the list resigned at T-30: their shares are redeemed
   when the country's rules allow it that day (France: any time; Belgium: only in
   the first six months of the financial year, so they wait);
5. a vote open since T-2 and closing at T+12 on the guarantee fund's floor from
   next 1 January; some members voted, not the first of the list (the member
   the README tells people to sign in as), who sees a vote to cast.

No effect here touches the fee rate, the guarantee fund or the ledger in the
past: other demo figures depend on them (the open vote's floor applies only if
adopted, next year).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.base import utcnow
from coopkit.db.tenancy import tenant_scope
from coopkit.documents import DocumentError, template_folders
from coopkit.governance.assemblies import (
    AssemblyDraft,
    agenda_of,
    close_assembly,
    create_assembly,
    open_session,
)
from coopkit.governance.convocation import convoke
from coopkit.governance.effects import EffectRefused
from coopkit.governance.minutes import sign_minutes
from coopkit.governance.models import Assembly, Resolution
from coopkit.governance.resolutions import ResolutionDraft, create_resolution
from coopkit.governance.voting import cast_vote, give_proxy
from coopkit.guarantee.policy import guarantee_policy_on
from coopkit.membership.applications import ApplicationRequest, admit, apply_for_membership
from coopkit.membership.classes import add_share_class, share_class_by_code
from coopkit.membership.errors import RuleRefused
from coopkit.membership.models import ShareClass
from coopkit.membership.redemptions import redeem_shares
from coopkit.membership.register import holdings_on
from coopkit.membership.statuses import resign
from coopkit.membership.subscriptions import record_payment
from coopkit.people.models import User
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant

log = logging.getLogger("coopkit.demo")

# Nominal values: a Belgian SC's A share of 50.00, a French SCOP's part sociale of 25.00.
A_NOMINAL = {"BE": Decimal("50.00"), "FR": Decimal("25.00")}
B_NOMINAL = Decimal("250.00")
B_SHARES = 2
VENUES = {
    "BE": ["Brussels, Les Ateliers des Tanneurs", "Ghent, De Centrale", "Liège, La Cité Miroir"],
    "FR": ["Lyon, La Halle Tony Garnier", "Nantes, Le Lieu Unique", "Lille, La Condition Publique"],
}
APPLICANT = {"BE": ("Yasmine Haddou", "yasmine.haddou"), "FR": ("Yanis Roche", "yanis.roche")}
PLACE = {"BE": "Rue Coenraets 72, 1060 Brussels", "FR": "12 rue de la Coopération, 69001 Lyon"}
FLOOR_RAISE = Decimal("1000.00")


@dataclass(frozen=True)
class Cast:
    """Who plays: the chair (an administrator), the staff partner, the members in list order."""

    chair: User
    staff: User
    members: list[User]


def load_demo_governance(
    db: Session, plugins: PluginHost, tenant: Tenant, cast: Cast, domain: str
) -> int:
    """Play the story in ``tenant`` unless it has share classes; return the members admitted."""
    today = utcnow().date()
    with tenant_scope(db, tenant.id):
        if db.scalar(select(ShareClass.id).limit(1)) is not None:
            return 0
        _classes(db, tenant)
        _admit_members(db, tenant, cast, today)
        assembly = _past_assembly(db, plugins, tenant, cast, today)
        _resignation(db, plugins, tenant, cast, today)
        _open_vote(db, tenant, cast, today)
        name, local = APPLICANT[tenant.country]
        apply_for_membership(
            db,
            ApplicationRequest(
                name, f"{local}@{domain}", "A", 2, "I invoice my translations through the coop."
            ),
            today=today - timedelta(days=3),
        )
        log.info("demo %s: assembly %s", tenant.slug, assembly.id)
        return len(cast.members) + 1


def _classes(db: Session, tenant: Tenant) -> None:
    add_share_class(
        db,
        code="A",
        name="A shares (members who use the coop)",
        nominal=A_NOMINAL.get(tenant.country, Decimal("50.00")),
        min_holding=1,
        max_per_member=100,
        voting=True,
    )
    add_share_class(
        db,
        code="B",
        name="B shares (partners, staff, clients)",
        nominal=B_NOMINAL,
        min_holding=1,
        voting=False,
    )


def _admit_members(db: Session, tenant: Tenant, cast: Cast, today: date) -> None:
    """Apply at T-130, admitted at T-120, paid from T-118 on (one member a day, in turns)."""
    applied, admitted = today - timedelta(days=130), today - timedelta(days=120)
    joining = [(person, "A", 1 + index % 4) for index, person in enumerate(cast.members)]
    joining.append((cast.staff, "B", B_SHARES))
    for index, (person, code, quantity) in enumerate(joining):
        application = apply_for_membership(
            db, ApplicationRequest(person.name, person.email, code, quantity), today=applied
        )
        admit(db, tenant, application.id, cast.staff.id, day=admitted)
        assert application.subscription_id is not None
        record_payment(
            db,
            application.subscription_id,
            cast.staff.id,
            admitted + timedelta(days=2 + index % 5),
            f"DEMO-SHARES-{index + 1:03d}",
            today=today,
        )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _past_assembly(
    db: Session, plugins: PluginHost, tenant: Tenant, cast: Cast, today: date
) -> Assembly:
    """The ordinary general assembly of T-45, from its draft to its signed minutes."""
    meeting = today - timedelta(days=45)
    convened = _at(meeting - timedelta(days=21), 9)
    closes = _at(meeting, 20)
    year = meeting.year - 1
    assembly = create_assembly(
        db,
        AssemblyDraft(
            title=f"Ordinary general assembly {meeting.year}",
            kind="ordinary",
            meeting_on=meeting,
            record_date=meeting - timedelta(days=14),
            meeting_time="18:00",
            place=PLACE.get(tenant.country, PLACE["BE"]),
            agenda=[
                f"Accounts of the financial year {year}",
                "Data-use policy",
                "Venue of the next members' day",
            ],
        ),
        cast.chair.id,
    )
    items = agenda_of(db, assembly)

    def draft(position: int, title: str, **extra: object) -> Resolution:
        return create_resolution(
            db,
            ResolutionDraft(
                title=title,
                opens_at=convened + timedelta(hours=1),
                closes_at=closes,
                assembly_id=assembly.id,
                agenda_item_id=items[position].id,
                **extra,  # type: ignore[arg-type]
            ),
            cast.chair.id,
        )

    accounts = draft(0, f"Approve the accounts of the financial year {year}")
    data_use = draft(
        1,
        "Data-use policy: directory with consent, statistics always, no partner sharing",
        description="Members appear in the directory only if they agree; anonymous "
        "statistics use everyone's data; nothing is shared with partner coops.",
        effect_kind="data_use_policy",
        effect_payload={
            "valid_from": meeting.isoformat(),
            "purposes": {
                "directory": "with_consent",
                "statistics": "always",
                "partner_sharing": "never",
            },
        },
    )
    venues = VENUES.get(tenant.country, VENUES["BE"])
    venue = draft(2, "Venue of the next members' day", method="poll", options=venues)
    convoke(db, tenant, assembly.id, cast.chair.id, now=convened)
    _past_votes(db, tenant, assembly, cast, (accounts, data_use, venue), venues, meeting)
    open_session(db, assembly)
    close_assembly(db, assembly, tenant, cast.chair.id, now=closes)
    folders = template_folders(plugins.country(tenant.country), tenant.slug)
    try:
        sign_minutes(
            db,
            tenant,
            assembly.id,
            folders,
            signed_by=cast.chair.name,
            signed_on=meeting + timedelta(days=1),
            by=cast.chair.id,
        )
    except DocumentError as error:  # WeasyPrint's system packages missing: minutes unsigned
        log.warning("demo %s: minutes not signed: %s", tenant.slug, error)
    return assembly


def _past_votes(
    db: Session,
    tenant: Tenant,
    assembly: Assembly,
    cast: Cast,
    resolutions: tuple[Resolution, Resolution, Resolution],
    venues: list[str],
    meeting: date,
) -> None:
    """All but the last three members vote online in the week before the meeting; the second
    member gives their proxy to the first, who votes for both."""
    accounts, data_use, venue = resolutions
    members = cast.members
    principal, holder = members[1], members[0]
    give_proxy(db, tenant, assembly.id, principal.id, holder.id)
    voters = [m for m in members[:-3] if m.id != principal.id]
    for index, person in enumerate(voters):
        moment = _at(meeting - timedelta(days=7 - index % 7), 8 + index % 10)
        stances = (
            "abstain" if index % 6 == 5 else "agree",
            "disagree" if index % 5 == 4 else ("abstain" if index % 7 == 3 else "agree"),
        )
        choices = [(accounts, stances[0]), (data_use, stances[1]), (venue, venues[index % 3])]
        for resolution, choice in choices:
            cast_vote(db, resolution.id, person.id, choice, now=moment)
            if person.id == holder.id:
                cast_vote(
                    db, resolution.id, holder.id, choice, principal_id=principal.id, now=moment
                )


def _resignation(db: Session, plugins: PluginHost, tenant: Tenant, cast: Cast, today: date) -> None:
    """The last member resigns at T-30; their shares are redeemed if the country allows it."""
    leaving, day = cast.members[-1], today - timedelta(days=30)
    resign(db, leaving.id, day, cast.staff.id, "Moves abroad")
    shares = share_class_by_code(db, "A")
    held = holdings_on(db, day).get(leaving.id, {}).get("A", 0)
    try:
        redeem_shares(
            db,
            plugins,
            tenant,
            user_id=leaving.id,
            share_class=shares,
            quantity=held,
            day=day,
            staff_id=cast.staff.id,
            reason="Resignation",
        )
    except RuleRefused as error:  # e.g. outside the Belgian six-month window: they wait
        log.info("demo %s: redemption waits: %s", tenant.slug, error)


def next_first_of_january(day: date) -> date:
    return date(day.year + 1, 1, 1)


def _open_vote(db: Session, tenant: Tenant, cast: Cast, today: date) -> Resolution:
    """A vote on its own, open from T-2 to T+12; every third member but the first voted."""
    opens, closes = _at(today - timedelta(days=2), 9), _at(today + timedelta(days=12), 18)
    valid_from = next_first_of_january(closes.date())
    current = guarantee_policy_on(db, valid_from)
    draft = ResolutionDraft(
        title=f"Guarantee-fund floor from {valid_from.isoformat()}",
        description="The fund keeps this amount aside: advances never take it below.",
        opens_at=opens,
        closes_at=closes,
    )
    try:
        if current is None:
            raise EffectRefused("no guarantee fund policy")
        floor = (current.floor + FLOOR_RAISE).quantize(Decimal("0.01"))
        vote = create_resolution(
            db,
            replace(
                draft,
                title=f"{draft.title}: {floor}",
                effect_kind="guarantee_floor",
                effect_payload={"valid_from": valid_from.isoformat(), "floor": str(floor)},
            ),
            cast.chair.id,
        )
    except EffectRefused:  # a plain proposal when the demo data cannot carry the effect
        vote = create_resolution(db, draft, cast.chair.id)
    for index, person in enumerate(cast.members[1:-1]):
        if index % 3 == 0:
            choice = "disagree" if index % 2 else "agree"
            cast_vote(db, vote.id, person.id, choice, now=opens + timedelta(hours=3 + index))
    return vote
