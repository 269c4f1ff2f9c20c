"""The invoicing law files: exemptions and mentions read and checked, wordings extractable,
EU membership by date."""

from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path

import pytest

from coopkit.invoicing.eu import is_member_state, member_states
from coopkit.law import ProfileError, load_profile
from coopkit.plugin_helpers import invoice_mentions_from_law, vat_exemptions_from_law

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("code", ["be", "fr"])
def test_every_wording_and_label_is_a_message_of_the_plugin(code: str) -> None:
    law = load_profile(code.upper(), ROOT / "country_profiles" / code)
    listed = set(importlib.import_module(f"coopkit_{code}.wordings").WORDINGS)
    day = date(2026, 1, 1)
    needed = set()
    for exemption in vat_exemptions_from_law(law, day):
        needed |= {exemption.wording, exemption.label}
    mentions = invoice_mentions_from_law(law, day)
    needed |= {m.text for m in mentions.texts} | {f.label for f in mentions.seller_fields}
    assert needed - listed == set(), f"add them with _() to coopkit_{code}/wordings.py"


def _profile(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "xx"
    folder.mkdir()
    (folder / "vat_exemptions.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{category: S, vatex: VATEX-EU-AE, wording: x}", "category 'S'"),
        ("{category: AE, vatex: EU-AE, wording: x}", "not a VATEX code"),
        ("{category: AE, vatex: VATEX-EU-AE, wording: x, buyer: anyone}", "buyer 'anyone'"),
        ("{category: AE, vatex: VATEX-EU-AE}", "must be a mapping with"),
        ("{category: AE, vatex: VATEX-EU-AE, wording: x, colour: red}", "must be a mapping"),
    ],
)
def test_a_broken_exemption_names_what_to_fix(tmp_path: Path, value: str, message: str) -> None:
    folder = _profile(
        tmp_path,
        "broken:\n  values:\n    - valid_from: 2020-01-01\n"
        f"      value: {value}\n      source: VAT Act s. 1\n",
    )
    with pytest.raises(ProfileError, match=message):
        vat_exemptions_from_law(load_profile("XX", folder), date(2024, 1, 1))


def test_a_mention_is_a_text_or_a_seller_field(tmp_path: Path) -> None:
    folder = tmp_path / "xx"
    folder.mkdir()
    (folder / "invoice_mentions.yaml").write_text(
        "odd:\n  values:\n    - valid_from: 2020-01-01\n"
        "      value: {text: Pay us, business_only: maybe}\n      source: Act s. 1\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="business_only is true or false"):
        invoice_mentions_from_law(load_profile("XX", folder), date(2024, 1, 1))


def test_eu_membership_is_dated() -> None:
    assert is_member_state("GB", date(2020, 12, 31))
    assert not is_member_state("GB", date(2021, 1, 1))
    assert is_member_state("de", date(2026, 1, 1))
    assert len(member_states(date(2026, 1, 1))) == 27
    assert not is_member_state("CH", date(2026, 1, 1))
