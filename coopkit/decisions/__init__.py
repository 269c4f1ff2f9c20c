"""Decisions that change the coop: the effects an adopted resolution applies by itself.

Importing this package registers every effect in coopkit.governance.effects
(``fee_rate``, ``guarantee_floor``, ``surplus_distribution``,
``data_use_policy``); ``effect_of`` imports it on first use. See
docs/decisions.md.
"""

from coopkit.decisions import data_use, rates, surplus

__all__ = ["data_use", "rates", "surplus"]
