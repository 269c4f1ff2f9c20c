"""Members' bank accounts: the IBAN (and BIC) their salary and expenses are paid to.

The IBAN is checked by the country plugin of the cooperative
(``coopkit_validate_iban``, which adds national check digits to schwifty's
checks), else by schwifty directly; a BIC, optional because SEPA transfers
need only the IBAN, is checked by schwifty and must belong to the IBAN's
country and, where schwifty knows the bank, to that bank. When no BIC is given
the one schwifty knows for the IBAN's bank is kept, if any.
"""

from __future__ import annotations

import datetime as dt
import uuid

from schwifty import BIC, IBAN
from schwifty import exceptions as schwifty_errors
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.countries import IdentifierCheck
from coopkit.invoicing.cooperative import current_cooperative
from coopkit.payouts.errors import BankAccountRefused, UnknownBankAccount
from coopkit.payouts.models import MemberBankAccount
from coopkit.people.service import role_in
from coopkit.plugin_helpers import check_iban
from coopkit.plugins import PluginError, PluginHost, default_host

MAX_HOLDER = 70  # SEPA: the creditor's name is at most 70 characters


def _grouped(typed: str) -> str:
    compact = "".join(typed.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def check_member_iban(host: PluginHost, country: str, typed: str) -> IdentifierCheck:
    """The IBAN checked by the cooperative's country plugin, or by schwifty if it has no hook."""
    try:
        checked = host.validate_iban(country, typed)
    except PluginError:
        checked = check_iban(typed)
    if not checked.valid:
        raise BankAccountRefused(f"{_grouped(typed)}: {checked.error}", "iban")
    return checked


def check_bic(iban: str, typed: str) -> str:
    """The BIC to store for ``iban``: the one typed, checked, or the bank's known one, or ""."""
    wanted = "".join(typed.split()).upper()
    known = IBAN(iban).bic
    if not wanted:
        return str(known.compact) if known is not None else ""
    try:
        bic = BIC(wanted)
    except schwifty_errors.SchwiftyException as error:
        raise BankAccountRefused(
            f"{wanted}: not a BIC ({error}); a BIC has 8 or 11 letters and digits, "
            "or leave it empty: the IBAN is enough for a SEPA transfer",
            "bic",
        ) from None
    if bic.country_code != iban[:2]:
        raise BankAccountRefused(
            f"{wanted} is a bank of {bic.country_code} and the IBAN is from {iban[:2]}: "
            "give the BIC of the bank that holds this account, or leave it empty",
            "bic",
        )
    if known is not None and bic.bank_code != known.bank_code:
        raise BankAccountRefused(
            f"{wanted} is not the bank of this IBAN (its bank is {known.compact}): "
            "give that bank's BIC, or leave it empty",
            "bic",
        )
    return str(bic.compact)


def set_bank_account(
    db: Session,
    user_id: uuid.UUID,
    *,
    iban: str,
    holder: str,
    bic: str = "",
    valid_from: dt.date | None = None,
    recorded_by: uuid.UUID | None = None,
    plugins: PluginHost | None = None,
) -> MemberBankAccount:
    """Record the member's account from ``valid_from`` (today) on; BankAccountRefused if not."""
    tenant = current_cooperative(db)
    if role_in(db, user_id) is None:
        raise UnknownBankAccount(f"no member {user_id} in {tenant.name}")
    name = " ".join(holder.split())
    if not name or len(name) > MAX_HOLDER:
        raise BankAccountRefused(
            f"holder: give the account holder's name, in at most {MAX_HOLDER} characters", "holder"
        )
    checked = check_member_iban(plugins or default_host(), tenant.country, iban)
    account = MemberBankAccount(
        user_id=user_id,
        iban=checked.compact,
        bic=check_bic(checked.compact, bic),
        holder=name,
        valid_from=valid_from or dt.date.today(),
        recorded_by=recorded_by,
    )
    db.add(account)
    db.flush()
    record(
        db,
        "payments.bank_account_set",
        "user",
        user_id,
        {"iban": account.iban, "bic": account.bic, "valid_from": account.valid_from},
        actor_id=recorded_by,
    )
    return account


def bank_account_of(
    db: Session, user_id: uuid.UUID, on: dt.date | None = None
) -> MemberBankAccount | None:
    """The member's latest account in force on ``on`` (any day when None)."""
    query = select(MemberBankAccount).where(MemberBankAccount.user_id == user_id)
    if on is not None:
        query = query.where(MemberBankAccount.valid_from <= on)
    return db.scalar(
        query.order_by(
            MemberBankAccount.valid_from.desc(), MemberBankAccount.recorded_at.desc()
        ).limit(1)
    )


def bank_accounts_on(
    db: Session, user_ids: set[uuid.UUID], on: dt.date
) -> dict[uuid.UUID, MemberBankAccount]:
    """The latest account in force on ``on`` of each of ``user_ids`` that has one."""
    rows = db.scalars(
        select(MemberBankAccount)
        .where(MemberBankAccount.user_id.in_(user_ids), MemberBankAccount.valid_from <= on)
        .order_by(MemberBankAccount.valid_from, MemberBankAccount.recorded_at)
    )
    return {row.user_id: row for row in rows}  # the last (latest) wins
