"""Sample contexts for the engine's document templates, without a database.

Each entry renders one template with what the engine passes it (the context
its header comment documents): real documents where the engine builds them
from plain data (an :class:`~coopkit.invoicing.document.InvoiceDocument`, a
:class:`~coopkit.collection.letters.DunningLetter`), and stand-ins with the
same attributes for the rows that come from the database (a tenant, a payslip,
a register line, an assembly). A template a plugin adds under another name is
only compiled: the kit cannot know its context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from coopkit.countries import Country
from coopkit.money import Money

DAY = dt.date(2026, 3, 13)
Context = dict[str, Any]


def _tenant(country: Country) -> SimpleNamespace:
    return SimpleNamespace(
        name="Coop Sample", slug="coop-sample", country=country.code, currency=country.currency
    )


def invoice_document(country: Country, locale: str) -> Any:
    from coopkit.invoicing.document import (
        DocumentLine,
        InvoiceDocument,
        Party,
        PostalAddress,
        VatBreakdown,
    )

    net, vat = Decimal("1000.00"), Decimal("200.00")
    return InvoiceDocument(
        number="INV-2026-0001",
        is_credit_note=False,
        issue_date=DAY,
        supply_date=DAY,
        due_date=DAY + dt.timedelta(days=30),
        currency=country.currency,
        locale=locale,
        seller=Party(
            "Coop Sample", PostalAddress("Main street 1", "1000", "Capital", country.code)
        ),
        buyer=Party("Client Sample", PostalAddress("Side street 2", "2000", "Town", country.code)),
        lines=(
            DocumentLine(
                1, "Design work", Decimal(10), "HUR", Decimal(100), net, "S", Decimal("0.2")
            ),
        ),
        vat_breakdown=(VatBreakdown("S", Decimal("0.2"), net, vat),),
        net_total=net,
        vat_total=vat,
        gross_total=net + vat,
        paid=Decimal(0),
        due=net + vat,
        payment_reference="RF18539007547034",
        iban="BE68539007547034",
        activity="Sample activity",
        mentions=("A mention the law requires.",),
    )


def _dunning(step: str) -> Callable[[Country, str], Context]:
    def context(country: Country, locale: str) -> Context:
        from coopkit.collection.interest import InterestStretch
        from coopkit.collection.letters import DunningLetter, _context
        from coopkit.collection.models import DunningStepKind

        letter = DunningLetter(
            step=DunningStepKind(step),
            day=DAY + dt.timedelta(days=60),
            days_late=30,
            amount_due=Decimal("1200.00"),
            interest=Decimal("10.36"),
            compensation=Decimal(40),
            commercial=True,
            stretches=(
                InterestStretch(
                    DAY,
                    DAY + dt.timedelta(days=29),
                    Decimal("1200.00"),
                    Decimal("0.105"),
                    "Late payment act, art. 5",
                ),
            ),
            compensation_source="Late payment act, art. 6",
        )
        return _context(letter, invoice_document(country, locale))

    return context


def _invoice(country: Country, locale: str) -> Context:
    from coopkit.invoicing.pdf import context

    return context(invoice_document(country, locale))


def _payslip(country: Country, locale: str) -> Context:
    from coopkit.payslips.view import GrossPayView, LineView, PayslipView, TotalView

    def money(amount: str) -> Money:
        return Money.of(Decimal(amount), country.currency)

    payslip = SimpleNamespace(
        month=DAY.replace(day=1),
        member_name="Alex Sample",
        reference="PS-2026-0001",
        issued_at=dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC),
        country=country.code,
        hours=Decimal("75.84"),
        contract="cdi",
        category="non-executive",
    )
    view = PayslipView(
        payslip=payslip,  # type: ignore[arg-type]  # a stand-in for the stored payslip
        gross_pay=(GrossPayView("Salary", money("3000"), Decimal(20), money("150")),),
        lines=(
            LineView(
                "pension",
                "Pension",
                money("3000"),
                Decimal("0.069"),
                money("207"),
                Decimal("0.0855"),
                money("256.50"),
                "payroll.pension",
                "0.069",
                "Social security code, art. 1",
            ),
        ),
        totals=(
            TotalView("gross", "Gross pay", money("3000")),
            TotalView("net_pay", "Net pay", money("2793")),
        ),
        ceiling=money("3925"),
        issued_by="Sam Staff",
        corrects=SimpleNamespace(reference="PS-2026-0000"),  # type: ignore[arg-type]
        corrected_by=None,
    )
    return {"view": view, "tenant": _tenant(country)}


def _register_rows(country: Country) -> list[SimpleNamespace]:
    from coopkit.membership.models import RegisterEntryKind

    return [
        SimpleNamespace(
            entry=SimpleNamespace(line=n, effective_on=DAY, kind=kind, quantity=quantity),
            member="Alex Sample",
            email="alex@example.org",
            share_class="A",
            amount=Money.of(Decimal(50 * quantity), country.currency),
        )
        for n, (kind, quantity) in enumerate(
            ((kind, 2 if n < 2 else -1) for n, kind in enumerate(RegisterEntryKind)), start=1
        )
    ]


def _share_register(country: Country, locale: str) -> Context:
    return {"tenant": _tenant(country), "day": DAY, "rows": _register_rows(country)}


def _share_certificate(country: Country, locale: str) -> Context:
    share_class = SimpleNamespace(
        code="A", name="Founders", nominal=Decimal(50), currency=country.currency
    )
    holding = SimpleNamespace(
        share_class=share_class,
        quantity=2,
        nominal=Money.of(Decimal(50), country.currency),
        value=Money.of(Decimal(100), country.currency),
    )
    return {
        "tenant": _tenant(country),
        "member": SimpleNamespace(name="Alex Sample"),
        "day": DAY,
        "holdings": [holding],
        "total": Money.of(Decimal(100), country.currency),
        "rows": _register_rows(country),
    }


def _minutes(country: Country, locale: str) -> Context:
    assembly = SimpleNamespace(
        title="Annual general assembly 2026",
        kind="extraordinary",
        meeting_on=DAY,
        meeting_time="18:00",
        place="Main hall",
        online_url="https://meet.example.org/ag",
        record_date=DAY - dt.timedelta(days=15),
    )
    outcomes = (
        SimpleNamespace(
            adopted=True,
            winner=None,
            totals={"yes": 12, "no": 3},
            explanation=["12 of 15: adopted"],
        ),
        SimpleNamespace(adopted=None, winner="Option B", totals={"Option B": 9}, explanation=[]),
        None,
    )
    resolutions = [
        SimpleNamespace(
            title=f"Resolution {n}", description="Why it matters", outcome=o, secret=n == 2
        )
        for n, o in enumerate(outcomes, start=1)
    ]
    return {
        "tenant": _tenant(country),
        "assembly": assembly,
        "first_call": SimpleNamespace(title="First call", meeting_on=DAY - dt.timedelta(days=14)),
        "attendance": SimpleNamespace(electorate=20, present=12, represented=3),
        "items": [SimpleNamespace(position=1, title="Accounts", resolutions=resolutions)],
        "chain_head": "0" * 64,
        "signed_by": "Chris Chair",
        "signed_on": DAY,
    }


# The documents the engine renders, by template, with a sample of what it passes them.
# Parts (payslip_parts.html, share_register_parts.html, dunning_letter.html) render
# through the documents that import or extend them.
SAMPLES: dict[str, Callable[[Country, str], Context]] = {
    "invoice.html": _invoice,
    "dunning_reminder.html": _dunning("reminder"),
    "dunning_second_reminder.html": _dunning("second_reminder"),
    "dunning_formal_notice.html": _dunning("formal_notice"),
    "payslip.html": _payslip,
    "share_register_document.html": _share_register,
    "share_certificate.html": _share_certificate,
    "assembly_minutes.html": _minutes,
}
PARTS = frozenset({"payslip_parts.html", "share_register_parts.html", "dunning_letter.html"})
