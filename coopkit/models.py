"""Every mapped model, imported in one place for migrations and metadata checks."""

from coopkit.activities.models import Activity, ActivityMember
from coopkit.audit.models import AuditEvent
from coopkit.banking.models import BankLine, BankStatement
from coopkit.branding.models import Branding
from coopkit.collection.models import DunningPolicy, DunningStep
from coopkit.db.base import Base, TenantOwned, tenant_owned_models
from coopkit.decisions.models import (
    DataUsePolicy,
    MemberConsent,
    SurplusAllocation,
    SurplusDistribution,
)
from coopkit.expenses.models import ExpenseClaim, ExpenseReceipt
from coopkit.governance.colleges import CollegeAssignment, VotingCollege
from coopkit.governance.models import (
    AgendaItem,
    Assembly,
    AssemblyDocument,
    Ballot,
    Minutes,
    Proxy,
    Resolution,
    SessionTally,
    VoteReceipt,
    VoteReminder,
)
from coopkit.governance.statutes import Statutes
from coopkit.guarantee.models import Advance, AdvanceRepayment, InvoiceWriteOff
from coopkit.guarantee.policy import GuaranteePolicy
from coopkit.idempotency import IdempotencyKey
from coopkit.incubator.models import (
    ChecklistItem,
    IncubatorProject,
    PlannedShareClass,
    ProjectDocument,
    ProjectFounder,
    ProjectStageChange,
    SharePledge,
    StageBallot,
    StageDecision,
)
from coopkit.invoicing.models import (
    Client,
    Invoice,
    InvoiceLine,
    InvoiceSeries,
    Payment,
    SellerIdentity,
)
from coopkit.ledger.models import Account, AccountBalance, JournalEntry, Posting
from coopkit.ledger.policy import FeePolicy
from coopkit.membership.models import (
    MembershipApplication,
    MemberStatusChange,
    ShareClass,
    SharePolicy,
    ShareRedemption,
    ShareRegisterEntry,
    ShareSubscription,
    ShareTransfer,
)
from coopkit.outbox.models import OutboxAttachment, OutboxMessage
from coopkit.payouts.models import MemberBankAccount, PaymentBatch, PaymentBatchItem, Payout
from coopkit.payslips.models import Payslip
from coopkit.people.models import ApiToken, Membership, Role, User
from coopkit.quotes.models import Quote, QuoteConfirmation, QuoteLine
from coopkit.salaries.models import SalaryRequest
from coopkit.salaries.policy import SalaryPolicy
from coopkit.tenants.models import Tenant, TenantKind
from coopkit.web.session_store import WebSession

__all__ = [
    "Account",
    "AccountBalance",
    "Activity",
    "ActivityMember",
    "Advance",
    "AdvanceRepayment",
    "AgendaItem",
    "ApiToken",
    "Assembly",
    "AssemblyDocument",
    "AuditEvent",
    "Ballot",
    "BankLine",
    "BankStatement",
    "Base",
    "Branding",
    "ChecklistItem",
    "Client",
    "CollegeAssignment",
    "DataUsePolicy",
    "DunningPolicy",
    "DunningStep",
    "ExpenseClaim",
    "ExpenseReceipt",
    "FeePolicy",
    "GuaranteePolicy",
    "IdempotencyKey",
    "IncubatorProject",
    "Invoice",
    "InvoiceLine",
    "InvoiceSeries",
    "InvoiceWriteOff",
    "JournalEntry",
    "MemberBankAccount",
    "MemberConsent",
    "MemberStatusChange",
    "Membership",
    "MembershipApplication",
    "Minutes",
    "OutboxAttachment",
    "OutboxMessage",
    "Payment",
    "PaymentBatch",
    "PaymentBatchItem",
    "Payout",
    "Payslip",
    "PlannedShareClass",
    "Posting",
    "ProjectDocument",
    "ProjectFounder",
    "ProjectStageChange",
    "Proxy",
    "Quote",
    "QuoteConfirmation",
    "QuoteLine",
    "Resolution",
    "Role",
    "SalaryPolicy",
    "SalaryRequest",
    "SellerIdentity",
    "SessionTally",
    "ShareClass",
    "SharePledge",
    "SharePolicy",
    "ShareRedemption",
    "ShareRegisterEntry",
    "ShareSubscription",
    "ShareTransfer",
    "StageBallot",
    "StageDecision",
    "Statutes",
    "SurplusAllocation",
    "SurplusDistribution",
    "Tenant",
    "TenantKind",
    "TenantOwned",
    "User",
    "VoteReceipt",
    "VoteReminder",
    "VotingCollege",
    "WebSession",
    "tenant_owned_models",
]
