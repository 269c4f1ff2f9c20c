"""Closing a vote: the tally with the electorate of the record date and the decision rule
of the resolution's kind (second-call aware), the stored outcome, and the effect of an
adopted resolution applied in the same transaction.

Closing is idempotent: a closed resolution returns its stored outcome. Results of a
vote with hidden results are refused until it closes; others may be read while the
vote runs (a provisional count, not stored).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.db.base import utcnow
from coopkit.governance import effects
from coopkit.governance.assemblies import get_assembly
from coopkit.governance.errors import ResultsHidden
from coopkit.governance.models import Ballot, Resolution, SessionTally
from coopkit.governance.resolutions import get_resolution
from coopkit.governance.rules import ItemKind, assembly_rules, electorate_on
from coopkit.governance.tally import Ballot as TallyBallot
from coopkit.governance.tally import Method, Outcome, count
from coopkit.governance.voting import session_ballot_choices, tally_choice
from coopkit.tenants.models import Tenant


@dataclass(frozen=True)
class Result:
    """A resolution's outcome as stored (JSON-ready) and whether it is final."""

    resolution: Resolution
    outcome: dict[str, Any]
    final: bool


def _decision_day(db: Session, resolution: Resolution) -> Any:
    if resolution.assembly_id is not None:
        return get_assembly(db, resolution.assembly_id).meeting_on
    return resolution.closes_at.date()


def compute_outcome(db: Session, tenant: Tenant, resolution: Resolution) -> Outcome:
    """Count the resolution's ballots and show of hands now."""
    method = Method(resolution.method)
    # Three columns, not the Ballot objects: half the time on 20,000 ballots (bench.governance).
    ballots = [
        TallyBallot(voter_id, college, tally_choice(choice))
        for voter_id, college, choice in db.execute(
            select(Ballot.voter_id, Ballot.college, Ballot.choice).where(
                Ballot.resolution_id == resolution.id
            )
        )
    ]
    hands = db.scalar(select(SessionTally).where(SessionTally.resolution_id == resolution.id))
    if hands is not None:
        ballots += [TallyBallot(None, None, c) for c in session_ballot_choices(method, hands)]
    rules = assembly_rules(db, tenant, _decision_day(db, resolution))
    return count(
        method,
        ballots,
        electorate_on(db, resolution.record_date),
        rules.rule(ItemKind(resolution.kind)),
        options=resolution.options,
        second_call=resolution.second_call,
    )


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """The outcome with exact numbers as strings, as stored and sent."""

    def plain(numbers: Any) -> dict[str, str]:
        return {str(key): str(value) for key, value in numbers.items()}

    return {
        "method": str(outcome.method),
        "adopted": outcome.adopted,
        "quorum_reached": outcome.quorum_reached,
        "present": str(outcome.present),
        "electorate": str(outcome.electorate),
        "totals": plain(outcome.totals),
        "winner": outcome.winner,
        "rounds": [plain(round_) for round_ in outcome.rounds],
        "explanation": list(outcome.explanation),
    }


def close_resolution(
    db: Session,
    tenant: Tenant,
    resolution_id: uuid.UUID,
    by: uuid.UUID | None,
    now: datetime | None = None,
) -> Result:
    """Count, store the outcome and apply an adopted resolution's effect; once only."""
    resolution = get_resolution(db, resolution_id)
    if resolution.closed:
        assert resolution.outcome is not None
        return Result(resolution, resolution.outcome, True)
    moment = now or utcnow()
    outcome = compute_outcome(db, tenant, resolution)
    stored = outcome_json(outcome)
    resolution.outcome = stored
    resolution.adopted = outcome.adopted
    resolution.closed_at = moment
    resolution.closed_by = by
    if outcome.adopted and resolution.effect_kind and resolution.effect_payload is not None:
        effects.apply(
            db,
            resolution.effect_kind,
            resolution.effect_payload,
            effects.Adoption(
                resolution_id=resolution.id,
                title=resolution.title,
                # The day the vote ended: its closing time, or earlier when staff
                # closed it early. A vote counted days after it ended (close-due
                # running late) still decides on the day it was validated for.
                adopted_on=min(moment.date(), resolution.closes_at.date()),
                decided_by=_decided_by(db, resolution),
            ),
        )
    db.flush()
    audit.record(
        db,
        "resolution.closed",
        "resolution",
        resolution.id,
        {
            "adopted": outcome.adopted,
            "winner": outcome.winner,
            "totals": stored["totals"],
            "explanation": stored["explanation"],
            "effect": resolution.effect_kind if outcome.adopted else None,
        },
        actor_id=by,
    )
    return Result(resolution, stored, True)


def _decided_by(db: Session, resolution: Resolution) -> str:
    if resolution.assembly_id is None:
        return f"Online vote closed on {resolution.closes_at:%Y-%m-%d}: {resolution.title}"
    assembly = get_assembly(db, resolution.assembly_id)
    return f"General assembly of {assembly.meeting_on}: {resolution.title}"


def result_of(db: Session, tenant: Tenant, resolution_id: uuid.UUID) -> Result:
    """The stored outcome of a closed vote, or a provisional count of a running one unless
    its results are hidden until it closes (ResultsHidden, for staff too: that is the point)."""
    resolution = get_resolution(db, resolution_id)
    if resolution.closed:
        assert resolution.outcome is not None
        return Result(resolution, resolution.outcome, True)
    if resolution.hidden_results:
        raise ResultsHidden(
            f"the results of {resolution.title!r} are hidden until the vote closes "
            f"({resolution.closes_at:%Y-%m-%d %H:%M} UTC)",
            "hidden results until close",
        )
    return Result(resolution, outcome_json(compute_outcome(db, tenant, resolution)), False)


def close_due(db: Session, tenant: Tenant, now: datetime | None = None) -> list[Result]:
    """Close every vote of the tenant whose window has ended."""
    moment = now or utcnow()
    due = db.scalars(
        select(Resolution.id)
        .where(Resolution.closed_at.is_(None), Resolution.closes_at <= moment)
        .order_by(Resolution.closes_at)
    ).all()
    return [close_resolution(db, tenant, resolution_id, None, moment) for resolution_id in due]
