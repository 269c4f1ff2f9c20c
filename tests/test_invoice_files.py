"""An issued demo invoice downloaded as PDF and as UBL, through the API and from its page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.test_ubl import Validator, assert_valid, en16931, ubl_schema  # noqa: F401
from tests.test_web import MEMBER_BE, STAFF_BE, bearer

Client = TestClient[Any]


def _issued(client: Client, headers: dict[str, str]) -> dict[str, Any]:
    response = client.get("/api/v1/t/demo-be/invoices", headers=headers)
    assert response.status_code == 200, response.text
    issued = [i for i in response.json() if i["number"]]
    assert issued, "the demo has issued invoices"
    return issued[0]  # type: ignore[no-any-return]


def test_an_issued_invoice_downloads_as_a_valid_ubl_and_a_pdf(
    client: Client,
    token: Callable[[str], str],
    en16931: Validator,  # noqa: F811
    ubl_schema: Callable[[bytes], list[str]],  # noqa: F811
    weasyprint: None,
) -> None:
    headers = bearer(token(STAFF_BE))
    invoice = _issued(client, headers)
    base = f"/api/v1/t/demo-be/invoices/{invoice['id']}"
    ubl = client.get(f"{base}/ubl", headers=headers)
    assert ubl.status_code == 200, ubl.text
    assert ubl.headers["content-type"].startswith("application/xml")
    assert invoice["number"].encode() in ubl.content
    assert_valid(ubl.content, en16931, ubl_schema)
    pdf = client.get(f"{base}/pdf", headers=headers)
    assert pdf.status_code == 200, pdf.text
    assert pdf.content.startswith(b"%PDF")
    assert f'filename="{invoice["number"]}.pdf"' in pdf.headers["content-disposition"]


@pytest.mark.parametrize("suffix", ["pdf", "ubl"])
def test_a_draft_has_no_file_and_strangers_get_404(
    client: Client, token: Callable[[str], str], suffix: str
) -> None:
    staff = bearer(token(STAFF_BE))
    drafts = [
        i for i in client.get("/api/v1/t/demo-be/invoices", headers=staff).json() if not i["number"]
    ]
    assert drafts, "the demo has a draft"
    response = client.get(f"/api/v1/t/demo-be/invoices/{drafts[0]['id']}/{suffix}", headers=staff)
    assert response.status_code == 422, response.text
    issued = _issued(client, staff)
    stranger = client.get(
        f"/api/v1/t/demo-be/invoices/{issued['id']}/{suffix}", headers=bearer(token(MEMBER_BE))
    )
    assert stranger.status_code == 404
