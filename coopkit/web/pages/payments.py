"""Payment pages: staff see the payouts waiting and the batches (create, export, download);
a member sets their bank account and sees their payouts, waiting or paid."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.i18n import _
from coopkit.ledger.errors import LedgerError
from coopkit.money import Money
from coopkit.payouts.bank_accounts import bank_account_of, bank_accounts_on, set_bank_account
from coopkit.payouts.batches import (
    create_payment_batch,
    export_payment_batch,
    get_payment_batch,
    lines_of,
    list_payment_batches,
)
from coopkit.payouts.errors import PaymentsError
from coopkit.payouts.models import Payout
from coopkit.payouts.queue import payouts_waiting
from coopkit.people.models import User
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.api.payments import batch_file_response
from coopkit.web.templating import flash, page

Db = NamedDependency[Session]


@dataclass
class BatchForm:
    execution_date: str = ""


@dataclass
class AccountForm:
    iban: str = ""
    holder: str = ""
    bic: str = ""


@dataclass(frozen=True)
class WaitingRow:
    payout: Payout
    member: str
    amount: Money
    has_account: bool


@get("/t/{slug:str}/payments", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def payments_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    waiting = payouts_waiting(db)
    names = dict(db.execute(select(User.id, User.name)).all())
    accounts = bank_accounts_on(db, {p.user_id for p in waiting}, date.max)
    rows = [
        WaitingRow(p, names.get(p.user_id, "?"), Money(p.amount, p.currency), p.user_id in accounts)
        for p in waiting
    ]
    batches = [(b, lines_of(db, b)) for b in list_payment_batches(db)]
    return page(request, "payments.html", rows=rows, batches=batches, today=date.today())


@post(
    "/t/{slug:str}/payments/batches",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def create_batch_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: URLEncodedBody[BatchForm]
) -> Redirect:
    try:
        day = date.fromisoformat(data.execution_date.strip())
    except ValueError:
        flash(request, _("Give the execution date as YYYY-MM-DD."), "error")
        return Redirect(f"/t/{slug}/payments")
    try:
        made = create_payment_batch(db, execution_date=day, created_by=visitor(request).user_id)
    except PaymentsError as error:
        flash(request, _("No batch: %(reason)s"), "error", reason=str(error))
        return Redirect(f"/t/{slug}/payments")
    flash(
        request,
        _("%(added)s payout(s) added; %(left)s left waiting."),
        "info",
        added=len(made.added),
        left=len(made.left),
    )
    return Redirect(f"/t/{slug}/payments/batches/{made.batch.id}")


@get(
    "/t/{slug:str}/payments/batches/{batch_id:uuid}",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def batch_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], batch_id: FromPath[uuid.UUID]
) -> Template:
    batch = get_payment_batch(db, batch_id)
    lines = lines_of(db, batch)
    return page(request, "payment_batch.html", batch=batch, lines=lines)


@post(
    "/t/{slug:str}/payments/batches/{batch_id:uuid}/export",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def export_batch_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], batch_id: FromPath[uuid.UUID]
) -> Redirect:
    try:
        export_payment_batch(db, batch_id, exported_by=visitor(request).user_id)
    except (PaymentsError, LedgerError) as error:
        flash(request, _("Not exported: %(reason)s"), "error", reason=str(error))
    else:
        flash(request, _("Exported: download the file and send it to the bank."), "info")
    return Redirect(f"/t/{slug}/payments/batches/{batch_id}")


@get(
    "/t/{slug:str}/payments/batches/{batch_id:uuid}/file",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def batch_file(db: Db, slug: FromPath[str], batch_id: FromPath[uuid.UUID]) -> Response[bytes]:
    return batch_file_response(get_payment_batch(db, batch_id))


def _my_page(
    request: Request[Any, Any, Any],
    db: Session,
    form: AccountForm,
    error: str = "",
    status: int = 200,
) -> Template:
    user_id = visitor(request).user_id
    assert user_id is not None
    mine = db.scalars(
        select(Payout).where(Payout.user_id == user_id).order_by(Payout.due_date.desc())
    ).all()
    rows = [(p, Money(p.amount, p.currency)) for p in mine]
    return page(
        request,
        "bank_account.html",
        status_code=status,
        account=bank_account_of(db, user_id),
        form=form,
        error=error,
        payouts=rows,
    )


@get("/t/{slug:str}/my-payouts", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def my_bank_account_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    return _my_page(request, db, AccountForm())


@post(
    "/t/{slug:str}/my-payouts/account",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def set_my_bank_account(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: URLEncodedBody[AccountForm]
) -> Template | Redirect:
    user_id = visitor(request).user_id
    assert user_id is not None
    try:
        set_bank_account(
            db,
            user_id,
            iban=data.iban,
            holder=data.holder,
            bic=data.bic,
            recorded_by=user_id,
            plugins=services(request).plugins,
        )
    except PaymentsError as error:
        return _my_page(request, db, data, str(error), 400)
    flash(request, _("Your bank account is recorded: your next payments go to it."), "info")
    return Redirect(f"/t/{slug}/my-payouts")


PAYMENT_PAGES = [
    payments_page,
    create_batch_form,
    batch_page,
    export_batch_form,
    batch_file,
    my_bank_account_page,
    set_my_bank_account,
]
