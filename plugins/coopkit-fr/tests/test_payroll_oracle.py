"""French payslips against openfisca-france, an independent implementation (opt-in).

Run with ``pytest --oracle`` (or ``COOPKIT_ORACLE=1``) after
``pip install openfisca-france``. Net before income tax and employer cost must
agree within 0.50 € from the SMIC to 3 × PSS, for CDI, CDD and part time, in
2025 and 2026.

openfisca computes floats without rounding; coopkit rounds each line to the
cent, so a few cents of difference are expected. Known differences in the law
that openfisca-france 176 does not have yet are added to its figures, each with
its reason (see ``KNOWN_GAPS``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from coopkit.payroll import GrossLine, PayInputs, Profile, compute_payslip
from coopkit.plugins import PluginHost

pytestmark = pytest.mark.oracle
TOLERANCE = 0.50

# openfisca-france 176.1.8 keeps the AGS rate at 0.20 %; it is 0.25 % since
# 2024-07-01 (AGS board decisions, maintained for 2025 and 2026), on pay up to 4 PSS.
AGS_GAP = 0.0005
# openfisca leaves the employer's mandatory executive provident contribution (1.5 %
# of T1) out of the CSG/CRDS base; CSS art. L136-1-1, III, 4° puts employer
# contributions to complementary social protection in it, without abatement.
EXECUTIVE_COVER = 0.015
CSG_CRDS_ON_COVER = 0.092 + 0.005


@dataclass(frozen=True)
class Case:
    month: str
    gross: Decimal
    contract: str = "cdi"
    category: str = "non-executive"
    hours: Decimal | None = None
    employees: int = 10

    @property
    def id(self) -> str:
        hours = f"-{self.hours}h" if self.hours else ""
        return (
            f"{self.month}-{self.contract}-{self.category}{hours}-{self.employees}emp-{self.gross}"
        )


def _cases() -> list[Case]:
    cases = []
    grosses = {
        "2025": [
            "1801.84",
            "2000",
            "2500",
            "3200",
            "4000",
            "4300",
            "6000",
            "7850",
            "9000",
            "11775",
        ],
        "2026": [
            "1823.03",
            "2000",
            "2500",
            "3200",
            "4000",
            "5000",
            "5469",
            "6000",
            "8010",
            "12015",
        ],
    }
    for month in ("2025-03", "2025-06", "2026-01", "2026-03"):
        for gross in grosses[month[:4]]:
            cases.append(Case(month, Decimal(gross)))
            cases.append(Case(month, Decimal(gross), contract="cdd"))
            cases.append(Case(month, Decimal(gross), category="executive", employees=60))
        for gross in ("950", "1200", "1500", "2400", "5000"):
            cases.append(Case(month, Decimal(gross), hours=Decimal("80")))
            cases.append(Case(month, Decimal(gross), contract="cdd", hours=Decimal("104")))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def openfisca_results() -> dict[str, tuple[float, float, float]]:
    pytest.importorskip("openfisca_france")
    from openfisca_core.simulation_builder import SimulationBuilder
    from openfisca_france import FranceTaxBenefitSystem

    system = FranceTaxBenefitSystem()
    results: dict[str, tuple[float, float, float]] = {}
    for month in sorted({case.month for case in CASES}):
        chosen = [case for case in CASES if case.month == month]
        people = {}
        for index, case in enumerate(chosen):
            person: dict[str, dict[str, object]] = {
                "salaire_de_base": {month: float(case.gross)},
                "categorie_salarie": {
                    month: "prive_cadre" if case.category == "executive" else "prive_non_cadre"
                },
                "contrat_de_travail_type": {month: case.contract},
                "effectif_entreprise": {month: case.employees},
                "taux_accident_travail": {month: 0.009},
                "allegement_general_mode_recouvrement": {month: "anticipe"},
                "age": {month: 40},
            }
            if case.hours is not None:
                person["contrat_de_travail"] = {month: "temps_partiel"}
                person["heures_remunerees_volume"] = {month: float(case.hours)}
            people[f"p{index}"] = person
        situation = {
            "individus": people,
            "familles": {f"f{i}": {"parents": [f"p{i}"]} for i in range(len(chosen))},
            "foyers_fiscaux": {f"ff{i}": {"declarants": [f"p{i}"]} for i in range(len(chosen))},
            "menages": {f"m{i}": {"personne_de_reference": [f"p{i}"]} for i in range(len(chosen))},
        }
        simulation = SimulationBuilder().build_from_entities(system, situation)
        net = simulation.calculate("salaire_net", month)
        cost = simulation.calculate("salaire_super_brut", month)
        ceiling = simulation.calculate("plafond_securite_sociale", month)
        for index, case in enumerate(chosen):
            results[case.id] = (float(net[index]), float(cost[index]), float(ceiling[index]))
    return results


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "fr"}).payroll_rules("FR")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_agrees_with_openfisca(case: Case, rules, openfisca_results) -> None:  # type: ignore[no-untyped-def]
    of_net, of_cost, of_ceiling = openfisca_results[case.id]
    of_cost += AGS_GAP * min(float(case.gross), 4 * of_ceiling)
    if case.category == "executive":
        cover = round(EXECUTIVE_COVER * min(float(case.gross), of_ceiling), 2)
        of_net -= CSG_CRDS_ON_COVER * cover
    payslip = compute_payslip(
        rules,
        PayInputs(
            dt.date.fromisoformat(case.month + "-01"),
            (GrossLine("salary", "Salary", case.gross),),
            hours=case.hours,
            profile=Profile(
                contract=case.contract, category=case.category, employees=case.employees
            ),
        ),
    )
    net = float(payslip.amount("net_before_income_tax"))
    cost = float(payslip.amount("employer_cost"))
    assert abs(net - of_net) <= TOLERANCE, f"net {net} vs openfisca {of_net:.4f}"
    assert abs(cost - of_cost) <= TOLERANCE, f"employer cost {cost} vs openfisca {of_cost:.4f}"
