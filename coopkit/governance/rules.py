"""The voting rules of a general assembly: the law of the country, tightened by the statutes.

A cooperative's law sets the floor: how many days' notice a convocation
gives, the quorum and the majority of ordinary and extraordinary items and what
changes on a second call, how many proxies one member may carry, the bounds of
a voting college's weight. The country plugin gives them
(``coopkit_assembly_rules``, data in ``country_profiles/<cc>/governance.yaml``);
without it the engine's defaults apply (:data:`ENGINE_DEFAULTS`). The
cooperative's statutes may be stricter, never looser
(:mod:`coopkit.governance.statutes`). :func:`assembly_rules` is the result,
for one tenant on one day.

:mod:`coopkit.governance.tally` counts the votes against a :class:`DecisionRule`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coopkit.governance.tally import Electorate
    from coopkit.plugins import PluginHost
    from coopkit.tenants.models import Tenant


class RuleRefused(ValueError):
    """Statutes or colleges that the law refuses; ``rule`` cites what forbids them."""

    def __init__(self, message: str, rule: str = "") -> None:
        self.rule = rule
        super().__init__(f"{message} ({rule})" if rule else message)


class Majority(enum.StrEnum):
    """How many votes for carry an item.

    Abstentions, blank and spoilt votes count neither for nor against except for
    ``ABSOLUTE``: French company law (C. com. L225-96/L225-98 since loi
    2019-744) and the Belgian CSA (art. 6:83 and 6:85 for the SC) both leave them
    out of the votes expressed.
    """

    SIMPLE = "simple"  # more votes for than against (abstentions not counted)
    ABSOLUTE = "absolute"  # more than half of the votes cast, abstentions included
    TWO_THIRDS = "two_thirds"  # for >= 2/3 of for + against (the votes expressed)
    THREE_QUARTERS = "three_quarters"  # for >= 3/4 of for + against

    @property
    def strength(self) -> int:
        """Order from the loosest to the strictest, to check that statutes only tighten."""
        return list(Majority).index(self)


class ItemKind(enum.StrEnum):
    """An agenda item's kind: what decides its quorum and majority."""

    ORDINARY = "ordinary"
    EXTRAORDINARY = "extraordinary"  # statutes changes, dissolution…


@dataclass(frozen=True)
class DecisionRule:
    """The quorum and majority an item needs, on the first and on a second call.

    ``quorum`` is the share of the electorate present or represented (votes
    cast, abstentions included) that must be reached, ``0`` for none.
    """

    quorum: Decimal
    majority: Majority
    second_call_quorum: Decimal
    second_call_majority: Majority
    source: str


@dataclass(frozen=True)
class AssemblyRules:
    """Everything the law and the statutes say about a general assembly on one day."""

    notice_days: int  # minimum days between convocation and meeting
    notice_source: str
    ordinary: DecisionRule
    extraordinary: DecisionRule
    max_proxies: int  # proxies one holder may carry (besides their own vote)
    proxies_source: str
    college_min: Decimal | None  # bounds on a voting college's weight (FR SCIC: 0.10 and 0.50)
    college_max: Decimal | None
    colleges_source: str
    # One more proxy per this many members (FR SCOP: 20, loi 78-763); None: max_proxies only.
    proxies_per_members: int | None = None
    # The most votes one member may cast, as a share of the votes present or represented
    # (BE accredited coops: 1/10); None: no such limit.
    max_vote_share: Decimal | None = None
    vote_share_source: str = ""
    # The law sets no cap on proxies (BE): max_proxies is the engine's default and the
    # statutes may set any cap, also a higher one.
    proxies_set_by_statutes: bool = False

    def rule(self, kind: ItemKind) -> DecisionRule:
        """The decision rule of an item of ``kind``."""
        return self.extraordinary if kind is ItemKind.EXTRAORDINARY else self.ordinary

    def proxy_cap(self, members: int) -> int:
        """The proxies one member may carry in a coop of ``members`` members."""
        if self.proxies_per_members:
            return max(self.max_proxies, members // self.proxies_per_members)
        return self.max_proxies


@dataclass(frozen=True)
class College:
    """A voting college and its weight (a fraction of all votes of the assembly)."""

    code: str
    name: str
    weight: Decimal


DEFAULT_SOURCE = "coopkit default (no country rule)"

_DEFAULT_DECISION = DecisionRule(
    quorum=Decimal(0),
    majority=Majority.SIMPLE,
    second_call_quorum=Decimal(0),
    second_call_majority=Majority.SIMPLE,
    source=DEFAULT_SOURCE,
)

#: The rules when the country plugin gives none: 15 days' notice, no quorum, a simple
#: majority, one proxy per holder, no colleges.
ENGINE_DEFAULTS = AssemblyRules(
    notice_days=15,
    notice_source=DEFAULT_SOURCE,
    ordinary=_DEFAULT_DECISION,
    extraordinary=_DEFAULT_DECISION,
    max_proxies=1,
    proxies_source=DEFAULT_SOURCE,
    college_min=None,
    college_max=None,
    colleges_source=DEFAULT_SOURCE,
)


def law_rules(country: str, on: date, plugins: PluginHost | None = None) -> AssemblyRules:
    """The rules of ``country``'s law on ``on``: the plugin's, or the engine's defaults."""
    from coopkit.plugins import default_host

    host = plugins or default_host()
    found = host.assembly_rules(country, on)
    return ENGINE_DEFAULTS if found is None else found


def assembly_rules(
    db: Session, tenant: Tenant, on: date, plugins: PluginHost | None = None
) -> AssemblyRules:
    """The country plugin's rules on ``on``, tightened by the tenant's statutes in force."""
    from coopkit.governance.statutes import tightened

    return tightened(db, law_rules(tenant.country, on, plugins), on)


def colleges_on(db: Session, on: date) -> list[College]:
    """The session tenant's voting colleges in force on ``on``; ``[]`` = no colleges."""
    from coopkit.governance.colleges import colleges_on as found

    return found(db, on)


def electorate_on(db: Session, day: date) -> Electorate:
    """Voters on the record date (:func:`coopkit.membership.register.voters_on`) with
    their college; raises :class:`RuleRefused` for a voter without a college when the
    tenant has colleges."""
    from coopkit.governance.colleges import electorate_on as found

    return found(db, day)
