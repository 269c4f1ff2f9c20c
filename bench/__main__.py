"""Payroll benchmarks: batch throughput vs openfisca-france, simulator latency (FR, BE).

Run with ``make bench`` (``.venv/bin/python -m bench``). openfisca-france is
optional: without it its line is skipped.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

import numpy as np

from coopkit.payroll import GrossLine, PayInputs, Profile, compute_payslip, simulate_budget
from coopkit.payroll.batch import compute_batch
from coopkit.payroll.vector import disagreements, evaluate_many
from coopkit.plugins import PluginHost

SIZE = 100_000
MONTH = dt.date(2025, 6, 1)


def _best(run: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _median(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def salaries(size: int = SIZE) -> np.ndarray:
    """Monthly gross pay in cents from the SMIC to 3 × PSS, the same for both engines."""
    return np.random.default_rng(2025).integers(180_184, 1_177_500, size, dtype=np.int64)


def main() -> None:
    rules = PluginHost.from_environment().payroll_rules("FR")
    gross = salaries()
    hours = np.full(SIZE, 15167, dtype=np.int64)
    schedule = rules.schedule(MONTH, Profile(employees=10))
    seconds = _best(lambda: evaluate_many(schedule, gross, hours))
    print(
        f"batch, vectorised, one profile: {SIZE:,} payslips in {seconds * 1000:.0f} ms "
        f"({SIZE / seconds:,.0f}/s)"
    )

    rows = [
        {
            "id": str(i),
            "gross": f"{g // 100}.{g % 100:02d}",
            "contract": ("cdi", "cdd")[i % 2],
            "category": ("non-executive", "executive")[i % 3 == 0],
        }
        for i, g in enumerate(gross.tolist())
    ]
    seconds_rows = _best(lambda: compute_batch(rules, MONTH, rows, {"employees": "10"}), repeat=3)
    print(
        f"batch from CSV rows (parse, 4 profiles, compute): {SIZE:,} in "
        f"{seconds_rows * 1000:.0f} ms ({SIZE / seconds_rows:,.0f}/s)"
    )

    sample = np.random.default_rng(7).choice(SIZE, 2000, replace=False)
    tax = np.full(len(sample), -1, dtype=np.int64)
    mismatches = len(disagreements(schedule, gross[sample], hours[sample], tax))
    print(f"batch vs single-payslip path on a sample of 2,000: {mismatches} differences")

    inputs = PayInputs(
        MONTH, (GrossLine("salary", "Salary", Decimal("2500")),), profile=Profile(employees=10)
    )
    forward = _median(lambda: compute_payslip(rules, inputs), 2000)
    print(f"one payslip (lines and totals), median: {forward * 1000:.3f} ms")
    budget_inputs = PayInputs(dt.date(2026, 3, 1), (), hours=Decimal(42))
    inverse = _median(lambda: simulate_budget(rules, budget_inputs, Decimal(3000)), 500)
    print(f"budget inversion (3,000 €, 6 days, 2026-03), median: {inverse * 1000:.3f} ms")

    _belgium()

    try:
        openfisca_seconds = _openfisca(gross)
    except ImportError:
        print("openfisca-france not installed: pip install openfisca-france to compare")
        return
    print(
        f"openfisca-france, vectorised, same {SIZE:,} salaries: {openfisca_seconds * 1000:.0f} ms "
        f"({SIZE / openfisca_seconds:,.0f}/s); coopkit is {openfisca_seconds / seconds:.0f}× faster"
    )


def _belgium() -> None:
    rules = PluginHost.from_environment().payroll_rules("BE")
    profile = Profile(category="white-collar", options=(("children", "1"),))
    inputs = PayInputs(MONTH, (GrossLine("salary", "Salary", Decimal("2500")),), profile=profile)
    forward = _median(lambda: compute_payslip(rules, inputs), 2000)
    print(f"BE: one payslip (lines and totals), median: {forward * 1000:.3f} ms")
    budget_inputs = PayInputs(dt.date(2026, 3, 1), (), hours=Decimal("45.6"), profile=profile)
    inverse = _median(lambda: simulate_budget(rules, budget_inputs, Decimal(3000)), 500)
    print(f"BE: budget inversion (3,000 €, 6 days, 2026-03), median: {inverse * 1000:.3f} ms")
    gross = np.random.default_rng(2025).integers(211_189, 800_000, SIZE, dtype=np.int64)
    hours = np.full(SIZE, 16467, dtype=np.int64)
    schedule = rules.schedule(MONTH, profile)
    seconds = _best(lambda: evaluate_many(schedule, gross, hours))
    print(f"BE: batch, vectorised, one profile: {SIZE:,} payslips in {seconds * 1000:.0f} ms")
    sample = np.arange(2000)
    tax = np.full(2000, -1, dtype=np.int64)
    mismatches = len(disagreements(schedule, gross[sample], hours[sample], tax))
    print(f"BE: batch vs single-payslip path on 2,000: {mismatches} differences")


def _openfisca(gross: np.ndarray) -> float:
    from openfisca_core.simulation_builder import SimulationBuilder
    from openfisca_france import FranceTaxBenefitSystem

    system = FranceTaxBenefitSystem()
    month = MONTH.strftime("%Y-%m")

    def run() -> None:
        simulation = SimulationBuilder().build_default_simulation(system, len(gross))
        simulation.set_input("salaire_de_base", month, gross / 100)
        simulation.set_input("effectif_entreprise", month, np.full(len(gross), 10))
        simulation.set_input("taux_accident_travail", month, np.full(len(gross), 0.009))
        simulation.calculate("salaire_net", month)
        simulation.calculate("salaire_super_brut", month)

    return _best(run, repeat=2)


if __name__ == "__main__":
    main()
