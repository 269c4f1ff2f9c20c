"""Demo invoicing: the branches' seller identities, a few clients, and invoices in several
states: a draft, one issued and unpaid, one partly paid, one paid by transfer,
one cancelled by a credit note, one credited in part and then paid.

Loaded by coopkit.demo after the ledger's demo activities; idempotent (a
cooperative that has clients is left as it is). Names and numbers are made up;
the VAT numbers pass their check digits.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity
from coopkit.db.tenancy import tenant_scope
from coopkit.invoicing.clients import create_client
from coopkit.invoicing.credit_notes import create_credit_note
from coopkit.invoicing.drafts import DraftIn, LineIn, create_draft
from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.models import Client, PaymentMethod
from coopkit.invoicing.payments import record_payment
from coopkit.invoicing.seller import SellerFields, set_seller_identity
from coopkit.invoicing.standing import standing
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant

SELLERS = {
    "BE": SellerFields(
        valid_from=date(2025, 1, 1),
        legal_name="SMart Demo Belgium SC",
        legal_form="SC (société coopérative)",
        street="Rue Coenraets 72",
        postcode="1060",
        city="Saint-Gilles",
        vat_number="BE0403170701",
        company_number="0403.170.701",
        register="RPM Bruxelles",
        iban="BE71 0961 2345 6769",
        email="factures@demo.coopkit.test",
        brand_colour="#e4003a",
    ),
    "FR": SellerFields(
        valid_from=date(2025, 1, 1),
        legal_name="Coop Démo France",
        legal_form="SCOP SA",
        street="12 rue de la République",
        postcode="69002",
        city="Lyon",
        vat_number="FR40303265045",
        company_number="303265045",
        register="RCS Lyon",
        share_capital="à capital variable",
        iban="FR76 3000 6000 0112 3456 7890 189",
        email="factures@demo.coopkit.test",
    ),
}
# Clients by nickname (the tests use them too); each branch takes three.
CLIENTS: dict[str, dict[str, Any]] = {
    "be_company": {"kind": "company", "name": "Brasserie Bruxelloise SA", "country": "BE",
                   "street": "Grand-Place 1", "postcode": "1000", "city": "Bruxelles",
                   "vat_number": "BE0477472701", "locale": "fr_BE"},
    "be_person": {"kind": "person", "name": "Jan Janssens", "country": "BE", "street": "Meir 10",
                  "postcode": "2000", "city": "Antwerpen", "locale": "nl_BE"},
    "fr_company": {"kind": "company", "name": "Atelier Lumière SARL", "country": "FR",
                   "street": "3 quai Saint-Antoine", "postcode": "69002", "city": "Lyon",
                   "vat_number": "FR23334175221"},
    "fr_person": {"kind": "person", "name": "Lucie Martin", "country": "FR",
                  "street": "8 rue Mercière", "postcode": "69002", "city": "Lyon"},
    "de_company": {"kind": "company", "name": "Bildwerk GmbH", "country": "DE",
                   "street": "Torstraße 5", "postcode": "10119", "city": "Berlin",
                   "vat_number": "DE136695976"},
    "us_company": {"kind": "company", "name": "Hudson Pictures Inc.", "country": "US",
                   "street": "1 Broadway", "postcode": "10004", "city": "New York"},
}  # fmt: skip
# Each branch's clients: at home, in another EU country (reverse charge), a person.
BRANCH_CLIENTS = {
    "BE": ("be_company", "de_company", "be_person"),
    "FR": ("fr_company", "be_company", "fr_person"),
}
ISSUED = date(2026, 3, 2)
DEMO_ACTIVITY = "SOLO-01"  # Amélie Claes's, in both branches


def load_demo_invoices(db: Session, plugins: PluginHost, tenant: Tenant) -> int:
    """Give ``tenant`` its seller identity, clients and invoices; return how many invoices."""
    if tenant.country not in SELLERS:
        return 0
    with tenant_scope(db, tenant.id):
        if db.scalar(select(Client.id).limit(1)) is not None:
            return 0
        activity = db.scalar(select(Activity).where(Activity.code == DEMO_ACTIVITY))
        if activity is None:
            return 0
        set_seller_identity(db, SELLERS[tenant.country], plugins=plugins)
        home, abroad, person = (
            create_client(db, plugins=plugins, **CLIENTS[nickname])
            for nickname in BRANCH_CLIENTS[tenant.country]
        )
        first = activity.id

        def make(client: Client, *lines: LineIn) -> DraftIn:
            return DraftIn(first, client.id, lines, supply_date=date(2026, 2, 27))

        work = LineIn("Photo shoot, two days", Decimal(2), Decimal("450.00"), "standard", "DAY")
        edit = LineIn("Photo editing", Decimal("6.5"), Decimal("55.00"), "standard", "HUR")
        abroad_code = "reverse_charge_services"
        create_draft(db, make(person, edit), plugins=plugins, today=ISSUED)
        issued = [
            issue_invoice(db, create_draft(db, d, plugins=plugins, today=ISSUED).id,
                          day=ISSUED, plugins=plugins)
            for d in (
                make(home, work, edit),
                make(abroad, LineIn("Illustrations", Decimal(3), Decimal("300.00"), abroad_code)),
                make(home, work),
                make(person, edit),
                make(home, edit),
            )
        ]  # fmt: skip
        create_credit_note(db, issued[2].id, day=date(2026, 3, 5), reason="Order cancelled")
        create_credit_note(
            db,
            issued[3].id,
            day=date(2026, 3, 5),
            lines=[LineIn("Goodwill discount", Decimal(1), Decimal("50.00"), "standard")],
            reason="Goodwill discount",
        )
        record_payment(
            db,
            issued[0].id,
            Decimal("500.00"),
            day=date(2026, 3, 9),
            method=PaymentMethod.TRANSFER,
            payer=home.name,
        )
        record_payment(db, issued[1].id, issued[1].gross_total, day=date(2026, 3, 12),
                       method=PaymentMethod.TRANSFER, payer=abroad.name)  # fmt: skip
        record_payment(db, issued[3].id, standing(db, issued[3]).due, day=date(2026, 3, 16),
                       method=PaymentMethod.TRANSFER, payer=person.name)  # fmt: skip
        return 6
