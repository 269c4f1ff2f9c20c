"""The conformance kit, run on this plugin: each check is one test, named after it.

Run with ``python -m pytest plugins/coopkit-{{ cookiecutter.slug }}``. A failure names the
hook or the parameter at fault and how to fix it; placeholders left in
country_profiles/{{ cookiecutter.slug }}/ are reported as warnings, not failures.
"""

{% if cookiecutter.identifiers_gap or cookiecutter.holidays_gap -%}
import pytest

from coopkit.conformance.subject import Subject
{% endif -%}
from coopkit.testing import CountryConformance


class TestConformance(CountryConformance):
    country = {{ cookiecutter.code | py_quoted }}
{%- if cookiecutter.identifiers_gap %}

    # PLACEHOLDER: known to fail until the gap is filled; strict, so that once it passes
    # this override fails as a reminder to delete it.
    @pytest.mark.xfail(
        strict=True,
        reason={{ cookiecutter.identifiers_gap | quoted_lines(8) }},
    )
    def test_identifiers(self, conformance_subject: Subject) -> None:
        super().test_identifiers(conformance_subject)
{%- endif %}
{%- if cookiecutter.holidays_gap %}

    # PLACEHOLDER: known to fail until the holidays are written (strict: see above).
    @pytest.mark.xfail(
        strict=True,
        reason={{ cookiecutter.holidays_gap | quoted_lines(8) }},
    )
    def test_holidays(self, conformance_subject: Subject) -> None:
        super().test_holidays(conformance_subject)
{%- endif %}
