"""Reading a resolution's effect payload: exact values, dates, and the refusal that names the field.

A payload comes from a draft resolution (a form or the API) as JSON: amounts
and rates are strings (``"0.065"``), days ISO dates (``"2027-01-01"``). Every
reader here raises :class:`~coopkit.governance.effects.EffectRefused` naming
the field and the rule, so whoever drafts the resolution knows what to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.governance.effects import Adoption, EffectRefused
from coopkit.money import MoneyError, minor_unit, to_decimal

RULE_EXACT = "amounts and rates are exact decimals written as strings"
RULE_NOT_BEFORE = "a decision applies from its adoption on, never before"


def field(payload: Mapping[str, Any], name: str) -> Any:
    """The value of ``name``; refused when the payload lacks it."""
    if name not in payload or payload[name] is None:
        raise EffectRefused(f"the decision needs {name!r}", RULE_EXACT)
    return payload[name]


def exact(payload: Mapping[str, Any], name: str) -> Decimal:
    """An exact decimal (a string or an int, never a float)."""
    try:
        return to_decimal(field(payload, name))
    except MoneyError as error:
        raise EffectRefused(f"{name}: {error}", RULE_EXACT) from None


def rate(payload: Mapping[str, Any], name: str) -> Decimal:
    """A fraction from 0 to 1 (``"0.065"`` for 6.5 %)."""
    value = exact(payload, name)
    if not Decimal(0) <= value <= Decimal(1):
        raise EffectRefused(
            f"{name} {value}: give a fraction from 0 to 1 (0.065 for 6.5 %)",
            "a rate is a fraction of the amount it applies to",
        )
    return value


def amount(payload: Mapping[str, Any], name: str, currency: str) -> Decimal:
    """An amount of 0 or more with no more decimals than ``currency`` has."""
    value = exact(payload, name)
    if value < 0:
        raise EffectRefused(f"{name} {value}: give an amount of 0 or more", "no part is negative")
    unit = minor_unit(currency)
    if value != value.quantize(unit):
        raise EffectRefused(
            f"{name} {value}: at most the decimals of {currency} (its smallest unit is {unit})",
            RULE_EXACT,
        )
    return value.quantize(unit)


def day(payload: Mapping[str, Any], name: str) -> date:
    """An ISO date (``"2027-01-01"``) or a date."""
    value = field(payload, name)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise EffectRefused(f"{name} {value!r}: give a date as YYYY-MM-DD", RULE_EXACT) from None


def not_before(valid_from: date, on: date) -> None:
    """Refuse a decision that would apply before the day it takes effect."""
    if valid_from < on:
        raise EffectRefused(
            f"valid_from {valid_from.isoformat()} is before the decision "
            f"({on.isoformat()}): choose {on.isoformat()} or later",
            RULE_NOT_BEFORE,
        )


def audit_applied(
    db: Session, kind: str, adoption: Adoption, payload: Mapping[str, Any], **extra: Any
) -> None:
    """Record in the audit chain that an adopted resolution changed the configuration."""
    record(
        db,
        f"resolution.{kind}_applied",
        "resolution",
        adoption.resolution_id,
        {
            "title": adoption.title,
            "adopted_on": adoption.adopted_on,
            "decided_by": adoption.decided_by,
            "payload": dict(payload),
            **extra,
        },
    )
