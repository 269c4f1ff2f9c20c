"""coopkit/law.py: dated legal parameters read from YAML, checked before use."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from coopkit.law import LawNotInForce, ProfileError, UnknownParameter, load_profile

GOOD = """\
# a profile like country_profiles/<cc>/vat.yaml
standard:
  description: Standard rate
  unit: rate
  values:
    - valid_from: 2000-04-01
      value: 0.196
      source: Loi n° 2000-656, art. 4
    - valid_from: 2014-01-01
      value: 0.20
      source: Loi n° 2012-1510, art. 68
      note: raised on 1 January 2014
temporary:
  description: A rate that ended without successor
  unit: rate
  values:
    - valid_from: 2020-07-01
      valid_until: 2020-12-31
      value: 0.1
      source: a temporary measure
    - valid_from: 2022-01-01
      value: 0.15
      source: a later measure
"""


def write(folder: Path, text: str, name: str = "vat.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def one_value(fields: str) -> str:
    return "rate:\n  values:\n    - " + "\n      ".join(fields.strip().splitlines()) + "\n"


def test_good_profile_loads(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    write(
        tmp_path,
        "ceiling:\n  values:\n    - {valid_from: 2024-01-01, value: 100, source: x}\n",
        name="payroll.yaml",
    )
    law = load_profile("XX", tmp_path)
    assert law.country == "XX"
    assert sorted(law) == ["payroll.ceiling", "vat.standard", "vat.temporary"]
    assert len(law) == 3
    assert law.namespace("vat") == ["vat.standard", "vat.temporary"]
    standard = law["vat.standard"]
    assert standard.description == "Standard rate"
    assert standard.unit == "rate"
    assert [v.valid_from for v in standard.values] == [date(2000, 4, 1), date(2014, 1, 1)]
    assert law.value("payroll.ceiling", date(2025, 1, 1)) == 100
    entry = law.entry("vat.standard", date(2020, 1, 1))
    assert entry.source == "Loi n° 2012-1510, art. 68"
    assert entry.parameter == "vat.standard"


def test_numbers_are_exact_decimals(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    law = load_profile("XX", tmp_path)
    value = law.value("vat.temporary", date(2020, 8, 1))
    assert isinstance(value, Decimal)
    assert value == Decimal("0.1")
    assert str(value) == "0.1"  # not 0.1000000000000000055511151231257827
    assert law.value("vat.standard", date(2010, 1, 1)) == Decimal("0.196")
    assert law.value("vat.standard", date(2015, 1, 1)) == Decimal("0.20")


def test_lookup_around_a_change(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    law = load_profile("XX", tmp_path)
    assert law.value("vat.standard", date(2013, 12, 31)) == Decimal("0.196")
    assert law.value("vat.standard", date(2014, 1, 1)) == Decimal("0.20")
    assert law.value("vat.standard", date(2000, 4, 1)) == Decimal("0.196")


def test_lookup_before_the_first_value(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    law = load_profile("XX", tmp_path)
    with pytest.raises(LawNotInForce) as caught:
        law.value("vat.standard", date(2000, 3, 31))
    message = str(caught.value)
    assert "vat.standard" in message
    assert "2000-03-31" in message
    assert "the first value starts on 2000-04-01" in message


def test_gap_after_valid_until(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    law = load_profile("XX", tmp_path)
    assert law.value("vat.temporary", date(2020, 12, 31)) == Decimal("0.1")
    with pytest.raises(LawNotInForce, match="the last value ended"):
        law.value("vat.temporary", date(2021, 1, 1))
    with pytest.raises(LawNotInForce):
        law.value("vat.temporary", date(2021, 12, 31))
    assert law.value("vat.temporary", date(2022, 1, 1)) == Decimal("0.15")


def test_unknown_parameter_names_it(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    law = load_profile("XX", tmp_path)
    with pytest.raises(UnknownParameter, match=r"'vat\.reduced'"):
        law.value("vat.reduced", date(2020, 1, 1))


def test_value_without_source(tmp_path: Path) -> None:
    path = write(tmp_path, one_value("valid_from: 2020-01-01\nvalue: 0.2"))
    with pytest.raises(ProfileError) as caught:
        load_profile("XX", tmp_path)
    message = str(caught.value)
    assert str(path) in message
    assert "vat.rate" in message
    assert "missing source" in message
    assert "legal reference" in message


def test_empty_source(tmp_path: Path) -> None:
    write(tmp_path, one_value("valid_from: 2020-01-01\nvalue: 0.2\nsource: '  '"))
    with pytest.raises(ProfileError, match="source is empty"):
        load_profile("XX", tmp_path)


def test_overlapping_valid_until(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        rate:
          values:
            - {valid_from: 2020-01-01, valid_until: 2021-06-30, value: 0.1, source: a}
            - {valid_from: 2021-01-01, value: 0.2, source: b}
        """,
    )
    with pytest.raises(ProfileError) as caught:
        load_profile("XX", tmp_path)
    message = str(caught.value)
    assert str(path) in message
    assert "vat.rate" in message
    assert "overlaps the value from 2021-01-01" in message


def test_values_out_of_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        """\
        rate:
          values:
            - {valid_from: 2021-01-01, value: 0.2, source: b}
            - {valid_from: 2020-01-01, value: 0.1, source: a}
        """,
    )
    with pytest.raises(ProfileError, match="increasing date order"):
        load_profile("XX", tmp_path)


def test_repeated_date(tmp_path: Path) -> None:
    write(
        tmp_path,
        """\
        rate:
          values:
            - {valid_from: 2021-01-01, value: 0.2, source: b}
            - {valid_from: 2021-01-01, value: 0.1, source: a}
        """,
    )
    with pytest.raises(ProfileError, match="without repeats"):
        load_profile("XX", tmp_path)


@pytest.mark.parametrize("raw", ["first of January", "2020-13-01", "01/01/2020", "2020"])
def test_valid_from_that_is_not_a_date(tmp_path: Path, raw: str) -> None:
    write(tmp_path, one_value(f"valid_from: '{raw}'\nvalue: 0.2\nsource: a"))
    with pytest.raises(ProfileError, match="is not a date; write it as YYYY-MM-DD"):
        load_profile("XX", tmp_path)


def test_valid_until_before_valid_from(tmp_path: Path) -> None:
    write(
        tmp_path, one_value("valid_from: 2020-01-01\nvalid_until: 2019-12-31\nvalue: 1\nsource: a")
    )
    with pytest.raises(ProfileError, match="is before valid_from"):
        load_profile("XX", tmp_path)


def test_unknown_key(tmp_path: Path) -> None:
    write(tmp_path, one_value("valid_from: 2020-01-01\nvalue: 1\nsource: a\nreference: b"))
    with pytest.raises(ProfileError, match="unknown keys \\['reference'\\]"):
        load_profile("XX", tmp_path)


def test_parameter_without_values(tmp_path: Path) -> None:
    write(tmp_path, "rate:\n  values: []\n")
    with pytest.raises(ProfileError, match="has no values"):
        load_profile("XX", tmp_path)


def test_invalid_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "rate: [unclosed\n")
    with pytest.raises(ProfileError, match="not valid YAML") as caught:
        load_profile("XX", tmp_path)
    assert str(path) in str(caught.value)


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="does not exist"):
        load_profile("XX", tmp_path / "nowhere")
    with pytest.raises(ProfileError, match="holds no parameters"):
        load_profile("XX", tmp_path)


@pytest.mark.parametrize("code", ["be", "fr"])
def test_shipped_profiles_load(code: str) -> None:
    folder = Path(__file__).resolve().parents[1] / "country_profiles" / code
    law = load_profile(code.upper(), folder)
    assert "vat.standard" in law
    for name in law:
        for value in law[name].values:
            assert len(value.source) > 20, f"{name}: source too vague: {value.source!r}"
