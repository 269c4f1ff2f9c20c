"""Writing TOML values from templates: the ``toml`` Jinja filter the instance templates use.

Names like "Coop d'Économie & Partage" must land in ``instance.toml`` as valid
TOML strings, readable by a person (no ``\\u0027`` as ``tojson`` would write).
Cookiecutter loads :class:`TomlExtension` through ``_extensions`` in the
templates' ``cookiecutter.json``.
"""

from __future__ import annotations

from jinja2 import Environment
from jinja2.ext import Extension

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string, quotes included."""
    out = []
    for char in str(value):
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_list(value: str) -> str:
    """A comma-separated text (``pt_PT,en``) as a TOML array of strings."""
    return "[" + ", ".join(toml_string(p.strip()) for p in str(value).split(",") if p.strip()) + "]"


class TomlExtension(Extension):
    """Adds the ``toml`` and ``toml_list`` filters."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["toml"] = toml_string
        environment.filters["toml_list"] = toml_list
