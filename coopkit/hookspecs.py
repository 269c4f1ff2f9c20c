"""The contract between the coopkit engine and country plugins.

Every hook is documented here: what it receives, what it returns and how its
results combine. ``firstresult`` hooks stop at the first plugin that returns
something other than ``None``; a plugin returns ``None`` for a country it does
not serve. A plugin writes::

    from coopkit import hookimpl

    @hookimpl
    def coopkit_country():
        return Country(code="PT", ...)

``docs/plugins.md`` describes each hook with an example; a test keeps the two
in step, and another fails if a hook has no ``test_hook_<name>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from coopkit.countries import (
        Country,
        ExpenseCategory,
        IdentifierCheck,
        IdentifierExamples,
        InvoiceMentions,
        LatePaymentTerms,
        PublicHoliday,
        ShareRules,
        SurplusRules,
        VatExemption,
        VatRate,
    )
    from coopkit.governance.rules import AssemblyRules
    from coopkit.law import ParameterSet
    from coopkit.ledger.chart import AccountDefinition
    from coopkit.payroll.rules import PayrollRules

PROJECT = "coopkit"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def coopkit_country() -> Country | None:
    """Describe the country this plugin serves.

    Called on every plugin; the engine collects the non-``None`` results. Two
    plugins claiming the same country code is an error at start-up.

    :return: the :class:`~coopkit.countries.Country` served, or ``None``.
    """


@hookspec(firstresult=True)
def coopkit_validate_national_id(country: str, number: str) -> IdentifierCheck | None:
    """Check a person's national identification number.

    This is a ``firstresult`` hook: the first non-``None`` answer wins.

    :param country: ISO 3166-1 alpha-2 code of the country, upper case.
    :param number: the number as the person typed it (spaces and separators allowed).
    :return: an :class:`~coopkit.countries.IdentifierCheck`, or ``None`` if this
        plugin does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_validate_vat_number(country: str, number: str) -> IdentifierCheck | None:
    """Check a VAT identification number issued in ``country``.

    This is a ``firstresult`` hook: the first non-``None`` answer wins.

    :param country: ISO 3166-1 alpha-2 code of the country that issued the number.
    :param number: the number as typed, with or without the country prefix.
    :return: an :class:`~coopkit.countries.IdentifierCheck` whose ``compact`` form
        carries the country prefix (``BE0403019261``), or ``None`` if this plugin
        does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_validate_iban(country: str, iban: str) -> IdentifierCheck | None:
    """Check a bank account number (IBAN) for a coop of ``country``.

    The IBAN itself may be from any SEPA country; a plugin adds its national
    checks (for example the Belgian BBAN check digits). This is a
    ``firstresult`` hook.

    :param country: ISO 3166-1 alpha-2 code of the coop's country.
    :param iban: the IBAN as typed, spaces allowed.
    :return: an :class:`~coopkit.countries.IdentifierCheck`, or ``None`` if this
        plugin does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_validate_company_id(country: str, number: str) -> IdentifierCheck | None:
    """Check a company's registration number in ``country`` (the cooperative's own).

    France: the SIREN; Belgium: the enterprise number (KBO/BCE). Exports that
    name the company (the French FEC file name) use the ``compact`` form. This
    is a ``firstresult`` hook, optional: without it a cooperative of the
    country cannot record its number.

    :param country: ISO 3166-1 alpha-2 code of the country that registered the company.
    :param number: the number as typed, separators allowed.
    :return: an :class:`~coopkit.countries.IdentifierCheck`, or ``None`` if this
        plugin does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_identifier_examples(country: str) -> IdentifierExamples | None:
    """Give official valid examples of ``country``'s identifiers, for the conformance kit.

    The kit (:class:`coopkit.testing.CountryConformance`) checks that the plugin's
    validators accept each example and reject it once a digit is changed, so a
    validator that accepts anything, or refuses real numbers, is caught. Take the
    examples from official or well-known sources (the IBAN registry's example
    IBANs, the EU's VIES samples, the examples python-stdnum's documentation
    cites) and name them in ``source``. This is a ``firstresult`` hook, required.

    :param country: ISO 3166-1 alpha-2 code, upper case.
    :return: the :class:`~coopkit.countries.IdentifierExamples` of ``country``, or
        ``None`` if this plugin does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_public_holidays(
    country: str, year: int, language: str
) -> Sequence[PublicHoliday] | None:
    """List the national public holidays of ``country`` in ``year``.

    This is a ``firstresult`` hook.

    :param country: ISO 3166-1 alpha-2 code, upper case.
    :param year: the calendar year.
    :param language: the locale to name the holidays in (``nl_BE``, ``fr``); fall
        back to English when the names are not available in it.
    :return: the holidays sorted by day, or ``None`` if this plugin does not
        serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_vat_rates(country: str, on: date, law: ParameterSet) -> Sequence[VatRate] | None:
    """List the VAT rates in force in ``country`` on day ``on``.

    Rates come from the country's dated parameters, never from constants, so
    an invoice dated in the past uses the rates of its day. This is a
    ``firstresult`` hook.

    :param country: ISO 3166-1 alpha-2 code, upper case.
    :param on: the day (an invoice's tax point).
    :param law: the country's legal parameters, loaded and checked by the engine.
    :return: the rates, the standard rate first, or ``None`` if this plugin does
        not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_vat_exemptions(
    country: str, on: date, law: ParameterSet
) -> Sequence[VatExemption] | None:
    """List the VAT exemptions and special schemes an invoice of ``country`` may use on ``on``.

    Each comes with its UNCL 5305 category, its VATEX code, the wording the
    invoice must print (EU VAT directive art. 226 (11) and (11a)) and its legal
    source: reverse charge on services to a business of another member state,
    intra-EU supplies of goods, exports, exempt services, small-business
    schemes. Data, dated, in ``country_profiles/<cc>/vat_exemptions.yaml``
    (``coopkit.plugin_helpers.vat_exemptions_from_law``). A plugin that does
    not implement it offers no exemption. This is a ``firstresult`` hook.

    :param country: ISO 3166-1 alpha-2 code, upper case.
    :param on: the day (an invoice line's tax point).
    :param law: the country's legal parameters, loaded and checked by the engine.
    :return: the :class:`~coopkit.countries.VatExemption` in force, or ``None`` if this
        plugin does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_invoice_mentions(country: str, on: date, law: ParameterSet) -> InvoiceMentions | None:
    """Give what ``country`` adds to the EU's mandatory invoice mentions on ``on``.

    The engine checks the mentions of the EU VAT directive art. 226 itself
    (number, dates, parties, VAT numbers, amounts per rate, exemption wording);
    the plugin adds its national ones: sentences to print (France's late-payment
    penalties and recovery indemnity, Code de commerce L441-9) and fields of the
    coop's seller identity that must be filled (France's SIREN, RCS and capital,
    R123-237; Belgium's enterprise number and RPM seat, CSA art. 2:20). Issuing
    is refused while one is missing. Data, dated, in
    ``country_profiles/<cc>/invoice_mentions.yaml``
    (``coopkit.plugin_helpers.invoice_mentions_from_law``). This is a
    ``firstresult`` hook.

    :param country: ISO 3166-1 alpha-2 code of the coop's country, upper case.
    :param on: the day of issue.
    :param law: the country's legal parameters, loaded and checked by the engine.
    :return: the country's :class:`~coopkit.countries.InvoiceMentions`, or ``None`` if this
        plugin does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_late_payment_terms(
    country: str, on: date, law: ParameterSet
) -> LatePaymentTerms | None:
    """Give what ``country``'s law adds on ``on`` when a business client pays late.

    Directive 2011/7/EU on late payment in commercial transactions: interest
    from the day after the due date at a national rate (Belgium: loi du 2 août
    2002, art. 5, published each semester; France: Code de commerce L441-10,
    the ECB refinancing rate + 10 points), and a fixed compensation for
    recovery costs of at least 40 euros (art. 6). Data, dated, in
    ``country_profiles/<cc>/late_payment.yaml``
    (``coopkit.plugin_helpers.late_payment_terms_from_law``). The engine's
    dunning schedule (``coopkit.collection``) splits a late period where the
    rate changes; without this hook it sends reminders with no interest and no
    compensation. This is a ``firstresult`` hook, optional.

    :param country: ISO 3166-1 alpha-2 code of the coop's country, upper case.
    :param on: the day the rate must be in force on.
    :param law: the country's legal parameters, loaded and checked by the engine.
    :return: the :class:`~coopkit.countries.LatePaymentTerms` in force on ``on``
        (rate, its validity and source; compensation and its source), or ``None``
        if this plugin does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_payroll_rules(country: str, law: ParameterSet) -> PayrollRules | None:
    """Give the payroll rules of ``country``: how its law turns gross pay into a payslip.

    The engine owns the pipeline (payslips one by one or in batches, the budget
    simulator, rounding, lines); the plugin owns the law, as a
    :class:`~coopkit.payroll.PayrollRules` that builds a
    :class:`~coopkit.payroll.Schedule` (rules as data) for a month and a profile
    from the dated parameters. This is a ``firstresult`` hook.

    :param country: ISO 3166-1 alpha-2 code, upper case.
    :param law: the country's legal parameters, loaded and checked by the engine;
        every rate, ceiling and threshold comes from it, never from constants.
    :return: the country's :class:`~coopkit.payroll.PayrollRules`, or ``None`` if
        this plugin does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_chart_of_accounts(
    country: str, on: date, law: ParameterSet
) -> Sequence[AccountDefinition] | None:
    """Give the accounts of the national chart that coopkit posts to, one per role.

    The engine posts to roles (``bank``, ``client_receivables``,
    ``activity_funds``…, see :class:`~coopkit.ledger.chart.AccountRole`); the
    plugin says which account of its national chart plays each one (number,
    name, type, whether it may go negative, legal source). Every role must have
    exactly one account of the type the role needs; the engine refuses a chart
    that does not. A cooperative's books are opened from this chart, and each
    activity gets its sub-accounts of the roles split by activity. This is a
    ``firstresult`` hook.

    :param country: ISO 3166-1 alpha-2 code, upper case.
    :param on: the day the books are opened (the chart in force that day).
    :param law: the country's legal parameters, loaded and checked by the engine;
        the chart is data there (``country_profiles/<cc>/accounts.yaml``).
    :return: the :class:`~coopkit.ledger.chart.AccountDefinition` of every role,
        or ``None`` if this plugin does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_expense_categories(
    country: str, on: date, law: ParameterSet
) -> Sequence[ExpenseCategory] | None:
    """List the kinds of expense a member may claim and how much of their VAT is deductible.

    National VAT law excludes or limits the deduction of VAT on some expenses
    (hotels and restaurants, passenger cars, gifts above a value…); the fraction
    is dated law, so a claim uses the rule of the expense's day. The engine
    applies the fraction to the VAT of a claim (rounded half-up to the cent),
    books that part as deductible VAT and charges the rest to the activity.
    Optional while the engine grows: a country without it cannot take expense
    claims. This is a ``firstresult`` hook.

    :param country: ISO 3166-1 alpha-2 code, upper case.
    :param on: the day of the expense.
    :param law: the country's legal parameters, loaded and checked by the engine;
        the categories are data there (``country_profiles/<cc>/expense_vat.yaml``).
    :return: the :class:`~coopkit.countries.ExpenseCategory` list in force on
        ``on``, the general category first, or ``None`` if this plugin does not
        serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_assembly_rules(country: str, on: date, law: ParameterSet) -> AssemblyRules | None:
    """Give the rules ``country``'s cooperative law sets for a general assembly on ``on``.

    Notice days of a convocation, the quorum and majority of ordinary and
    extraordinary items and on a second call, the proxies a member may carry
    and the bounds of a voting college's weight, each with its legal source
    (Belgium: Code des sociétés et des associations, book 6; France: loi
    n° 47-1775 and the Code de commerce for the SA coopérative, loi n° 78-763
    for the SCOP). Data, dated, in ``country_profiles/<cc>/governance.yaml``
    (``coopkit.plugin_helpers.assembly_rules_from_law``). The statutes of a
    cooperative may tighten these rules, never loosen them
    (``coopkit.governance.rules.assembly_rules``). Optional: without it the
    engine uses 15 days' notice, no quorum, a simple majority, one proxy and
    no colleges. This is a ``firstresult`` hook.

    :param country: ISO 3166-1 alpha-2 code of the coop's country, upper case.
    :param on: the day of the assembly (the rules in force that day).
    :param law: the country's legal parameters, loaded and checked by the engine.
    :return: the :class:`~coopkit.governance.rules.AssemblyRules` in force on ``on``,
        or ``None`` if this plugin does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_surplus_rules(country: str, on: date, law: ParameterSet) -> SurplusRules | None:
    """Give what ``country``'s cooperative law says about sharing a surplus on ``on``.

    The cap on dividends as a fraction of the paid-up capital (Belgian
    accredited coops: 6 %), the minimum allocations to the legal reserve and to
    the workers (French SCOP, loi n° 78-763 art. 33: 15 % and 25 %), and the
    bounds of dividends by the workers' share and the reserves, each with its
    legal source. :meth:`~coopkit.countries.SurplusRules.refusals` checks a
    :class:`~coopkit.countries.SurplusSplit`; the engine refuses a surplus
    resolution the law refuses, citing the rule. Data, dated, in
    ``country_profiles/<cc>/surplus.yaml``
    (``coopkit.plugin_helpers.surplus_rules_from_law``). Optional: without it
    only the arithmetic is checked. This is a ``firstresult`` hook.

    :param country: ISO 3166-1 alpha-2 code of the coop's country, upper case.
    :param on: the day the surplus is shared (the assembly's day).
    :param law: the country's legal parameters, loaded and checked by the engine.
    :return: the :class:`~coopkit.countries.SurplusRules` in force on ``on``, or ``None``
        if this plugin does not serve ``country``.
    """


@hookspec(firstresult=True)
def coopkit_share_rules(country: str, on: date, law: ParameterSet) -> ShareRules | None:
    """Give what ``country``'s cooperative law says on ``on`` about redeeming members' shares.

    A member who leaves or reduces their holding takes back their
    contribution; the law limits when and how much (Belgium: resignation only
    in the first six months of the financial year unless the statutes say
    otherwise, CSA art. 6:120 §1; France: a cooperative with variable capital
    may not go below a quarter of the highest capital it has reached, loi n°
    47-1775 art. 13 and Code de commerce L231-5). Data, dated, in
    ``country_profiles/<cc>/shares.yaml``
    (``coopkit.plugin_helpers.share_rules_from_law``). The engine refuses a
    redemption outside the window or under the floor, citing the source;
    without this hook it applies only the statutes' minimum (the tenant's
    share policy). This is a ``firstresult`` hook, optional.

    :param country: ISO 3166-1 alpha-2 code of the coop's country, upper case.
    :param on: the day of the redemption.
    :param law: the country's legal parameters, loaded and checked by the engine.
    :return: the :class:`~coopkit.countries.ShareRules` in force on ``on``, or ``None``
        if this plugin does not serve ``country``.
    """
