"""Document number series: gapless per tenant, kind and year, formats checked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from coopkit.invoicing.models import DocumentKind
from coopkit.invoicing.numbering import (
    NumberingError,
    check_pattern,
    configure_series,
    next_number,
)
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.ledger_world import open_cooperative


@pytest.fixture
def session(db: Database, plugins: PluginHost) -> Iterator[Session]:
    with open_cooperative(db, plugins).session(db) as session:
        yield session


def test_numbers_follow_each_other_per_kind_and_year(session: Session) -> None:
    taken = [next_number(session, DocumentKind.INVOICE, 2026) for _ in range(3)]
    assert taken == ["INV2026-00001", "INV2026-00002", "INV2026-00003"]
    assert next_number(session, DocumentKind.CREDIT_NOTE, 2026) == "CN2026-00001"
    assert next_number(session, DocumentKind.INVOICE, 2027) == "INV2027-00001"


def test_a_rolled_back_issue_gives_its_number_back(session: Session) -> None:
    session.commit()
    next_number(session, DocumentKind.INVOICE, 2026)
    session.rollback()
    assert next_number(session, DocumentKind.INVOICE, 2026) == "INV2026-00001"


def test_a_configured_format_carries_over_to_the_next_year(session: Session) -> None:
    configure_series(session, DocumentKind.INVOICE, 2026, prefix="F", pattern="{prefix}-{number}")
    assert next_number(session, DocumentKind.INVOICE, 2026) == "F-1"
    assert next_number(session, DocumentKind.INVOICE, 2027) == "F-1"


def test_a_used_series_keeps_its_format(session: Session) -> None:
    next_number(session, DocumentKind.INVOICE, 2026)
    with pytest.raises(NumberingError, match="already given 1 number"):
        configure_series(session, DocumentKind.INVOICE, 2026, prefix="X")


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{prefix}{year}", "must contain {number}"),
        ("{prefix}{number}{month}", "unknown field"),
        ("{prefix}{number", "pattern"),
        ("{prefix}" + "x" * 40 + "{number}", "longer than 30"),
    ],
)
def test_a_pattern_that_could_repeat_or_overflow_is_refused(pattern: str, message: str) -> None:
    with pytest.raises(NumberingError, match=message):
        check_pattern(pattern)
