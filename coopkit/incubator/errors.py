"""What the incubator refuses, each with a sentence that says what to do.

A refusal grounded in law (the legal form's minimum of founders) carries the
``rule`` that says so, so pages and the API can cite it.
"""

from __future__ import annotations


class IncubatorError(ValueError):
    """A request that cannot be done as asked; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(f"{message} ({rule})" if rule else message)
        self.field = field
        self.rule = rule


class IncubatorConflict(IncubatorError):
    """Done or decided already (a ballot cast, a decision closed, a project launched)."""


class IncubatorForbidden(PermissionError):
    """The person may not do this (a founder acting for another founder)."""


class IncubatorNotFound(LookupError):
    """Not in this incubator, or not visible to the person (a founder of another project)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"no {what} here")
