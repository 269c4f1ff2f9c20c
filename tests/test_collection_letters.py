"""The dunning letters: PDF in the client's language with the figures and their legal basis."""

from __future__ import annotations

from datetime import date

import pytest

from coopkit.collection.schedule import advance_dunning
from coopkit.plugins import PluginHost
from tests.collection_world import overdue_invoice, steps_of
from tests.conftest import Database
from tests.invoicing_world import invoicing_world
from tests.test_invoice_pdf import pdf_text

pytestmark = pytest.mark.usefixtures("weasyprint")


@pytest.mark.parametrize(
    ("locale", "due", "interest", "total", "day"),
    [
        ("fr_BE", "1 210,00 €", "16,16 €", "1 266,16 €", "30 juillet 2025"),
        ("nl_BE", "€ 1.210,00", "€ 16,16", "€ 1.266,16", "30 juli 2025"),
    ],
)
def test_the_reminder_is_a_pdf_in_the_clients_language(
    sqlite_db: Database,
    plugins: PluginHost,
    locale: str,
    due: str,
    interest: str,
    total: str,
    day: str,
) -> None:
    world = invoicing_world(sqlite_db, plugins, "BE")
    with world.session(sqlite_db) as session:
        invoice_id = overdue_invoice(session, world, plugins, locale=locale)
        advance_dunning(session, day=date(2025, 7, 30), plugins=plugins)
        session.commit()
    (step,) = steps_of(sqlite_db, world, invoice_id)
    assert step.letter_pdf is not None
    text = pdf_text(step.letter_pdf)
    assert "INV2025-00001" in text
    assert due in text
    assert interest in text  # 45 days across the semester change (test_collection_interest)
    assert total in text  # + the fixed compensation of 40 €
    assert day in text
    assert "2 août 2002" in text  # the legal basis of the rate and the compensation
    assert "art. 6" in text
    assert "BE71096123456769" in text
    assert "+++" in text  # the structured payment reference


def test_the_formal_notice_has_its_own_template(sqlite_db: Database, plugins: PluginHost) -> None:
    """1 200.00 EUR (1 000 + 20 % VAT) due 2025-06-15, on 2025-07-30: 1200 × 0.1315 × 15 / 365
    + 1200 × 0.1215 × 30 / 365 = 6.4849… + 11.9835… = 18.4684… → 18.47 EUR."""
    world = invoicing_world(sqlite_db, plugins, "FR")
    with world.session(sqlite_db) as session:
        invoice_id = overdue_invoice(session, world, plugins, client="fr_company", locale="en")
        for _ in range(3):
            advance_dunning(session, day=date(2025, 7, 30), plugins=plugins)
        session.commit()
    *_, notice = steps_of(sqlite_db, world, invoice_id)
    assert notice.letter_pdf is not None
    text = pdf_text(notice.letter_pdf)
    assert "Formal notice to pay" in text
    assert "L441-10" in text
    assert "D441-5" in text
    assert "€18.47" in text
    assert "€1,258.47" in text
