"""Every mapped model, imported in one place for migrations and metadata checks."""

from coopkit.audit.models import AuditEvent
from coopkit.db.base import Base, TenantOwned, tenant_owned_models
from coopkit.payslips.models import Payslip
from coopkit.people.models import ApiToken, Membership, Role, User
from coopkit.tenants.models import Tenant, TenantKind
from coopkit.web.session_store import WebSession

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "Membership",
    "Payslip",
    "Role",
    "Tenant",
    "TenantKind",
    "TenantOwned",
    "User",
    "WebSession",
    "tenant_owned_models",
]
