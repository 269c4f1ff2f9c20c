"""Tenants never see each other: proven for every tenant-scoped model.

On both databases through the ORM (coopkit.db.tenancy), and on PostgreSQL also
through raw SQL as the application role, where row-level security
(coopkit.db.rls) must refuse the same things on its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg.errors
import pytest
from sqlalchemy import (
    Connection,
    UniqueConstraint,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, ProgrammingError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import flag_modified

from coopkit.db.append_only import AppendOnly, FinalRecordError
from coopkit.db.base import Base, tenant_owned_models
from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.tenancy import NoTenantSelected, TenantViolation, set_tenant, tenant_scope
from coopkit.people.models import Membership, Role
from coopkit.people.service import tenants_of
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant, TenantKind
from tests.conftest import Database, unique
from tests.factories import FACTORIES, make_user

MODELS = tenant_owned_models()


def is_final(model: type[Base]) -> bool:
    """Rows of this model are never updated nor deleted (coopkit.db.append_only)."""
    return issubclass(model, AppendOnly)


def test_every_tenant_owned_model_has_a_factory() -> None:
    models, covered = set(MODELS), set(FACTORIES)
    missing = sorted(m.__name__ for m in models - covered)
    assert not missing, f"add a factory for {missing} to tests/factories.py"
    extra = sorted(m.__name__ for m in covered - models)
    assert not extra, f"tests/factories.py has factories for models not tenant-owned: {extra}"


# --- Two tenants, one row of the model in each -------------------------------


@dataclass
class World:
    """Tenants A and B with one committed row of ``model`` each."""

    model: type[Base]
    a: uuid.UUID
    b: uuid.UUID
    row_a: Any  # detached instances: read their attributes, never add them back
    row_b: Any

    @property
    def table(self) -> str:
        return str(self.model.__table__.name)  # type: ignore[attr-defined]

    def key(self, row: Any) -> tuple[Any, ...]:
        """The primary key of ``row`` as ``session.get`` takes it."""
        return tuple(inspect(row).identity)

    def copy_of(self, row: Any, tenant_id: uuid.UUID) -> Any:
        """A new, otherwise valid instance with ``row``'s values, a new id, in ``tenant_id``."""
        values = column_values(row)
        values.update(id=uuid.uuid4(), tenant_id=tenant_id)
        return self.model(**values)


def column_values(row: Any) -> dict[str, Any]:
    mapper = inspect(type(row))
    return {attr.key: getattr(row, attr.key) for attr in mapper.column_attrs}


def numbered_per_tenant(model: Any) -> bool:
    """Whether ``model`` has a unique key per tenant besides its id (a sequence number)."""
    return any(
        isinstance(constraint, UniqueConstraint) and "tenant_id" in constraint.columns
        for constraint in model.__table__.constraints
    )


def make_tenant(session: Session, plugins: PluginHost, prefix: str) -> Tenant:
    """A bare tenant row: no audit event or other row of its own besides the test's."""
    tenant = Tenant(
        slug=unique(prefix),
        name=f"Coop {prefix.upper()}",
        kind=TenantKind.BRANCH,
        country=plugins.country("BE").code,
        currency="EUR",
        locales=["fr_BE"],
    )
    session.add(tenant)
    session.flush()
    return tenant


def build_world(db: Database, plugins: PluginHost, model: type[Base]) -> World:
    with db.sessions() as session:
        tenant_a = make_tenant(session, plugins, "a")
        tenant_b = make_tenant(session, plugins, "b")
        row_a = FACTORIES[model](session, tenant_a)
        row_b = FACTORIES[model](session, tenant_b)
        session.commit()
    return World(model, tenant_a.id, tenant_b.id, row_a, row_b)


@pytest.fixture
def world(request: pytest.FixtureRequest, db: Database, plugins: PluginHost) -> World:
    return build_world(db, plugins, request.param)


@pytest.fixture
def pg_world(request: pytest.FixtureRequest, postgres_db: Database, plugins: PluginHost) -> World:
    return build_world(postgres_db, plugins, request.param)


by_model = pytest.mark.parametrize("world", MODELS, ids=lambda m: m.__name__, indirect=True)
pg_by_model = pytest.mark.parametrize("pg_world", MODELS, ids=lambda m: m.__name__, indirect=True)


@pytest.fixture
def scoped(db: Database) -> Iterator[Any]:
    """Open sessions scoped to a tenant: ``scoped(tenant_id)``; all are closed afterwards."""
    opened: list[Session] = []

    def open_session(tenant_id: uuid.UUID | None, user_id: uuid.UUID | None = None) -> Session:
        session = db.sessions()
        set_tenant(session, tenant_id, user_id)
        opened.append(session)
        return session

    yield open_session
    for session in opened:
        session.close()


def ids_of(session: Session, model: type[Base]) -> set[uuid.UUID]:
    return set(session.scalars(select(model.id)))  # type: ignore[attr-defined]


# --- The ORM, on SQLite and PostgreSQL ---------------------------------------


@by_model
def test_select_sees_only_own_rows(world: World, scoped: Any) -> None:
    session = scoped(world.a)
    rows = session.scalars(select(world.model)).all()
    assert [r.id for r in rows] == [world.row_a.id]
    assert {r.tenant_id for r in rows} == {world.a}
    assert session.scalar(select(func.count()).select_from(world.model)) == 1
    # Even asking for B's rows by name finds nothing.
    by_tenant = select(world.model).where(world.model.tenant_id == world.b)  # type: ignore[attr-defined]
    assert session.scalars(by_tenant).all() == []


@by_model
def test_get_by_other_tenants_key_is_none(world: World, scoped: Any) -> None:
    session = scoped(world.a)
    assert session.get(world.model, world.key(world.row_b)) is None
    assert session.get(world.model, world.key(world.row_a)) is not None


@by_model
def test_get_after_switching_tenant_in_one_session(world: World, scoped: Any) -> None:
    session = scoped(world.b)
    theirs = session.get(world.model, world.key(world.row_b))  # held: the identity map is weak
    assert theirs is not None
    set_tenant(session, world.a)
    assert session.get(world.model, world.key(world.row_b)) is None


@by_model
def test_joins_aliases_and_subqueries_are_scoped(world: World, scoped: Any) -> None:
    model: Any = world.model
    session = scoped(world.a)
    joined = select(Tenant.id).join(model, model.tenant_id == Tenant.id)
    assert set(session.scalars(joined)) == {world.a}
    assert session.scalar(joined.where(model.id == world.row_b.id)) is None
    other = aliased(model)
    assert set(session.scalars(select(other.id))) == {world.row_a.id}
    pairs = select(model.id, other.id).join(other, other.tenant_id != model.tenant_id)
    assert session.execute(pairs).all() == []
    inside = select(Tenant.id).where(Tenant.id.in_(select(model.tenant_id)))
    assert set(session.scalars(inside)) == {world.a}


@by_model
def test_update_and_delete_statements_skip_other_tenant(
    world: World, scoped: Any, db: Database
) -> None:
    model: Any = world.model
    session = scoped(world.a)
    if is_final(model):
        # Final rows: the ORM refuses the statements themselves, whichever rows they name.
        for statement in (
            update(model).where(model.id == world.row_b.id).values(id=model.id),
            delete(model).where(model.id == world.row_b.id),
            delete(model),
        ):
            with pytest.raises(FinalRecordError):
                session.execute(statement)
        assert ids_of(scoped(world.b), model) == {world.row_b.id}
        assert ids_of(scoped(world.a), model) == {world.row_a.id}
        return
    moved = session.execute(update(model).where(model.id == world.row_b.id).values(id=model.id))
    assert moved.rowcount == 0
    gone = session.execute(delete(model).where(model.id == world.row_b.id))
    assert gone.rowcount == 0
    # With no WHERE at all, only A's own row is touched.
    everything = delete(model).execution_options(synchronize_session=False)
    assert session.execute(everything).rowcount == 1
    session.commit()
    assert ids_of(scoped(world.a), model) == set()
    assert ids_of(scoped(world.b), model) == {world.row_b.id}


# Final records (coopkit.db.append_only) may be refused for that reason first.
REFUSED = (TenantViolation, FinalRecordError)


@by_model
def test_writing_a_row_of_another_tenant_is_refused(world: World, scoped: Any) -> None:
    model: Any = world.model
    session = scoped(world.a)
    intruder = world.copy_of(world.row_a, world.b)
    session.add(intruder)
    with pytest.raises(TenantViolation, match="another tenant"):
        session.flush()
    session.expunge(intruder)

    # A row of B loaded under B is dropped from the session when it moves to A:
    # changing it afterwards writes nothing, deleting it is refused at flush.
    with tenant_scope(session, world.b):
        theirs = session.get(model, world.key(world.row_b))
    assert theirs is not None
    assert inspect(theirs).detached
    first_column = next(a.key for a in inspect(model).column_attrs if not a.columns[0].primary_key)
    flag_modified(theirs, first_column)
    session.flush()
    assert not session.dirty
    session.delete(theirs)  # re-attaches it, as deleted
    with pytest.raises(REFUSED):
        session.flush()
    session.expunge(theirs)

    # One's own row moved into B.
    mine = session.get(model, world.key(world.row_a))
    mine.tenant_id = world.b
    with pytest.raises(REFUSED):
        session.flush()
    session.rollback()
    session.commit()

    # Nothing reached the database; the intruder was a valid row, only misplaced.
    session_b = scoped(world.b)
    assert ids_of(session_b, model) == {world.row_b.id}
    assert ids_of(scoped(world.a), model) == {world.row_a.id}
    if not numbered_per_tenant(model):  # a copy would reuse A's number in B's series
        session_b.add(world.copy_of(world.row_a, world.b))
        session_b.commit()


@by_model
def test_no_tenant_selected_is_refused(world: World, scoped: Any) -> None:
    model: Any = world.model
    session = scoped(None)
    with pytest.raises(NoTenantSelected):
        session.scalars(select(model)).all()
    with pytest.raises(NoTenantSelected):
        session.get(model, world.key(world.row_a))
    with pytest.raises(NoTenantSelected):
        session.execute(select(Tenant.id).join(model, model.tenant_id == Tenant.id))
    with pytest.raises(NoTenantSelected):
        session.execute(select(Tenant.id).where(Tenant.id.in_(select(model.tenant_id))))
    with pytest.raises(NoTenantSelected):
        session.execute(delete(model))
    session.add(world.copy_of(world.row_a, world.a))
    with pytest.raises(NoTenantSelected):
        session.flush()


@pytest.mark.parametrize("switch", ["none", "scoped", "left-switched"])
@by_model
def test_savepoint_rollback_keeps_the_tenant(
    world: World, scoped: Any, switch: str, db: Database
) -> None:
    """django-tenants#1262: after a savepoint rollback, later queries read another tenant."""
    model: Any = world.model
    session = scoped(world.a)
    assert ids_of(session, model) == {world.row_a.id}
    savepoint = session.begin_nested()
    FACTORIES[model](session, session.get(Tenant, world.a))
    if switch == "scoped":
        with tenant_scope(session, world.b):
            assert ids_of(session, model) == {world.row_b.id}
    elif switch == "left-switched":
        set_tenant(session, world.b)
    savepoint.rollback()
    if switch == "left-switched":
        # The session names B; on PostgreSQL the rollback put A back in the
        # database setting. They disagree, so nothing at all is visible.
        seen = ids_of(session, model)
        assert seen == (set() if db.dialect == "postgresql" else {world.row_b.id})
        set_tenant(session, world.a)
    assert ids_of(session, model) == {world.row_a.id}
    rows = session.scalars(select(model)).all()
    assert {r.tenant_id for r in rows} == {world.a}
    session.commit()
    assert ids_of(session, model) == {world.row_a.id}


def test_tenants_of_lists_every_cooperative_of_the_user(
    db: Database, plugins: PluginHost, scoped: Any
) -> None:
    with db.sessions() as setup:
        tenant_a = make_tenant(setup, plugins, "a")
        tenant_b = make_tenant(setup, plugins, "b")
        tenant_c = make_tenant(setup, plugins, "c")
        person, stranger = make_user(setup), make_user(setup)
        for tenant, user, role in [
            (tenant_a, person, Role.ADMIN),
            (tenant_b, person, Role.MEMBER),
            (tenant_c, stranger, Role.STAFF),
        ]:
            with tenant_scope(setup, tenant.id):
                setup.add(Membership(tenant_id=tenant.id, user_id=user.id, role=role))
        setup.commit()
    # Signed in as the person, in tenant A (as coopkit.web.database does).
    found = tenants_of(scoped(tenant_a.id, person.id), person.id)
    assert [(t.id, r) for t, r in found] == [(tenant_a.id, Role.ADMIN), (tenant_b.id, Role.MEMBER)]
    found = tenants_of(scoped(tenant_c.id, stranger.id), stranger.id)
    assert [(t.id, r) for t, r in found] == [(tenant_c.id, Role.STAFF)]


# --- PostgreSQL: the same rules below the ORM (row-level security) -----------


def as_tenant(
    conn: Connection, tenant_id: uuid.UUID | None, user_id: uuid.UUID | None = None
) -> None:
    """What the application does at the start of each transaction, in raw SQL."""
    conn.execute(
        text(
            "SELECT set_config('coopkit.tenant_id', :t, true), "
            "set_config('coopkit.user_id', :u, true)"
        ),
        {"t": str(tenant_id or ""), "u": str(user_id or "")},
    )


def raw_ids(conn: Connection, table: str) -> set[uuid.UUID]:
    return set(conn.scalars(text(f'SELECT id FROM "{table}"')))


def is_rls_refusal(error: ProgrammingError) -> bool:
    return isinstance(error.orig, psycopg.errors.InsufficientPrivilege) and (
        "row-level security" in str(error.orig)
    )


def is_final_refusal(world: World, error: Exception) -> bool:
    """The database refused to change a final row (its trigger, not row-level security)."""
    orig = getattr(error, "orig", None)
    return is_final(world.model) and isinstance(orig, psycopg.errors.RestrictViolation)


@pytest.mark.postgres
@pg_by_model
def test_raw_select_sees_only_own_rows(pg_world: World, postgres_db: Database) -> None:
    world = pg_world
    with postgres_db.engine.begin() as conn:
        as_tenant(conn, world.a)
        assert raw_ids(conn, world.table) == {world.row_a.id}
        tenants = set(conn.scalars(text(f'SELECT DISTINCT tenant_id FROM "{world.table}"')))
        assert tenants == {world.a}
        by_key = text(f'SELECT count(*) FROM "{world.table}" WHERE tenant_id = :b AND id = :id')
        assert conn.scalar(by_key, {"b": world.b, "id": world.row_b.id}) == 0


@pytest.mark.postgres
@pg_by_model
def test_raw_insert_into_other_tenant_violates_rls(pg_world: World, postgres_db: Database) -> None:
    world = pg_world
    table: Any = world.model.__table__
    intruder = column_values(world.copy_of(world.row_a, world.b))
    with postgres_db.engine.connect() as conn:
        with conn.begin():
            as_tenant(conn, world.a)
            with pytest.raises(ProgrammingError) as refused:
                conn.execute(insert(table).values(**intruder))
        assert is_rls_refusal(refused.value), refused.value
        with conn.begin():
            as_tenant(conn, world.a)
            moving = text(f'UPDATE "{world.table}" SET tenant_id = :b WHERE id = :id')
            with pytest.raises((ProgrammingError, IntegrityError)) as refused:
                conn.execute(moving, {"b": world.b, "id": world.row_a.id})
        # A final row is refused by its trigger before the policy is checked.
        assert is_rls_refusal(refused.value) or is_final_refusal(world, refused.value)
        if numbered_per_tenant(world.model):  # a copy would reuse A's number in B's series
            return
        # The same row is accepted in its own tenant: only the tenant was wrong.
        with conn.begin():
            as_tenant(conn, world.b)
            conn.execute(insert(table).values(**intruder))
            assert raw_ids(conn, world.table) == {world.row_b.id, intruder["id"]}


@pytest.mark.postgres
@pg_by_model
def test_raw_update_and_delete_skip_other_tenant(pg_world: World, postgres_db: Database) -> None:
    world = pg_world
    with postgres_db.engine.begin() as conn:
        as_tenant(conn, world.a)
        for statement in (
            f'UPDATE "{world.table}" SET id = id WHERE tenant_id = :b',
            f'UPDATE "{world.table}" SET id = id WHERE id = :id',
            f'DELETE FROM "{world.table}" WHERE tenant_id = :b',
            f'DELETE FROM "{world.table}" WHERE id = :id',
        ):
            result = conn.execute(text(statement), {"b": world.b, "id": world.row_b.id})
            assert result.rowcount == 0, statement
        # Unqualified, they touch A's row only (and a final row not even that).
        if is_final(world.model):
            savepoint = conn.begin_nested()
            with pytest.raises(IntegrityError) as refused:
                conn.execute(text(f'DELETE FROM "{world.table}"'))
            savepoint.rollback()
            assert is_final_refusal(world, refused.value)
            assert raw_ids(conn, world.table) == {world.row_a.id}
        else:
            assert conn.execute(text(f'DELETE FROM "{world.table}"')).rowcount == 1
    with postgres_db.engine.begin() as conn:
        as_tenant(conn, world.b)
        assert raw_ids(conn, world.table) == {world.row_b.id}


@pytest.mark.postgres
@pg_by_model
def test_raw_without_tenant_sees_nothing(pg_world: World, postgres_db: Database) -> None:
    world = pg_world
    with postgres_db.engine.begin() as conn:
        # Never set on this transaction, then set to the empty string.
        assert conn.scalar(text(f'SELECT count(*) FROM "{world.table}"')) == 0
        as_tenant(conn, None)
        assert conn.scalar(text(f'SELECT count(*) FROM "{world.table}"')) == 0
    # The owner, too, is subject to the policies (FORCE ROW LEVEL SECURITY).
    with postgres_db.owner_engine.begin() as conn:
        assert conn.scalar(text(f'SELECT count(*) FROM "{world.table}"')) == 0
        as_tenant(conn, world.b)
        assert raw_ids(conn, world.table) == {world.row_b.id}


@pytest.mark.postgres
@pg_by_model
def test_tenant_setting_does_not_outlive_its_transaction(
    pg_world: World, postgres_db: Database
) -> None:
    world = pg_world
    engine = make_engine(postgres_db.settings.database_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            with conn.begin():
                as_tenant(conn, world.a)
                assert raw_ids(conn, world.table) == {world.row_a.id}
                backend = conn.scalar(text("SELECT pg_backend_pid()"))
            with conn.begin():
                assert not conn.scalar(text("SELECT current_setting('coopkit.tenant_id', true)"))
                assert raw_ids(conn, world.table) == set()
        # Through the ORM: a session of A, then a session with no tenant on the
        # same pooled connection.
        sessions = make_session_factory(engine)
        with sessions() as session:
            set_tenant(session, world.a)
            assert ids_of(session, world.model) == {world.row_a.id}
            session.commit()
        with sessions() as session:
            assert session.scalar(text("SELECT pg_backend_pid()")) == backend
            assert session.scalars(text(f'SELECT id FROM "{world.table}"')).all() == []
    finally:
        engine.dispose()


@pytest.mark.postgres
@pg_by_model
def test_raw_savepoint_rollback_keeps_the_tenant(pg_world: World, postgres_db: Database) -> None:
    world = pg_world
    with postgres_db.engine.begin() as conn:
        as_tenant(conn, world.a)
        savepoint = conn.begin_nested()
        as_tenant(conn, world.b)
        assert raw_ids(conn, world.table) == {world.row_b.id}
        savepoint.rollback()
        assert raw_ids(conn, world.table) == {world.row_a.id}


TENANT_TABLES = sorted(str(m.__table__.name) for m in MODELS)  # type: ignore[attr-defined]


@pytest.mark.postgres
def test_app_role_is_neither_owner_nor_bypassing(postgres_db: Database) -> None:
    with postgres_db.engine.connect() as conn:
        me = conn.execute(
            text(
                "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
            )
        ).one()
        assert (me.rolsuper, me.rolbypassrls) == (False, False)
        assert me.rolname == postgres_db.settings.app_role
        owned = conn.scalars(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')"
            )
        ).all()
        assert owned == [], f"the application role can act as the owner of {owned}"


@pytest.mark.postgres
def test_every_tenant_table_has_forced_rls(postgres_db: Database) -> None:
    with postgres_db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
                "AND (c.relrowsecurity OR EXISTS (SELECT 1 FROM pg_attribute a "
                "WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))"
            )
        ).all()
        # Every table with a tenant_id is a tenant table, and each one is protected.
        assert sorted(r.relname for r in rows) == TENANT_TABLES
        unprotected = [r.relname for r in rows if not (r.relrowsecurity and r.relforcerowsecurity)]
        assert unprotected == []
        policies = {
            tuple(r) for r in conn.execute(text("SELECT tablename, policyname FROM pg_policies"))
        }
        assert {(t, "tenant_isolation") for t in TENANT_TABLES} <= policies


@pytest.mark.postgres
def test_own_memberships_are_visible_across_tenants(
    postgres_db: Database, plugins: PluginHost
) -> None:
    with postgres_db.sessions() as setup:
        tenant_a = make_tenant(setup, plugins, "a")
        tenant_b = make_tenant(setup, plugins, "b")
        person, other = make_user(setup), make_user(setup)
        rows: dict[tuple[str, str], uuid.UUID] = {}
        for tenant, tenant_name in ((tenant_a, "a"), (tenant_b, "b")):
            for user, user_name in ((person, "person"), (other, "other")):
                with tenant_scope(setup, tenant.id):
                    row = Membership(tenant_id=tenant.id, user_id=user.id, role=Role.MEMBER)
                    setup.add(row)
                rows[tenant_name, user_name] = row.id
        setup.commit()

    with postgres_db.engine.begin() as conn:
        as_tenant(conn, tenant_a.id)
        assert raw_ids(conn, "memberships") == {rows["a", "person"], rows["a", "other"]}
        as_tenant(conn, tenant_a.id, person.id)
        assert raw_ids(conn, "memberships") == {
            rows["a", "person"],
            rows["a", "other"],
            rows["b", "person"],
        }
        # Seeing one's own rows elsewhere is read-only.
        for statement in (
            "UPDATE memberships SET role = 'admin' WHERE id = :id",
            "DELETE FROM memberships WHERE id = :id",
        ):
            assert conn.execute(text(statement), {"id": rows["b", "person"]}).rowcount == 0
        as_tenant(conn, None, person.id)
        assert raw_ids(conn, "memberships") == {rows["a", "person"], rows["b", "person"]}
        as_tenant(conn, None, other.id)
        assert raw_ids(conn, "memberships") == {rows["a", "other"], rows["b", "other"]}
    with postgres_db.engine.begin() as conn:
        assert raw_ids(conn, "memberships") == set()
