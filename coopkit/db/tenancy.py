"""Tenant scoping in the ORM: every query sees one cooperative, every write stays in it.

A session carries its tenant in ``session.info``. Each ORM statement on a
tenant-owned model gets ``tenant_id = :current`` added (including relationship
loads, joins and ORM-enabled UPDATE/DELETE); flushing a row of another tenant
raises :class:`TenantViolation`. A statement on tenant-owned rows with no
tenant selected is refused rather than allowed to see everything.

A few platform operations really do cross tenants (the list of cooperatives a
person belongs to). They pass ``execution_options(cross_tenant="<why>")``:
the reason is mandatory, so every such place can be found and reviewed.

On PostgreSQL the tenant is also set for each transaction with
``set_config('coopkit.tenant_id', …, true)`` (transaction-local, never per
connection), which row-level security reads (see coopkit.db.rls). It is set
when the outer transaction begins and again whenever the session's tenant
changes; if a savepoint rollback ever reverted the database setting, the ORM
filter and RLS would disagree and no row at all would be visible: the failure
is closed, never a leak.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, with_loader_criteria
from sqlalchemy.sql import ClauseElement, visitors

from coopkit.db.base import TenantOwned, tenant_owned_models

TENANT_KEY = "coopkit_tenant_id"
USER_KEY = "coopkit_user_id"


class TenantViolation(PermissionError):
    """An attempt to read or write rows of a tenant other than the session's."""


class NoTenantSelected(TenantViolation):
    """A query on tenant-owned rows in a session with no tenant."""


def current_tenant(session: Session) -> uuid.UUID | None:
    value = session.info.get(TENANT_KEY)
    return value if isinstance(value, uuid.UUID) else None


def set_tenant(
    session: Session, tenant_id: uuid.UUID | None, user_id: uuid.UUID | None = None
) -> None:
    """Select the tenant (and acting user) of ``session``.

    Inside an open transaction on PostgreSQL the database setting follows at
    once, so the ORM filter and row-level security always name the same tenant.
    """
    if session.info.get(TENANT_KEY) != tenant_id:
        _forget_other_tenants(session, tenant_id)
    session.info[TENANT_KEY] = tenant_id
    session.info[USER_KEY] = user_id
    if session.in_transaction():
        for connection in _open_connections(session):
            _apply_setting(connection, tenant_id, user_id)


def _forget_other_tenants(session: Session, tenant_id: uuid.UUID | None) -> None:
    """Write what is pending under the old tenant, then drop other tenants' rows
    from the identity map, so ``session.get`` cannot hand them back."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    for obj in list(session.identity_map.values()):
        if isinstance(obj, TenantOwned) and obj.tenant_id != tenant_id:
            session.expunge(obj)


def _open_connections(session: Session) -> list[Connection]:
    transaction = session.get_transaction()
    if transaction is None:
        return []
    return [conn for conn, *_rest in transaction._connections.values()]


@contextmanager
def tenant_scope(session: Session, tenant_id: uuid.UUID | None) -> Iterator[Session]:
    """Run a block with ``session`` scoped to ``tenant_id``, then restore the previous tenant.

    Pending changes are flushed on the way in and out, so each row is written
    while its own tenant is selected.
    """
    previous = session.info.get(TENANT_KEY), session.info.get(USER_KEY)
    session.flush()
    set_tenant(session, tenant_id, previous[1])
    try:
        yield session
        session.flush()
    finally:
        set_tenant(session, previous[0], previous[1])


@contextmanager
def keeping_loaded_rows(session: Session) -> Iterator[Session]:
    """Let a block visit other tenants (with :func:`tenant_scope`) in the middle of the
    current tenant's work, and attach the current tenant's loaded rows again afterwards.

    Entering another tenant drops the current one's rows from the session (see
    :func:`set_tenant`), so the other tenant's work cannot reach them; once the
    session is back on its tenant, the caller's objects (an idempotency claim, the
    project being launched) are tracked again, and changes to them are saved.
    """
    tenant_id = current_tenant(session)
    session.flush()
    kept = [
        obj
        for obj in session.identity_map.values()
        if isinstance(obj, TenantOwned) and obj.tenant_id == tenant_id
    ]
    try:
        yield session
    finally:
        if current_tenant(session) == tenant_id:
            for obj in kept:
                state = inspect(obj)
                if state.detached and state.identity_key not in session.identity_map:
                    session.add(obj)


def _touches_tenant_rows(state: ORMExecuteState) -> bool:
    if any(issubclass(mapper.class_, TenantOwned) for mapper in state.all_mappers):
        return True
    # all_mappers names only the selected entities: a join, a subquery or a
    # WHERE clause can read tenant-owned rows too.
    statement = state.statement
    if not isinstance(statement, ClauseElement):
        return False
    tenant_tables = {model.__tablename__ for model in tenant_owned_models()}
    return any(
        isinstance(element, Table) and element.name in tenant_tables
        for element in visitors.iterate(statement)
    )


def _scope_statement(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return  # criteria of the parent statement already propagate to these
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get("cross_tenant"):
        return
    tenant_id = current_tenant(state.session)
    if tenant_id is None:
        if _touches_tenant_rows(state):
            raise NoTenantSelected(
                "this query reads tenant-owned rows but no tenant is selected; "
                "use set_tenant() or tenant_scope() first"
            )
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantOwned,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
        )
    )


def _check_flush(session: Session, flush_context: Any, instances: Any) -> None:
    tenant_id = current_tenant(session)
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if not isinstance(obj, TenantOwned):
            continue
        if tenant_id is None:
            raise NoTenantSelected(
                f"cannot write a {type(obj).__name__} with no tenant selected in the session"
            )
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise TenantViolation(
                f"refusing to write a {type(obj).__name__} of another tenant "
                f"({obj.tenant_id}) in a session of tenant {tenant_id}"
            )


def _set_database_tenant(
    session: Session, transaction: SessionTransaction, connection: Connection
) -> None:
    _apply_setting(connection, session.info.get(TENANT_KEY), session.info.get(USER_KEY))


def _apply_setting(connection: Connection, tenant_id: object, user_id: object) -> None:
    if connection.dialect.name != "postgresql":
        return
    connection.execute(
        text(
            "SELECT set_config('coopkit.tenant_id', :tenant, true), "
            "set_config('coopkit.user_id', :user, true)"
        ),
        {"tenant": str(tenant_id or ""), "user": str(user_id or "")},
    )


def install_tenant_scoping(session_class: type[Session] | Any) -> None:
    """Attach scoping to a Session class or sessionmaker (idempotent)."""
    for name, listener in (
        ("do_orm_execute", _scope_statement),
        ("before_flush", _check_flush),
        ("after_begin", _set_database_tenant),
    ):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
