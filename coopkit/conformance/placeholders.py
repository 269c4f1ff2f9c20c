"""Placeholders: values a template wrote (``placeholder: true``) that are not yet the law.

``coopkit new-country`` starts a profile with stand-ins so that the plugin runs at
once; each is flagged, and the kit reports each one as a warning — not a failure,
since a new plugin is expected to have them — until the author replaces it with
the real value, its source and its date.
"""

from __future__ import annotations

from coopkit.conformance.subject import Subject


class PlaceholderWarning(UserWarning):
    """A country profile still holds a placeholder value."""


def placeholder_notes(subject: Subject) -> list[str]:
    """One sentence per placeholder value of the country's profile, naming where it is."""
    law = subject.host.law(subject.code)
    return [
        subject.says(
            f"parameter {value.parameter} (from {value.valid_from}, {law.origin})",
            "is a placeholder, not the law",
            "replace it with the real value, its source and its date, and delete "
            "`placeholder: true`",
        )
        for value in law.placeholders()
    ]
