"""Counting the votes on a resolution: pure functions, no database.

Five methods, the set Loomio has proven (:class:`Method`). :func:`count` takes
the ballots, the electorate of the record date and, for a decision, a
:class:`~coopkit.governance.rules.DecisionRule`; it returns an :class:`Outcome`
whose ``explanation`` says in plain words how the result follows from the
figures ("quorum reached: 312 of 540 votes (270 needed: half)").

Arithmetic (exact; rounding only in the explanation strings)
-----------------------------------------------------------
* **Weight of a ballot.** One member, one vote: each ballot weighs 1. With
  voting colleges the vote is counted within each college, then each college's
  result weighs the college's weight (French SCIC, loi n° 47-1775 du 10
  septembre 1947 art. 19 octies; the SCOP and CAE colleges of loi n° 78-763
  art. 9 work the same way): a ballot of college *c* weighs
  ``weight_c / n_c`` where ``n_c`` is the number of ballots cast in *c*,
  abstentions included. A college where nobody voted weighs nothing, which
  shares its weight among the others in proportion to theirs (every majority
  below is a ratio of the weights cast). The weights are computed as
  :class:`fractions.Fraction`, so ``0.5 / 3`` stays exact; ``Outcome.totals``
  shows them as Decimal (28 significant digits), the decision uses the exact
  fractions.
* **Quorum** counts people, not weights, also with colleges: ``present`` is
  the number of ballots (abstentions included; a proxy's ballot is the
  principal's), ``electorate`` the number of voters on the record date, and
  the quorum is reached when ``present / electorate >= rule.quorum``.
  Colleges weigh the votes, not the attendance: the law sets the SCIC quorum
  on the members (L. 47-1775 art. 19 octies leaves quorum to the common rules).
* **Majority** (:class:`~coopkit.governance.rules.Majority`), with *for* the
  weight of AGREE (or of the winning option), *against* the weight of
  DISAGREE + BLOCK (or of the other options) and *cast* every ballot's weight,
  abstentions included:

  - SIMPLE: ``for > against``; a tie rejects;
  - ABSOLUTE: ``for > cast / 2``, abstentions count in ``cast``;
  - TWO_THIRDS: ``for >= 2/3 × (for + against)``; THREE_QUARTERS: ``3/4``;
    the votes expressed leave abstentions out (C. com. L225-96, CSA 6:85).

  Nothing for and nothing against rejects whatever the majority.
* **Second call**: ``second_call_quorum`` and ``second_call_majority``.

Methods
-------
* PROPOSAL — agree / abstain / disagree / block. A **block** is Loomio's
  "I have serious objections and will not stand aside": one block defeats the
  proposal whatever the majority (the statutes of a coop that uses proposals
  accept this veto; a legal assembly vote should use agree/disagree only).
* POLL — one option each; the option with the most weight wins, a tie is no
  winner.
* RANKED — instant runoff. Each round a ballot counts for its most preferred
  option still in the race (a ballot whose options are all out is
  exhausted). An option with more than half of the round's weight wins, or
  the last one left. Otherwise the option with the least weight is
  eliminated; a tie for least eliminates the one with fewer first
  preferences (round 1), then the one listed later in ``options``. Two
  options tied in the last round: no winner.
* SCORE — 0..5 per option (an option not scored scores 0); the highest total
  wins, a tie is no winner.
* CONSENT — consent / abstain / object: adopted when nobody objects, at least
  one member consents and the quorum is reached.

With a rule, POLL and RANKED are adopted when the quorum is reached and the
winner (in RANKED, in the last round) has the majority against the other
options; SCORE when the quorum is reached and there is a winner. Without a
rule they only have a winner (``adopted`` is ``None``); a PROPOSAL or CONSENT
without a rule uses no quorum and a simple majority.
"""

from __future__ import annotations

import enum
import math
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from coopkit.governance.rules import DEFAULT_SOURCE, College, DecisionRule, Majority


class Method(enum.StrEnum):
    PROPOSAL = "proposal"  # stances agree / abstain / disagree / block
    POLL = "poll"  # one option each (options given)
    RANKED = "ranked"  # options ordered by preference (instant runoff)
    SCORE = "score"  # a score 0..5 per option
    CONSENT = "consent"  # consent / abstain / object: adopted unless someone objects


class Stance(enum.StrEnum):
    AGREE = "agree"
    ABSTAIN = "abstain"
    DISAGREE = "disagree"
    BLOCK = "block"
    CONSENT = "consent"
    OBJECT = "object"


STANCES: dict[Method, tuple[Stance, ...]] = {
    Method.PROPOSAL: (Stance.AGREE, Stance.ABSTAIN, Stance.DISAGREE, Stance.BLOCK),
    Method.CONSENT: (Stance.CONSENT, Stance.ABSTAIN, Stance.OBJECT),
}
MAX_SCORE = 5

# PROPOSAL/CONSENT: a Stance value; POLL: an option code; RANKED: tuple of option
# codes, most preferred first; SCORE: {option code: score}
Choice = str | tuple[str, ...] | Mapping[str, int]


class InvalidChoice(ValueError):
    """A ballot's choice that its method does not accept; the message says why."""


@dataclass(frozen=True)
class Ballot:
    voter_id: uuid.UUID | None  # None for a secret ballot
    college: str | None  # the voter's college (kept even when secret)
    choice: Choice


@dataclass(frozen=True)
class Electorate:
    """Who may vote on the record date, and the colleges' weights."""

    voters: Mapping[uuid.UUID, str | None]  # entitled voter -> college code (None: no colleges)
    colleges: Sequence[College] = ()  # weights; empty = one member one vote

    @property
    def size(self) -> int:
        return len(self.voters)


@dataclass(frozen=True)
class Outcome:
    method: Method
    adopted: bool | None  # None for a POLL/RANKED/SCORE without a decision rule
    quorum_reached: bool
    present: Decimal  # people present or represented (ballots cast, abstentions included)
    electorate: Decimal  # people entitled to vote
    totals: Mapping[str, Decimal]  # per stance / option (weighted)
    winner: str | None  # POLL/RANKED/SCORE
    rounds: Sequence[Mapping[str, Decimal]] = ()  # RANKED: each round's count
    explanation: Sequence[str] = ()


# -- the explanation's wording, in one place (the integrator translates it) ------------

MESSAGES = {
    "quorum_none": "no quorum required: {present} of {electorate} votes",
    "quorum_reached": "quorum reached: {present} of {electorate} votes ({needed} needed: {share})",
    "quorum_missed": (
        "quorum not reached: {present} of {electorate} votes ({needed} needed: {share})"
    ),
    "second_call": "second call: the rules of a second call apply",
    "majority_met": "{majority}: {votes_for} for, {needed} needed",
    "majority_missed": "{majority}: {votes_for} for, {needed} needed: not enough",
    "no_votes": "{majority}: no vote for or against",
    "blocked": "blocked: {blocks} block(s), a block defeats the proposal",
    "objected": "objection: {objections} member(s) object, consent needs no objection",
    "no_consent": "no member consents",
    "colleges": "colleges: {weights}; each ballot weighs its college's weight / its ballots",
    "winner": "winner: {option} with {votes}",
    "no_winner_tie": "no winner: {options} tie with {votes}",
    "no_winner_empty": "no winner: no votes",
    "round": "round {number}: {counts}",
    "eliminated": "eliminated: {option}",
    "eliminated_tie": "eliminated: {option} (tie for last, fewer first preferences or later)",
    "adopted": "adopted",
    "rejected": "rejected",
}

MAJORITY_NAMES = {
    Majority.SIMPLE: "simple majority",
    Majority.ABSOLUTE: "absolute majority",
    Majority.TWO_THIRDS: "2/3 majority",
    Majority.THREE_QUARTERS: "3/4 majority",
}

SHARE_NAMES = {
    Fraction(1, 2): "half",
    Fraction(1, 3): "a third",
    Fraction(1, 4): "a quarter",
    Fraction(2, 3): "two thirds",
    Fraction(3, 4): "three quarters",
    Fraction(1, 10): "a tenth",
    Fraction(1, 5): "a fifth",
}


def _say(key: str, **values: object) -> str:
    return MESSAGES[key].format(**values)


# -- checking a choice ---------------------------------------------------------------


def check_choice(method: Method, choice: Choice, options: Sequence[str] = ()) -> None:
    """Raise :class:`InvalidChoice` if ``choice`` is not a valid ballot for ``method``."""
    method = Method(method)
    if method in STANCES:
        allowed = [s.value for s in STANCES[method]]
        if not isinstance(choice, str) or choice not in allowed:
            raise InvalidChoice(
                f"{choice!r} is not a stance of a {method} vote: choose one of {', '.join(allowed)}"
            )
        return
    if not options:
        raise InvalidChoice(f"a {method} vote needs options to choose from")
    known = set(options)
    if method is Method.POLL:
        if not isinstance(choice, str) or choice not in known:
            raise InvalidChoice(_unknown(choice, options))
    elif method is Method.RANKED:
        _check_ranking(choice, options)
    else:
        _check_scores(choice, options)


def _unknown(option: object, options: Sequence[str]) -> str:
    return f"{option!r} is not an option of this vote: choose among {', '.join(options)}"


def _check_ranking(choice: Choice, options: Sequence[str]) -> None:
    if isinstance(choice, str) or not isinstance(choice, tuple | list) or not choice:
        raise InvalidChoice("a ranked vote is a list of options, most preferred first")
    for option in choice:
        if option not in options:
            raise InvalidChoice(_unknown(option, options))
    repeated = sorted({o for o in choice if choice.count(o) > 1})
    if repeated:
        raise InvalidChoice(f"a ranking names each option once: {', '.join(repeated)} repeated")


def _check_scores(choice: Choice, options: Sequence[str]) -> None:
    if not isinstance(choice, Mapping) or not choice:
        raise InvalidChoice("a score vote gives a score to at least one option")
    for option, score in choice.items():
        if option not in options:
            raise InvalidChoice(_unknown(option, options))
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= MAX_SCORE:
            raise InvalidChoice(
                f"the score of {option!r} must be a whole number from 0 to {MAX_SCORE}, "
                f"not {score!r}"
            )


# -- weights -----------------------------------------------------------------------------


def _weights(ballots: Sequence[Ballot], electorate: Electorate) -> list[Fraction]:
    """Each ballot's exact weight: 1, or its college's weight / the college's ballots."""
    if not electorate.colleges:
        return [Fraction(1)] * len(ballots)
    weight = {c.code: Fraction(c.weight) for c in electorate.colleges}
    cast: dict[str, int] = {}
    for ballot in ballots:
        if ballot.college not in weight:
            raise ValueError(
                f"a ballot of college {ballot.college!r}: the colleges are {', '.join(weight)}"
            )
        cast[ballot.college] = cast.get(ballot.college, 0) + 1
    return [weight[b.college] / cast[b.college] for b in ballots if b.college is not None]


def _check_voters(ballots: Sequence[Ballot], electorate: Electorate) -> None:
    seen: set[uuid.UUID] = set()
    for ballot in ballots:
        if ballot.voter_id is None:
            continue
        if ballot.voter_id in seen:
            raise ValueError(f"voter {ballot.voter_id} has two ballots: one member, one vote")
        seen.add(ballot.voter_id)
        if ballot.voter_id not in electorate.voters:
            raise ValueError(f"voter {ballot.voter_id} is not in the electorate of the record date")


def _decimal(value: Fraction) -> Decimal:
    if value.denominator == 1:
        return Decimal(value.numerator)
    return Decimal(value.numerator) / Decimal(value.denominator)


def _show(value: Fraction, weighted: bool) -> str:
    """A figure for the explanation: a whole number of votes, or a percentage of the weight."""
    if not weighted:
        return str(value) if value.denominator == 1 else f"{float(value):.2f}"
    return f"{float(value * 100):.2f} %"


# -- quorum and majority ----------------------------------------------------------------


@dataclass
class _Count:
    """What the decision needs, gathered by each method."""

    present: int
    electorate: int
    votes_for: Fraction
    against: Fraction
    cast: Fraction
    weighted: bool
    lines: list[str]


def as_share(value: Decimal) -> Fraction:
    """``value`` as an exact fraction. A share rounded to 6 decimals or more (a third
    stored as 0.333333 or written 1/3 to 28 digits) reads back as the simple fraction
    (denominator up to 100) it rounds."""
    exact = Fraction(value)
    simple = exact.limit_denominator(100)
    return simple if abs(exact - simple) < Fraction(1, 2 * 10**6) else exact


def _quorum(needed_share: Fraction, present: int, electorate: int, lines: list[str]) -> bool:
    if needed_share == 0:
        lines.append(_say("quorum_none", present=present, electorate=electorate))
        return True
    needed = math.ceil(needed_share * electorate)
    reached = electorate > 0 and Fraction(present, electorate) >= needed_share
    share = SHARE_NAMES.get(needed_share, f"{float(needed_share * 100):g} %")
    key = "quorum_reached" if reached else "quorum_missed"
    lines.append(
        _say(key, present=present, electorate=electorate, needed=max(needed, 1), share=share)
    )
    return reached


def _majority(majority: Majority, c: _Count) -> bool:
    name = MAJORITY_NAMES[majority]
    if c.votes_for == 0 and c.against == 0:
        c.lines.append(_say("no_votes", majority=name))
        return False
    if majority is Majority.SIMPLE:
        met = c.votes_for > c.against
        needed = _more_than(c.against, c.weighted)
    elif majority is Majority.ABSOLUTE:
        met = c.votes_for > c.cast / 2
        needed = _more_than(c.cast / 2, c.weighted)
    else:
        share = Fraction(2, 3) if majority is Majority.TWO_THIRDS else Fraction(3, 4)
        threshold = share * (c.votes_for + c.against)
        met = c.votes_for >= threshold
        needed = _at_least(threshold, c.weighted)
    key = "majority_met" if met else "majority_missed"
    c.lines.append(
        _say(key, majority=name, votes_for=_show(c.votes_for, c.weighted), needed=needed)
    )
    return met


def _more_than(value: Fraction, weighted: bool) -> str:
    """The smallest count strictly above ``value`` (whole votes), or "more than x %"."""
    if weighted:
        return f"more than {_show(value, True)}"
    return str(math.floor(value) + 1)


def _at_least(value: Fraction, weighted: bool) -> str:
    return _show(value, True) if weighted else str(math.ceil(value))


def _decide(rule: DecisionRule, second_call: bool, c: _Count) -> tuple[bool, bool]:
    """(quorum reached, majority met) under ``rule`` on the first or a second call."""
    if second_call:
        c.lines.append(_say("second_call"))
    quorum = as_share(rule.second_call_quorum if second_call else rule.quorum)
    majority = rule.second_call_majority if second_call else rule.majority
    reached = _quorum(quorum, c.present, c.electorate, c.lines)
    return reached, _majority(majority, c)


_NO_RULE = DecisionRule(Decimal(0), Majority.SIMPLE, Decimal(0), Majority.SIMPLE, DEFAULT_SOURCE)


# -- the count -------------------------------------------------------------------------------


def count(
    method: Method,
    ballots: Sequence[Ballot],
    electorate: Electorate,
    rule: DecisionRule | None,
    *,
    options: Sequence[str] = (),
    second_call: bool = False,
) -> Outcome:
    """Count ``ballots`` (already checked with :func:`check_choice`) by ``method``.

    Raises ValueError for a ballot that the electorate does not allow (a voter
    not in it, two ballots of one voter, an unknown college).
    """
    method = Method(method)
    _check_voters(ballots, electorate)
    weights = _weights(ballots, electorate)
    lines: list[str] = []
    if electorate.colleges:
        shares = ", ".join(
            f"{c.code} {_show(Fraction(c.weight), True)}" for c in electorate.colleges
        )
        lines.append(_say("colleges", weights=shares))
    counter = _COUNTERS[method]
    return counter(
        method,
        list(zip(ballots, weights, strict=True)),
        electorate,
        rule,
        options,
        second_call,
        lines,
    )


_Weighted = list[tuple[Ballot, Fraction]]


def _new_count(weighted: _Weighted, electorate: Electorate, lines: list[str]) -> _Count:
    cast = sum((w for _, w in weighted), Fraction(0))
    return _Count(
        len(weighted),
        electorate.size,
        Fraction(0),
        Fraction(0),
        cast,
        bool(electorate.colleges),
        lines,
    )


def _stance_totals(method: Method, weighted: _Weighted) -> dict[str, Fraction]:
    totals = {s.value: Fraction(0) for s in STANCES[method]}
    for ballot, weight in weighted:
        totals[str(ballot.choice)] += weight
    return totals


def _outcome(
    method: Method,
    c: _Count,
    adopted: bool | None,
    reached: bool,
    totals: Mapping[str, Fraction],
    winner: str | None = None,
    rounds: Sequence[Mapping[str, Fraction]] = (),
) -> Outcome:
    if adopted is not None:
        c.lines.append(_say("adopted" if adopted else "rejected"))
    return Outcome(
        method=method,
        adopted=adopted,
        quorum_reached=reached,
        present=Decimal(c.present),
        electorate=Decimal(c.electorate),
        totals={k: _decimal(v) for k, v in totals.items()},
        winner=winner,
        rounds=tuple({k: _decimal(v) for k, v in r.items()} for r in rounds),
        explanation=tuple(c.lines),
    )


def _count_proposal(
    method: Method,
    weighted: _Weighted,
    electorate: Electorate,
    rule: DecisionRule | None,
    options: Sequence[str],
    second_call: bool,
    lines: list[str],
) -> Outcome:
    totals = _stance_totals(method, weighted)
    c = _new_count(weighted, electorate, lines)
    c.votes_for = totals[Stance.AGREE]
    c.against = totals[Stance.DISAGREE] + totals[Stance.BLOCK]
    reached, met = _decide(rule or _NO_RULE, second_call, c)
    blocks = sum(1 for b, _ in weighted if b.choice == Stance.BLOCK)
    if blocks:
        lines.append(_say("blocked", blocks=blocks))
    return _outcome(method, c, reached and met and not blocks, reached, totals)


def _count_consent(
    method: Method,
    weighted: _Weighted,
    electorate: Electorate,
    rule: DecisionRule | None,
    options: Sequence[str],
    second_call: bool,
    lines: list[str],
) -> Outcome:
    totals = _stance_totals(method, weighted)
    c = _new_count(weighted, electorate, lines)
    rule = rule or _NO_RULE
    if second_call:
        lines.append(_say("second_call"))
    quorum = as_share(rule.second_call_quorum if second_call else rule.quorum)
    reached = _quorum(quorum, c.present, c.electorate, lines)
    objections = sum(1 for b, _ in weighted if b.choice == Stance.OBJECT)
    consents = sum(1 for b, _ in weighted if b.choice == Stance.CONSENT)
    if objections:
        lines.append(_say("objected", objections=objections))
    elif not consents:
        lines.append(_say("no_consent"))
    return _outcome(method, c, reached and not objections and consents > 0, reached, totals)


def _option_totals(weighted: _Weighted, options: Sequence[str]) -> dict[str, Fraction]:
    totals = {o: Fraction(0) for o in options}
    for ballot, weight in weighted:
        if isinstance(ballot.choice, Mapping):
            for option, score in ballot.choice.items():
                totals[option] += weight * score
        else:
            totals[str(ballot.choice)] += weight
    return totals


def _top(totals: Mapping[str, Fraction], c: _Count) -> str | None:
    """The option with the highest total, or None on a tie or when nothing was given."""
    best = max(totals.values(), default=Fraction(0))
    leaders = [o for o, v in totals.items() if v == best]
    if best == 0:
        c.lines.append(_say("no_winner_empty"))
        return None
    if len(leaders) > 1:
        c.lines.append(
            _say("no_winner_tie", options=", ".join(leaders), votes=_show(best, c.weighted))
        )
        return None
    c.lines.append(_say("winner", option=leaders[0], votes=_show(best, c.weighted)))
    return leaders[0]


def _winner_decision(
    rule: DecisionRule | None,
    second_call: bool,
    c: _Count,
    winner: str | None,
    final: Mapping[str, Fraction],
    majority_applies: bool,
) -> tuple[bool | None, bool]:
    """(adopted, quorum reached) for a vote between options."""
    if rule is None:
        return None, True
    if not majority_applies:
        if second_call:
            c.lines.append(_say("second_call"))
        quorum = as_share(rule.second_call_quorum if second_call else rule.quorum)
        reached = _quorum(quorum, c.present, c.electorate, c.lines)
        return reached and winner is not None, reached
    c.votes_for = final.get(winner, Fraction(0)) if winner else Fraction(0)
    c.against = sum(final.values(), Fraction(0)) - c.votes_for
    reached, met = _decide(rule, second_call, c)
    return reached and met and winner is not None, reached


def _count_poll(
    method: Method,
    weighted: _Weighted,
    electorate: Electorate,
    rule: DecisionRule | None,
    options: Sequence[str],
    second_call: bool,
    lines: list[str],
) -> Outcome:
    totals = _option_totals(weighted, options)
    c = _new_count(weighted, electorate, lines)
    winner = _top(totals, c)
    adopted, reached = _winner_decision(
        rule, second_call, c, winner, totals, majority_applies=method is Method.POLL
    )
    return _outcome(method, c, adopted, reached, totals, winner)


def _count_ranked(
    method: Method,
    weighted: _Weighted,
    electorate: Electorate,
    rule: DecisionRule | None,
    options: Sequence[str],
    second_call: bool,
    lines: list[str],
) -> Outcome:
    c = _new_count(weighted, electorate, lines)
    rounds, winner = instant_runoff(weighted, options, lines, c.weighted)
    final = rounds[-1] if rounds else {}
    adopted, reached = _winner_decision(rule, second_call, c, winner, final, True)
    return _outcome(method, c, adopted, reached, rounds[0] if rounds else {}, winner, rounds)


def instant_runoff(
    weighted: _Weighted, options: Sequence[str], lines: list[str], as_weight: bool = False
) -> tuple[list[dict[str, Fraction]], str | None]:
    """The rounds of an instant runoff and its winner (see the module's rules)."""
    running = list(options)
    rounds: list[dict[str, Fraction]] = []
    while running:
        tally = {o: Fraction(0) for o in running}
        for ballot, weight in weighted:
            ranking = ballot.choice if isinstance(ballot.choice, tuple | list) else ()
            preferred = next((o for o in ranking if o in tally), None)
            if preferred is not None:
                tally[preferred] += weight
        rounds.append(tally)
        counts = ", ".join(f"{o} {_show(v, as_weight)}" for o, v in tally.items())
        lines.append(_say("round", number=len(rounds), counts=counts))
        total = sum(tally.values(), Fraction(0))
        if total == 0:
            lines.append(_say("no_winner_empty"))
            return rounds, None
        leader = max(running, key=lambda o: tally[o])
        if tally[leader] * 2 > total or len(running) == 1:
            lines.append(_say("winner", option=leader, votes=_show(tally[leader], as_weight)))
            return rounds, leader
        if len(running) == 2 and tally[running[0]] == tally[running[1]]:
            lines.append(
                _say(
                    "no_winner_tie",
                    options=", ".join(running),
                    votes=_show(tally[leader], as_weight),
                )
            )
            return rounds, None
        running.remove(_loser(running, tally, rounds[0], lines))
    return rounds, None


def _loser(
    running: list[str],
    tally: Mapping[str, Fraction],
    first: Mapping[str, Fraction],
    lines: list[str],
) -> str:
    """The option to eliminate: least weight, then fewer first preferences, then later listed."""
    least = min(tally[o] for o in running)
    tied = [o for o in running if tally[o] == least]
    if len(tied) == 1:
        lines.append(_say("eliminated", option=tied[0]))
        return tied[0]
    fewest = min(first[o] for o in tied)
    loser = [o for o in tied if first[o] == fewest][-1]
    lines.append(_say("eliminated_tie", option=loser))
    return loser


_Counter = Callable[
    [Method, _Weighted, Electorate, DecisionRule | None, Sequence[str], bool, list[str]], Outcome
]

_COUNTERS: dict[Method, _Counter] = {
    Method.PROPOSAL: _count_proposal,
    Method.CONSENT: _count_consent,
    Method.POLL: _count_poll,
    Method.SCORE: _count_poll,
    Method.RANKED: _count_ranked,
}
