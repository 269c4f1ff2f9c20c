"""The founders' GO/STOP decision on each stage, counted by the governance tally.

A decision is a PROPOSAL (coopkit.governance.tally) among the project's
founders: GO is *agree*, STOP *disagree*, and an abstention counts for the
quorum only. The rule is the incubator's, not a law's: a quorum of half the
founders and a simple majority of the votes expressed. When it is closed:

* GO (more GO than STOP, quorum reached): the project moves to the next
  stage; at ``registration`` the GO authorises the launch, which
  :func:`coopkit.incubator.launch.launch_project` then does;
* STOP (more STOP than GO, quorum reached): the project is ``stopped``;
* no decision (a tie, or the quorum missed): the project stays where it is and
  the coach may open a new decision.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.db.base import utcnow
from coopkit.governance.rules import DecisionRule, Majority
from coopkit.governance.tally import Ballot, Electorate, Method, Outcome, Stance, count
from coopkit.incubator.errors import IncubatorConflict, IncubatorError, IncubatorNotFound
from coopkit.incubator.models import (
    DecisionOutcome,
    IncubatorProject,
    ProjectFounder,
    ProjectStage,
    StageBallot,
    StageChoice,
    StageDecision,
)
from coopkit.incubator.projects import (
    _open,
    acting_for,
    change_stage,
    founders,
    require_coach,
)

STAGE_RULE = DecisionRule(
    quorum=Decimal("0.5"),
    majority=Majority.SIMPLE,
    second_call_quorum=Decimal("0.5"),
    second_call_majority=Majority.SIMPLE,
    source="coopkit incubator: half the founders vote, a simple majority of GO and STOP",
)
STANCE = {
    StageChoice.GO: Stance.AGREE,
    StageChoice.STOP: Stance.DISAGREE,
    StageChoice.ABSTAIN: Stance.ABSTAIN,
}


def open_decision(db: Session, project: IncubatorProject) -> StageDecision | None:
    """The project's decision not closed yet, if any."""
    return db.scalar(
        select(StageDecision).where(
            StageDecision.project_id == project.id, StageDecision.closed_at.is_(None)
        )
    )


def decisions(db: Session, project: IncubatorProject) -> list[StageDecision]:
    return list(
        db.scalars(
            select(StageDecision)
            .where(StageDecision.project_id == project.id)
            .order_by(StageDecision.opens_at)
        )
    )


def get_decision(db: Session, project: IncubatorProject, decision_id: uuid.UUID) -> StageDecision:
    found = db.scalar(
        select(StageDecision).where(
            StageDecision.project_id == project.id, StageDecision.id == decision_id
        )
    )
    if found is None:
        raise IncubatorNotFound(f"decision {decision_id} of {project.name}")
    return found


def go_to_launch(db: Session, project: IncubatorProject) -> StageDecision | None:
    """The GO on ``registration`` that authorises the launch, if the founders gave it."""
    return db.scalar(
        select(StageDecision).where(
            StageDecision.project_id == project.id,
            StageDecision.stage == ProjectStage.REGISTRATION,
            StageDecision.outcome == DecisionOutcome.GO,
        )
    )


def open_stage_decision(
    db: Session,
    project: IncubatorProject,
    *,
    by: uuid.UUID,
    opens_at: datetime,
    closes_at: datetime,
) -> StageDecision:
    """Ask the founders whether the project goes past its current stage (a coach opens it)."""
    require_coach(db, by, "open decisions")
    _open(project)
    if closes_at <= opens_at:
        raise IncubatorError("the vote closes after it opens", "closes_at")
    pending = open_decision(db, project)
    if pending is not None:
        raise IncubatorConflict(
            f"a decision on {pending.stage.value} is open until {pending.closes_at:%Y-%m-%d %H:%M}:"
            " close it first"
        )
    if project.stage is ProjectStage.REGISTRATION and go_to_launch(db, project):
        raise IncubatorConflict("the founders said GO to the launch already: launch the project")
    if not founders(db, project):
        raise IncubatorError("the project has no founders yet to decide: add them first")
    row = StageDecision(
        project_id=project.id,
        stage=project.stage,
        method=Method.PROPOSAL.value,
        opens_at=opens_at,
        closes_at=closes_at,
        opened_by=by,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        "incubator.decision_opened",
        "incubator_project",
        project.id,
        {"decision": row.id, "stage": row.stage, "opens_at": opens_at, "closes_at": closes_at},
        actor_id=by,
    )
    return row


def cast_stage_ballot(
    db: Session,
    project: IncubatorProject,
    decision: StageDecision,
    founder: ProjectFounder,
    choice: StageChoice | str,
    *,
    by: uuid.UUID,
    now: datetime | None = None,
) -> StageBallot:
    """A founder's vote (or a coach recording it for them): one per founder, final."""
    acting_for(db, founder, by, "vote")
    try:
        stance = StageChoice(choice)
    except ValueError:
        raise IncubatorError(f"choice {choice!r}: go, stop or abstain", "choice") from None
    moment = now or utcnow()
    if decision.closed_at is not None or moment > decision.closes_at:
        raise IncubatorConflict(f"the decision on {decision.stage.value} is closed")
    if moment < decision.opens_at:
        raise IncubatorConflict(f"the vote opens at {decision.opens_at:%Y-%m-%d %H:%M}")
    cast = db.scalar(
        select(StageBallot.id).where(
            StageBallot.decision_id == decision.id, StageBallot.founder_id == founder.id
        )
    )
    if cast is not None:
        raise IncubatorConflict(f"{founder.name} has voted already: a vote cast is final")
    row = StageBallot(
        decision_id=decision.id, founder_id=founder.id, choice=stance, cast_by=by, cast_at=moment
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        "incubator.ballot_cast",
        "incubator_project",
        project.id,
        {"decision": decision.id, "founder": founder.id, "choice": stance},
        actor_id=by,
    )
    return row


def tally(db: Session, project: IncubatorProject, decision: StageDecision) -> Outcome:
    """Count the decision's ballots among the project's founders."""
    electorate = Electorate({f.id: None for f in founders(db, project)})
    ballots = [
        Ballot(b.founder_id, None, STANCE[b.choice].value)
        for b in db.scalars(select(StageBallot).where(StageBallot.decision_id == decision.id))
    ]
    return count(Method.PROPOSAL, ballots, electorate, STAGE_RULE)


def verdict(outcome: Outcome) -> DecisionOutcome | None:
    """GO when adopted, STOP when STOP outweighs GO with the quorum, else no decision."""
    if outcome.adopted:
        return DecisionOutcome.GO
    against = outcome.totals.get(Stance.DISAGREE.value, Decimal(0))
    if outcome.quorum_reached and against > outcome.totals.get(Stance.AGREE.value, Decimal(0)):
        return DecisionOutcome.STOP
    return None


def close_stage_decision(
    db: Session,
    project: IncubatorProject,
    decision: StageDecision,
    *,
    by: uuid.UUID,
    now: datetime | None = None,
) -> StageDecision:
    """Count and apply the decision: GO moves on, STOP stops, no decision changes nothing.

    A coach closes it once its time is over, or earlier when every founder voted.
    """
    require_coach(db, by, "close decisions")
    if decision.closed_at is not None:
        raise IncubatorConflict(f"the decision on {decision.stage.value} is closed already")
    moment = now or utcnow()
    outcome = tally(db, project, decision)
    if moment < decision.closes_at and outcome.present < outcome.electorate:
        raise IncubatorConflict(
            f"the vote runs until {decision.closes_at:%Y-%m-%d %H:%M} and "
            f"{outcome.electorate - outcome.present} founder(s) have not voted yet"
        )
    decision.outcome = verdict(outcome)
    decision.explanation = list(outcome.explanation)
    decision.closed_at, decision.closed_by = moment, by
    db.flush()
    audit.record(
        db,
        "incubator.decision_closed",
        "incubator_project",
        project.id,
        {"decision": decision.id, "outcome": decision.outcome, "explanation": decision.explanation},
        actor_id=by,
    )
    if decision.outcome is DecisionOutcome.STOP:
        change_stage(db, project, ProjectStage.STOPPED, by=by, decision_id=decision.id)
    elif decision.outcome is DecisionOutcome.GO and decision.stage.next is not None:
        change_stage(db, project, decision.stage.next, by=by, decision_id=decision.id)
    return decision
