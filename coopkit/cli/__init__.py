"""The ``coopkit`` command line for operators."""

from __future__ import annotations

import sys

import click

from coopkit.cli.commands import cli


def main() -> None:
    """Entry point of the ``coopkit`` console script."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)


__all__ = ["cli", "click", "main"]
