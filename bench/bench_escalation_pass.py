"""Escalation pass benchmark: what one pass costs when a few of many open tickets are due, on
SQLite and on PostgreSQL. Prints figures; passes or fails nothing.

    python bench/bench_escalation_pass.py [--open 1000000,10000] [--due 1000] [--runs 7]
        [--databases sqlite,postgres] [--postgres URL] [--batch 1000] [--floor N] [--profile LINES]

Target (issue): with 1,000,000 open tickets of which 1,000 are due, one pass in 100 ms or less
on SQLite and 200 ms or less on PostgreSQL; with 10,000 open and 1,000 due, within 1.5x of that
(the cost follows the due count, not the open count). After each pass the deadline timer
checkpoints the embedded file's write-ahead log on its own thread (``Database.checkpoint``);
that is timed apart and printed beside the pass.

The desk is built fast: the standard test desk and the default policy, one template ticket per
tier and impact x urgency made by the ticket service itself (so each has exactly the clocks the
app starts), then the other tickets cloned from the templates with bulk inserts, indexes built
after. Due instants are set directly rather than from the calendar (the pass only compares
them): ``--due`` tickets have their tier clock expired (its warning already given), every other
deadline lies ahead. Each timed run is one real pass (moves, events, alerts, new clocks,
committed) over a fresh due set, chosen at random among the running tier clocks below the top.

``--floor N`` also answers "how much of a pass could faster code take away?": N passes are
rehearsed (run with their bulk writes recorded, then rolled back) and their statements sent
again alone (searches, clock reads, writes, commit: the database's own work), against N whole
passes after the same rehearsal. If the database's work alone is over the target, no change to
the pass's Python meets it; the schema (rows and indexes written per move) or the machine must.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, func, select, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_foundation import machine, with_postgres_schema  # noqa: E402

from app.models import Base, ClockKind, Level, TicketClock  # noqa: E402
from app.services import escalation, escalation_batch  # noqa: E402
from app.services.bulk import insert_rows, pipelined  # noqa: E402
from app.services.clock import FixedClock  # noqa: E402
from app.services.database import Database, open_database  # noqa: E402
from app.services.desk import Ladder  # noqa: E402
from app.services.escalation import EscalationService  # noqa: E402
from app.services.escalation_batch import EscalationBatch  # noqa: E402
from app.services.sla_policy import SlaPolicyService  # noqa: E402
from app.services.ticket_change import reserve_ticket_numbers  # noqa: E402
from tests.factories import Desk, make_desk  # noqa: E402

NOW = datetime(2026, 3, 5, 13, 0, tzinfo=UTC)  # a Thursday in office hours: the pass's "now"
POSTGRES = "postgresql+psycopg://root@127.0.0.1:5432/test"
#: Who opens the template tickets at each tier, and each tier's share of the open tickets.
TIER_AGENT = {"L1": "lena", "L2": "tom", "L3": "ines", "Vendor": "vic"}
TIER_SHARE = {"L1": 55, "L2": 25, "L3": 12, "Vendor": 8}
TITLE_MARK = "\x00"  # stands for the title in a template's creation snapshot
DAY_S = 86_400


# ------------------------------------------------------------------------------ the desk
@dataclass(frozen=True)
class Template:
    """A ticket the ticket service made, as raw rows to clone: ticket, ``created`` event, clocks
    (column name: value as inserted: naive UTC instants, enum values, JSON as text)."""

    tier: str
    ticket: dict[str, Any]
    created: dict[str, Any]
    clocks: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class OpenDesk:
    """A desk of open tickets built for a benchmark; ``due_keys`` are those whose tier clock
    has expired at ``now``."""

    now: datetime
    open_tickets: int
    due_keys: tuple[str, ...]
    clocks: int
    build_seconds: float


def build_open_desk(
    database: Database, open_tickets: int, due: int, now: datetime = NOW, seed: int = 1
) -> OpenDesk:
    """Fill a migrated, empty database with ``open_tickets`` open tickets, ``due`` of them (at
    tiers below the top) with an expired tier clock. Bulk loads lock the tables: new desks only."""
    started = time.perf_counter()
    desk = make_desk(database, FixedClock(now))
    SlaPolicyService(database, FixedClock(now)).install_default("UTC")
    templates = _make_templates(desk, database)
    cloned = max(open_tickets - len(templates), 0)
    with database.write() as session:
        first_number = reserve_ticket_numbers(session, cloned) if cloned else 1
        plan = _ClonePlan(session, templates, cloned, due, now, seed, first_number)
        for table, rows in (
            ("tickets", plan.tickets()),
            ("ticket_events", plan.events()),
            ("ticket_clocks", plan.clocks()),
        ):
            insert_rows(session, table, plan.columns[table], rows, into_new_desk=True)
        due_keys = tuple(plan.due_keys())
    if not database.is_sqlite:  # what autovacuum does after a big load, done now
        with database.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE"
            )
    return OpenDesk(
        now=now,
        open_tickets=len(templates) + cloned,
        due_keys=due_keys,
        clocks=plan.clock_count,
        build_seconds=time.perf_counter() - started,
    )


def _make_templates(desk: Desk, database: Database) -> list[Template]:
    ids = {}
    for tier, agent in TIER_AGENT.items():
        for impact in Level:
            for urgency in Level:
                made = desk.ticket(
                    agent, title="Template", tier=tier, impact=impact, urgency=urgency
                )
                ids[made.id] = tier
    tables = Base.metadata.tables
    tickets, events, clocks = tables["tickets"], tables["ticket_events"], tables["ticket_clocks"]
    with database.read() as session:
        connection = session.connection()
        rows = {r.id: _raw(r) for r in connection.execute(select(tickets))}
        created = {r.ticket_id: _raw(r) for r in connection.execute(select(events))}
        by_ticket: dict[int, list[dict[str, Any]]] = {ticket_id: [] for ticket_id in ids}
        for row in connection.execute(select(clocks).order_by(clocks.c.id)):
            by_ticket[row.ticket_id].append(_raw(row))
    return [
        Template(tier, rows[ticket_id], created[ticket_id], tuple(by_ticket[ticket_id]))
        for ticket_id, tier in ids.items()
    ]


def _raw(row: Any) -> dict[str, Any]:
    """A row read through the ORM types, back as the values ``insert_rows`` takes."""
    values = {}
    for name, value in row._mapping.items():
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None)
        elif isinstance(value, dict | list):
            value = json.dumps(value)
        values[name] = value
    return values


class _ClonePlan:
    """Which template each cloned ticket copies, when it was opened, and whether it is due;
    the rows are generated lazily, table by table."""

    def __init__(
        self,
        session: Any,
        templates: list[Template],
        count: int,
        due: int,
        now: datetime,
        seed: int,
        first_number: int,
    ) -> None:
        rng = random.Random(seed)
        self.templates, self.count, self.seed = templates, count, seed
        self.now = now.astimezone(UTC).replace(tzinfo=None)
        self.first_number = first_number
        tables = Base.metadata.tables
        self.columns = {name: tuple(tables[name].c.keys()) for name in _TABLES}
        self.first_id = {
            name: (session.scalar(select(func.max(tables[name].c.id))) or 0) + 1 for name in _TABLES
        }
        by_tier: dict[str, list[int]] = {}
        for index, template in enumerate(templates):
            by_tier.setdefault(template.tier, []).append(index)
        tiers = rng.choices(list(TIER_SHARE), weights=list(TIER_SHARE.values()), k=count)
        self.template_of = [rng.choice(by_tier[tier]) for tier in tiers]
        self.opened_ago = [rng.randint(3_600, 5 * DAY_S) for _ in range(count)]
        below_top = [n for n, tier in enumerate(tiers) if tier != "Vendor"]
        if due > len(below_top):
            raise SystemExit(f"only {len(below_top)} tickets below the top tier; --due {due}")
        self.due = frozenset(rng.sample(below_top, due))
        self.clock_count = sum(len(templates[t].clocks) for t in self.template_of)

    def _key(self, n: int) -> str:
        return f"TD-{self.first_number + n}"

    def _opened(self, n: int) -> datetime:
        return self.now - timedelta(seconds=self.opened_ago[n])

    def due_keys(self) -> Iterator[str]:
        return (self._key(n) for n in sorted(self.due))

    def tickets(self) -> Iterator[tuple[Any, ...]]:
        columns = self.columns["tickets"]
        values = [tuple(t.ticket[c] for c in columns) for t in self.templates]
        at = {c: columns.index(c) for c in ("id", "key", "title", "created_at", "updated_at")}
        for n in range(self.count):
            row = list(values[self.template_of[n]])
            opened = self._opened(n)
            row[at["id"]] = self.first_id["tickets"] + n
            row[at["key"]] = self._key(n)
            row[at["title"]] = f"Benchmark ticket {n}"
            row[at["created_at"]] = row[at["updated_at"]] = opened
            yield tuple(row)

    def events(self) -> Iterator[tuple[Any, ...]]:
        columns = self.columns["ticket_events"]
        values, snapshots = [], []
        for template in self.templates:
            values.append(tuple(template.created[c] for c in columns))
            snapshot = json.loads(template.created["details"])
            snapshot["title"] = TITLE_MARK
            snapshots.append(json.dumps(snapshot).split(json.dumps(TITLE_MARK)))
        at = {c: columns.index(c) for c in ("id", "ticket_id", "at", "details")}
        for n in range(self.count):
            row = list(values[self.template_of[n]])
            before, after = snapshots[self.template_of[n]]
            row[at["id"]] = self.first_id["ticket_events"] + n
            row[at["ticket_id"]] = self.first_id["tickets"] + n
            row[at["at"]] = self._opened(n)
            row[at["details"]] = f'{before}"Benchmark ticket {n}"{after}'
            yield tuple(row)

    def clocks(self) -> Iterator[tuple[Any, ...]]:
        rng = random.Random(self.seed + 1)
        columns = self.columns["ticket_clocks"]
        names = ("id", "ticket_id", "started_at", "running_since", "due_at", "warn_at")
        at = {c: columns.index(c) for c in (*names, "warned_at", "breached_at")}
        templates = [
            [(clock, tuple(clock[c] for c in columns)) for clock in t.clocks]
            for t in self.templates
        ]
        clock_id = self.first_id["ticket_clocks"]
        for n in range(self.count):
            opened, due = self._opened(n), n in self.due
            for clock, values in templates[self.template_of[n]]:
                row = list(values)
                row[at["id"]], row[at["ticket_id"]] = clock_id, self.first_id["tickets"] + n
                clock_id += 1
                row[at["started_at"]] = opened
                if clock["running_since"] is not None:
                    row[at["running_since"]] = opened
                if due and clock["due_at"] is not None:
                    expired = self.now - timedelta(seconds=rng.randint(1, 3_000))
                    row[at["due_at"]], row[at["warn_at"]] = expired, None
                    row[at["warned_at"]] = expired - timedelta(minutes=10)
                    if clock["kind"] != ClockKind.TIER.value:  # acted on by an earlier pass
                        row[at["breached_at"]] = expired
                elif clock["due_at"] is not None:  # every other deadline lies ahead
                    ahead = rng.uniform(600, 30 * DAY_S)
                    row[at["due_at"]] = self.now + timedelta(seconds=ahead)
                    if clock["warn_at"] is not None:
                        row[at["warn_at"]] = self.now + timedelta(seconds=ahead * 0.75)
                yield tuple(row)


_TABLES = ("tickets", "ticket_events", "ticket_clocks")


def make_due(database: Database, count: int, now: datetime) -> int:
    """Expire the tier clocks of ``count`` random tickets below the top tier whose deadlines
    all lie ahead, their other clocks as acted on by an earlier pass (warned, breached) as
    they would be by then; returns how many were found."""
    with database.write() as session:
        top = Ladder.load(session).tiers[-1].id
        ticket_ids = list(
            session.scalars(
                select(TicketClock.ticket_id)
                .where(
                    TicketClock.kind == ClockKind.TIER,
                    TicketClock.stopped_at.is_(None),
                    TicketClock.breached_at.is_(None),
                    TicketClock.due_at > now,
                    TicketClock.tier_id != top,
                )
                .order_by(func.random())
                .limit(count)
            )
        )
        expired = now - timedelta(minutes=5)
        expire = {"due_at": expired, "warn_at": None, "warned_at": expired - timedelta(minutes=10)}
        open_clocks = (
            TicketClock.ticket_id.in_(ticket_ids),
            TicketClock.stopped_at.is_(None),
            TicketClock.due_at.is_not(None),
        )
        session.execute(
            update(TicketClock)
            .where(*open_clocks, TicketClock.kind != ClockKind.TIER)
            .values(**expire, breached_at=expired)
        )
        session.execute(
            update(TicketClock)
            .where(*open_clocks, TicketClock.kind == ClockKind.TIER)
            .values(expire)
        )
        return len(ticket_ids)


def due_now(database: Database, now: datetime) -> tuple[int, int]:
    """Expired running clocks and pending warnings at ``now`` (what a pass would act on)."""
    with database.read() as session:
        expired = session.scalar(
            select(func.count())
            .select_from(TicketClock)
            .where(
                TicketClock.stopped_at.is_(None),
                TicketClock.breached_at.is_(None),
                TicketClock.due_at <= now,
            )
        )
        warnings = session.scalar(
            select(func.count())
            .select_from(TicketClock)
            .where(TicketClock.stopped_at.is_(None), TicketClock.warn_at <= now)
        )
        return int(expired or 0), int(warnings or 0)


# ---------------------------------------------------------------------------- measuring
class StatementLog:
    """The SQL statements an engine sends while ``recording`` is on."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.recording = False
        self.statements: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, _conn: Any, _cursor: Any, sql: str, params: Any, *_rest: Any) -> None:
        if self.recording:
            self.statements.append((sql, params))

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on_execute)

    def summary(self) -> str:
        """Statements by verb and table, most frequent first."""
        kinds: Counter[str] = Counter()
        for sql, _params in self.statements:
            words = sql.split()
            verb = words[0].upper()
            table = next(
                (words[i + 1] for i, w in enumerate(words[:-1]) if w.upper() in _TABLE_WORDS),
                "",
            )
            kinds[f"{verb} {table}".strip()] += 1
        return ", ".join(f"{kind} x{count}" for kind, count in kinds.most_common(8))


_TABLE_WORDS = {"FROM", "INTO", "UPDATE"}


@dataclass
class PassTiming:
    milliseconds: float
    escalations: int
    alerts: int
    passes: int
    statements: int
    checkpoint_ms: float


def timed_pass(
    database: Database, now: datetime, batch: int, expected: int, log: StatementLog | None = None
) -> PassTiming:
    """Run passes at ``now`` until ``expected`` tickets escalated (one pass when the batch
    holds them all) and time them together."""
    service = EscalationService(database, FixedClock(now))
    escalations = alerts = passes = 0
    if log is not None:
        log.statements.clear()
        log.recording = True
    started = time.perf_counter()
    while escalations < expected:
        report = service.run_pass(batch=batch)
        passes += 1
        escalations += len(report.escalations)
        alerts += len(getattr(report, "alerts", ()))
        if not report.escalations:
            break
    milliseconds = (time.perf_counter() - started) * 1000
    if log is not None:
        log.recording = False
    statements = len(log.statements) if log is not None else 0
    # What the deadline timer does next, on its own thread once the pass's results are out:
    # timed apart (it delays neither the moves nor their news).
    started = time.perf_counter()
    database.checkpoint()
    checkpoint_ms = (time.perf_counter() - started) * 1000
    return PassTiming(milliseconds, escalations, alerts, passes, statements, checkpoint_ms)


class _Rehearsal(Exception):
    """Ends a rehearsed pass before it commits: its transaction rolls back."""


Written = list[tuple[Any, str, tuple[str, ...], list[tuple[Any, ...]]]]


def rehearse(database: Database, now: datetime, batch: int) -> Written:
    """Run a pass to its end with every bulk write it sends recorded, then roll it back: the
    database is as it was, its pages as warm as the pass leaves them."""
    written: Written = []
    real = {name: getattr(escalation_batch, name) for name in ("update_rows", "insert_batch")}

    def recorder(name: str) -> Any:
        def record(session: Any, table: str, columns: Any, rows: Any) -> None:
            rows = list(rows)
            written.append((real[name], table, tuple(columns), rows))
            real[name](session, table, columns, rows)

        return record

    def end_rehearsal(*_arguments: Any) -> None:
        raise _Rehearsal

    for name in real:
        setattr(escalation_batch, name, recorder(name))
    announce = escalation.announce_ticket_changes
    escalation.announce_ticket_changes = end_rehearsal
    try:
        EscalationService(database, FixedClock(now)).run_pass(batch=batch)
    except _Rehearsal:
        pass
    finally:
        for name, function in real.items():
            setattr(escalation_batch, name, function)
        escalation.announce_ticket_changes = announce
    return written


def replay(database: Database, now: datetime, batch: int, written: Written) -> float:
    """Milliseconds to send a rehearsed pass's statements again, without its Python in
    between: the searches that lock the due tickets, the read of their clocks, the recorded
    writes (pipelined as the pass sends them) and the commit."""
    started = time.perf_counter()
    with database.write() as session:
        tickets = escalation.lock_due_tickets(session, escalation.due_searches(now), batch)
        EscalationBatch(session).load(tickets)
        with pipelined(session):
            for write, table, columns, rows in written:
                write(session, table, columns, rows)
    return (time.perf_counter() - started) * 1000


@dataclass
class Floor:
    """Medians over ``runs`` due sets: the database's own work in a pass (its statements
    replayed) and whole passes, each after a rehearsal that warmed the same pages."""

    replayed_ms: float
    pass_ms: float
    runs: int


def database_floor(database: Database, now: datetime, batch: int, due: int, runs: int) -> Floor:
    """What no change to the pass's Python can take away: for each of ``runs`` fresh due sets,
    a rehearsed pass's statements replayed; for as many others, a whole pass after the same
    rehearsal (so that both meet equally warm pages)."""
    replayed, passes = [], []
    for _run in range(runs):
        make_due(database, due, now)
        replayed.append(replay(database, now, batch, rehearse(database, now, batch)))
        database.checkpoint()
        found = make_due(database, due, now)
        rehearse(database, now, batch)
        passes.append(timed_pass(database, now, batch, found).milliseconds)
    return Floor(statistics.median(replayed), statistics.median(passes), runs)


def explain_searches(database: Database, log: StatementLog) -> list[str]:
    """The plan of each search for due clocks the pass sent (selects on ``ticket_clocks`` with
    a LIMIT), run again now with the same parameters."""
    lines = []
    searches = [
        (sql, params)
        for sql, params in log.statements
        if "ticket_clocks" in sql and "LIMIT" in sql and sql.lstrip().startswith("SELECT")
    ]
    with database.engine.connect() as connection:
        for sql, params in searches:
            lines.append("  " + " ".join(sql.split()))
            prefix = "EXPLAIN QUERY PLAN " if database.is_sqlite else "EXPLAIN (ANALYZE, BUFFERS) "
            plan = connection.exec_driver_sql(prefix + sql, params).all()
            lines += [f"    {row[-1]}" for row in plan]
    return lines


def profile_pass(database: Database, now: datetime, batch: int, due: int, lines: int) -> str:
    make_due(database, due, now)
    profiler = cProfile.Profile()
    profiler.enable()
    timing = timed_pass(database, now, batch, due)
    profiler.disable()
    out = io.StringIO()
    out.write(f"profiled pass: {timing.milliseconds:.0f} ms (profiler overhead included)\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)
    return out.getvalue()


# ----------------------------------------------------------------------------- reporting
@dataclass
class Result:
    database: str
    open_tickets: int
    due: int
    build_seconds: float
    clocks: int
    cold: PassTiming
    runs: list[PassTiming] = field(default_factory=list)
    floor: Floor | None = None

    @property
    def median(self) -> float:
        return statistics.median(run.milliseconds for run in self.runs)


def bench_one(name: str, url: str, open_tickets: int, args: argparse.Namespace) -> Result:
    database = open_database(url)
    log = StatementLog(database.write_engine)
    try:
        desk = build_open_desk(database, open_tickets, args.due)
        expired, warnings = due_now(database, desk.now)
        print(
            f"[{name} {open_tickets:,} open] built in {desk.build_seconds:.1f} s: "
            f"{desk.open_tickets:,} open tickets, {desk.clocks:,} clocks; due now: {expired:,} "
            f"expired clocks, {warnings:,} pending warnings",
            flush=True,
        )
        cold = timed_pass(database, desk.now, args.batch, args.due, log)
        print(f"[{name} {open_tickets:,} open] statements in one pass: {log.summary()}")
        result = Result(name, desk.open_tickets, args.due, desk.build_seconds, desk.clocks, cold)
        for run in range(args.runs):
            found = make_due(database, args.due, desk.now)
            if run == 0:  # the searches the pass sent, with the next due set in place
                searches = explain_searches(database, log)
                print(f"[{name} {open_tickets:,} open] plans of the pass's searches:")
                print(*searches, sep="\n")
            timing = timed_pass(database, desk.now, args.batch, found, log)
            result.runs.append(timing)
            print(
                f"[{name} {open_tickets:,} open] run: {timing.milliseconds:.0f} ms, "
                f"{timing.escalations} escalations, {timing.alerts} other alerts, "
                f"{timing.passes} pass(es), {timing.statements} statements",
                flush=True,
            )
        if args.floor:
            result.floor = database_floor(database, desk.now, args.batch, args.due, args.floor)
            print(
                f"[{name} {open_tickets:,} open] database work alone: "
                f"{result.floor.replayed_ms:.0f} ms; whole pass {result.floor.pass_ms:.0f} ms "
                f"(medians of {args.floor}, pages equally warm)",
                flush=True,
            )
        if args.profile:
            print(profile_pass(database, desk.now, args.batch, args.due, args.profile))
        return result
    finally:
        log.close()
        database.close()


def code_state() -> str:
    """The commit measured, and whether app/ had uncommitted changes (others edit it)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "app"], cwd=ROOT, capture_output=True, text=True
        ).stdout.splitlines()
    except OSError:
        return "unknown"
    return f"commit {head}" + (f" + {len(changed)} uncommitted file(s) in app/" if changed else "")


def print_summary(results: list[Result]) -> None:
    print(
        "\ndatabase    open tickets   due  runs  median    min     max   cold   stmts  build"
        "  checkpoint after (median)"
    )
    for r in results:
        times = [run.milliseconds for run in r.runs]
        checkpoint = statistics.median(run.checkpoint_ms for run in r.runs)
        print(
            f"{r.database:<10} {r.open_tickets:>13,} {r.due:>5} {len(times):>5} "
            f"{r.median:>6.0f}ms {min(times):>5.0f}ms {max(times):>5.0f}ms "
            f"{r.cold.milliseconds:>5.0f}ms {r.runs[-1].statements:>6} {r.build_seconds:>5.0f}s"
            f"  {checkpoint:>6.0f}ms"
        )
    for r in results:
        if r.floor is not None:
            print(
                f"{r.database} {r.open_tickets:,} open: database work alone "
                f"{r.floor.replayed_ms:.0f} ms of a {r.floor.pass_ms:.0f} ms pass "
                f"(medians of {r.floor.runs})"
            )
    for name in dict.fromkeys(r.database for r in results):
        mine = sorted((r for r in results if r.database == name), key=lambda r: r.open_tickets)
        if len(mine) >= 2:
            small, large = mine[0], mine[-1]
            print(
                f"{name}: median with {large.open_tickets:,} open / with {small.open_tickets:,} "
                f"open = {large.median / small.median:.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", default="1000000,10000", help="open tickets, comma-separated")
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument(
        "--floor", type=int, default=0, help="also replay N passes' statements alone (median)"
    )
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"code: {code_state()}")
    results = []
    for open_tickets in (int(value) for value in args.open.split(",")):
        for name in args.databases.split(","):
            if name == "sqlite":
                with tempfile.TemporaryDirectory() as folder:
                    url = f"sqlite:///{folder}/bench.db"
                    results.append(bench_one(name, url, open_tickets, args))
            elif name == "postgres":

                def on_postgres(url: str, n: int = open_tickets) -> Result:
                    return bench_one("postgres", url, n, args)

                results.append(with_postgres_schema(args.postgres, on_postgres))
            else:
                raise SystemExit(f"unknown database {name!r}: sqlite or postgres")
    print_summary(results)


if __name__ == "__main__":
    main()
