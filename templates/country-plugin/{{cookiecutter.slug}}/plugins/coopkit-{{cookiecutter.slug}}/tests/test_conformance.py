"""The conformance kit, run on this plugin: each check is one test, named after it.

Run with ``python -m pytest plugins/coopkit-{{ cookiecutter.slug }}``. A failure names the
hook or the parameter at fault and how to fix it; placeholders left in
country_profiles/{{ cookiecutter.slug }}/ are reported as warnings, not failures.
"""

from coopkit.testing import CountryConformance


class TestConformance(CountryConformance):
    country = {{ cookiecutter.code | py_quoted }}
