"""Which member data may be used for what: the assembly's policy and each member's consent.

:func:`may_use` is the one question the code asks before it uses a member's
data for a :class:`Purpose` (the directory, statistics, sharing with partner
coops). The answer combines:

- the **policy** in force on the day (effect ``data_use_policy``, dated,
  append-only): per purpose ``never``, ``with_consent`` or ``always``. Without
  any policy, every purpose is ``with_consent``: nothing is used until the
  member agrees;
- the member's **consent** for the purpose, when the rule asks for it: the
  latest grant or withdrawal recorded by the end of the day. No consent
  recorded means no.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.db.dated import in_force
from coopkit.db.tenancy import USER_KEY
from coopkit.decisions.models import DataUsePolicy, MemberConsent, Purpose, Rule
from coopkit.decisions.payload import audit_applied, day, field, not_before
from coopkit.governance.effects import Adoption, EffectRefused, register

DEFAULT_RULE = Rule.WITH_CONSENT
RULE_PURPOSES = "a data-use policy gives a rule (never, with_consent, always) per purpose"


def rules_on(db: Session, on: date) -> dict[Purpose, Rule]:
    """The rule of every purpose on ``on``: the policy in force, ``with_consent`` where none is."""
    policy = in_force(db, DataUsePolicy, on)
    given = policy.rules if policy is not None else {}
    return {purpose: Rule(given.get(purpose.value, DEFAULT_RULE)) for purpose in Purpose}


def policy_on(db: Session, on: date) -> DataUsePolicy | None:
    """The policy row in force on ``on`` (who decided it, from when), or None."""
    return in_force(db, DataUsePolicy, on)


def _end_of(on: date) -> datetime:
    return datetime.combine(on + timedelta(days=1), time.min, tzinfo=UTC)


def consents_on(
    db: Session, purpose: Purpose, on: date, user_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, bool]:
    """Each member's latest answer for ``purpose`` recorded by the end of ``on``."""
    query = (
        select(MemberConsent.user_id, MemberConsent.granted)
        .where(MemberConsent.purpose == purpose, MemberConsent.recorded_at < _end_of(on))
        .order_by(MemberConsent.recorded_at)
    )
    if user_ids is not None:
        query = query.where(MemberConsent.user_id.in_(list(user_ids)))
    latest: dict[uuid.UUID, bool] = {}
    for user_id, granted in db.execute(query):
        latest[user_id] = granted
    return latest


def may_use(db: Session, user_id: uuid.UUID, purpose: Purpose, on: date) -> bool:
    """Whether the member's data may be used for ``purpose`` on ``on``: THE question to ask."""
    return user_id in allowed(db, [user_id], purpose, on)


def allowed(
    db: Session, user_ids: Iterable[uuid.UUID], purpose: Purpose, on: date
) -> set[uuid.UUID]:
    """Those of ``user_ids`` whose data may be used for ``purpose`` on ``on`` (one query each)."""
    wanted = list(user_ids)
    rule = rules_on(db, on)[purpose]
    if rule is Rule.NEVER:
        return set()
    if rule is Rule.ALWAYS:
        return set(wanted)
    answers = consents_on(db, purpose, on, wanted)
    return {user_id for user_id in wanted if answers.get(user_id, False)}


def record_consent(
    db: Session, user_id: uuid.UUID, purpose: Purpose, granted: bool
) -> MemberConsent:
    """Record that the member grants or withdraws ``purpose``, and audit it."""
    actor = db.info.get(USER_KEY)
    row = MemberConsent(
        user_id=user_id,
        purpose=purpose,
        granted=granted,
        recorded_by=actor if isinstance(actor, uuid.UUID) else None,
    )
    db.add(row)
    db.flush()
    record(
        db,
        "consent.granted" if granted else "consent.withdrawn",
        "member",
        user_id,
        {"purpose": purpose, "consent_id": row.id},
    )
    return row


class DataUsePolicyEffect:
    """Set the rule of one or more purposes from a day on; the others keep theirs."""

    kind = "data_use_policy"
    label = "Decide how members' data may be used"

    def validate(self, db: Session, payload: Mapping[str, Any], on: date) -> dict[str, Any]:
        valid_from = day(payload, "valid_from")
        not_before(valid_from, on)
        given = field(payload, "purposes")
        if not isinstance(given, Mapping) or not given:
            raise EffectRefused("purposes: give at least one purpose and its rule", RULE_PURPOSES)
        purposes: dict[str, str] = {}
        for name, rule in given.items():
            try:
                purposes[Purpose(name).value] = Rule(rule).value
            except ValueError:
                raise EffectRefused(
                    f"purposes: {name!r} → {rule!r}: purposes are "
                    f"{', '.join(p.value for p in Purpose)}; rules are "
                    f"{', '.join(r.value for r in Rule)}",
                    RULE_PURPOSES,
                ) from None
        return {"valid_from": valid_from.isoformat(), "purposes": purposes}

    def apply(self, db: Session, payload: Mapping[str, Any], adoption: Adoption) -> None:
        checked = self.validate(db, payload, adoption.adopted_on)
        valid_from = date.fromisoformat(checked["valid_from"])
        rules = {p.value: r.value for p, r in rules_on(db, valid_from).items()}
        rules.update(checked["purposes"])
        actor = db.info.get(USER_KEY)
        row = DataUsePolicy(
            valid_from=valid_from,
            rules=rules,
            decided_by=adoption.decided_by[:300],
            recorded_by=actor if isinstance(actor, uuid.UUID) else None,
        )
        db.add(row)
        db.flush()
        audit_applied(db, self.kind, adoption, checked, policy_id=row.id, rules=rules)


DATA_USE_POLICY = register(DataUsePolicyEffect())
