"""The invoice wordings and labels of country_profiles/fr/ as messages, for `make messages`.

The law files hold them in English; listing them here lets Babel extract them
into this plugin's catalog so that they are printed in the client's language.
A test fails when a wording of the profile is missing here.
"""

from __future__ import annotations

from coopkit.i18n import _

WORDINGS = (
    _("Vocational training and education (CGI art. 261, 4, 4°)"),
    _(
        "VAT exemption: education and vocational training (French General Tax Code, art. 261, 4, 4°; Directive 2006/112/EC, art. 132, 1, i)."
    ),
    _("Export outside the EU"),
    _(
        "VAT exemption: export (French General Tax Code, art. 262, I; Directive 2006/112/EC, art. 146)."
    ),
    _("Goods delivered to a business in another EU country"),
    _(
        "VAT exemption: intra-Community supply of goods (French General Tax Code, art. 262 ter, I; Directive 2006/112/EC, art. 138)."
    ),
    _("Services to a business in another EU country (reverse charge)"),
    _(
        "Reverse charge: the VAT is due by the customer (French General Tax Code, art. 259 and 283, 2; Directive 2006/112/EC, art. 196)."
    ),
    _("Small-business franchise (CGI art. 293 B)"),
    _("VAT not applicable, art. 293 B of the French General Tax Code."),
    _("No discount for early payment."),
    _(
        "Late payment: penalties at the interest rate of the European Central Bank's most recent refinancing operation plus 10 percentage points, due from the day after the due date without a reminder."
    ),
    _("Legal form (e.g. SCOP SA)"),
    _("Fixed indemnity for recovery costs in case of late payment, 40 euros."),
    _("Share capital (e.g. « à capital variable »)"),
    _("SIREN number"),
    _("Trade register and city of the registry (e.g. RCS Lyon)"),
    # The names of the legal forms of legal_forms.yaml (coopkit_legal_forms).
    _("Workers' cooperative (SCOP SARL or SAS)"),
    _("Workers' cooperative (SCOP SA)"),
    _("Cooperative of collective interest (SCIC SARL or SAS)"),
)
