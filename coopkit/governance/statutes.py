"""The cooperative's statutes: voting rules stricter than the law, never looser.

The law of the country sets a floor (:func:`coopkit.governance.rules.law_rules`);
the statutes a cooperative adopts may ask more: a longer notice, a higher
quorum, a stronger majority, fewer proxies. A :class:`Statutes` row records
what the statutes say from a day on (``None``: they say nothing, the law holds);
rows are append-only and the latest ``valid_from`` on or before a day holds (of
two for one day, the one recorded later). :func:`set_statutes` refuses a row
looser than the law in force on its first day, citing the law;
:func:`tightened` takes the stricter of law and statutes on each point, so
statutes left behind by a stricter new law never loosen it.

Majorities are ordered simple < absolute < 2/3 < 3/4 (``Majority.strength``).
With many abstentions a 2/3 of the votes expressed can carry less than an
absolute majority of the votes cast; coopkit still takes 2/3 as the stricter.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Index, Integer, Text, Uuid
from sqlalchemy.orm import Mapped, Session, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.dated import in_force
from coopkit.db.types import Rate, enum_column
from coopkit.governance.rules import (
    AssemblyRules,
    DecisionRule,
    ItemKind,
    Majority,
    RuleRefused,
)
from coopkit.governance.tally import as_share


class Statutes(AppendOnly, TenantOwned, Base):
    """What the statutes add to the law's assembly rules, from ``valid_from`` on."""

    __tablename__ = "statutes"
    final_reason = "record the statutes as amended from a later day"
    __table_args__ = (
        CheckConstraint("notice_days IS NULL OR notice_days >= 0", name="notice_not_negative"),
        CheckConstraint("max_proxies IS NULL OR max_proxies >= 0", name="proxies_not_negative"),
        Index("ix_statutes_valid_from", "tenant_id", "valid_from"),
    )

    valid_from: Mapped[date] = mapped_column(Date)
    notice_days: Mapped[int | None] = mapped_column(Integer, default=None)
    ordinary_quorum: Mapped[Decimal | None] = mapped_column(Rate(), default=None)
    ordinary_majority: Mapped[Majority | None] = mapped_column(enum_column(Majority), default=None)
    ordinary_second_call_quorum: Mapped[Decimal | None] = mapped_column(Rate(), default=None)
    ordinary_second_call_majority: Mapped[Majority | None] = mapped_column(
        enum_column(Majority), default=None
    )
    extraordinary_quorum: Mapped[Decimal | None] = mapped_column(Rate(), default=None)
    extraordinary_majority: Mapped[Majority | None] = mapped_column(
        enum_column(Majority), default=None
    )
    extraordinary_second_call_quorum: Mapped[Decimal | None] = mapped_column(Rate(), default=None)
    extraordinary_second_call_majority: Mapped[Majority | None] = mapped_column(
        enum_column(Majority), default=None
    )
    max_proxies: Mapped[int | None] = mapped_column(Integer, default=None)
    # Who adopted this text and where it says so ("EGM of 2024-03-01, art. 25").
    adopted_by: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


_RULE_FIELDS = ("quorum", "majority", "second_call_quorum", "second_call_majority")


def _stricter_rule(law: DecisionRule, statutes: Statutes, kind: ItemKind) -> DecisionRule:
    """``law`` with each point the statutes set more strictly replaced, and the source saying so."""
    changed = {}
    for name in _RULE_FIELDS:
        asked = getattr(statutes, f"{kind.value}_{name}")
        if asked is None:
            continue
        current = getattr(law, name)
        stricter = (
            asked.strength > current.strength
            if isinstance(asked, Majority)
            else as_share(asked) > as_share(current)
        )
        if stricter:
            changed[name] = asked
    if not changed:
        return law
    return replace(law, **changed, source=f"{law.source}; statutes: {statutes.adopted_by}")


def tightened(db: Session, law: AssemblyRules, on: date) -> AssemblyRules:
    """``law`` tightened by the session tenant's statutes in force on ``on``."""
    statutes = in_force(db, Statutes, on)
    if statutes is None:
        return law
    rules = replace(
        law,
        ordinary=_stricter_rule(law.ordinary, statutes, ItemKind.ORDINARY),
        extraordinary=_stricter_rule(law.extraordinary, statutes, ItemKind.EXTRAORDINARY),
    )
    if statutes.notice_days is not None and statutes.notice_days > law.notice_days:
        rules = replace(
            rules,
            notice_days=statutes.notice_days,
            notice_source=f"statutes: {statutes.adopted_by}",
        )
    if statutes.max_proxies is not None and (
        law.proxies_set_by_statutes or statutes.max_proxies < law.max_proxies
    ):
        rules = replace(
            rules,
            max_proxies=statutes.max_proxies,
            proxies_per_members=None,
            proxies_source=f"statutes: {statutes.adopted_by}",
        )
    return rules


def looser_than_law(statutes: Statutes, law: AssemblyRules) -> list[str]:
    """What in ``statutes`` is looser than ``law`` (each with the law's source); empty if none."""
    problems = []
    if statutes.notice_days is not None and statutes.notice_days < law.notice_days:
        problems.append(
            f"a notice of {statutes.notice_days} days is shorter than the law's "
            f"{law.notice_days} ({law.notice_source})"
        )
    for kind in ItemKind:
        rule = law.rule(kind)
        for name in _RULE_FIELDS:
            asked = getattr(statutes, f"{kind.value}_{name}")
            current = getattr(rule, name)
            if asked is None:
                continue
            looser = (
                asked.strength < current.strength
                if isinstance(asked, Majority)
                else as_share(asked) < as_share(current)
            )
            if looser:
                problems.append(
                    f"the {kind.value} {name.replace('_', ' ')} {asked} is looser than the "
                    f"law's {current} ({rule.source})"
                )
    if (
        statutes.max_proxies is not None
        and not law.proxies_set_by_statutes
        and statutes.max_proxies > law.max_proxies
    ):
        problems.append(
            f"{statutes.max_proxies} proxies per member is more than the law's "
            f"{law.max_proxies} ({law.proxies_source})"
        )
    return problems


def set_statutes(
    db: Session,
    law: AssemblyRules,
    statutes: Statutes,
) -> Statutes:
    """Record ``statutes`` (from its ``valid_from``) after checking it against ``law``, the
    law in force on that day; raise :class:`RuleRefused` naming the rule it would loosen.

    Runs in the caller's transaction; records the change in the audit log.
    """
    from coopkit.audit.service import record

    if not statutes.adopted_by.strip():
        raise RuleRefused("say who adopted these statutes and where (adopted_by)", "statutes")
    for name in ("ordinary", "extraordinary"):
        for quorum in ("quorum", "second_call_quorum"):
            value = getattr(statutes, f"{name}_{quorum}")
            if value is not None and not Decimal(0) <= value <= Decimal(1):
                raise RuleRefused(f"a {name} {quorum.replace('_', ' ')} is a fraction from 0 to 1")
    problems = looser_than_law(statutes, law)
    if problems:
        raise RuleRefused(
            "the statutes may tighten the law, never loosen it: " + "; ".join(problems),
            "law above statutes",
        )
    db.add(statutes)
    db.flush()
    record(
        db,
        "governance.statutes_set",
        "statutes",
        statutes.id,
        {
            "valid_from": statutes.valid_from.isoformat(),
            "adopted_by": statutes.adopted_by,
            "notice_days": statutes.notice_days,
            "max_proxies": statutes.max_proxies,
        },
    )
    return statutes
