"""The audit log: who changed what, when, in which cooperative — append-only and hash-chained.

Governance and money events call :func:`coopkit.audit.service.record`; each
event carries the hash of the one before it in the tenant's chain, so editing,
removing or reordering an event breaks the chain, and
:func:`coopkit.audit.service.verify` (``coopkit audit verify``) says where.
"""
