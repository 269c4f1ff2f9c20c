"""The invoice wordings and labels of country_profiles/be/ as messages, for `make messages`.

The law files hold them in English; listing them here lets Babel extract them
into this plugin's catalog so that they are printed in the client's language.
A test fails when a wording of the profile is missing here.
"""

from __future__ import annotations

from coopkit.i18n import _

WORDINGS = (
    _("Exempt activities of article 44 of the VAT Code (education, care, culture…)"),
    _("Exempt from VAT (Belgian VAT Code, art. 44; Directive 2006/112/EC, art. 132)."),
    _("Export outside the EU"),
    _("Export exempt from VAT (Belgian VAT Code, art. 39; Directive 2006/112/EC, art. 146)."),
    _("Goods delivered to a business in another EU country"),
    _(
        "Intra-Community supply of goods exempt from VAT (Belgian VAT Code, art. 39bis; Directive 2006/112/EC, art. 138)."
    ),
    _("Services to a business in another EU country (reverse charge)"),
    _(
        "Reverse charge: the VAT is due by the customer (Belgian VAT Code, art. 21, § 2; Directive 2006/112/EC, art. 196)."
    ),
    _("Enterprise number (BCE/KBO)"),
    _("Legal form (e.g. SC, société coopérative)"),
    _("Bank account (IBAN)"),
    _("Register of legal entities and court of the seat (e.g. RPM Bruxelles)"),
    # The names of the legal forms of legal_forms.yaml (coopkit_legal_forms).
    _("Cooperative company (SC/CV)"),
)
