"""Every mapped model, imported in one place for migrations and metadata checks."""

from coopkit.activities.models import Activity, ActivityMember
from coopkit.audit.models import AuditEvent
from coopkit.db.base import Base, TenantOwned, tenant_owned_models
from coopkit.idempotency import IdempotencyKey
from coopkit.ledger.models import Account, AccountBalance, JournalEntry, Posting
from coopkit.ledger.policy import FeePolicy
from coopkit.payslips.models import Payslip
from coopkit.people.models import ApiToken, Membership, Role, User
from coopkit.tenants.models import Tenant, TenantKind
from coopkit.web.session_store import WebSession

__all__ = [
    "Account",
    "AccountBalance",
    "Activity",
    "ActivityMember",
    "ApiToken",
    "AuditEvent",
    "Base",
    "FeePolicy",
    "IdempotencyKey",
    "JournalEntry",
    "Membership",
    "Payslip",
    "Posting",
    "Role",
    "Tenant",
    "TenantKind",
    "TenantOwned",
    "User",
    "WebSession",
    "tenant_owned_models",
]
