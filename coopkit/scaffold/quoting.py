"""Jinja filters that let a template put any name into TOML, YAML or Python safely.

"Côte d'Ivoire" or "Bosnia & Herzegovina" must survive every file a template
writes. A JSON string literal is also a valid TOML basic string, a YAML
double-quoted scalar and a Python string literal, so one filter serves all
three. Templates declare it in ``cookiecutter.json``::

    "_extensions": ["coopkit.scaffold.quoting.QuotingExtension"]

and write ``name = {{ cookiecutter.name | quoted }}`` (``py_quoted`` in Python files,
for the quotes ruff's formatter prefers).
"""

from __future__ import annotations

import json
import textwrap

from jinja2 import Environment
from jinja2.ext import Extension


def quoted(value: object) -> str:
    """``value`` as a double-quoted string literal valid in TOML, YAML, JSON and Python."""
    return json.dumps(str(value), ensure_ascii=False)


def py_quoted(value: object) -> str:
    """``value`` as a Python literal in the quotes ruff's formatter would choose.

    Double quotes, unless the text holds more double quotes than single ones
    (``'Schweiz "CH" d\\'Italia'`` needs fewer escapes than the double-quoted form).
    """
    text = str(value)
    if text.count('"') <= text.count("'"):
        return quoted(text)
    escaped = json.dumps(text, ensure_ascii=False)[1:-1].replace('\\"', '"').replace("'", "\\'")
    return f"'{escaped}'"


def quoted_lines(value: object, indent: int = 4, width: int = 96) -> str:
    """``value`` quoted, split into implicitly concatenated literals if it is too long.

    For Python only: ``source={{ text | quoted_lines(4) }}`` gives one literal when it fits
    in ``width`` columns after ``indent``, else ``(`` + one literal per line + ``)``.
    """
    text = str(value)
    if indent + len(quoted(text)) + 12 <= width:
        return quoted(text)
    inner = " " * (indent + 4)
    pieces = textwrap.wrap(text, width - indent - 10, drop_whitespace=False)
    body = "\n".join(inner + quoted(piece) for piece in pieces)
    return "(\n" + body + "\n" + " " * indent + ")"


class QuotingExtension(Extension):
    """Adds the quoting filters to cookiecutter's Jinja environment."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["quoted"] = quoted
        environment.filters["quoted_lines"] = quoted_lines
        environment.filters["py_quoted"] = py_quoted
