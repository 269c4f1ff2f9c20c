"""``coopkit payments``: the file written once, a clear refusal and exit code ≠ 0 after."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.test_cli import env, run  # noqa: F401  (fixture)
from tests.test_payouts_batches import NS, XSD


def test_export_writes_the_file_once_and_lists_the_batch(
    demo_env: dict[str, str],
    tmp_path: Path,
) -> None:
    output = tmp_path / "payments.xml"
    args = ["payments", "export", "--tenant", "demo-be", "--execution-date", "2026-12-01"]
    code, text = run(demo_env, *args, "--output", str(output))
    assert code != 0
    assert "add --create" in text
    code, text = run(demo_env, *args, "--output", str(output), "--create")
    assert code == 0, text
    document = etree.fromstring(output.read_bytes())
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(document)
    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) in text

    again = tmp_path / "again.xml"
    code, text = run(demo_env, *args, "--output", str(again), "--create")
    assert code != 0
    assert "exported on" in text
    assert "nothing to pay" in text
    assert not again.exists()
    code, text = run(demo_env, "payments", "list", "--tenant", "demo-be")
    assert code == 0
    assert "2026-12-01\texported" in text


@pytest.mark.parametrize("command", ["payments export", "payments list"])
def test_payments_commands_have_help(command: str, env: dict[str, str]) -> None:  # noqa: F811
    code, output = run(env, *command.split(), "--help")
    assert code == 0
    assert "--tenant" in output
