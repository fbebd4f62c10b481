"""The exactly-once load scenario: several escalation passes and one person moving tickets by
hand, each in an OS process of its own on one shared database, and the check of what they left.
Used by ``test_escalation_exactly_once`` (test size) and ``bench/bench_escalation_exactly_once.py``
(full size).

``run_load`` starts the children and collects what they did; ``check_exactly_once`` compares
that with the history. A child (``python -m tests.integration.escalation_load_worker CONFIG``,
``CONFIG`` the path of a JSON file: thousands of keys are too long for a command line) opens
the database itself, prints ``ready``, waits for ``go`` on stdin, works, and writes its records
as JSON to ``out``:

- role ``pass``: ``EscalationService.run_pass`` at the scenario's fixed instant ``at``, again
  and again until nothing is due (a pass that found only tickets others hold comes back empty;
  it then asks whether anything is still due, and tries again if so);
- role ``mover``: reads one of ``keys``, thinks up to ``think_ms``, then escalates, hands back
  or moves it naming the version it read, with a note unique to the attempt, as the supervisor
  or an agent of the ticket's tier, until ``stop_file`` appears.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from app.models import ClockKind, EventKind, MoveReason, Ticket, TicketClock, TicketEvent, User
from app.services.clock import FixedClock
from app.services.database import Database, open_database
from app.services.desk import Ladder
from app.services.errors import ConflictError, DatabaseError, InvalidInput, NotAllowed
from app.services.escalation import EscalationService
from app.services.history import check_history
from app.services.tickets import TicketService
from tests.integration.concurrent_worker import SUPERVISOR, TIER_AGENTS

REPO = Path(__file__).resolve().parents[2]
TIERS = ("L1", "L2", "L3", "Vendor")
MOVES = ("escalate", "hand_back", "move")
#: A pass that found only tickets other passes hold waits this long before trying again, as a
#: worker's timer would, rather than spin and starve the passes doing the work of CPU.
IDLE_PAUSE_S = 0.1


# ------------------------------------------------------------------------------ children
def pass_worker(config: dict[str, Any], database: Database) -> dict[str, Any]:
    """Passes until nothing is due (or time is up); every pass and every error recorded."""
    at = datetime.fromisoformat(config["at"])
    service = EscalationService(database, FixedClock(at))
    passes: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    deadline = time.monotonic() + config["seconds"]
    while time.monotonic() < deadline:
        started = time.monotonic()  # one clock for every process of the machine
        try:
            report = service.run_pass(batch=config["batch"])
        except DatabaseError as error:  # rolled back as a whole; the next pass tries again
            errors.append({"failure": str(error)})
            continue
        except Exception:
            errors.append({"error": traceback.format_exc()})
            time.sleep(0.05)
            continue
        ended = time.monotonic()
        passes.append(
            {
                "worker": config["worker"],
                "started": started,
                "ended": ended,
                "ms": (ended - started) * 1000,
                "escalations": [
                    [e.key, e.from_tier, e.to_tier, e.due_at.isoformat()]
                    for e in report.escalations
                ],
                "alerts": [_alert_record(alert) for alert in getattr(report, "alerts", ())],
            }
        )
        if not (passes[-1]["escalations"] or passes[-1]["alerts"]):
            if not anything_due(database, at):
                break
            time.sleep(IDLE_PAUSE_S)  # what is due is held by other passes right now
    return {"passes": passes, "errors": errors}


def _alert_record(alert: Any) -> list[str]:
    names = ("key", "kind", "clock", "threshold_at")
    return [
        value.isoformat() if isinstance(value, datetime) else str(value)
        for value in (getattr(alert, name, None) for name in names)
    ]


def anything_due(database: Database, at: datetime) -> bool:
    """Whether a pass at ``at`` has a deadline or a warning to act on (the pass's own search)."""
    with database.read() as session:
        found = session.scalar(
            select(TicketClock.id)
            .where(
                TicketClock.stopped_at.is_(None),
                or_(
                    (TicketClock.breached_at.is_(None) & (TicketClock.due_at <= at)),
                    TicketClock.warn_at <= at,
                ),
            )
            .limit(1)
        )
    return found is not None


def mover(config: dict[str, Any], database: Database) -> dict[str, Any]:
    """A person moving tickets by hand, as fast as they can, until told to stop."""
    rng = random.Random(config["seed"])
    tickets = TicketService(database, FixedClock(datetime.fromisoformat(config["at"])))
    stop_file = Path(config["stop_file"])
    attempts = []
    deadline = time.monotonic() + config["seconds"]
    number = 0
    while not stop_file.exists() and time.monotonic() < deadline:
        key = rng.choice(config["keys"])
        attempts.append(attempt_move(tickets, rng, key, f"mover#{number}", config["think_ms"]))
        number += 1
    return {"moves": attempts}


def attempt_move(
    tickets: TicketService, rng: random.Random, key: str, tag: str, think_ms: float
) -> dict[str, Any]:
    """Read ``key``, think, then one manual move naming the version read; note = ``tag``."""
    record: dict[str, Any] = {"key": key, "tag": tag}
    try:
        read = tickets.get(key).ticket
        actor = rng.choice((*TIER_AGENTS[read.tier], SUPERVISOR))
        operation = rng.choice(MOVES)
        record.update(
            read_version=read.version, from_tier=read.tier, actor=actor, operation=operation
        )
        time.sleep(rng.uniform(0, think_ms / 1000))
        if operation == "escalate":
            written = tickets.escalate(actor, key, read.version, tag)
        elif operation == "hand_back":
            written = tickets.hand_back(actor, key, read.version, tag)
        else:
            target = rng.choice([tier for tier in TIERS if tier != read.tier])
            written = tickets.move(actor, key, read.version, target, tag)
        record.update(outcome="ok", new_version=written.version, to_tier=written.tier)
    except ConflictError as error:
        record.update(outcome="conflict", current_version=error.current_version)
    except (NotAllowed, InvalidInput) as error:
        record.update(outcome="refused", error=str(error))
    except DatabaseError as error:  # e.g. a lock waited on too long: not a conflict report
        record.update(outcome="database_error", error=str(error))
    except Exception:
        record.update(outcome="other", error=traceback.format_exc())
    return record


def main(config: dict[str, Any]) -> None:
    database = open_database(config["url"], migrate=False)
    result: dict[str, Any] = {}
    try:
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            raise SystemExit("not told to go")
        work = pass_worker if config["role"] == "pass" else mover
        result = work(config, database)
    finally:
        database.close()
        Path(config["out"]).write_text(json.dumps(result))


# ---------------------------------------------------------------------------- the parent
@dataclass
class LoadRun:
    """What the children did: every pass (with its escalations and alerts), every manual move
    attempt, every error a pass raised (``failure``: a ``DatabaseError``, the pass rolled back,
    e.g. a lock waited on too long; ``error``: anything else, with its traceback), and the wall
    time from "go" to the last pass's end."""

    passes: list[dict[str, Any]]
    moves: list[dict[str, Any]]
    errors: list[dict[str, str]]
    seconds: float


def run_load(
    url: str,
    at: datetime,
    keys: list[str],
    folder: Path,
    *,
    passes: int = 8,
    batch: int = 1_000,
    seconds: float = 60,
    think_ms: float = 5,
    seed: int = 1,
) -> LoadRun:
    """``passes`` pass processes and one mover (over ``keys``) on the database at ``url``,
    started together; returns once every pass is done and the mover has stopped."""
    common = {"url": url, "at": at.isoformat(), "batch": batch, "seconds": seconds}
    stop_file = folder / "stop"
    configs = [
        {**common, "role": "pass", "worker": n, "out": str(folder / f"pass-{n}.json")}
        for n in range(passes)
    ]
    configs.append(
        {
            **common,
            "role": "mover",
            "worker": passes,
            "keys": keys,
            "seed": seed,
            "think_ms": think_ms,
            "stop_file": str(stop_file),
            "out": str(folder / "mover.json"),
        }
    )
    children = [_start(config, folder) for config in configs]
    try:
        ready = [child.stdout.readline().strip() for child in children]  # type: ignore[union-attr]
        if ready != ["ready"] * len(children):
            raise RuntimeError(f"children did not start: {ready}\n{_stderr(folder)}")
        started = time.monotonic()
        for child in children:
            child.stdin.write("go\n")  # type: ignore[union-attr]
            child.stdin.close()  # type: ignore[union-attr]
        codes = [child.wait(timeout=seconds + 60) for child in children[:-1]]
        elapsed = time.monotonic() - started
        stop_file.touch()
        codes.append(children[-1].wait(timeout=60))
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()  # type: ignore[union-attr]
    if codes != [0] * len(children):
        raise RuntimeError(f"children exited with {codes}\n{_stderr(folder)}")
    results = [json.loads(Path(config["out"]).read_text()) for config in configs]
    return LoadRun(
        passes=[p for result in results[:-1] for p in result["passes"]],
        moves=results[-1]["moves"],
        errors=[e for result in results[:-1] for e in result["errors"]],
        seconds=elapsed,
    )


def _start(config: dict[str, Any], folder: Path) -> subprocess.Popen[str]:
    path = folder / f"worker-{config['worker']}.config.json"
    path.write_text(json.dumps(config))
    with (folder / f"worker-{config['worker']}.stderr").open("w") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.integration.escalation_load_worker", str(path)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )


def _stderr(folder: Path) -> str:
    return "\n".join(path.read_text() for path in sorted(folder.glob("worker-*.stderr")))


# ---------------------------------------------------------------------------- checking
def expired_tier_clocks(database: Database, at: datetime) -> dict[str, str]:
    """Ticket key -> the due instant (ISO, as escalation events record it) of its running tier
    clock, for every ticket whose tier clock has expired at ``at``."""
    with database.read() as session:
        rows = session.execute(
            select(Ticket.key, TicketClock.due_at)
            .join(TicketClock, TicketClock.ticket_id == Ticket.id)
            .where(
                TicketClock.kind == ClockKind.TIER,
                TicketClock.stopped_at.is_(None),
                TicketClock.breached_at.is_(None),
                TicketClock.due_at <= at,
            )
        )
        return {key: due_at.isoformat() for key, due_at in rows}


@dataclass(frozen=True)
class TierMove:
    version: int
    reason: MoveReason
    note: str | None
    actor: str | None
    to_tier: str
    details: Mapping[str, Any]


@dataclass
class LoadCheck:
    """The scenario's outcome against the history. Every list names offending tickets or
    attempts; all of them empty means exactly once, nothing lost. ``database_errors`` are the
    service's own ``DatabaseError`` (a lock waited on too long: the change rolled back, nothing
    half done); ``raw_errors`` anything else, such as a driver's exception leaking through."""

    sla_moves: int = 0
    flags: int = 0
    alerts: int = 0
    moves: Counter[str] = field(default_factory=Counter)
    double_escalations: list[str] = field(default_factory=list)
    wrong_escalations: list[str] = field(default_factory=list)
    missed_escalations: list[str] = field(default_factory=list)
    double_alerts: list[str] = field(default_factory=list)
    report_mismatches: list[str] = field(default_factory=list)
    lost_moves: list[str] = field(default_factory=list)
    phantom_moves: list[str] = field(default_factory=list)
    bad_conflicts: list[str] = field(default_factory=list)
    extra_running_clocks: list[str] = field(default_factory=list)
    history_mismatches: list[str] = field(default_factory=list)
    database_errors: list[str] = field(default_factory=list)
    raw_errors: list[str] = field(default_factory=list)

    def problems(self) -> dict[str, list[str]]:
        names = (
            "double_escalations", "wrong_escalations", "missed_escalations", "double_alerts",
            "report_mismatches", "lost_moves", "phantom_moves", "bad_conflicts",
            "extra_running_clocks",
            "history_mismatches", "database_errors", "raw_errors",
        )  # fmt: skip
        return {name: getattr(self, name) for name in names if getattr(self, name)}


def check_exactly_once(
    database: Database, at: datetime, expired: Mapping[str, str], run: LoadRun
) -> LoadCheck:
    """Compare what the passes and the mover reported with the history they left.
    ``expired`` is ``expired_tier_clocks`` taken before the load."""
    check = LoadCheck()
    check.database_errors += [f"a pass: {e['failure']}" for e in run.errors if "failure" in e]
    check.database_errors += [
        f"{m['tag']} {m['key']}: {m['error']}"
        for m in run.moves
        if m["outcome"] == "database_error"
    ]
    check.raw_errors += [error["error"] for error in run.errors if "error" in error]
    check.raw_errors += [
        f"{m['tag']} {m['key']}: {m['error']}" for m in run.moves if m["outcome"] == "other"
    ]
    check.moves = Counter(m["outcome"] for m in run.moves)
    history = tier_moves(database)
    _check_escalations(check, history, expired, run)
    _check_manual_moves(check, history, run)
    _check_alerts(check, run)
    check.extra_running_clocks = _tickets_with_several_running_tier_clocks(database)
    still_due = expired_tier_clocks(database, at)
    check.missed_escalations += [f"{key} still due at the end" for key in sorted(still_due)]
    check.history_mismatches = [
        f"{m.key}: {m.differences}" for m in check_history(database).mismatches
    ]
    return check


def tier_moves(database: Database) -> dict[str, list[TierMove]]:
    """Every ticket's tier moves, in version order."""
    actor = aliased(User)
    with database.read() as session:
        tiers = {tier.id: tier.code for tier in Ladder.load(session).tiers}
        rows = session.execute(
            select(Ticket.key, TicketEvent, actor.login)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .outerjoin(actor, actor.id == TicketEvent.actor_id)
            .where(TicketEvent.kind == EventKind.TIER_CHANGED)
            .order_by(TicketEvent.ticket_id, TicketEvent.ticket_version, TicketEvent.id)
        )
        moves: dict[str, list[TierMove]] = defaultdict(list)
        for key, event, login in rows:
            assert event.reason is not None and event.to_tier_id is not None
            moves[key].append(
                TierMove(
                    event.ticket_version,
                    event.reason,
                    event.note,
                    login,
                    tiers[event.to_tier_id],
                    event.details or {},
                )
            )
        return moves


def _check_escalations(
    check: LoadCheck,
    history: Mapping[str, list[TierMove]],
    expired: Mapping[str, str],
    run: LoadRun,
) -> None:
    reported = [e for p in run.passes for e in p["escalations"]]
    flagged = Counter(key for key, _from, to, _due in reported if to is None)
    check.flags = sum(flagged.values())
    recorded: Counter[tuple[str, str]] = Counter()
    for key, moves in history.items():
        sla = [move for move in moves if move.reason == MoveReason.SLA]
        check.sla_moves += len(sla)
        recorded.update((key, str(move.details.get("due_at"))) for move in sla)
        if len(sla) + flagged[key] > 1:
            check.double_escalations.append(
                f"{key}: {len(sla)} SLA moves {[m.details for m in sla]}, {flagged[key]} flags"
            )
        if not sla:
            continue
        if key not in expired:
            check.wrong_escalations.append(f"{key}: escalated, but its clock had not expired")
        elif moves[0] is not sla[0]:
            check.wrong_escalations.append(f"{key}: escalated after a hand move stopped its clock")
        elif (sla[0].details.get("due_at"), sla[0].details.get("clock")) != (
            expired[key],
            ClockKind.TIER.value,
        ):
            check.wrong_escalations.append(f"{key}: escalation records {sla[0].details}")
    for key in expired:
        moves = history.get(key, [])
        if not flagged[key] and not moves:
            check.missed_escalations.append(f"{key}: due, neither escalated nor moved by hand")
    moved = Counter((key, due) for key, _from, to, due in reported if to is not None)
    if moved != recorded:
        check.report_mismatches += [
            f"{key} due {due}: reported {moved[key, due]} times, recorded {recorded[key, due]}"
            for key, due in sorted(set(moved) | set(recorded))
            if moved[key, due] != recorded[key, due]
        ]


def _check_manual_moves(
    check: LoadCheck, history: Mapping[str, list[TierMove]], run: LoadRun
) -> None:
    by_note: dict[str, list[tuple[str, TierMove]]] = defaultdict(list)
    for key, moves in history.items():
        for move in moves:
            if move.reason == MoveReason.MANUAL and move.note:
                by_note[move.note].append((key, move))
    for attempt in run.moves:
        found = by_note.get(attempt["tag"], [])
        if attempt["outcome"] != "ok":
            if found:
                check.phantom_moves.append(f"{attempt['tag']} ({attempt['outcome']}) is recorded")
            if attempt["outcome"] == "conflict" and not (
                attempt["current_version"] > attempt["read_version"]
            ):
                check.bad_conflicts.append(f"{attempt['tag']}: a conflict, but no newer version")
            continue
        expected = (attempt["key"], attempt["new_version"], attempt["actor"], attempt["to_tier"])
        recorded = [(key, m.version, m.actor, m.to_tier) for key, m in found]
        if recorded != [expected] or attempt["new_version"] != attempt["read_version"] + 1:
            check.lost_moves.append(f"{attempt['tag']}: made {expected}, recorded {recorded}")


def _check_alerts(check: LoadCheck, run: LoadRun) -> None:
    # Reports name an alert by ticket, kind, clock kind and threshold: enough here, where a
    # ticket's clocks that started after the passes' instant cannot fire during the load.
    alerts = Counter(tuple(alert) for p in run.passes for alert in p["alerts"])
    check.alerts = sum(alerts.values())
    check.double_alerts = [f"{alert} fired {n} times" for alert, n in alerts.items() if n > 1]


def _tickets_with_several_running_tier_clocks(database: Database) -> list[str]:
    with database.read() as session:
        rows = session.execute(
            select(Ticket.key, func.count())
            .join(TicketClock, TicketClock.ticket_id == Ticket.id)
            .where(TicketClock.kind == ClockKind.TIER, TicketClock.stopped_at.is_(None))
            .group_by(Ticket.key)
            .having(func.count() > 1)
        )
        return [f"{key}: {count} running tier clocks" for key, count in rows]


def overlapping_passes(run: LoadRun) -> int:
    """Passes that acted while a pass of another process was running (or waiting for its
    turn): the passes really ran side by side."""
    return sum(
        any(
            other["worker"] != mine["worker"]
            and other["started"] < mine["ended"]
            and mine["started"] < other["ended"]
            for other in run.passes
        )
        for mine in run.passes
        if mine["escalations"]
    )


def summary(check: LoadCheck, run: LoadRun) -> str:
    """The scenario's counts in one paragraph, for test output and the benchmark."""
    busy = [p for p in run.passes if p["escalations"] or p["alerts"]]
    workers = len({p["worker"] for p in busy})
    escalations = check.sla_moves + check.flags
    return (
        f"{len(run.passes)} passes ({len(busy)} acting, from {workers} processes; "
        f"{overlapping_passes(run)} acting alongside another process's pass), "
        f"{escalations} escalations ({check.sla_moves} moves, {check.flags} flags), "
        f"{check.alerts} other alerts, {len(run.errors)} passes failed; "
        f"manual moves: {check.moves['ok']} ok, "
        f"{check.moves['conflict']} conflicted, {check.moves['refused']} refused, "
        f"{check.moves['database_error'] + check.moves['other']} errors; "
        f"{run.seconds:.1f} s, {escalations / max(run.seconds, 1e-9):.0f} escalations/s"
    )


if __name__ == "__main__":
    main(json.loads(Path(sys.argv[1]).read_text()))
