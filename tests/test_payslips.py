"""Issuing payslips: stored as computed, final once issued, corrected by new payslips.

On SQLite and (when available) PostgreSQL. The numbers themselves are the
payroll engine's (tested in test_payroll_engine and the French plugin); here
the stored payslip must be exactly what the engine computed, with the legal
parameter and source of every line.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopkit.db.append_only import FinalRecordError
from coopkit.db.tenancy import set_tenant
from coopkit.payroll import GrossLine, PayInputs, Profile, compute_payslip
from coopkit.payslips import service
from coopkit.payslips.inputs import GrossPayIn, PayslipError, PayslipRequest
from coopkit.payslips.models import TOTALS, Payslip
from coopkit.payslips.service import (
    PayslipConflict,
    correction_of,
    get_payslip,
    issue_payslip,
    list_payslips,
)
from coopkit.people import service as people
from coopkit.people.models import Role, User
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from coopkit.tenants.service import create_tenant
from tests.conftest import Database, unique
from tests.factories import make_user

JUNE = dt.date(2025, 6, 1)


@dataclass
class Coop:
    """A French cooperative with a member, a member of staff, and a session scoped to it."""

    db: Session
    plugins: PluginHost
    tenant: Tenant
    member: User
    staff: User

    def issue(self, **changes: object) -> Payslip:
        return issue_payslip(
            self.db, self.plugins, self.tenant, self.request(**changes), self.staff.id
        )

    def request(self, **changes: object) -> PayslipRequest:
        base = PayslipRequest(self.member.id, JUNE, (GrossPayIn(Decimal("2500.00")),))
        return replace(base, **changes)  # type: ignore[arg-type]


def make_coop(db: Session, plugins: PluginHost, country: str = "FR") -> Coop:
    tenant = create_tenant(
        db, plugins, slug=unique("coop"), name="Coop", kind="branch", country=country
    )
    member, staff = make_user(db, "Alice Moreau"), make_user(db, "Sébastien Staff")
    people.add_membership(db, tenant, member, Role.MEMBER)
    people.add_membership(db, tenant, staff, Role.STAFF)
    set_tenant(db, tenant.id, staff.id)
    return Coop(db, plugins, tenant, member, staff)


@pytest.fixture
def coop(db: Database, plugins: PluginHost) -> Iterator[Coop]:
    with db.sessions() as session:
        yield make_coop(session, plugins)
        session.rollback()


# -- issuing ---------------------------------------------------------------------------


def test_a_payslip_is_stored_exactly_as_the_engine_computed_it(
    coop: Coop, db: Database, plugins: PluginHost
) -> None:
    issued = coop.issue(hours=Decimal("120"), tax_rate=Decimal("0.05"), contract="cdd")
    coop.db.commit()
    rules = plugins.payroll_rules("FR")
    expected = compute_payslip(
        rules,
        PayInputs(
            JUNE,
            (GrossLine("salary", "Salary", Decimal("2500.00")),),
            Decimal("120"),
            Profile(contract="cdd"),
            Decimal("0.05"),
        ),
    )
    with db.sessions() as fresh:  # what the database holds, not the object in memory
        set_tenant(fresh, coop.tenant.id)
        stored = fresh.scalars(select(Payslip).where(Payslip.id == issued.id)).one()
        assert (stored.user_id, stored.member_name) == (coop.member.id, "Alice Moreau")
        assert (stored.month, stored.country, stored.currency) == (JUNE, "FR", "EUR")
        assert (stored.contract, stored.category, stored.employees) == ("cdd", "non-executive", 1)
        assert (stored.hours, stored.tax_rate) == (Decimal("120"), Decimal("0.05"))
        assert stored.issued_by_id == coop.staff.id
        assert stored.corrects_id is None
        for name in TOTALS:
            assert getattr(stored, name) == expected.amount(name), name
        assert stored.ceiling == Decimal(expected.ceiling_cents).scaleb(-2)
        assert [line.code for line in stored.line_items] == [line.code for line in expected.lines]
        for line, engine in zip(stored.line_items, expected.lines, strict=True):
            assert line.label == engine.label  # the English msgid, translated when shown
            assert (line.employee, line.employer) == (
                Decimal(engine.employee_cents).scaleb(-2),
                Decimal(engine.employer_cents).scaleb(-2),
            )
            assert (line.parameter, line.source) == (engine.parameter, engine.source)
        assert [g.amount for g in stored.gross_items] == [Decimal("2500.00")]
        assert "fixed_term_training" in {line.code for line in stored.line_items}


def test_each_line_keeps_the_value_of_its_legal_parameter(coop: Coop, plugins: PluginHost) -> None:
    lines = {line.code: line for line in coop.issue().line_items}
    law = plugins.law("FR")
    old_age = lines["old_age_capped"]
    assert old_age.parameter == "payroll_social_security.old_age_capped_employer"
    assert Decimal(old_age.parameter_value) == law.value(old_age.parameter, JUNE)
    assert Decimal(old_age.parameter_value) == old_age.employer_rate
    reduction = lines[
        "general_reduction"
    ]  # the value is the formula's maximum, not the line's rate
    assert Decimal(reduction.parameter_value) == law.value(reduction.parameter, JUNE)
    assert Decimal(reduction.parameter_value) != -(reduction.employer_rate or 0)
    accident = lines["accident"]  # a company input, not a parameter of the law
    assert (accident.parameter, accident.parameter_value) == ("accident_rate", "0.009")
    tax = lines["income_tax"]  # a grid: the rate of the bracket applied
    assert Decimal(tax.parameter_value) == tax.employee_rate
    assert all(line.source for line in lines.values())


def test_gross_pay_can_be_hours_times_a_rate_plus_a_bonus(coop: Coop) -> None:
    issued = coop.issue(
        gross_pay=(
            GrossPayIn(
                code="hours", label="Hours", quantity=Decimal("151.67"), unit_rate=Decimal("15.5")
            ),
            GrossPayIn(Decimal("100"), code="bonus", label="Bonus"),
        )
    )
    assert [g.amount for g in issued.gross_items] == [Decimal("2350.89"), Decimal("100")]
    assert issued.gross == Decimal("2450.89")


# -- bad input: what to fix ----------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"month": dt.date(2019, 1, 1)}, "month", "no FR payroll law for 2019-01"),
        ({"contract": "freelance"}, "contract", "use one of cdi, cdd"),
        ({"category": "boss"}, "category", "use one of non-executive, executive"),
        ({"gross_pay": (GrossPayIn(Decimal("-1")),)}, "gross", "negative"),
        ({"gross_pay": (GrossPayIn(Decimal("25000000")),)}, "gross", "not plausible"),
        ({"gross_pay": (GrossPayIn(Decimal("2500.001")),)}, "gross", "more than 2 decimals"),
        ({"gross_pay": ()}, "gross", "give the gross pay"),
        ({"hours": Decimal("0")}, "hours", "more than 0"),
        ({"hours": Decimal("1000")}, "hours", "at most 400"),
        ({"tax_rate": Decimal("1.5")}, "tax_rate", "between 0 and 1"),
        ({"employees": 0}, "employees", "at least 1"),
        ({"options": {"yacht": "1"}}, "options", "unknown option"),
        ({"member_id": uuid.uuid4()}, "member", "no member"),
        ({"corrects": uuid.uuid4()}, "corrects", "no payslip"),
    ],
)
def test_bad_input_is_refused_with_what_to_fix(
    coop: Coop, changes: dict[str, object], field: str, says: str
) -> None:
    with pytest.raises(PayslipError, match=says) as refused:
        coop.issue(**changes)
    assert refused.value.field == field
    assert coop.db.scalars(select(Payslip)).all() == []


def test_a_stranger_to_the_cooperative_gets_no_payslip(coop: Coop, plugins: PluginHost) -> None:
    other = make_coop(coop.db, plugins)
    set_tenant(coop.db, coop.tenant.id, coop.staff.id)
    with pytest.raises(PayslipError, match="no member") as refused:
        coop.issue(member_id=other.member.id)
    assert refused.value.field == "member"


def test_a_country_without_payroll_rules_says_so(db: Database, plugins: PluginHost) -> None:
    only_belgium = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be"})
    with db.sessions() as session:
        coop = make_coop(session, plugins)  # a French coop on an installation without coopkit-fr
        coop.plugins = only_belgium
        with pytest.raises(PayslipError, match="no plugin serves country 'FR'"):
            coop.issue()


# -- final once issued -----------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_an_issued_payslip(coop: Coop) -> None:
    issued = coop.issue()
    coop.db.commit()
    net = issued.net_pay
    issued.net_pay = Decimal("9999.00")
    with pytest.raises(FinalRecordError, match="issue a correction"):
        coop.db.flush()
    coop.db.rollback()
    coop.db.delete(issued)
    with pytest.raises(FinalRecordError, match="refusing to delete a Payslip"):
        coop.db.flush()
    coop.db.rollback()
    for statement in (
        update(Payslip).values(net_pay=Decimal(0)),
        delete(Payslip).where(Payslip.id == issued.id),
    ):
        with pytest.raises(FinalRecordError):
            coop.db.execute(statement)
    coop.db.rollback()
    coop.db.expire_all()
    assert get_payslip(coop.db, issued.id, None).net_pay == net


def test_the_database_refuses_to_change_or_delete_an_issued_payslip(
    coop: Coop, db: Database
) -> None:
    issued = coop.issue()
    coop.db.commit()
    net = issued.net_pay
    with db.engine.connect() as connection:
        for statement in (
            "UPDATE payslips SET member_name = 'Someone Else'",
            "DELETE FROM payslips",
        ):
            with connection.begin():
                if db.dialect == "postgresql":
                    connection.execute(
                        text("SELECT set_config('coopkit.tenant_id', :t, true)"),
                        {"t": str(coop.tenant.id)},
                    )
                with pytest.raises(IntegrityError, match="final once issued"):
                    connection.execute(text(statement))
    coop.db.expire_all()
    again = get_payslip(coop.db, issued.id, None)
    assert (again.member_name, again.net_pay) == ("Alice Moreau", net)


# -- corrections and duplicates ----------------------------------------------------------


def test_a_correction_is_a_new_payslip_and_the_chain_goes_on_from_the_latest(coop: Coop) -> None:
    original = coop.issue()
    first = coop.issue(gross_pay=(GrossPayIn(Decimal("2600.00")),), corrects=original.id)
    assert first.id != original.id
    assert first.corrects_id == original.id
    assert first.gross == Decimal("2600.00")
    assert original.gross == Decimal("2500.00")  # untouched: "corrected by" is derived
    assert correction_of(coop.db, original) == first
    assert correction_of(coop.db, first) is None

    with pytest.raises(PayslipConflict, match="already corrected by") as refused:
        coop.issue(corrects=original.id)
    assert refused.value.existing == first.id

    second = coop.issue(gross_pay=(GrossPayIn(Decimal("2550.00")),), corrects=first.id)
    listed = {p.id: corrected_by for p, corrected_by in list_payslips(coop.db)}
    assert listed == {original.id: first.id, first.id: second.id, second.id: None}


def test_a_correction_keeps_the_member_and_the_month(coop: Coop) -> None:
    original = coop.issue()
    with pytest.raises(PayslipError, match="keeps the member and the month") as refused:
        coop.issue(month=dt.date(2025, 7, 1), corrects=original.id)
    assert refused.value.field == "corrects"
    with pytest.raises(PayslipError, match="keeps the member and the month"):
        coop.issue(member_id=coop.staff.id, corrects=original.id)


def test_a_second_original_for_the_same_member_and_month_is_a_conflict(coop: Coop) -> None:
    original = coop.issue()
    with pytest.raises(PayslipConflict, match="already has a payslip for 2025-06") as refused:
        coop.issue(gross_pay=(GrossPayIn(Decimal("3000.00")),))
    assert refused.value.existing == original.id
    # Another month, or another member, is fine; the session is still usable.
    coop.issue(month=dt.date(2025, 7, 1))
    coop.issue(member_id=coop.staff.id)
    assert len(list_payslips(coop.db)) == 3


def test_two_originals_issued_at_once_are_refused_by_the_database(
    coop: Coop, monkeypatch: pytest.MonkeyPatch
) -> None:
    coop.issue()
    # As if another request had issued it between our check and our write.
    monkeypatch.setattr(service, "_check_original", lambda *_args: None)
    with pytest.raises(PayslipConflict, match="was just issued"):
        coop.issue()
    assert len(list_payslips(coop.db)) == 1  # the session survived the refused write


def test_a_member_finds_only_their_own_payslips(coop: Coop) -> None:
    own = coop.issue()
    theirs = coop.issue(member_id=coop.staff.id)
    assert [p.id for p, _c in list_payslips(coop.db, coop.member.id)] == [own.id]
    assert get_payslip(coop.db, own.id, coop.member.id) == own
    with pytest.raises(service.PayslipNotFound):
        get_payslip(coop.db, theirs.id, coop.member.id)
    assert [p.id for p, _c in list_payslips(coop.db, month=dt.date(2025, 6, 15))] == sorted(
        [own.id, theirs.id], key=lambda i: {own.id: "Alice", theirs.id: "Sébastien"}[i]
    )


@pytest.mark.postgres
def test_concurrent_originals_one_wins_the_other_is_told(
    postgres_db: Database, plugins: PluginHost
) -> None:
    """Both requests pass the check before either has committed; the unique index decides."""
    with postgres_db.sessions() as setup:
        coop = make_coop(setup, plugins)
        setup.commit()
    first, second = postgres_db.sessions(), postgres_db.sessions()
    outcome: dict[str, object] = {}
    try:
        for session in (first, second):
            set_tenant(session, coop.tenant.id, coop.staff.id)
        mine = replace(coop, db=first)
        theirs = replace(coop, db=second)
        issued = mine.issue()  # written, not committed yet

        def race() -> None:
            try:
                outcome["payslip"] = theirs.issue()  # waits on the unique index
            except PayslipConflict as error:
                outcome["refused"] = error

        thread = threading.Thread(target=race)
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive(), "the second write should wait for the first transaction"
        first.commit()
        thread.join(timeout=10)
        assert "payslip" not in outcome
        assert isinstance(outcome["refused"], PayslipConflict)
        second.rollback()
        assert [p.id for p, _c in list_payslips(second)] == [issued.id]
    finally:
        first.close()
        second.close()
