"""Governance benchmark: a general assembly's vote in a cooperative of 20,000 members.

Run with ``python -m bench.governance`` (``make bench`` runs it too). SQLite always;
PostgreSQL too when ``COOPKIT_BENCH_DATABASE_URL`` names a server (a throw-away
database and an application role under row-level security, as bench.ledger).

One Belgian cooperative: 20,000 members since 2025, each holding 1 to 4 voting A
shares, and 1,000 former members who resigned before the record date (their
shares still on the register, so the electorate has something to leave out).
People, status changes and register lines are bulk inserted. An ordinary
assembly (its status set to convened directly: the 20,000 convocation e-mails are
not what is measured here) puts one proposal to the vote. Measured:

- ``voters_on`` on the record date (the whole electorate: every status and holding);
- the entitlement check of one vote, the old way (``electorate_on``, the whole
  electorate per vote) and the current one (``check_entitled``: one person);
- ``cast_vote`` — the castVote path without HTTP, one transaction per vote — for
  50 voters with the old check put back in place (500 would take a quarter of an
  hour), then 500 others with the current one (the receipt, the ballot, the audit
  event and the commit included);
- ``close_resolution`` once the resolution holds 20,000 ballots (the other 19,000
  bulk inserted): the electorate, the ballots read back, the tally, the outcome stored;
- the pure ``tally.count`` on 100,000 ballots, one member one vote and with 3 colleges.
"""

from __future__ import annotations

import os
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, text
from sqlalchemy.orm import Session

from bench.ledger import _now, _timings_ms, postgres_database
from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.migrate import upgrade
from coopkit.db.tenancy import set_tenant
from coopkit.governance import voting
from coopkit.governance.assemblies import AssemblyDraft, create_assembly
from coopkit.governance.closing import close_resolution, compute_outcome
from coopkit.governance.errors import NotEntitled
from coopkit.governance.models import AssemblyStatus, Ballot, VoteReceipt
from coopkit.governance.resolutions import ResolutionDraft, create_resolution
from coopkit.governance.rules import College, DecisionRule, Majority, electorate_on
from coopkit.governance.tally import Ballot as TallyBallot
from coopkit.governance.tally import Electorate, Method, Outcome, Stance, count
from coopkit.membership.models import (
    MemberStatus,
    MemberStatusChange,
    RegisterEntryKind,
    ShareClass,
    ShareRegisterEntry,
)
from coopkit.membership.register import voters_on
from coopkit.people.models import User
from coopkit.plugins import PluginHost
from coopkit.settings import Settings
from coopkit.tenants.models import Tenant
from coopkit.tenants.service import create_tenant

MEMBERS = 20_000
FORMER = 1_000
VOTES = 500  # cast through cast_vote with the current check
# …and with the old check: each took a whole electorate (~1–2 s here), so 500 would
# take a quarter of an hour per database; 50 give its median and 95th percentile.
VOTES_BEFORE = 50
TALLIED = 100_000
JOINED = date(2025, 1, 10)
LEFT = date(2026, 3, 1)
RECORD_DATE = date(2026, 5, 15)
MEETING = date(2026, 6, 12)
OPENS = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
DURING = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
CLOSES = datetime(2026, 6, 12, 18, 0, tzinfo=UTC)
AFTER = datetime(2026, 6, 12, 19, 0, tzinfo=UTC)
STANCES = (Stance.AGREE.value, Stance.AGREE.value, Stance.DISAGREE.value, Stance.ABSTAIN.value)
COLLEGES = (
    College("workers", "Workers", Decimal("0.5")),
    College("users", "Users", Decimal("0.3")),
    College("supporters", "Supporters", Decimal("0.2")),
)
RULE = DecisionRule(Decimal("0.25"), Majority.SIMPLE, Decimal("0"), Majority.SIMPLE, "bench")


@contextmanager
def _tenant_connection(engine: Engine, tenant_id: uuid.UUID) -> Iterator[Connection]:
    """A transaction in the tenant (PostgreSQL row-level security reads the setting)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("SELECT set_config('coopkit.tenant_id', :t, true)"), {"t": str(tenant_id)}
            )
        yield conn


def load(settings: Settings, plugins: PluginHost) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """The cooperative and its register; the members' ids (the former members excluded)."""
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        tenant = create_tenant(db, plugins, slug=f"ga-{secrets.token_hex(3)}", name="Bench",
                               kind="branch", country="BE")  # fmt: skip
        set_tenant(db, tenant.id)
        shares = ShareClass(code="A", name="A shares", nominal=Decimal("50.00"), currency="EUR")
        db.add(shares)
        db.commit()
        tenant_id, class_id = tenant.id, shares.id
    suffix = secrets.token_hex(3)
    people = [uuid.uuid4() for _ in range(MEMBERS + FORMER)]
    users, statuses, lines = [], [], []
    for n, person in enumerate(people):
        users.append({"id": person, "email": f"m{n}-{suffix}@bench.example.org",
                      "name": f"Member {n:05d}", "password_hash": "!", "locale": "fr_BE",
                      "created_at": _now()})  # fmt: skip
        changes = [(MemberStatus.MEMBER, JOINED)]
        if n >= MEMBERS:
            changes.append((MemberStatus.RESIGNED, LEFT))
        for status, day in changes:
            statuses.append({"tenant_id": tenant_id, "id": uuid.uuid4(), "user_id": person,
                             "status": status, "effective_on": day, "reason": None,
                             "recorded_by": None, "recorded_at": _now()})  # fmt: skip
        quantity = 1 + n % 4
        lines.append({"tenant_id": tenant_id, "id": uuid.uuid4(), "line": n + 1,
                      "user_id": person, "share_class_id": class_id,
                      "kind": RegisterEntryKind.SUBSCRIPTION, "quantity": quantity,
                      "amount": Decimal("50.00") * quantity, "currency": "EUR",
                      "effective_on": JOINED, "reference": "", "note": "",
                      "recorded_by": None, "recorded_at": _now()})  # fmt: skip
    with _tenant_connection(engine, tenant_id) as conn:
        conn.execute(insert(User.__table__), users)  # type: ignore[arg-type]
        conn.execute(insert(MemberStatusChange.__table__), statuses)  # type: ignore[arg-type]
        conn.execute(insert(ShareRegisterEntry.__table__), lines)  # type: ignore[arg-type]
    engine.dispose()
    return tenant_id, people[:MEMBERS]


def old_check_entitled(db: Session, day: date, voter_id: uuid.UUID) -> str | None:
    """The entitlement check before the one-person lookup: the whole electorate per vote
    (its refusals shortened: only entitled voters are measured)."""
    electorate = electorate_on(db, day)
    if voter_id in electorate.voters:
        return electorate.voters[voter_id]
    raise NotEntitled("not in the electorate", voting.ELECTORATE)


def _per_call_ms(times: list[float]) -> tuple[float, float]:
    return statistics.median(times) * 1000, statistics.quantiles(times, n=20)[18] * 1000


def _cast(db: Session, item: uuid.UUID, voters: list[uuid.UUID]) -> tuple[float, float]:
    """Cast one vote per voter through ``cast_vote``, one transaction each."""
    times = []
    for n, voter in enumerate(voters):
        start = time.perf_counter()
        voting.cast_vote(db, item, voter, STANCES[n % len(STANCES)], now=DURING)
        db.commit()
        times.append(time.perf_counter() - start)
    return _per_call_ms(times)


def _fill(engine: Engine, tenant_id: uuid.UUID, item: uuid.UUID, voters: list[uuid.UUID]) -> None:
    """The rest of the ballots, bulk inserted as cast_vote would store them."""
    receipts, ballots = [], []
    for n, voter in enumerate(voters):
        receipts.append({"tenant_id": tenant_id, "id": uuid.uuid4(), "resolution_id": item,
                         "voter_id": voter, "cast_by": voter, "cast_at": DURING})  # fmt: skip
        ballots.append({"tenant_id": tenant_id, "id": uuid.uuid4(), "resolution_id": item,
                        "voter_id": voter, "college": None, "choice": STANCES[n % 4],
                        "proxy_holder_id": None, "cast_at": DURING})  # fmt: skip
    with _tenant_connection(engine, tenant_id) as conn:
        conn.execute(insert(VoteReceipt.__table__), receipts)  # type: ignore[arg-type]
        conn.execute(insert(Ballot.__table__), ballots)  # type: ignore[arg-type]


def measure(settings: Settings, owner: Engine, plugins: PluginHost, label: str) -> None:
    start = time.perf_counter()
    tenant_id, members = load(settings, plugins)
    loaded = time.perf_counter() - start
    with owner.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("COMMIT"))
            conn.execute(text("VACUUM ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        set_tenant(db, tenant_id)
        tenant = db.get_one(Tenant, tenant_id)
        assembly = create_assembly(db, AssemblyDraft(
            title="Annual general assembly", kind="ordinary", meeting_on=MEETING,
            record_date=RECORD_DATE, meeting_time="18:00", place="Brussels",
            agenda=["Accounts 2025"]), None)  # fmt: skip
        item = create_resolution(db, ResolutionDraft(
            title="Approve the accounts", opens_at=OPENS, closes_at=CLOSES,
            assembly_id=assembly.id), None)  # fmt: skip
        assembly.status, assembly.convened_at = AssemblyStatus.CONVENED, OPENS
        db.commit()
        electorate = len(voters_on(db, RECORD_DATE))
        print(f"{label}: {MEMBERS:,} members and {FORMER:,} former members loaded in "
              f"{loaded:.0f} s; {electorate:,} voters on {RECORD_DATE}")  # fmt: skip
        assert electorate == MEMBERS
        p50, p95 = _timings_ms(lambda: voters_on(db, RECORD_DATE), repeat=20)
        print(f"  voters_on (the whole electorate): {p50:.0f} ms (p50), {p95:.0f} ms (p95)")
        probe = members[-1]
        for name, check, repeat in (
            ("one vote's check, the old way (electorate_on)", old_check_entitled, 20),
            ("one vote's check, now (check_entitled)", voting.check_entitled, 200),
        ):
            p50, p95 = _timings_ms(lambda c=check: c(db, RECORD_DATE, probe), repeat=repeat)  # type: ignore[misc]
            print(f"  {name}: {p50:.2f} ms (p50), {p95:.2f} ms (p95)")
        current = voting.check_entitled
        voting.check_entitled = old_check_entitled
        try:
            before = _cast(db, item.id, members[:VOTES_BEFORE])
        finally:
            voting.check_entitled = current
        after = _cast(db, item.id, members[VOTES_BEFORE : VOTES_BEFORE + VOTES])
        for name, voted, (p50, p95) in (
            ("old check", VOTES_BEFORE, before),
            ("now", VOTES, after),
        ):
            print(f"  cast_vote, {voted} voters, {name}: {p50:.1f} ms (p50), {p95:.1f} ms (p95)")
        _fill(engine, tenant_id, item.id, members[VOTES_BEFORE + VOTES :])
        p50, p95 = _timings_ms(lambda: compute_outcome(db, tenant, item), repeat=5)
        print(f"  counting {MEMBERS:,} ballots (compute_outcome): {p50:.0f} ms (p50), "
              f"{p95:.0f} ms (p95)")  # fmt: skip
        start = time.perf_counter()
        outcome = close_resolution(db, tenant, item.id, None, AFTER).outcome
        db.commit()
        closed = (time.perf_counter() - start) * 1000
        print(f"  close_resolution with {MEMBERS:,} ballots: {closed:.0f} ms "
              f"(adopted: {outcome['adopted']}, present {outcome['present']})")  # fmt: skip
    engine.dispose()


def _counted(colleges: tuple[College, ...]) -> Callable[[], Outcome]:
    """Counting 100,000 ballots made in memory, members spread over ``colleges`` in turn."""
    voters = [uuid.uuid4() for _ in range(TALLIED)]
    codes = [c.code for c in colleges]

    def college(n: int) -> str | None:
        return codes[n % len(codes)] if codes else None

    electorate = Electorate({v: college(n) for n, v in enumerate(voters)}, colleges)
    ballots = [TallyBallot(v, college(n), STANCES[n % len(STANCES)]) for n, v in enumerate(voters)]
    return lambda: count(Method.PROPOSAL, ballots, electorate, RULE)


def pure_tally() -> None:
    """``tally.count`` alone: no database."""
    for colleges in ((), COLLEGES):
        run = _counted(colleges)
        outcome = run()
        p50, p95 = _timings_ms(run, repeat=10)
        how = f"{len(colleges)} colleges" if colleges else "one member, one vote"
        print(f"  tally.count, {TALLIED:,} ballots, {how}: {p50:.0f} ms (p50), {p95:.0f} ms "
              f"(p95); adopted: {outcome.adopted}")  # fmt: skip


def sqlite(plugins: PluginHost) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite:///{Path(folder) / 'bench.sqlite3'}", secret_key="bench" * 4
        )
        upgrade(settings)
        owner = make_engine(settings.database_url)
        try:
            measure(settings, owner, plugins, "SQLite")
        finally:
            owner.dispose()


def main() -> None:
    plugins = PluginHost.from_environment()
    print("No database:")
    pure_tally()
    sqlite(plugins)
    server = os.environ.get("COOPKIT_BENCH_DATABASE_URL")
    if not server:
        print("PostgreSQL: set COOPKIT_BENCH_DATABASE_URL to a server to measure it too")
        return
    with postgres_database(server) as (settings, owner):
        measure(settings, owner, plugins, "PostgreSQL")


if __name__ == "__main__":
    main()
