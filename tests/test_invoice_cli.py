"""``coopkit invoices``: a cooperative's number series and seller identity from the command line."""

from __future__ import annotations

import pytest

from tests.test_cli import env, run  # noqa: F401  (fixture)


@pytest.fixture
def ready(env: dict[str, str]) -> dict[str, str]:  # noqa: F811
    assert run(env, "db", "upgrade")[0] == 0
    code, output = run(
        env, "tenant", "create", "--slug", "coop-t", "--name", "T", "--country", "be"
    )
    assert code == 0, output
    return env


def test_series_sets_the_format_and_refuses_a_bad_pattern(ready: dict[str, str]) -> None:
    code, output = run(
        ready, "invoices", "series", "--tenant", "coop-t", "--year", "2026", "--prefix", "F",
        "--pattern", "{prefix}{year}/{number:04d}",
    )  # fmt: skip
    assert code == 0, output
    assert "F2026/0001" in output
    code, output = run(
        ready, "invoices", "series", "--tenant", "coop-t", "--prefix", "F", "--pattern", "{prefix}"
    )
    assert code != 0
    assert "must contain {number}" in output


def test_seller_checks_the_vat_number_and_the_iban(ready: dict[str, str]) -> None:
    base = [
        "invoices", "seller", "--tenant", "coop-t", "--valid-from", "2026-01-01",
        "--name", "Coop T", "--street", "Rue 1", "--postcode", "1000", "--city", "Bruxelles",
    ]  # fmt: skip
    code, output = run(ready, *base, "--vat-number", "BE0403170701", "--iban", "BE71096123456769")
    assert code == 0, output
    assert "VAT BE0403170701, IBAN BE71096123456769" in output
    code, output = run(ready, *base, "--vat-number", "BE0403170702", "--iban", "BE71096123456769")
    assert code != 0
    assert "check digits" in output
    code, output = run(ready, *base, "--vat-number", "BE0403170701", "--iban", "BE71096123456760")
    assert code != 0
    assert "IBAN" in output
