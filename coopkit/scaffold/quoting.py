"""Jinja filters that let a template put any name into TOML, YAML or Python safely.

"Côte d'Ivoire" or "Bosnia & Herzegovina" must survive every file a template
writes. A JSON string literal is also a valid TOML basic string, a YAML
double-quoted scalar and a Python string literal, so one filter serves all
three. Templates declare it in ``cookiecutter.json``::

    "_extensions": ["coopkit.scaffold.quoting.QuotingExtension"]

and write ``name = {{ cookiecutter.name | quoted }}``.
"""

from __future__ import annotations

import json

from jinja2 import Environment
from jinja2.ext import Extension


def quoted(value: object) -> str:
    """``value`` as a double-quoted string literal valid in TOML, YAML, JSON and Python."""
    return json.dumps(str(value), ensure_ascii=False)


class QuotingExtension(Extension):
    """Adds the ``quoted`` filter to cookiecutter's Jinja environment."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["quoted"] = quoted
