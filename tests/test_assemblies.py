"""General assemblies through the real flow: a cooperative's members on the record date are
convened within the notice period, vote online or by proxy, and the vote is closed and
counted with the law's rule; every refusal names its rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopkit.audit.models import AuditEvent
from coopkit.db.append_only import FinalRecordError
from coopkit.governance.assemblies import close_assembly, open_session
from coopkit.governance.closing import close_due, close_resolution, result_of
from coopkit.governance.convocation import convoke, remind
from coopkit.governance.errors import (
    GovernanceConflict,
    GovernanceError,
    NotEntitled,
    ResultsHidden,
)
from coopkit.governance.models import (
    AssemblyStatus,
    Ballot,
    SecretBallotFinal,
    VoteReceipt,
    VoteReminder,
)
from coopkit.governance.resolutions import set_secret
from coopkit.governance.rules import Majority
from coopkit.governance.voting import cast_vote, give_proxy, record_show_of_hands
from coopkit.outbox.models import OutboxMessage
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.factories import make_user
from tests.governance_world import (
    AFTER,
    CLOSES,
    CONVENED_AT,
    DURING,
    JOINED,
    OPENS,
    RECORD_DATE,
    Coop,
    convene,
    convened_assembly,
    cooperative,
    decision,
    join,
    resolution,
    rules_of_law,
    use_rules,
)


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.sessions() as s:
        yield s
        s.rollback()


@pytest.fixture
def coop(session: Session, plugins: PluginHost, monkeypatch: pytest.MonkeyPatch) -> Coop:
    """Five members; the law: no quorum and a simple majority, one proxy per holder."""
    use_rules(monkeypatch, rules_of_law())
    return cooperative(session, plugins, 5)


def test_one_member_one_vote_540_voters_312_cast_two_thirds_with_half_quorum(
    session: Session, plugins: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_rules(monkeypatch, rules_of_law(ordinary=decision("0.5", Majority.TWO_THIRDS)))
    coop = cooperative(session, plugins, 540)
    assembly = convened_assembly(session, coop)
    item = resolution(session, assembly)
    # Every member on the record date is convened: 540 e-mails.
    assert convene(session, coop, assembly) == 540
    assert session.scalar(select(func.count(OutboxMessage.id))) == 540
    open_session(session, assembly)
    # 312 vote: 245 agree, 67 disagree, 0 abstain; 228 do not vote.
    for index in range(312):
        stance = "agree" if index < 245 else "disagree"
        cast_vote(session, item.id, coop.member(index), stance, now=DURING)
    result = close_resolution(session, coop.tenant, item.id, None, AFTER)
    # Quorum: 312 / 540 = 57.8 % >= 50 %; half of 540 = 270 needed.
    # 2/3 of the votes expressed: 2/3 × (245 + 67) = 208 needed; 245 >= 208: adopted.
    assert result.outcome["adopted"] is True
    assert result.outcome["quorum_reached"] is True
    assert result.outcome["present"] == "312"
    assert result.outcome["electorate"] == "540"
    assert result.outcome["totals"]["agree"] == "245"
    assert result.outcome["totals"]["disagree"] == "67"
    assert result.outcome["explanation"] == [
        "quorum reached: 312 of 540 votes (270 needed: half)",
        "2/3 majority: 245 for, 208 needed",
        "adopted",
    ]
    assert item.adopted is True
    # Closing again answers the same stored result (idempotent), nothing recounted.
    events = session.scalar(select(func.count(AuditEvent.id)))
    again = close_resolution(session, coop.tenant, item.id, None, AFTER + timedelta(days=1))
    assert again.outcome == result.outcome
    assert session.scalar(select(func.count(AuditEvent.id))) == events


def test_a_proxy_holder_votes_for_the_principal_and_both_count(
    session: Session, coop: Coop
) -> None:
    assembly = convened_assembly(session, coop)
    item = resolution(session, assembly)
    convene(session, coop, assembly)
    ann, bob = coop.member(0), coop.member(1)
    give_proxy(session, coop.tenant, assembly.id, principal_id=bob, holder_id=ann)
    cast_vote(session, item.id, ann, "agree", now=DURING)
    cast_vote(session, item.id, ann, "agree", principal_id=bob, now=DURING)
    cast_vote(session, item.id, coop.member(2), "disagree", now=DURING)
    # Bob's ballot is his own (principal), cast by Ann: 2 agree, 1 disagree of 5 voters.
    receipt = session.scalar(select(VoteReceipt).where(VoteReceipt.voter_id == bob))
    assert receipt is not None
    assert receipt.cast_by == ann
    ballot = session.scalar(select(Ballot).where(Ballot.voter_id == bob))
    assert ballot is not None
    assert ballot.proxy_holder_id == ann
    # Bob cannot vote again himself: his vote was cast.
    with pytest.raises(GovernanceConflict, match="one vote per voter"):
        cast_vote(session, item.id, bob, "disagree", now=DURING)
    result = close_resolution(session, coop.tenant, item.id, None, AFTER)
    assert result.outcome["totals"]["agree"] == "2"
    assert result.outcome["present"] == "3"
    assert result.outcome["adopted"] is True


def test_a_vote_before_opening_or_after_closing_is_refused(session: Session, coop: Coop) -> None:
    assembly = convened_assembly(session, coop)
    item = resolution(session, assembly)
    convene(session, coop, assembly)
    with pytest.raises(GovernanceError, match=r"not open yet.*rule: voting window 2026-06-01"):
        cast_vote(session, item.id, coop.member(0), "agree", now=OPENS - timedelta(minutes=1))
    with pytest.raises(GovernanceConflict, match=r"is closed.*rule: voting window"):
        cast_vote(session, item.id, coop.member(0), "agree", now=CLOSES)
    close_resolution(session, coop.tenant, item.id, None, DURING)
    with pytest.raises(GovernanceConflict, match="is closed"):
        cast_vote(session, item.id, coop.member(0), "agree", now=DURING)


def test_a_second_vote_is_refused_by_the_check_and_by_the_constraint(
    session: Session, coop: Coop
) -> None:
    assembly = convened_assembly(session, coop)
    item = resolution(session, assembly)
    convene(session, coop, assembly)
    cast_vote(session, item.id, coop.member(0), "agree", now=DURING)
    with pytest.raises(GovernanceConflict, match=r"voted already.*one member, one vote"):
        cast_vote(session, item.id, coop.member(0), "disagree", now=DURING)
    # Below the check, the database keeps one receipt per voter and resolution.
    twice = VoteReceipt(resolution_id=item.id, voter_id=coop.member(0), cast_by=coop.member(0))
    session.add(twice)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()


def test_a_non_member_and_a_member_who_joined_after_the_record_date_are_refused(
    session: Session, coop: Coop
) -> None:
    assembly = convened_assembly(session, coop)
    item = resolution(session, assembly)
    convene(session, coop, assembly)
    stranger = make_user(session, "Not a member")
    with pytest.raises(NotEntitled, match="rule: the electorate is the members holding"):
        cast_vote(session, item.id, stranger.id, "agree", now=DURING)
    late = make_user(session, "Late joiner")
    join(session, coop, late, RECORD_DATE + timedelta(days=1))
    with pytest.raises(NotEntitled, match="after the record date 2026-05-15"):
        cast_vote(session, item.id, late.id, "agree", now=DURING)


def test_a_proxy_beyond_the_cap_is_refused_with_the_rule(session: Session, coop: Coop) -> None:
    assembly = convened_assembly(session, coop)
    convene(session, coop, assembly)
    give_proxy(session, coop.tenant, assembly.id, coop.member(1), coop.member(0))
    with pytest.raises(GovernanceError, match=r"\(1\).*rule: test statutes art. 14"):
        give_proxy(session, coop.tenant, assembly.id, coop.member(2), coop.member(0))
    with pytest.raises(GovernanceConflict, match="gave a proxy"):
        give_proxy(session, coop.tenant, assembly.id, coop.member(1), coop.member(3))
    # Without a proxy, nobody votes for another.
    item = resolution(session, assembly)
    with pytest.raises(NotEntitled, match="no proxy"):
        cast_vote(
            session, item.id, coop.member(3), "agree", principal_id=coop.member(4), now=DURING
        )


def test_a_choice_the_method_refuses_is_refused(session: Session, coop: Coop) -> None:
    assembly = convened_assembly(session, coop)
    convene(session, coop, assembly)
    proposal = resolution(session, assembly)
    with pytest.raises(GovernanceError, match="rule: the proposal method"):
        cast_vote(session, proposal.id, coop.member(0), "maybe", now=DURING)
    ranked = resolution(session, assembly, "Name", method="ranked", options=["a", "b", "c"])
    with pytest.raises(GovernanceError, match="rule: the ranked method"):
        cast_vote(session, ranked.id, coop.member(0), ["a", "a"], now=DURING)
    cast_vote(session, ranked.id, coop.member(0), ["b", "a"], now=DURING)
    score = resolution(session, assembly, "Colour", method="score", options=["red", "blue"])
    with pytest.raises(GovernanceError, match="rule: the score method"):
        cast_vote(session, score.id, coop.member(0), {"red": 9}, now=DURING)


def test_a_secret_ballot_stores_no_voter_and_stays_secret(session: Session, coop: Coop) -> None:
    assembly = convened_assembly(session, coop)
    convene(session, coop, assembly)
    item = resolution(session, assembly, secret=True)
    for index, stance in enumerate(["agree", "agree", "disagree"]):
        cast_vote(session, item.id, coop.member(index), stance, now=DURING)
    ballots = session.scalars(select(Ballot).where(Ballot.resolution_id == item.id)).all()
    assert len(ballots) == 3
    assert all(
        b.voter_id is None and b.cast_at is None and b.proxy_holder_id is None for b in ballots
    )
    # Who voted is known (one vote each), never how.
    assert (
        session.scalar(
            select(func.count(VoteReceipt.id)).where(VoteReceipt.resolution_id == item.id)
        )
        == 3
    )
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "vote.cast")).all()
    assert events
    assert all("choice" not in event.data for event in events)
    with pytest.raises(SecretBallotFinal, match="cannot be made open again"):
        set_secret(session, item, False)
    with pytest.raises(SecretBallotFinal):
        item.secret = False
    ballots[0].choice = "disagree"
    with pytest.raises(FinalRecordError):
        session.flush()


def test_a_vote_cannot_become_secret_once_votes_were_cast_openly(
    session: Session, coop: Coop
) -> None:
    assembly = convened_assembly(session, coop)
    convene(session, coop, assembly)
    item = resolution(session, assembly)
    cast_vote(session, item.id, coop.member(0), "agree", now=DURING)
    with pytest.raises(GovernanceConflict, match="no longer become secret"):
        set_secret(session, item, True)


def test_hidden_results_are_refused_until_the_vote_closes(session: Session, coop: Coop) -> None:
    assembly = convened_assembly(session, coop)
    convene(session, coop, assembly)
    hidden = resolution(session, assembly, hidden_results=True)
    shown = resolution(session, assembly, "Shown")
    for item in (hidden, shown):
        cast_vote(session, item.id, coop.member(0), "agree", now=DURING)
    with pytest.raises(ResultsHidden, match="hidden until the vote closes"):
        result_of(session, coop.tenant, hidden.id)
    provisional = result_of(session, coop.tenant, shown.id)
    assert provisional.final is False
    assert provisional.outcome["totals"]["agree"] == "1"
    close_resolution(session, coop.tenant, hidden.id, None, AFTER)
    final = result_of(session, coop.tenant, hidden.id)
    assert final.final is True
    assert final.outcome["adopted"] is True


def test_a_second_call_uses_the_second_call_quorum(
    session: Session, plugins: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Extraordinary items: half the members on the first call, none on the second; 2/3.
    use_rules(
        monkeypatch,
        rules_of_law(extraordinary=decision("0.5", Majority.TWO_THIRDS, "0", Majority.TWO_THIRDS)),
    )
    coop = cooperative(session, plugins, 10)
    first = convened_assembly(session, coop, "extraordinary")
    item = resolution(session, first, "Change the statutes", kind="extraordinary")
    convene(session, coop, first)
    for index in range(3):
        cast_vote(session, item.id, coop.member(index), "agree", now=DURING)
    # The second call of an assembly still open is refused.
    with pytest.raises(GovernanceError, match="not closed yet"):
        convened_assembly(session, coop, "extraordinary", first_call=first)
    close_assembly(session, first, coop.tenant, None, AFTER)
    # 3 of 10 present, 5 needed (half): not reached, rejected.
    assert item.outcome is not None
    assert item.outcome["quorum_reached"] is False
    assert item.adopted is False
    second = convened_assembly(session, coop, "extraordinary", first_call=first)
    assert second.second_call is True
    again = resolution(session, second, "Change the statutes", kind="extraordinary")
    assert again.second_call is True
    convoke(session, coop.tenant, second.id, None, now=CONVENED_AT)
    for index in range(3):
        cast_vote(session, again.id, coop.member(index), "agree", now=DURING)
    cast_vote(session, again.id, coop.member(3), "disagree", now=DURING)
    # Second call: no quorum; 2/3 × (3 + 1) = 2.67 → 3 needed, 3 for: adopted.
    result = close_resolution(session, coop.tenant, again.id, None, AFTER)
    assert result.outcome["adopted"] is True
    assert "2/3 majority: 3 for, 3 needed" in result.outcome["explanation"]


def test_a_second_call_needs_a_first_call_that_missed_its_quorum(
    session: Session, coop: Coop
) -> None:
    first = convened_assembly(session, coop)
    resolution(session, first)
    convene(session, coop, first)
    close_assembly(session, first, coop.tenant, None, AFTER)  # no quorum required: reached
    with pytest.raises(GovernanceError, match=r"reached its quorum.*rule: second call"):
        convened_assembly(session, coop, first_call=first)


def test_a_convocation_inside_the_notice_period_is_refused(session: Session, coop: Coop) -> None:
    assembly = convened_assembly(session, coop)
    # 2026-05-30 → 2026-06-12 is 13 days; the law asks 15.
    late = CONVENED_AT.replace(day=30)
    with pytest.raises(
        GovernanceError, match=r"13 days away.*2026-06-14.*rule: test law art. 6:70"
    ):
        convoke(session, coop.tenant, assembly.id, None, now=late)
    assert assembly.status is AssemblyStatus.DRAFT
    assert session.scalar(select(func.count(OutboxMessage.id))) == 0
    # 15 days before is enough, and a second convocation is refused.
    assert convoke(session, coop.tenant, assembly.id, None, now=late - timedelta(days=2)) == 5
    with pytest.raises(GovernanceConflict, match="convened already"):
        convoke(session, coop.tenant, assembly.id, None, now=late)


def test_the_convocation_carries_the_agenda_links_and_documents(
    session: Session, coop: Coop
) -> None:
    from coopkit.expenses.receipts import ReceiptFile
    from coopkit.governance.assemblies import attach_document
    from coopkit.outbox.queue import attachments_of

    assembly = convened_assembly(session, coop)
    item = resolution(session, assembly)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    attach_document(session, ReceiptFile("accounts-2025.pdf", pdf), assembly=assembly)
    convoke(
        session, coop.tenant, assembly.id, None, now=CONVENED_AT, base_url="https://coop.example"
    )
    message = session.scalars(select(OutboxMessage)).first()
    assert message is not None
    assert "Annual general assembly" in message.subject
    assert "1. Accounts 2025" in message.body
    assert "2. Surplus" in message.body
    assert f"https://coop.example/t/{coop.tenant.slug}/votes/{item.id}" in message.body
    assert f"https://coop.example/t/{coop.tenant.slug}/assemblies/{assembly.id}" in message.body
    [attached] = attachments_of(session, message)
    assert attached.filename == "accounts-2025.pdf"
    assert attached.content == pdf


def test_a_show_of_hands_counts_with_the_online_votes(session: Session, coop: Coop) -> None:
    assembly = convened_assembly(session, coop)
    item = resolution(session, assembly)
    convene(session, coop, assembly)
    cast_vote(session, item.id, coop.member(0), "disagree", now=DURING)
    with pytest.raises(GovernanceConflict, match="in session"):
        record_show_of_hands(session, item.id, {"agree": 2}, 3, None)
    open_session(session, assembly)
    with pytest.raises(GovernanceError, match="4 hands for 3"):
        record_show_of_hands(session, item.id, {"agree": 4}, 3, None)
    # In the room: 3 members who had not voted online, 2 raise their hand for, 1 none.
    record_show_of_hands(session, item.id, {"agree": 2}, 3, None)
    with pytest.raises(GovernanceConflict, match="recorded already"):
        record_show_of_hands(session, item.id, {"agree": 2}, 3, None)
    result = close_resolution(session, coop.tenant, item.id, None, AFTER)
    # 2 agree, 1 disagree (online), 1 abstain (no hand): present 4, simple majority 2 > 1.
    assert result.outcome["totals"]["agree"] == "2"
    assert result.outcome["totals"]["abstain"] == "1"
    assert result.outcome["present"] == "4"
    assert result.outcome["adopted"] is True


def test_reminders_go_once_per_voter_and_resolution(session: Session, coop: Coop) -> None:
    assembly = convened_assembly(session, coop)
    item = resolution(session, assembly)
    convene(session, coop, assembly)
    cast_vote(session, item.id, coop.member(0), "agree", now=DURING)
    before = CLOSES - timedelta(hours=20)
    # Too early: nothing closes within 24 h of DURING (54 h before closing).
    assert remind(session, coop.tenant, 24, now=DURING) == 0
    # 4 of 5 have not voted: 4 reminders, then none again.
    assert remind(session, coop.tenant, 24, now=before) == 4
    assert remind(session, coop.tenant, 24, now=before + timedelta(hours=1)) == 0
    assert session.scalar(select(func.count(VoteReminder.id))) == 4


def test_close_due_closes_the_votes_whose_window_ended(session: Session, coop: Coop) -> None:
    online = resolution(session, None, "Online vote")
    cast_vote(session, online.id, coop.member(0), "agree", now=DURING)
    assert close_due(session, coop.tenant, DURING) == []
    [closed] = close_due(session, coop.tenant, AFTER)
    assert closed.resolution.id == online.id
    assert closed.outcome["adopted"] is True
    assert close_due(session, coop.tenant, AFTER) == []


def test_every_vote_proxy_convocation_and_closing_is_audited(session: Session, coop: Coop) -> None:
    assembly = convened_assembly(session, coop)
    item = resolution(session, assembly)
    convene(session, coop, assembly)
    give_proxy(session, coop.tenant, assembly.id, coop.member(1), coop.member(0))
    cast_vote(session, item.id, coop.member(0), "agree", now=DURING)
    close_assembly(session, assembly, coop.tenant, None, AFTER)
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    for action in (
        "assembly.convened",
        "proxy.given",
        "vote.cast",
        "resolution.closed",
        "assembly.closed",
    ):
        assert action in actions
    assert assembly.chain_head is not None
    assert len(assembly.chain_head) == 64


def test_an_assembly_refuses_a_record_date_after_the_meeting(session: Session, coop: Coop) -> None:
    from coopkit.governance.assemblies import AssemblyDraft, create_assembly

    with pytest.raises(GovernanceError, match="record_date"):
        create_assembly(
            session,
            AssemblyDraft("AG", "ordinary", date(2026, 6, 1), date(2026, 6, 2), place="Here"),
            None,
        )
    with pytest.raises(GovernanceError, match="place"):
        create_assembly(
            session, AssemblyDraft("AG", "ordinary", date(2026, 6, 1), date(2026, 5, 1)), None
        )


def test_colleges_weigh_each_college_and_keep_the_college_on_secret_and_proxy_ballots(
    session: Session, plugins: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decimal import Decimal

    from coopkit.governance.colleges import assign_college, set_colleges
    from coopkit.governance.rules import College

    law = rules_of_law()
    use_rules(monkeypatch, law)
    coop = cooperative(session, plugins, 20)
    set_colleges(
        session,
        law,
        [
            College("workers", "Workers", Decimal("0.5")),
            College("users", "Users", Decimal("0.3")),
            College("supporters", "Supporters", Decimal("0.2")),
        ],
        JOINED,
        "Founding assembly",
    )
    # Members 0-3 are workers, 4-9 users, 10-19 supporters.
    for index in range(20):
        college = "workers" if index < 4 else "users" if index < 10 else "supporters"
        assign_college(session, coop.member(index), college, JOINED)
    assembly = convened_assembly(session, coop)
    item = resolution(session, assembly, secret=True)
    convene(session, coop, assembly)
    # Worker 0 holds the proxy of supporter 10; the ballot is the supporter's.
    give_proxy(session, coop.tenant, assembly.id, coop.member(10), coop.member(0))
    votes = {
        0: "agree", 1: "agree", 2: "disagree",                       # workers: 3 cast
        4: "agree", 5: "disagree", 6: "disagree", 7: "disagree",     # users: 4 cast
        11: "agree", 12: "disagree", 13: "disagree", 14: "abstain",  # supporters: 5 cast
    }  # fmt: skip
    for index, stance in votes.items():
        cast_vote(session, item.id, coop.member(index), stance, now=DURING)
    cast_vote(session, item.id, coop.member(0), "agree", principal_id=coop.member(10), now=DURING)
    ballots = session.scalars(select(Ballot).where(Ballot.resolution_id == item.id)).all()
    assert (
        sorted(str(b.college) for b in ballots)
        == ["supporters"] * 5 + ["users"] * 4 + ["workers"] * 3
    )
    assert all(b.voter_id is None for b in ballots)
    result = close_resolution(session, coop.tenant, item.id, None, AFTER)
    # A ballot weighs its college's weight / the ballots cast in it:
    #   workers    3 cast (2 for, 1 against): 0.5 / 3 = 1/6 each
    #   users      4 cast (1 for, 3 against): 0.3 / 4 = 0.075 each
    #   supporters 5 cast (2 for, 2 against, 1 abstain): 0.2 / 5 = 0.04 each
    # For     = 2/6 + 0.075 + 0.08 = 0.48833…; against = 1/6 + 0.225 + 0.08 = 0.47166…
    # By heads it would be 5 for, 6 against; weighted, the simple majority adopts.
    totals = {
        k: Decimal(v).quantize(Decimal("0.0001")) for k, v in result.outcome["totals"].items()
    }
    assert totals["agree"] == Decimal("0.4883")
    assert totals["disagree"] == Decimal("0.4717")
    assert totals["abstain"] == Decimal("0.0400")
    assert result.outcome["present"] == "12"  # quorum counts people: 12 of 20
    assert result.outcome["electorate"] == "20"
    assert result.outcome["adopted"] is True
