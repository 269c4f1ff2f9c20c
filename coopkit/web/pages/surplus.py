"""Surplus pages: staff see each distribution (split, ledger entry, members' parts);
a member sees their own ristourne and dividends."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.orm import Session

from coopkit.decisions.reading import distribution_view, distributions, member_parts_of
from coopkit.i18n import _
from coopkit.ledger.posting import tenant_currency
from coopkit.money import Money
from coopkit.web.access import member_only, staff_only, visitor
from coopkit.web.templating import page

Db = NamedDependency[Session]
PART_LABELS = {
    "legal_reserve": _("Legal reserve"),
    "other_reserves": _("Other reserves"),
    "ristourne": _("Ristourne to members"),
    "workers_share": _("Workers' share"),
    "dividends": _("Dividends"),
    "carried_forward": _("Carried forward"),
}


def _cash(db: Session) -> Any:
    currency = tenant_currency(db)
    return lambda amount: Money(amount, currency)


@get("/t/{slug:str}/surplus", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def surplus_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    return page(request, "surplus.html", distributions=distributions(db), cash=_cash(db))


@get(
    "/t/{slug:str}/surplus/{distribution_id:uuid}",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def distribution_page(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    distribution_id: FromPath[uuid.UUID],
) -> Template:
    view = distribution_view(db, distribution_id)
    if view is None:
        raise NotFoundException(f"no surplus distribution {distribution_id} here")
    return page(request, "surplus_distribution.html", view=view, parts=PART_LABELS, cash=_cash(db))


@get("/t/{slug:str}/my-surplus", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def my_surplus_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    user_id = visitor(request).user_id
    assert user_id is not None
    return page(request, "my_surplus.html", rows=member_parts_of(db, user_id), cash=_cash(db))


SURPLUS_PAGES = [surplus_page, distribution_page, my_surplus_page]
