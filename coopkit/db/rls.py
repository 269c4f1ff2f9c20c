"""PostgreSQL row-level security for tenant-owned tables.

Below the ORM's scoping, the database itself refuses rows of another tenant:
each tenant-owned table has RLS enabled *and forced* (so even the owner is
subject to it), with one policy comparing ``tenant_id`` to the per-transaction
setting ``coopkit.tenant_id``. With no tenant set, no row is visible.

``memberships`` has one more read rule: a person may list their own
memberships in every tenant (``coopkit.user_id``), which the sign-in page needs.

The application must connect as a role that does not own the tables and has
no BYPASSRLS; migrations grant it the rights it needs (``grant_app_role``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.engine import Connection

CURRENT_TENANT = "NULLIF(current_setting('coopkit.tenant_id', true), '')::uuid"
CURRENT_USER = "NULLIF(current_setting('coopkit.user_id', true), '')::uuid"

EXTRA_READ_RULES = {"memberships": f"user_id = {CURRENT_USER}"}


def enable_rls(connection: Connection, tables: Iterable[str]) -> None:
    """Enable and force RLS with the tenant policy on each of ``tables`` (PostgreSQL only)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        connection.execute(text(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY'))
        connection.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
        connection.execute(text(f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"'))
        connection.execute(
            text(
                f'CREATE POLICY tenant_isolation ON "{table}" '
                f"USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
            )
        )
        if table in EXTRA_READ_RULES:
            connection.execute(text(f'DROP POLICY IF EXISTS own_rows ON "{table}"'))
            rule = EXTRA_READ_RULES[table]
            connection.execute(
                text(f'CREATE POLICY own_rows ON "{table}" FOR SELECT USING ({rule})')
            )


def grant_app_role(connection: Connection, role: str | None) -> None:
    """Give the application role data rights (not ownership) on every table."""
    if connection.dialect.name != "postgresql" or not role:
        return
    quoted = connection.dialect.identifier_preparer.quote(role)
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {quoted}"))
    connection.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
    )
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"))
