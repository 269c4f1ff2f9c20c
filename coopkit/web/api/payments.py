"""Paying members in API v1: their bank accounts (setBankAccount, getBankAccount) and the
payment batches (createPaymentBatch, listPaymentBatches, getPaymentBatch,
exportPaymentBatch, getPaymentBatchFile).

A member reads and sets their own bank account; staff anybody's. Batches are
staff only; another cooperative's batch answers 404. Refusals are problem+json:
422 with what to fix (``errors[].key`` names the field), 409 for a batch
exported already. ``Idempotency-Key`` makes a retried creation or export safe.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import msgspec
from litestar import Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, JSONBody
from schwifty import IBAN
from sqlalchemy.orm import Session

from coopkit.money import minor_unit
from coopkit.payouts.bank_accounts import bank_account_of, set_bank_account
from coopkit.payouts.batches import (
    BatchLine,
    create_payment_batch,
    export_payment_batch,
    get_payment_batch,
    lines_of,
    list_payment_batches,
)
from coopkit.payouts.errors import PaymentsError, UnknownBankAccount
from coopkit.payouts.models import MemberBankAccount, PaymentBatch, PayoutKind
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.api.idempotent import IdempotencyKeyHeader, once
from coopkit.web.api.payment_schemas import (
    BankAccountIn,
    BankAccountOut,
    BatchCreatedOut,
    BatchItemOut,
    LeftWaitingOut,
    PaymentBatchIn,
    PaymentBatchOut,
    PayoutOut,
)
from coopkit.web.visibility import is_staff

Db = NamedDependency[Session]


def account_out(account: MemberBankAccount) -> BankAccountOut:
    return BankAccountOut(
        account.user_id,
        account.iban,
        IBAN(account.iban).formatted,
        account.bic,
        account.holder,
        account.valid_from,
        account.recorded_at,
    )


def _own_or_staff(request: Request[Any, Any, Any], user_id: uuid.UUID) -> None:
    if user_id != visitor(request).user_id and not is_staff(request):
        raise UnknownBankAccount(f"no bank account of {user_id} here")


@put(
    "/t/{slug:str}/members/{user_id:uuid}/bank-account",
    operation_id="setBankAccount",
    guards=[member_only],
    sync_to_thread=True,
    status_code=200,
)
def set_account(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    user_id: FromPath[uuid.UUID],
    data: JSONBody[BankAccountIn],
) -> BankAccountOut:
    """Set (or replace) the account a member is paid on: yourself, or anybody for staff.
    The IBAN is checked (check digits, national rules, SEPA zone); a BIC must be its bank's."""
    _own_or_staff(request, user_id)
    account = set_bank_account(
        db,
        user_id,
        iban=data.iban,
        holder=data.holder,
        bic=data.bic,
        valid_from=data.valid_from,
        recorded_by=visitor(request).user_id,
        plugins=services(request).plugins,
    )
    return account_out(account)


@get(
    "/t/{slug:str}/members/{user_id:uuid}/bank-account",
    operation_id="getBankAccount",
    guards=[member_only],
    sync_to_thread=True,
)
def get_account(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], user_id: FromPath[uuid.UUID]
) -> BankAccountOut:
    """The member's latest bank account (404 when none is on record)."""
    _own_or_staff(request, user_id)
    account = bank_account_of(db, user_id)
    if account is None:
        raise UnknownBankAccount(f"no bank account on record for {user_id}")
    return account_out(account)


def payout_out(line: BatchLine) -> PayoutOut:
    p = line.payout
    return PayoutOut(
        p.id,
        p.kind.value,
        p.user_id,
        line.member,
        p.amount.quantize(minor_unit(p.currency)),
        p.currency,
        p.due_date,
        p.description,
        p.paid_on,
    )


def batch_out(db: Session, slug: str, batch: PaymentBatch, items: bool = False) -> PaymentBatchOut:
    lines = lines_of(db, batch)
    exported = batch.exported_at is not None
    return PaymentBatchOut(
        id=batch.id,
        execution_date=batch.execution_date,
        status="exported" if exported else "open",
        transfers=len(lines),
        total=sum((ln.item.amount for ln in lines), Decimal(0)).quantize(Decimal("0.01")),
        created_at=batch.created_at,
        exported_at=batch.exported_at,
        file_sha256=batch.file_sha256,
        file_url=f"/api/v1/t/{slug}/payment-batches/{batch.id}/file" if exported else None,
        items=[
            BatchItemOut(
                payout_out(ln), ln.item.end_to_end_id, ln.item.iban, ln.item.bic, ln.item.holder
            )
            for ln in lines
        ]
        if items
        else None,
    )


def _kinds(asked: list[str] | None) -> list[PayoutKind] | None:
    if asked is None:
        return None
    try:
        return [PayoutKind(k) for k in asked]
    except ValueError:
        raise PaymentsError("kinds: give salary, expense or both", "kinds") from None


@post(
    "/t/{slug:str}/payment-batches",
    operation_id="createPaymentBatch",
    guards=[staff_only],
    sync_to_thread=True,
)
def create_batch(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    data: JSONBody[PaymentBatchIn],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Put every waiting payout due by the execution date whose member has a bank account in
    the open batch of that day (created if needed); the others are listed with the reason."""
    kinds = _kinds(data.kinds)
    staff_id = visitor(request).user_id

    def work() -> Any:
        made = create_payment_batch(
            db, execution_date=data.execution_date, created_by=staff_id, kinds=kinds
        )
        return msgspec.to_builtins(
            BatchCreatedOut(
                batch_out(db, slug, made.batch),
                [i.payout_id for i in made.added],
                [LeftWaitingOut(w.payout.id, w.reason) for w in made.left],
            )
        )

    return once(db, idempotency_key, "createPaymentBatch", msgspec.to_builtins(data), work)


@get(
    "/t/{slug:str}/payment-batches",
    operation_id="listPaymentBatches",
    guards=[staff_only],
    sync_to_thread=True,
)
def list_batches(db: Db, slug: FromPath[str]) -> list[PaymentBatchOut]:
    """Open batches first, then exported ones, latest execution date first."""
    return [batch_out(db, slug, b) for b in list_payment_batches(db)]


@get(
    "/t/{slug:str}/payment-batches/{batch_id:uuid}",
    operation_id="getPaymentBatch",
    guards=[staff_only],
    sync_to_thread=True,
)
def get_batch(db: Db, slug: FromPath[str], batch_id: FromPath[uuid.UUID]) -> PaymentBatchOut:
    """One batch with its payouts (and, once exported, the accounts they were paid to)."""
    return batch_out(db, slug, get_payment_batch(db, batch_id), items=True)


@post(
    "/t/{slug:str}/payment-batches/{batch_id:uuid}/export",
    operation_id="exportPaymentBatch",
    guards=[staff_only],
    sync_to_thread=True,
)
def export_batch(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    batch_id: FromPath[uuid.UUID],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Write the batch's SEPA file (pain.001.001.09), mark its payouts paid and book them;
    once: 409 when it was exported already."""
    staff_id = visitor(request).user_id

    def work() -> Any:
        batch = export_payment_batch(db, batch_id, exported_by=staff_id)
        return msgspec.to_builtins(batch_out(db, slug, batch, items=True))

    return once(db, idempotency_key, "exportPaymentBatch", {"batch": str(batch_id)}, work, 200)


@get(
    "/t/{slug:str}/payment-batches/{batch_id:uuid}/file",
    operation_id="getPaymentBatchFile",
    guards=[staff_only],
    sync_to_thread=True,
)
def get_batch_file(db: Db, slug: FromPath[str], batch_id: FromPath[uuid.UUID]) -> Response[bytes]:
    """The pain.001 XML file of an exported batch, as stored (its SHA-256 is on the batch)."""
    return batch_file_response(get_payment_batch(db, batch_id))


def batch_file_response(batch: PaymentBatch) -> Response[bytes]:
    if batch.file_xml is None:
        raise NotFoundException("this batch is not exported yet: export it first")
    name = f"payments-{batch.execution_date}-{batch.id.hex[:8]}.xml"
    return Response(
        batch.file_xml,
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


PAYMENT_HANDLERS = [
    set_account,
    get_account,
    create_batch,
    list_batches,
    get_batch,
    export_batch,
    get_batch_file,
]
