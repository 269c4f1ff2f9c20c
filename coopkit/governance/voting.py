"""Casting a vote online, giving a proxy, and recording a show of hands in the session.

Every refusal names the rule: the voting window, one vote per voter and resolution
(the receipt's unique constraint keeps it even under a race), the electorate of the
record date, the proxy cap of the law or statutes, the method's valid choices.
A secret ballot is stored without its voter and without a time; the receipt says
only that the voter voted.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.db.base import utcnow
from coopkit.governance.assemblies import get_assembly
from coopkit.governance.colleges import college_on
from coopkit.governance.errors import GovernanceConflict, GovernanceError, NotEntitled
from coopkit.governance.models import (
    Assembly,
    AssemblyStatus,
    Ballot,
    Proxy,
    Resolution,
    SessionTally,
    VoteReceipt,
)
from coopkit.governance.resolutions import get_resolution
from coopkit.governance.rules import assembly_rules, electorate_on
from coopkit.governance.tally import Choice, InvalidChoice, Method, Stance, check_choice
from coopkit.membership.models import MemberStatus
from coopkit.membership.register import status_on, voter_on
from coopkit.tenants.models import Tenant

ONE_VOTE = "one member, one vote: one vote per voter and resolution"
ELECTORATE = "the electorate is the members holding a voting share on the record date"


def _window(resolution: Resolution, now: datetime) -> None:
    opens, closes = resolution.opens_at, resolution.closes_at
    rule = f"voting window {opens:%Y-%m-%d %H:%M} – {closes:%Y-%m-%d %H:%M} UTC"
    if resolution.closed or now >= resolution.closes_at:
        raise GovernanceConflict(f"the vote on {resolution.title!r} is closed", rule)
    if now < resolution.opens_at:
        raise GovernanceError(f"the vote on {resolution.title!r} is not open yet", rule)


def check_entitled(db: Session, day: date, voter_id: uuid.UUID) -> str | None:
    """The voter's college if they are in the electorate of the record date ``day``;
    NotEntitled says why not (not a member, or a member who joined after the record date).

    It asks about this one person (their status, holdings and college: indexed reads), not
    the whole electorate, so that a vote costs the same in a coop of 50 or 35,000 members.
    A voter without a college of the set in force is refused as :func:`electorate_on`
    refuses; other voters' missing colleges no longer block this vote (closing does).
    """
    if voter_on(db, voter_id, day) is not None:
        return college_on(db, voter_id, day)
    today = utcnow().date()
    if (
        status_on(db, voter_id, today) is MemberStatus.MEMBER
        and voter_on(db, voter_id, max(today, day)) is not None
    ):
        raise NotEntitled(
            f"you became a voting member after the record date {day}: the electorate of this "
            "vote was fixed on that day",
            ELECTORATE,
        )
    raise NotEntitled(
        "only members holding a voting share on the record date vote, and you are not one",
        ELECTORATE,
    )


def _plain_choice(choice: Any) -> Any:
    """The choice as JSON keeps it: a string, a list (ranked) or a mapping (scores)."""
    if isinstance(choice, list | tuple):
        return [str(item) for item in choice]
    if isinstance(choice, Mapping):
        return {str(key): value for key, value in choice.items()}
    return choice


def tally_choice(stored: Any) -> Choice:
    """The stored JSON choice as the tally reads it (a ranking is a tuple)."""
    if isinstance(stored, list):
        return tuple(stored)
    return stored  # type: ignore[no-any-return]


def check_method_choice(resolution: Resolution, choice: Any) -> None:
    try:
        check_choice(Method(resolution.method), tally_choice(choice), resolution.options)
    except InvalidChoice as error:
        raise GovernanceError(str(error), f"the {resolution.method} method", "choice") from None


def cast_vote(
    db: Session,
    resolution_id: uuid.UUID,
    user_id: uuid.UUID,
    choice: Any,
    *,
    principal_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> VoteReceipt:
    """Record ``user_id``'s vote (or, with ``principal_id``, their vote as proxy holder)."""
    moment = now or utcnow()
    resolution = get_resolution(db, resolution_id)
    _window(resolution, moment)
    if resolution.assembly_id is not None:
        assembly = get_assembly(db, resolution.assembly_id)
        if assembly.status in (AssemblyStatus.DRAFT, AssemblyStatus.CLOSED):
            raise GovernanceConflict(
                f"assembly {assembly.title!r} is {assembly.status.value}: votes are cast once it "
                "is convened and until it closes"
            )
    voter_id = principal_id or user_id
    if principal_id is not None and principal_id != user_id:
        _check_proxy(db, resolution, holder_id=user_id, principal_id=principal_id)
    college = check_entitled(db, resolution.record_date, voter_id)
    plain = _plain_choice(choice)
    check_method_choice(resolution, plain)
    if _receipt(db, resolution.id, voter_id) is not None:
        raise GovernanceConflict(
            f"{_who(principal_id)} voted already on {resolution.title!r}", ONE_VOTE
        )
    receipt = VoteReceipt(
        resolution_id=resolution.id, voter_id=voter_id, cast_by=user_id, cast_at=moment
    )
    ballot = Ballot(
        resolution_id=resolution.id,
        voter_id=None if resolution.secret else voter_id,
        college=college,
        choice=plain,
        proxy_holder_id=None if resolution.secret or principal_id is None else user_id,
        cast_at=None if resolution.secret else moment,
    )
    try:
        with db.begin_nested():
            db.add(receipt)
            db.flush()
            db.add(ballot)
            db.flush()
    except IntegrityError:
        raise GovernanceConflict(
            f"{_who(principal_id)} voted already on {resolution.title!r}", ONE_VOTE
        ) from None
    data: dict[str, Any] = {"voter": voter_id, "secret": resolution.secret}
    if principal_id is not None:
        data["proxy_holder"] = user_id
    if not resolution.secret:
        data["choice"] = plain
    audit.record(db, "vote.cast", "resolution", resolution.id, data, actor_id=user_id)
    return receipt


def _who(principal_id: uuid.UUID | None) -> str:
    return "you" if principal_id is None else "the member you represent"


def _receipt(db: Session, resolution_id: uuid.UUID, voter_id: uuid.UUID) -> VoteReceipt | None:
    return db.scalar(
        select(VoteReceipt).where(
            VoteReceipt.resolution_id == resolution_id, VoteReceipt.voter_id == voter_id
        )
    )


def has_voted(db: Session, resolution: Resolution, voter_id: uuid.UUID) -> bool:
    return _receipt(db, resolution.id, voter_id) is not None


def _check_proxy(
    db: Session, resolution: Resolution, *, holder_id: uuid.UUID, principal_id: uuid.UUID
) -> None:
    if resolution.assembly_id is None:
        raise NotEntitled(
            "proxies are given for an assembly: this vote is outside one",
            "a proxy is given for one assembly",
        )
    proxy = db.scalar(
        select(Proxy).where(
            Proxy.assembly_id == resolution.assembly_id,
            Proxy.principal_id == principal_id,
            Proxy.holder_id == holder_id,
        )
    )
    if proxy is None:
        raise NotEntitled(
            "you hold no proxy from this member for this assembly",
            "a holder votes only for the members who gave them a proxy",
        )


def proxies_held(db: Session, assembly: Assembly, holder_id: uuid.UUID) -> list[Proxy]:
    return list(
        db.scalars(
            select(Proxy).where(Proxy.assembly_id == assembly.id, Proxy.holder_id == holder_id)
        )
    )


def proxy_given(db: Session, assembly: Assembly, principal_id: uuid.UUID) -> Proxy | None:
    return db.scalar(
        select(Proxy).where(Proxy.assembly_id == assembly.id, Proxy.principal_id == principal_id)
    )


def give_proxy(
    db: Session,
    tenant: Tenant,
    assembly_id: uuid.UUID,
    principal_id: uuid.UUID,
    holder_id: uuid.UUID,
) -> Proxy:
    """The principal lets the holder vote for them at the assembly, within the proxy cap."""
    assembly = get_assembly(db, assembly_id)
    if assembly.status is AssemblyStatus.CLOSED:
        raise GovernanceConflict(f"assembly {assembly.title!r} is closed")
    if principal_id == holder_id:
        raise GovernanceError("a proxy goes to another member", field="holder_id")
    check_entitled(db, assembly.record_date, principal_id)
    try:
        check_entitled(db, assembly.record_date, holder_id)
    except NotEntitled as error:
        raise NotEntitled(
            "the holder is not a voting member on the record date", error.rule, "holder_id"
        ) from None
    if proxy_given(db, assembly, principal_id) is not None:
        raise GovernanceConflict(
            "you gave a proxy for this assembly already", "one proxy per member and assembly"
        )
    rules = assembly_rules(db, tenant, assembly.meeting_on)
    held = db.scalar(
        select(func.count(Proxy.id)).where(
            Proxy.assembly_id == assembly.id, Proxy.holder_id == holder_id
        )
    )
    if (held or 0) >= rules.max_proxies:
        raise GovernanceError(
            f"this member holds {held} proxies already, the most one member may hold "
            f"({rules.max_proxies})",
            rules.proxies_source,
            "holder_id",
        )
    proxy = Proxy(assembly_id=assembly.id, principal_id=principal_id, holder_id=holder_id)
    db.add(proxy)
    db.flush()
    audit.record(
        db,
        "proxy.given",
        "assembly",
        assembly.id,
        {"principal": principal_id, "holder": holder_id},
        actor_id=principal_id,
    )
    return proxy


SHOW_OF_HANDS = (Method.PROPOSAL, Method.CONSENT, Method.POLL)


def record_show_of_hands(
    db: Session,
    resolution_id: uuid.UUID,
    counts: Mapping[str, int],
    present: int,
    by: uuid.UUID | None,
) -> SessionTally:
    """Record the counts of a show of hands. ``present`` is the members in the room who had
    not voted online; for a proposal or consent, those who raised no hand abstain."""
    resolution = get_resolution(db, resolution_id)
    method = Method(resolution.method)
    if resolution.assembly_id is None or method not in SHOW_OF_HANDS:
        raise GovernanceError(
            "a show of hands is recorded for a proposal, consent or poll of an assembly",
            field="counts",
        )
    assembly = get_assembly(db, resolution.assembly_id)
    if assembly.status is not AssemblyStatus.OPEN or resolution.closed:
        raise GovernanceConflict(
            "a show of hands is recorded while the assembly is in session and the vote open"
        )
    if electorate_on(db, resolution.record_date).colleges:
        raise GovernanceError(
            "with voting colleges, each member votes by ballot so that colleges can be weighed",
            "voting colleges",
        )
    clean = {str(choice): int(number) for choice, number in counts.items() if int(number)}
    if any(number < 0 for number in clean.values()) or present < 0:
        raise GovernanceError("counts: give numbers of hands, not negative", field="counts")
    for choice in clean:
        check_method_choice(resolution, choice)
    raised = sum(clean.values())
    if raised > present or (method is Method.POLL and raised != present):
        raise GovernanceError(
            f"{raised} hands for {present} members present: "
            + ("each member present picks one option" if method is Method.POLL else "too many"),
            field="present",
        )
    if db.scalar(select(SessionTally.id).where(SessionTally.resolution_id == resolution.id)):
        raise GovernanceConflict("the show of hands was recorded already", ONE_VOTE)
    tally = SessionTally(resolution_id=resolution.id, counts=clean, present=present, recorded_by=by)
    db.add(tally)
    db.flush()
    audit.record(
        db,
        "vote.show_of_hands",
        "resolution",
        resolution.id,
        {"counts": clean, "present": present},
    )
    return tally


def session_ballot_choices(method: Method, tally: SessionTally) -> list[str]:
    """One choice per member present in the room: the hands counted, the rest abstaining."""
    choices = [choice for choice, number in tally.counts.items() for _ in range(number)]
    silent = tally.present - len(choices)
    if silent > 0 and method in (Method.PROPOSAL, Method.CONSENT):
        choices += [Stance.ABSTAIN.value] * silent
    return choices
