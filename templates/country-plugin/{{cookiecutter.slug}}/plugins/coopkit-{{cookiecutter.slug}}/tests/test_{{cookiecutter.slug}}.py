"""This country's own tests: add a worked example for each rule you write."""

from __future__ import annotations

import datetime as dt

from coopkit.plugins import PluginHost


def test_the_plugin_serves_its_country(coopkit_host: PluginHost) -> None:
    country = coopkit_host.country({{ cookiecutter.code | py_quoted }})
    assert country.name == {{ cookiecutter.country_name | py_quoted }}
    assert country.currency == {{ cookiecutter.currency | py_quoted }}
    assert country.plugin == {{ cookiecutter.slug | py_quoted }}


def test_the_standard_vat_rate_comes_first(coopkit_host: PluginHost) -> None:
    country = coopkit_host.country({{ cookiecutter.code | py_quoted }})
    assert country.covers_from is not None
    rates = coopkit_host.vat_rates(country.code, max(country.covers_from, dt.date.today()))
    assert rates[0].code == "standard"
