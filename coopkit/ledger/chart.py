"""The chart of accounts: what a country plugin supplies, and the roles coopkit posts to.

The engine never names an account number. It posts to *roles* (``bank``,
``client_receivables``, ``activity_funds``…); the country plugin says which
account of its national chart plays each role (the Belgian PCMN, the French
PCG), through the hook ``coopkit_chart_of_accounts``. A tenant's books are that
chart, instantiated once (coopkit.ledger.books), plus one sub-account per
activity for the roles that are split by activity.

Amounts are signed: a debit is positive, a credit negative, so every entry
sums to zero and so do all the balances of a tenant. An account's *natural*
balance is its balance seen from its own side: debits minus credits for assets
and expenses, credits minus debits for liabilities, equity and income. "May not
go negative" is about the natural balance.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal


class AccountType(enum.StrEnum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"

    @property
    def sign(self) -> int:
        """+1 when the natural balance is debits minus credits, -1 when it is the reverse."""
        return 1 if self in (AccountType.ASSET, AccountType.EXPENSE) else -1

    def natural(self, raw: Decimal) -> Decimal:
        """The balance seen from the account's own side (what it holds, owes or earned)."""
        return raw * self.sign


class AccountRole(enum.StrEnum):
    """What coopkit uses an account for; a chart gives exactly one account per role."""

    BANK = "bank"
    SHARE_CAPITAL = "share_capital"
    CLIENT_RECEIVABLES = "client_receivables"
    SUPPLIERS_PAYABLE = "suppliers_payable"
    VAT_DEDUCTIBLE = "vat_deductible"
    VAT_COLLECTED = "vat_collected"
    SALARIES_PAYABLE = "salaries_payable"
    EXPENSE_CLAIMS_PAYABLE = "expense_claims_payable"
    GUARANTEE_FUND = "guarantee_fund"
    GUARANTEE_ADVANCES = "guarantee_advances"
    SOCIAL_SECURITY_PAYABLE = "social_security_payable"
    WITHHOLDING_TAX_PAYABLE = "withholding_tax_payable"
    BAD_DEBTS = "bad_debts"
    ACTIVITY_FUNDS = "activity_funds"
    ACTIVITY_RESERVED = "activity_reserved"
    ACTIVITY_BUDGETS = "activity_budgets"
    TURNOVER = "turnover"
    FEE_INCOME = "fee_income"
    # Appropriation of the result by the general assembly (coopkit.decisions.surplus).
    RESULT_OF_THE_YEAR = "result_of_the_year"
    LEGAL_RESERVE = "legal_reserve"
    OTHER_RESERVES = "other_reserves"
    RETAINED_EARNINGS = "retained_earnings"
    DIVIDENDS_PAYABLE = "dividends_payable"
    RISTOURNE_PAYABLE = "ristourne_payable"
    WORKERS_SHARE_PAYABLE = "workers_share_payable"


# The roles whose account is split into one sub-account per activity.
PER_ACTIVITY_ROLES = frozenset(
    {
        AccountRole.CLIENT_RECEIVABLES,
        AccountRole.ACTIVITY_FUNDS,
        AccountRole.ACTIVITY_RESERVED,
        AccountRole.ACTIVITY_BUDGETS,
        AccountRole.TURNOVER,
        AccountRole.FEE_INCOME,
    }
)

# The type each role must have: a chart that says otherwise is refused.
ROLE_TYPES = {
    AccountRole.BANK: AccountType.ASSET,
    AccountRole.SHARE_CAPITAL: AccountType.EQUITY,
    AccountRole.CLIENT_RECEIVABLES: AccountType.ASSET,
    AccountRole.SUPPLIERS_PAYABLE: AccountType.LIABILITY,
    AccountRole.VAT_DEDUCTIBLE: AccountType.ASSET,
    AccountRole.VAT_COLLECTED: AccountType.LIABILITY,
    AccountRole.SALARIES_PAYABLE: AccountType.LIABILITY,
    AccountRole.EXPENSE_CLAIMS_PAYABLE: AccountType.LIABILITY,
    AccountRole.GUARANTEE_FUND: AccountType.LIABILITY,
    AccountRole.GUARANTEE_ADVANCES: AccountType.ASSET,
    AccountRole.SOCIAL_SECURITY_PAYABLE: AccountType.LIABILITY,
    AccountRole.WITHHOLDING_TAX_PAYABLE: AccountType.LIABILITY,
    AccountRole.BAD_DEBTS: AccountType.EXPENSE,
    AccountRole.ACTIVITY_FUNDS: AccountType.LIABILITY,
    AccountRole.ACTIVITY_RESERVED: AccountType.LIABILITY,
    AccountRole.ACTIVITY_BUDGETS: AccountType.EXPENSE,
    AccountRole.TURNOVER: AccountType.INCOME,
    AccountRole.FEE_INCOME: AccountType.INCOME,
    AccountRole.RESULT_OF_THE_YEAR: AccountType.EQUITY,
    AccountRole.LEGAL_RESERVE: AccountType.EQUITY,
    AccountRole.OTHER_RESERVES: AccountType.EQUITY,
    AccountRole.RETAINED_EARNINGS: AccountType.EQUITY,
    AccountRole.DIVIDENDS_PAYABLE: AccountType.LIABILITY,
    AccountRole.RISTOURNE_PAYABLE: AccountType.LIABILITY,
    AccountRole.WORKERS_SHARE_PAYABLE: AccountType.LIABILITY,
}


@dataclass(frozen=True)
class AccountDefinition:
    """One account of a country's chart and the role coopkit gives it.

    :param role: the :class:`AccountRole` it plays.
    :param number: the account number in the national chart (``"550"``, ``"44571"``).
    :param name: its name in the national chart, in the chart's language.
    :param type: asset, liability, equity, income or expense.
    :param may_be_negative: whether its natural balance may go below zero; when
        not, a posting that would take it there is refused.
    :param source: the legal text that defines the account.
    """

    role: AccountRole
    number: str
    name: str
    type: AccountType
    may_be_negative: bool
    source: str

    @property
    def per_activity(self) -> bool:
        return self.role in PER_ACTIVITY_ROLES


def chart_problems(chart: list[AccountDefinition]) -> list[str]:
    """What is wrong with a chart: missing or doubled roles, wrong types, doubled numbers."""
    problems: list[str] = []
    roles = [d.role for d in chart]
    for role in AccountRole:
        if roles.count(role) != 1:
            problems.append(f"role {role.value}: {roles.count(role)} accounts, expected exactly 1")
    for definition in chart:
        expected = ROLE_TYPES[definition.role]
        if definition.type is not expected:
            problems.append(
                f"role {definition.role.value}: account {definition.number} is of type "
                f"{definition.type.value}; this role needs the type {expected.value}"
            )
    numbers = [d.number for d in chart]
    doubled = sorted({n for n in numbers if numbers.count(n) > 1})
    if doubled:
        problems.append(f"account numbers used for two roles: {', '.join(doubled)}")
    return problems
