"""Scaffolding: new country plugins, branches and member coops from cookiecutter templates.

The templates live in the repository's top-level ``templates/`` folder (and ship
inside the wheel as ``coopkit/scaffold/templates``); :mod:`coopkit.scaffold.render`
renders one safely, :mod:`coopkit.scaffold.checks` validates what a person typed.
"""

from coopkit.scaffold.checks import check_country_code, check_currency, check_locales, check_name
from coopkit.scaffold.render import ScaffoldError, render_parts, render_template, template_dir

__all__ = [
    "ScaffoldError",
    "check_country_code",
    "check_currency",
    "check_locales",
    "check_name",
    "render_parts",
    "render_template",
    "template_dir",
]
