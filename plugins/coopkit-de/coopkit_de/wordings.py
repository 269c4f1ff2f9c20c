"""The labels of country_profiles/de/ as messages, for `make messages`.

The law files hold them in English; listing them here lets Babel extract them
into this plugin's catalog (``locale/``), so that pages and documents print them
in the member's or the client's language. Add each new label of the profile.
"""

from __future__ import annotations

from coopkit.i18n import _

WORDINGS = (
    _("Standard rate"),
    _("Reduced rate (food, books, cultural services, …)"),
)
