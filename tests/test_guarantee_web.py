"""The guarantee fund on the API (getGuaranteeFund) and its page: staff see everything,
members a summary without any client's name."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from sqlalchemy import select

from coopkit.db.tenancy import set_tenant
from coopkit.guarantee.report import fund_report
from coopkit.invoicing.models import Client as InvoiceClient
from coopkit.invoicing.models import Invoice, InvoiceStatus
from coopkit.tenants.models import Tenant
from tests.conftest import Client, Database
from tests.fund_world import advance
from tests.test_web import MEMBER_BE, STAFF_BE, assert_problem, bearer, main_of, signed_in_as

API = "/api/v1/t/demo-be/guarantee-fund"
PAGE = "/t/demo-be/guarantee-fund"
EN = {"Accept-Language": "en"}


def _eur(amount: Decimal) -> str:
    return format_currency(amount, "EUR", locale="en")


@pytest.fixture
def advanced(demo_db: Database) -> tuple[str, Decimal, Decimal, Decimal]:
    """An advance of 100.00 forty days ago on an unpaid demo invoice; returns its client's
    name and the fund's balance, outstanding and coverage ratio today."""
    today = date.today()
    with demo_db.sessions() as db:
        tenant = db.scalar(select(Tenant).where(Tenant.slug == "demo-be"))
        assert tenant is not None
        set_tenant(db, tenant.id)
        invoice = db.scalars(
            select(Invoice).where(Invoice.status == InvoiceStatus.ISSUED).order_by(Invoice.number)
        ).first()
        assert invoice is not None
        advance(db, invoice, "100.00", today - timedelta(days=40))
        db.commit()
        client = db.scalars(
            select(InvoiceClient).where(InvoiceClient.id == invoice.client_id)
        ).one()
        report = fund_report(db, day=today)
        assert report.coverage_ratio is not None
        return client.name, report.balance, report.outstanding, report.coverage_ratio


def test_staff_get_the_report_history_and_stress_test(
    client: Client, token: Callable[[str], str], advanced: tuple[str, Decimal, Decimal, Decimal]
) -> None:
    name, balance, outstanding, ratio = advanced
    answer = client.get(f"{API}?stress=20", headers=bearer(token(STAFF_BE)))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (Decimal(body["balance"]), Decimal(body["outstanding"])) == (balance, outstanding)
    assert Decimal(body["coverage_ratio"]) == ratio.quantize(Decimal("0.01"))
    assert body["day"] == date.today().isoformat()
    assert body["currency"] == "EUR"
    ages = {a["key"]: (a["invoices"], Decimal(a["amount"])) for a in body["report"]["by_age"]}
    assert ages["31-60"] == (1, Decimal("100.00"))
    assert [c["name"] for c in body["report"]["top_clients"]] == [name]
    assert len(body["history"]) == 12
    assert Decimal(body["history"][-1]["outstanding"]) == outstanding
    stress = body["stress"]
    assert Decimal(stress["rate"]) == 20
    assert Decimal(stress["path"][0]["defaults"]) == Decimal("20.00")  # 20 % of 100.00
    assert len(stress["path"]) == (121 if stress["months"] is None else stress["months"] + 2)
    without = client.get(API, headers=bearer(token(STAFF_BE))).json()
    assert without["stress"] is None
    assert without["report"] is not None


def test_members_get_the_summary_and_no_client_name(
    client: Client, token: Callable[[str], str], advanced: tuple[str, Decimal, Decimal, Decimal]
) -> None:
    name, balance, outstanding, _ratio = advanced
    answer = client.get(f"{API}?stress=20", headers=bearer(token(MEMBER_BE)))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (Decimal(body["balance"]), Decimal(body["outstanding"])) == (balance, outstanding)
    assert (body["report"], body["history"], body["stress"]) == (None, None, None)
    assert name not in answer.text


def test_refuses_a_stress_rate_outside_0_100_and_strangers(
    client: Client, token: Callable[[str], str]
) -> None:
    staff = bearer(token(STAFF_BE))
    for query in ("stress=150", "stress=-1", "stress=abc", "months=0", "floor=-5"):
        assert_problem(client.get(f"{API}?{query}", headers=staff), 400)
    assert_problem(
        client.get("/api/v1/t/demo-fr/guarantee-fund", headers=bearer(token(MEMBER_BE))), 404
    )


def test_the_staff_dashboard(
    client: Client,
    english_pages: None,
    advanced: tuple[str, Decimal, Decimal, Decimal],
) -> None:
    name, balance, outstanding, _ratio = advanced
    response = signed_in_as(STAFF_BE, client).get(f"{PAGE}?stress=100", headers=EN)
    assert response.status_code == 200, response.text
    html = main_of(response.text)
    figures = (("Fund balance", balance), ("Advances not yet repaid", outstanding),
               ("Free capacity (balance − advances)", balance - outstanding))  # fmt: skip
    for label, amount in figures:
        assert re.search(rf"<th scope=\"row\">{re.escape(label)}</th><td class=\"num\">"
                         rf"{re.escape(_eur(amount))}</td>", html), label  # fmt: skip
    assert re.search(r"<td>31 to 60 days</td><td class=\"num\">1</td><td class=\"num\">"
                     + re.escape(_eur(Decimal("100.00"))), html)  # fmt: skip
    assert f"<td>{name}</td>" in html
    assert html.count("<polyline") == 2
    assert len(re.findall(r"<tr class=\"month\">", html)) == 12
    assert "balance stays above the floor" in html
    assert 'value="100"' in html
    bad = client.get(f"{PAGE}?stress=120", headers=EN)
    assert bad.status_code == 400
    assert "Give a percentage from 0 to 100." in bad.text


def test_the_members_summary_in_plain_words(
    client: Client,
    english_pages: None,
    advanced: tuple[str, Decimal, Decimal, Decimal],
) -> None:
    name, balance, outstanding, ratio = advanced
    response = signed_in_as(MEMBER_BE, client).get(PAGE, headers=EN)
    assert response.status_code == 200, response.text
    text = " ".join(main_of(response.text).split())
    per_euro = _eur(ratio.quantize(Decimal("0.01")))
    summary = (f"The fund holds {_eur(balance)}. It has advanced {_eur(outstanding)} of "
               "salaries that clients have not paid yet. For each euro advanced it holds "
               f"{per_euro}.")  # fmt: skip
    assert summary in text
    assert name not in text
    assert "Stress test" not in text
    assert text.count("<polyline") == 2
    home = client.get("/t/demo-be/", headers=EN).text
    assert 'href="/t/demo-be/guarantee-fund"' in home
