"""What membership and share operations refuse, each with a sentence that says what to do.

A refusal grounded in law or statutes carries the ``rule`` that forbids it
(an article, the statutes' clause), so pages and the API can cite it.
"""

from __future__ import annotations


class MembershipError(ValueError):
    """A request that cannot be done as asked; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.rule = rule


class RuleRefused(MembershipError):
    """Refused by a rule of the law, the statutes or the share class, cited in ``rule``."""

    def __init__(self, message: str, rule: str, field: str | None = None) -> None:
        super().__init__(f"{message} ({rule})", field, rule)


class MembershipConflict(MembershipError):
    """Decided or done already (an application admitted, a subscription paid)."""


class MembershipForbidden(PermissionError):
    """The person may not do this (a member subscribing for someone else)."""


class MembershipNotFound(LookupError):
    def __init__(self, what: str) -> None:
        super().__init__(f"no {what} here")
