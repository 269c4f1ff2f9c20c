"""coopkit/governance/tally.py: counting votes, with worked examples computed by hand."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.governance.rules import College, DecisionRule, Majority
from coopkit.governance.tally import (
    Ballot,
    Choice,
    Electorate,
    InvalidChoice,
    Method,
    Stance,
    check_choice,
    count,
)

HALF = Decimal("0.5")


def rule(
    quorum: str = "0",
    majority: Majority = Majority.SIMPLE,
    second_quorum: str = "0",
    second_majority: Majority = Majority.SIMPLE,
) -> DecisionRule:
    return DecisionRule(
        Decimal(quorum), majority, Decimal(second_quorum), second_majority, "Test Act s. 1"
    )


def electorate(size: int, college: str | None = None) -> Electorate:
    return Electorate({uuid.uuid4(): college for _ in range(size)})


def ballots(voters: Electorate, *groups: tuple[int, Choice]) -> list[Ballot]:
    """``groups`` of (how many, choice), cast by the electorate's voters in order."""
    ids = iter(voters.voters)
    cast = []
    for how_many, choice in groups:
        for _ in range(how_many):
            voter = next(ids)
            cast.append(Ballot(voter, voters.voters[voter], choice))
    return cast


# -- one member, one vote ---------------------------------------------------------------


def test_one_member_one_vote_two_thirds_with_half_quorum() -> None:
    # 540 members, 312 vote: 245 for, 67 against.
    # Quorum: 312 / 540 = 0.578 >= 1/2; 1/2 × 540 = 270 needed.
    # 2/3 majority of the votes expressed: 2/3 × (245 + 67) = 2/3 × 312 = 208; 245 >= 208.
    voters = electorate(540)
    cast = ballots(voters, (245, Stance.AGREE), (67, Stance.DISAGREE))
    outcome = count(Method.PROPOSAL, cast, voters, rule("0.5", Majority.TWO_THIRDS))
    assert outcome.adopted is True
    assert outcome.quorum_reached
    assert (outcome.present, outcome.electorate) == (312, 540)
    assert outcome.totals == {"agree": 245, "abstain": 0, "disagree": 67, "block": 0}
    assert list(outcome.explanation) == [
        "quorum reached: 312 of 540 votes (270 needed: half)",
        "2/3 majority: 245 for, 208 needed",
        "adopted",
    ]


def test_a_failed_quorum_rejects_whatever_the_majority() -> None:
    # 200 of 540 vote (150 for, 50 against): 200 < 270 (half of 540), so the
    # assembly cannot decide although 150 >= 2/3 × 200 = 133.3.
    voters = electorate(540)
    cast = ballots(voters, (150, Stance.AGREE), (50, Stance.DISAGREE))
    outcome = count(Method.PROPOSAL, cast, voters, rule("0.5", Majority.TWO_THIRDS))
    assert outcome.adopted is False
    assert not outcome.quorum_reached
    assert outcome.explanation[0] == "quorum not reached: 200 of 540 votes (270 needed: half)"
    assert outcome.explanation[-1] == "rejected"


def test_a_second_call_needs_no_quorum() -> None:
    # The same 200 votes on a second call without quorum: 2/3 × 200 = 133.3, so 134
    # votes for are needed; 150 carry it.
    voters = electorate(540)
    cast = ballots(voters, (150, Stance.AGREE), (50, Stance.DISAGREE))
    second = rule("0.5", Majority.TWO_THIRDS, "0", Majority.TWO_THIRDS)
    outcome = count(Method.PROPOSAL, cast, voters, second, second_call=True)
    assert outcome.adopted is True
    assert list(outcome.explanation) == [
        "second call: the rules of a second call apply",
        "no quorum required: 200 of 540 votes",
        "2/3 majority: 150 for, 134 needed",
        "adopted",
    ]


def test_absolute_majority_counts_abstentions() -> None:
    # 60 of 100 vote: 28 for, 20 against, 12 abstain.
    # Simple majority: 28 > 20, adopted (20 + 1 = 21 needed).
    # Absolute majority: more than 60 / 2 = 30 needed, i.e. 31; 28 is not enough.
    voters = electorate(100)
    cast = ballots(voters, (28, Stance.AGREE), (20, Stance.DISAGREE), (12, Stance.ABSTAIN))
    simple = count(Method.PROPOSAL, cast, voters, rule())
    assert simple.adopted is True
    assert "simple majority: 28 for, 21 needed" in simple.explanation
    absolute = count(Method.PROPOSAL, cast, voters, rule(majority=Majority.ABSOLUTE))
    assert absolute.adopted is False
    assert "absolute majority: 28 for, 31 needed: not enough" in absolute.explanation


def test_three_quarters_is_reached_exactly() -> None:
    # 30 for, 10 against: 3/4 × 40 = 30, and 30 >= 30.
    voters = electorate(40)
    cast = ballots(voters, (30, Stance.AGREE), (10, Stance.DISAGREE))
    outcome = count(Method.PROPOSAL, cast, voters, rule(majority=Majority.THREE_QUARTERS))
    assert outcome.adopted is True
    assert "3/4 majority: 30 for, 30 needed" in outcome.explanation


def test_a_simple_majority_tie_rejects() -> None:
    voters = electorate(4)
    cast = ballots(voters, (2, Stance.AGREE), (2, Stance.DISAGREE))
    assert count(Method.PROPOSAL, cast, voters, rule()).adopted is False


def test_a_block_defeats_the_proposal_whatever_the_majority() -> None:
    # 10 agree, 1 blocks: 10 > 1 is a majority, but the block defeats it.
    voters = electorate(11)
    cast = ballots(voters, (10, Stance.AGREE), (1, Stance.BLOCK))
    outcome = count(Method.PROPOSAL, cast, voters, rule())
    assert outcome.adopted is False
    assert "blocked: 1 block(s), a block defeats the proposal" in outcome.explanation


def test_a_proposal_without_rule_uses_a_simple_majority() -> None:
    voters = electorate(3)
    cast = ballots(voters, (2, Stance.AGREE), (1, Stance.DISAGREE))
    assert count(Method.PROPOSAL, cast, voters, None).adopted is True


def test_consent_fails_on_one_objection() -> None:
    voters = electorate(10)
    objected = ballots(voters, (9, Stance.CONSENT), (1, Stance.OBJECT))
    outcome = count(Method.CONSENT, objected, voters, rule("0.5"))
    assert outcome.adopted is False
    assert "objection: 1 member(s) object, consent needs no objection" in outcome.explanation
    consented = ballots(voters, (9, Stance.CONSENT), (1, Stance.ABSTAIN))
    assert count(Method.CONSENT, consented, voters, rule("0.5")).adopted is True
    # Quorum of half: 4 of 10 is not enough even without objection.
    few = ballots(voters, (4, Stance.CONSENT))
    assert count(Method.CONSENT, few, voters, rule("0.5")).adopted is False
    # Nobody consenting adopts nothing.
    assert (
        count(Method.CONSENT, ballots(voters, (3, Stance.ABSTAIN)), voters, None).adopted is False
    )


# -- options ------------------------------------------------------------------------------


def test_poll_winner_and_tie() -> None:
    voters = electorate(7)
    won = count(Method.POLL, ballots(voters, (4, "x"), (3, "y")), voters, None, options=("x", "y"))
    assert (won.winner, won.adopted) == ("x", None)
    assert won.totals == {"x": 4, "y": 3}
    tie = count(Method.POLL, ballots(voters, (3, "x"), (3, "y")), voters, None, options=("x", "y"))
    assert tie.winner is None
    assert "no winner: x, y tie with 3" in tie.explanation


def test_poll_with_a_rule_needs_the_majority_against_the_other_options() -> None:
    # x 4, y 2, z 3: x wins the poll, but 4 is not more than half of 9 (absolute).
    voters = electorate(9)
    cast = ballots(voters, (4, "x"), (2, "y"), (3, "z"))
    outcome = count(
        Method.POLL, cast, voters, rule(majority=Majority.ABSOLUTE), options=("x", "y", "z")
    )
    assert outcome.winner == "x"
    assert outcome.adopted is False


def test_instant_runoff_in_three_rounds() -> None:
    # 10 ballots on a, b, c, d:
    #   4 × a > b > c     3 × b > c > a     2 × c > b > a     1 × d > c > b
    # Round 1: a 4, b 3, c 2, d 1. Nobody has more than 10 / 2 = 5; d (1) is out.
    # Round 2: d's ballot goes to c: a 4, b 3, c 3. b and c tie for last; c had
    #          fewer first preferences (2 against 3), so c is out.
    # Round 3: c's two ballots go to b, and d's (d > c > b) too: a 4, b 6. b wins, 6 > 5.
    voters = electorate(10)
    cast = ballots(
        voters,
        (4, ("a", "b", "c")),
        (3, ("b", "c", "a")),
        (2, ("c", "b", "a")),
        (1, ("d", "c", "b")),
    )
    outcome = count(Method.RANKED, cast, voters, None, options=("a", "b", "c", "d"))
    assert outcome.winner == "b"
    assert [dict(r) for r in outcome.rounds] == [
        {"a": 4, "b": 3, "c": 2, "d": 1},
        {"a": 4, "b": 3, "c": 3},
        {"a": 4, "b": 6},
    ]
    assert outcome.totals == {"a": 4, "b": 3, "c": 2, "d": 1}  # first preferences
    assert "eliminated: d" in outcome.explanation
    assert "eliminated: c (tie for last, fewer first preferences or later)" in outcome.explanation


def test_instant_runoff_tie_at_the_end_has_no_winner() -> None:
    voters = electorate(4)
    cast = ballots(voters, (2, ("a",)), (2, ("b",)))
    assert count(Method.RANKED, cast, voters, None, options=("a", "b")).winner is None


def test_score_highest_total_and_ties() -> None:
    # x: 5 + 1 = 6, y: 3 + 3 = 6: a tie, no winner. A third ballot {y: 1} makes y 7.
    voters = electorate(3)
    tied = ballots(voters, (1, {"x": 5, "y": 3}), (1, {"x": 1, "y": 3}))
    outcome = count(Method.SCORE, tied, voters, None, options=("x", "y"))
    assert outcome.totals == {"x": 6, "y": 6}
    assert outcome.winner is None
    won = [*tied, Ballot(list(voters.voters)[2], None, {"y": 1})]
    assert count(Method.SCORE, won, voters, rule(), options=("x", "y")).winner == "y"


# -- colleges ---------------------------------------------------------------------------------


def test_scic_colleges_weigh_each_college_result() -> None:
    # An SCIC with three colleges: workers 50 %, users 30 %, supporters 20 %.
    # Electorate 100: 10 workers, 40 users, 50 supporters. Turnout is unequal:
    #   workers    8 cast: 6 for, 2 against        → a ballot weighs 0.5 / 8 = 1/16
    #   users     20 cast: 5 for, 15 against       → a ballot weighs 0.3 / 20 = 3/200
    #   supporters 10 cast: 4 for, 4 against, 2 abstain → a ballot weighs 0.2 / 10 = 1/50
    # For:     6/16 + 5 × 3/200 + 4/50 = 0.375 + 0.075 + 0.08 = 0.53
    # Against: 2/16 + 15 × 3/200 + 4/50 = 0.125 + 0.225 + 0.08 = 0.43
    # Abstain: 2/50 = 0.04 (the weights cast add up to 1).
    # Counted by heads it would be 15 for, 21 against: rejected. Weighted, a simple
    # majority adopts (0.53 > 0.43), a 2/3 majority does not (2/3 × 0.96 = 0.64).
    # Quorum counts people: 38 of 100 >= a quarter (25).
    colleges = (
        College("workers", "Workers", Decimal("0.5")),
        College("users", "Users", Decimal("0.3")),
        College("supporters", "Supporters", Decimal("0.2")),
    )
    people = {uuid.uuid4(): "workers" for _ in range(10)}
    people |= {uuid.uuid4(): "users" for _ in range(40)}
    people |= {uuid.uuid4(): "supporters" for _ in range(50)}
    voters = Electorate(people, colleges)
    by_college: dict[str, list[uuid.UUID]] = {}
    for voter, college in people.items():
        by_college.setdefault(str(college), []).append(voter)

    def cast_in(college: str, *groups: tuple[int, Stance]) -> list[Ballot]:
        ids = iter(by_college[college])
        return [Ballot(next(ids), college, s) for n, s in groups for _ in range(n)]

    cast = [
        *cast_in("workers", (6, Stance.AGREE), (2, Stance.DISAGREE)),
        *cast_in("users", (5, Stance.AGREE), (15, Stance.DISAGREE)),
        *cast_in("supporters", (4, Stance.AGREE), (4, Stance.DISAGREE), (2, Stance.ABSTAIN)),
    ]
    simple = count(Method.PROPOSAL, cast, voters, rule("0.25"))
    assert simple.adopted is True
    assert (simple.present, simple.electorate) == (38, 100)
    assert simple.totals == {
        "agree": Decimal("0.53"),
        "abstain": Decimal("0.04"),
        "disagree": Decimal("0.43"),
        "block": 0,
    }
    assert list(simple.explanation) == [
        "colleges: workers 50.00 %, users 30.00 %, supporters 20.00 %; "
        "each ballot weighs its college's weight / its ballots",
        "quorum reached: 38 of 100 votes (25 needed: a quarter)",
        "simple majority: 53.00 % for, more than 43.00 % needed",
        "adopted",
    ]
    two_thirds = count(Method.PROPOSAL, cast, voters, rule("0.25", Majority.TWO_THIRDS))
    assert two_thirds.adopted is False
    assert "2/3 majority: 53.00 % for, 64.00 % needed: not enough" in two_thirds.explanation


def test_college_weights_stay_exact_when_they_do_not_divide() -> None:
    # Two colleges of 1/2; college a: 3 ballots (2 for, 1 against), each 1/6;
    # college b: 1 ballot against, 1/2. For 2/6 = 1/3, against 1/6 + 1/2 = 2/3: rejected.
    colleges = (College("a", "A", HALF), College("b", "B", HALF))
    voters = Electorate({uuid.uuid4(): c for c in "aaab"}, colleges)
    ids = list(voters.voters)
    cast = [
        Ballot(ids[0], "a", Stance.AGREE),
        Ballot(ids[1], "a", Stance.AGREE),
        Ballot(ids[2], "a", Stance.DISAGREE),
        Ballot(ids[3], "b", Stance.DISAGREE),
    ]
    outcome = count(Method.PROPOSAL, cast, voters, rule())
    assert outcome.adopted is False
    assert outcome.totals["agree"] + outcome.totals["disagree"] == pytest.approx(Decimal(1))
    assert str(outcome.totals["agree"]).startswith("0.3333333333")


def test_a_ballot_without_college_is_refused_when_there_are_colleges() -> None:
    voters = Electorate({uuid.uuid4(): "a"}, (College("a", "A", Decimal(1)),))
    with pytest.raises(ValueError, match="college None"):
        count(Method.PROPOSAL, [Ballot(None, None, Stance.AGREE)], voters, rule())


def test_ballots_outside_the_electorate_or_twice_are_refused() -> None:
    voters = electorate(2)
    (first, _second) = voters.voters
    with pytest.raises(ValueError, match="not in the electorate"):
        count(Method.PROPOSAL, [Ballot(uuid.uuid4(), None, Stance.AGREE)], voters, rule())
    twice = [Ballot(first, None, Stance.AGREE), Ballot(first, None, Stance.AGREE)]
    with pytest.raises(ValueError, match="two ballots"):
        count(Method.PROPOSAL, twice, voters, rule())


# -- checking choices --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "choice", "message"),
    [
        (Method.PROPOSAL, "object", "not a stance of a proposal vote"),
        (Method.CONSENT, "agree", "not a stance of a consent vote"),
        (Method.POLL, "z", "'z' is not an option of this vote: choose among x, y"),
        (Method.RANKED, ("x", "x"), "x repeated"),
        (Method.RANKED, ("x", "q"), "'q' is not an option"),
        (Method.RANKED, "x", "a list of options"),
        (Method.SCORE, {"x": 6}, "from 0 to 5, not 6"),
        (Method.SCORE, {"x": -1}, "from 0 to 5, not -1"),
        (Method.SCORE, {"q": 1}, "'q' is not an option"),
        (Method.SCORE, {}, "at least one option"),
    ],
)
def test_check_choice_refuses_with_a_reason(method: Method, choice: Choice, message: str) -> None:
    with pytest.raises(InvalidChoice, match=message.replace("(", r"\(")):
        check_choice(method, choice, ("x", "y"))


@pytest.mark.parametrize(
    ("method", "choice"),
    [
        (Method.PROPOSAL, "block"),
        (Method.CONSENT, "object"),
        (Method.POLL, "y"),
        (Method.RANKED, ("y", "x")),
        (Method.RANKED, ("y",)),
        (Method.SCORE, {"x": 0, "y": 5}),
    ],
)
def test_check_choice_accepts(method: Method, choice: Choice) -> None:
    check_choice(method, choice, ("x", "y"))


def test_options_are_needed_for_an_option_vote() -> None:
    with pytest.raises(InvalidChoice, match="needs options"):
        check_choice(Method.POLL, "x", ())


# -- properties --------------------------------------------------------------------------------

STANCE_LIST = [Stance.AGREE, Stance.ABSTAIN, Stance.DISAGREE, Stance.BLOCK]
RULES = st.builds(
    rule,
    quorum=st.sampled_from(["0", "0.25", "0.5", "0.3333"]),
    majority=st.sampled_from(list(Majority)),
)


@given(stances=st.lists(st.sampled_from(STANCE_LIST), max_size=30), decision=RULES)
def test_adding_an_agree_ballot_never_turns_adopted_into_rejected(
    stances: Sequence[Stance], decision: DecisionRule
) -> None:
    voters = electorate(len(stances) + 1)
    ids = list(voters.voters)
    cast = [Ballot(ids[i], None, s) for i, s in enumerate(stances)]
    before = count(Method.PROPOSAL, cast, voters, decision)
    after = count(Method.PROPOSAL, [*cast, Ballot(ids[-1], None, Stance.AGREE)], voters, decision)
    assert not (before.adopted and not after.adopted)


@given(
    groups=st.lists(st.tuples(st.sampled_from("ab"), st.sampled_from(STANCE_LIST)), max_size=20),
    decision=RULES,
    extra=st.sampled_from("ab"),
)
def test_adding_an_agree_ballot_in_a_college_never_turns_adopted_into_rejected(
    groups: Sequence[tuple[str, Stance]], decision: DecisionRule, extra: str
) -> None:
    colleges = (College("a", "A", Decimal("0.6")), College("b", "B", Decimal("0.4")))
    people = [(uuid.uuid4(), college, stance) for college, stance in groups]
    newcomer = uuid.uuid4()
    voters = Electorate({p: c for p, c, _ in people} | {newcomer: extra}, colleges)
    cast = [Ballot(p, c, s) for p, c, s in people]
    before = count(Method.PROPOSAL, cast, voters, decision)
    after = count(Method.PROPOSAL, [*cast, Ballot(newcomer, extra, Stance.AGREE)], voters, decision)
    assert not (before.adopted and not after.adopted)


RANKINGS = st.permutations(["a", "b", "c"]).flatmap(
    lambda order: st.integers(1, 3).map(lambda n: tuple(order[:n]))
)


@given(data=st.data(), method=st.sampled_from(list(Method)))
def test_the_result_does_not_depend_on_ballot_order(data: st.DataObject, method: Method) -> None:
    choices: st.SearchStrategy[Choice] = {
        Method.PROPOSAL: st.sampled_from([s.value for s in STANCE_LIST]),
        Method.CONSENT: st.sampled_from(["consent", "abstain", "object"]),
        Method.POLL: st.sampled_from(["a", "b", "c"]),
        Method.RANKED: RANKINGS,
        Method.SCORE: st.dictionaries(st.sampled_from("abc"), st.integers(0, 5), min_size=1),
    }[method]
    picked = data.draw(st.lists(choices, max_size=25))
    voters = electorate(len(picked))
    cast = [Ballot(v, None, c) for v, c in zip(voters.voters, picked, strict=True)]
    shuffled = data.draw(st.permutations(cast))
    options = ("a", "b", "c")
    first = count(method, cast, voters, rule("0.25"), options=options)
    again = count(method, shuffled, voters, rule("0.25"), options=options)
    assert first == again


def test_a_quorum_of_a_third_is_exact() -> None:
    # 1/3 as the profiles give it (28 digits): 9 voters need 3 present, and 3 reach it.
    voters = electorate(9)
    third = DecisionRule(Decimal(1) / Decimal(3), Majority.SIMPLE, Decimal(0), Majority.SIMPLE, "")
    outcome = count(Method.PROPOSAL, ballots(voters, (3, Stance.AGREE)), voters, third)
    assert outcome.quorum_reached
    assert outcome.explanation[0] == "quorum reached: 3 of 9 votes (3 needed: a third)"
