"""What assemblies and votes refuse, each with the rule that forbids it."""

from __future__ import annotations


class GovernanceError(ValueError):
    """A request the rules refuse; ``rule`` cites what forbids it, ``field`` the input at fault."""

    def __init__(self, message: str, rule: str = "", field: str | None = None) -> None:
        self.rule = rule
        self.field = field
        super().__init__(f"{message} (rule: {rule})" if rule else message)


class GovernanceConflict(GovernanceError):
    """The thing was done already (a second vote, a closed vote, minutes signed)."""


class NotEntitled(GovernanceError):
    """The person is not in the electorate of the record date, or holds no proxy."""


class ResultsHidden(GovernanceError):
    """The results of a vote with hidden results are asked for before it closes."""


class GovernanceNotFound(LookupError):
    def __init__(self, what: str) -> None:
        super().__init__(f"no {what} here")
