"""coopkit-de passes the conformance kit (coopkit.testing.CountryConformance)."""

from __future__ import annotations

from coopkit.testing import CountryConformance


class TestConformance(CountryConformance):
    country = "DE"
    plugins = "de"
