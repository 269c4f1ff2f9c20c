"""The one error scaffolding raises: bad input or a target in the way, said plainly."""

from __future__ import annotations


class ScaffoldError(ValueError):
    """Input a template cannot be rendered with; the message names the rule and the fix."""
