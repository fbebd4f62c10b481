"""The soak scenario: simulated desktops and escalation workers, each an OS process of its own, on
one shared database for a bounded time; then the checks of what they left. Used by
``test_soak`` (about 15 s) and ``bench/soak.py`` (60 s by default).

Time: every process reads the same fast clock (``ScaledClock``): one office day (Monday
08:00-18:00 UTC, the default policy's hours) passes during the run, so tier clocks expire while
people work, and the two pass processes escalate them.

A child (``python -m tests.integration.soak_desktop CONFIG``) opens the database, prints
``ready``, waits for ``go`` on stdin, works until ``seconds`` have passed, and writes its records
as JSON to ``out``:

- role ``desktop``: one person (``login``; on PostgreSQL signed in with their own database
  login, so that the database's roles are enforced as on a real desk) reading a ticket,
  thinking a moment, then writing
  with the version read: create, take, comment, move up or down, resolve, reopen, edit, change
  status. Half of the reads go to a small set of hot tickets that every desktop works, so that
  conflicts happen. Every attempt and its outcome is recorded, with a tag unique to it in every
  text it writes (comment, note, resolution, title).
- role ``pass``: ``EscalationService.run_pass`` in a loop on the scaled clock.

``check_soak`` then replays every ticket's history, matches every successful write with its
history entry (and every refused one with none), and looks for double escalations and
half-written clocks and alerts (``desk_invariant_problems``, also used by ``test_faults``).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, aliased

from app.models import (
    AlertKind,
    ClockKind,
    Comment,
    EventKind,
    Level,
    MoveReason,
    SlaAlert,
    Ticket,
    TicketClock,
    TicketEvent,
    User,
)
from app.services.clock import FixedClock
from app.services.database import Database, open_database
from app.services.errors import (
    ConflictError,
    DatabaseError,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from app.services.escalation import EscalationService
from app.services.history import check_history
from app.services.people import PeopleService
from app.services.sla_policy import SlaPolicyService
from app.services.tickets import WORKING_STATUSES, NewTicket, TicketChanges, TicketService
from tests.factories import STANDARD_CATEGORIES, STANDARD_PEOPLE, make_desk

REPO = Path(__file__).resolve().parents[2]
#: Monday 08:00 UTC: the office day of the default policy starts when the run does.
DAY_START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SIMULATED = timedelta(hours=10)  # the office day, whatever the run's real length
#: The people at the desktops, in turn (agents of every tier and the supervisor).
LOGINS = ("lena", "omar", "tom", "ines", "vic", "sara")
TIERS = ("L1", "L2", "L3", "Vendor")
CREATE_SHARE = 0.08
OPERATIONS = {  # operation on a ticket read: weight
    "take": 10,
    "comment": 18,
    "escalate": 10,
    "hand_back": 8,
    "resolve": 10,
    "reopen": 8,
    "edit": 18,
    "status": 10,
}
SEED_TICKETS = 80
HOT_TICKETS = 12
HOT_SHARE = 0.4
PASS_PAUSE_S = 0.2  # between passes that found nothing, as a worker's timer would wait
STATUSES = sorted(status.value for status in WORKING_STATUSES)


class ScaledClock:
    """The same fast clock in every process: ``start`` at wall time ``epoch``, then ``speed``
    simulated seconds per real second."""

    def __init__(self, start: datetime, epoch: float, speed: float) -> None:
        self.start, self.epoch, self.speed = start, epoch, speed

    def now(self, session: Session) -> datetime:
        return self.start + timedelta(seconds=(time.time() - self.epoch) * self.speed)


def _clock(config: dict[str, Any]) -> ScaledClock:
    return ScaledClock(datetime.fromisoformat(config["start"]), config["epoch"], config["speed"])


def works(login: str, tier: str) -> bool:
    _name, role, tiers = STANDARD_PEOPLE[login]
    return not tiers or tier in tiers


# ------------------------------------------------------------------------------ children
class SimulatedDesktop:
    """One person at one desktop, making random but realistic changes."""

    def __init__(self, config: dict[str, Any], tickets: TicketService) -> None:
        self.login: str = config["login"]
        self.name = f"d{config['worker']}"
        self.tickets = tickets
        self.rng = random.Random(config["seed"])
        self.think_s = config["think_ms"] / 1000
        self.hot: list[str] = config["keys"][:HOT_TICKETS]
        self.known: list[str] = list(config["keys"])
        self.home = next(
            (tier for tier in TIERS if STANDARD_PEOPLE[self.login][2] == (tier,)), "L1"
        )

    def attempt(self, number: int) -> dict[str, Any]:
        tag = f"{self.name}#{number}"
        record: dict[str, Any] = {"tag": tag, "operation": "read", "actor": self.login}
        try:
            if self.rng.random() < CREATE_SHARE:
                record["operation"] = "create"
                view = self._create(tag)
                record.update(key=view.key, read_version=0)
            else:
                read = self._read_one()
                operation = self._choose(read.status.is_finished)
                record.update(operation=operation, key=read.key, read_version=read.version,
                              tier=read.tier)  # fmt: skip
                time.sleep(self.rng.uniform(0, self.think_s))  # looks at it, then acts
                view = self._write(operation, read.key, read.version, tag)
            record.update(outcome="ok", new_version=view.version)
        except ConflictError as error:
            record.update(outcome="conflict", current_version=error.current_version)
        except NotAllowed as error:
            record.update(outcome="not_allowed", error=str(error))
        except (InvalidInput, NotFound) as error:
            record.update(outcome="invalid", error=str(error))
        except DatabaseError as error:
            record.update(outcome="database_error", error=str(error))
        except Exception as error:  # what the soak looks for
            record.update(outcome="other", error=f"{type(error).__name__}: {error}",
                          traceback=traceback.format_exc())  # fmt: skip
        return record

    def _choose(self, finished: bool) -> str:
        """What a person does with what they see: mostly reopen or comment a finished ticket,
        mostly work an open one (now and then the other way, and get told no)."""
        if finished and self.rng.random() < 0.8:
            return self.rng.choice(("reopen", "reopen", "comment"))
        kinds = [kind for kind in OPERATIONS if finished or kind != "reopen"]
        return self.rng.choices(kinds, weights=[OPERATIONS[kind] for kind in kinds])[0]

    def _read_one(self) -> Any:
        """A hot ticket half of the time, else one this person can work (up to three looks)."""
        if self.rng.random() < HOT_SHARE:
            return self.tickets.get(self.rng.choice(self.hot)).ticket
        read = None
        for _ in range(3):
            read = self.tickets.get(self.rng.choice(self.known)).ticket
            if works(self.login, read.tier):
                break
        assert read is not None
        return read

    def _create(self, tag: str) -> Any:
        view = self.tickets.create(
            self.login,
            NewTicket(
                title=f"Soak {tag}",
                requester="Soak Customer",
                category=self.rng.choice(sorted(STANDARD_CATEGORIES)),
                impact=self.rng.choice(list(Level)),
                urgency=self.rng.choice(list(Level)),
                tier=self.home,
            ),
        )
        self.known.append(view.key)
        return view

    def _write(self, operation: str, key: str, version: int, tag: str) -> Any:
        t, actor = self.tickets, self.login
        if operation == "take":
            return t.take(actor, key, version)
        if operation == "comment":
            return t.comment(actor, key, tag, version)
        if operation == "escalate":
            return t.escalate(actor, key, version, tag)
        if operation == "hand_back":
            return t.hand_back(actor, key, version, tag)
        if operation == "resolve":
            return t.resolve(actor, key, version, tag)
        if operation == "reopen":
            return t.reopen(actor, key, version, tag)
        if operation == "edit":
            return t.edit(actor, key, version, TicketChanges(title=f"Title {tag}"))
        return t.change_status(actor, key, version, self.rng.choice(STATUSES))

    def learn_keys(self) -> None:
        """What the desktop's list shows now: the newest tickets, including other people's."""
        self.known = sorted({*self.known, *(v.key for v in self.tickets.list(limit=100))})


def desktop(config: dict[str, Any], database: Database) -> dict[str, Any]:
    person = SimulatedDesktop(config, TicketService(database, _clock(config)))
    records = []
    deadline = config["epoch"] + config["seconds"]
    number = 0
    while time.time() < deadline:
        started = time.monotonic()
        records.append(person.attempt(number))
        records[-1]["ms"] = (time.monotonic() - started) * 1000
        number += 1
        if number % 25 == 0:
            person.learn_keys()
    return {"attempts": records}


def escalation_worker(config: dict[str, Any], database: Database) -> dict[str, Any]:
    service = EscalationService(database, _clock(config))
    passes, errors = 0, []
    escalations: list[list[Any]] = []
    deadline = config["epoch"] + config["seconds"]
    while time.time() < deadline:
        try:
            report = service.run_pass(batch=config["batch"])
        except DatabaseError as error:  # rolled back as a whole; the next pass tries again
            errors.append(str(error))
            continue
        except Exception:
            errors.append(traceback.format_exc())
            time.sleep(PASS_PAUSE_S)
            continue
        passes += 1
        escalations += [[e.key, e.from_tier, e.to_tier, e.due_at.isoformat()]
                        for e in report.escalations]  # fmt: skip
        if not report.did_something:
            time.sleep(PASS_PAUSE_S)
    return {"passes": passes, "errors": errors, "escalations": escalations}


def main(config: dict[str, Any]) -> None:
    url = config["url"]
    if config["role"] == "desktop" and not url.startswith("sqlite"):
        url = make_url(url).set(username=config["login"]).render_as_string(False)
    database = open_database(url, migrate=False)
    result: dict[str, Any] = {}
    try:
        print("ready", flush=True)
        line = sys.stdin.readline().split()
        if not line or line[0] != "go":
            raise SystemExit("not told to go")
        config["epoch"] = float(line[1])
        work = escalation_worker if config["role"] == "pass" else desktop
        result = work(config, database)
    finally:
        database.close()
        Path(config["out"]).write_text(json.dumps(result))


# ---------------------------------------------------------------------------- the parent
@dataclass
class SoakRun:
    """What the children did and how long it took."""

    attempts: list[dict[str, Any]]
    passes: int
    pass_errors: list[str]
    reported_escalations: list[list[Any]]
    seconds: float
    seed_keys: list[str]
    seed_versions: dict[str, int]
    workers: int
    planned: float


def prepare_desk(database: Database, seed_tickets: int = SEED_TICKETS) -> list[str]:
    """The standard desk, the default policy, and ``seed_tickets`` tickets opened at the start
    of the day at every tier and priority (the first of them are the hot ones)."""
    desk = make_desk(database, FixedClock(DAY_START - timedelta(minutes=30)))
    SlaPolicyService(database, desk.clock).install_default("UTC")
    if not database.is_sqlite:  # each person at a desktop signs in with their own login
        people = PeopleService(database)
        for login in LOGINS:
            name, role, tiers = STANDARD_PEOPLE[login]
            people.create_user(login, name, role, tiers or None)
    rng = random.Random(3)
    keys = []
    openers = {"L1": "lena", "L2": "tom", "L3": "ines", "Vendor": "vic"}
    for number in range(seed_tickets):
        tier = rng.choices(TIERS, weights=[50, 25, 15, 10])[0]
        made = desk.ticket(
            openers[tier],
            title=f"Seed {number}",
            tier=tier,
            category=rng.choice(sorted(STANDARD_CATEGORIES)),
            impact=rng.choice(list(Level)),
            urgency=rng.choice(list(Level)),
        )
        keys.append(made.key)
    return keys


def run_soak(
    url: str,
    keys: list[str],
    folder: Path,
    *,
    desktops: int = 20,
    workers: int = 2,
    seconds: float = 60,
    think_ms: float = 30,
    batch: int = 200,
    seed: int = 1,
) -> SoakRun:
    """``desktops`` desktop processes and ``workers`` pass processes on ``url`` for ``seconds``."""
    database = open_database(url, migrate=False)
    with database.read() as session:
        seed_versions = dict(session.execute(select(Ticket.key, Ticket.version)).all())
    database.close()
    common = {
        "url": url,
        "seconds": seconds,
        "start": DAY_START.isoformat(),
        "speed": SIMULATED.total_seconds() / seconds,
        "batch": batch,
        "think_ms": think_ms,
        "keys": keys,
    }
    configs = [
        {**common, "role": "desktop", "worker": n, "login": LOGINS[n % len(LOGINS)],
         "seed": seed * 1000 + n, "out": str(folder / f"desktop-{n}.json")}
        for n in range(desktops)
    ] + [
        {**common, "role": "pass", "worker": desktops + n, "out": str(folder / f"pass-{n}.json")}
        for n in range(workers)
    ]  # fmt: skip
    children = [_start(config, folder) for config in configs]
    try:
        ready = [child.stdout.readline().strip() for child in children]  # type: ignore[union-attr]
        if ready != ["ready"] * len(children):
            raise RuntimeError(f"children did not start: {ready}\n{_stderr(folder)}")
        epoch = time.time() + 0.5
        for child in children:
            child.stdin.write(f"go {epoch}\n")  # type: ignore[union-attr]
            child.stdin.close()  # type: ignore[union-attr]
        codes = [child.wait(timeout=seconds + 120) for child in children]
        elapsed = time.time() - epoch
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()  # type: ignore[union-attr]
    if codes != [0] * len(children):
        raise RuntimeError(f"children exited with {codes}\n{_stderr(folder)}")
    results = [json.loads(Path(config["out"]).read_text()) for config in configs]
    return SoakRun(
        attempts=[a for r in results[:desktops] for a in r["attempts"]],
        passes=sum(r["passes"] for r in results[desktops:]),
        pass_errors=[e for r in results[desktops:] for e in r["errors"]],
        reported_escalations=[e for r in results[desktops:] for e in r["escalations"]],
        seconds=elapsed,
        seed_keys=keys,
        seed_versions=seed_versions,
        workers=workers,
        planned=seconds,
    )


def _start(config: dict[str, Any], folder: Path) -> subprocess.Popen[str]:
    path = folder / f"child-{config['worker']}.config.json"
    path.write_text(json.dumps(config))
    with (folder / f"child-{config['worker']}.stderr").open("w") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.integration.soak_desktop", str(path)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )


def _stderr(folder: Path) -> str:
    return "\n".join(
        f"{path.name}: {path.read_text()[-2000:]}"
        for path in sorted(folder.glob("*.stderr"))
        if path.read_text().strip()
    )


# ---------------------------------------------------------------------------- the checks
def desk_invariant_problems(database: Database) -> list[str]:
    """What a half-written change or pass would leave behind; empty when every ticket is whole:
    the history replays to every row and ends at its version; each alert fired at most once and
    matches its clock's warned/breached mark; every open ticket runs exactly one tier clock, at
    its tier (no stopped clock without its successor); every escalation alert has its SLA move
    and every SLA move its alert."""
    problems = [f"{m.key}: {m.differences}" for m in check_history(database).mismatches]
    with database.read() as session:
        last_version = dict(
            session.execute(
                select(TicketEvent.ticket_id, func.max(TicketEvent.ticket_version)).group_by(
                    TicketEvent.ticket_id
                )
            ).all()
        )
        tickets = {t.id: t for t in session.scalars(select(Ticket))}
        clocks = list(session.scalars(select(TicketClock)))
        alerts = list(session.scalars(select(SlaAlert)))
        sla_moves = list(session.scalars(_sla_moves()))
    for ticket in tickets.values():
        if last_version.get(ticket.id) != ticket.version:
            problems.append(f"{ticket.key}: row at version {ticket.version}, history at "
                            f"{last_version.get(ticket.id)}")  # fmt: skip
    per_clock = Counter((alert.clock_id, alert.kind) for alert in alerts)
    problems += [f"clock {c}: {kind} alert fired {n} times"
                 for (c, kind), n in per_clock.items() if n > 1]  # fmt: skip
    running_tier_clocks: dict[int, list[TicketClock]] = defaultdict(list)
    for clock in clocks:
        warned = per_clock[clock.id, AlertKind.WARNING]
        if (clock.warned_at is not None) != bool(warned):
            problems.append(f"clock {clock.id}: warned_at {clock.warned_at}, {warned} warnings")
        acted = per_clock[clock.id, AlertKind.BREACH] + per_clock[clock.id, AlertKind.ESCALATION]
        if (clock.breached_at is not None) != bool(acted):
            problems.append(f"clock {clock.id}: breached_at {clock.breached_at}, {acted} alerts")
        if clock.kind == ClockKind.TIER and clock.stopped_at is None:
            running_tier_clocks[clock.ticket_id].append(clock)
    for ticket in tickets.values():
        running = running_tier_clocks[ticket.id]
        if ticket.status.is_finished:
            continue
        if len(running) != 1 or running[0].tier_id != ticket.tier_id:
            problems.append(f"{ticket.key} at tier {ticket.tier_id}: running tier clocks "
                            f"{[(c.id, c.tier_id) for c in running]}")  # fmt: skip
    problems += escalation_mismatches(alerts, sla_moves)
    return problems


def _sla_moves() -> Any:
    return select(TicketEvent).where(
        TicketEvent.kind == EventKind.TIER_CHANGED, TicketEvent.reason == MoveReason.SLA
    )


def escalation_mismatches(alerts: list[SlaAlert], sla_moves: list[TicketEvent]) -> list[str]:
    """Each escalation alert (one per expired tier clock) has exactly one SLA move of its ticket
    naming that deadline, and each SLA move its alert: no double escalation."""
    escalated = Counter(
        (a.ticket_id, a.threshold_at.isoformat()) for a in alerts if a.kind == AlertKind.ESCALATION
    )
    moved = Counter((e.ticket_id, (e.details or {}).get("due_at")) for e in sla_moves)
    problems = [f"ticket {t}: {n} SLA moves for the deadline {due}"
                for (t, due), n in moved.items() if n > 1]  # fmt: skip
    if escalated != moved:
        problems.append(f"escalation alerts without a move {dict(escalated - moved)}, "
                        f"moves without an alert {dict(moved - escalated)}")  # fmt: skip
    return problems


#: How a refusal by the database's roles reads (``database.py``), as opposed to the app's own.
DATABASE_REFUSAL = "the database refused it"


@dataclass
class SoakCheck:
    """The soak's findings: every list must be empty."""

    invariants: list[str] = field(default_factory=list)
    lost_writes: list[str] = field(default_factory=list)
    phantom_writes: list[str] = field(default_factory=list)
    bad_conflicts: list[str] = field(default_factory=list)
    unexpected_errors: list[str] = field(default_factory=list)
    double_escalations: list[str] = field(default_factory=list)
    tickets: int = 0
    sla_moves: int = 0
    escalation_alerts: int = 0
    invariants_checked: int = 0

    def problems(self) -> dict[str, list[str]]:
        names = ("invariants", "lost_writes", "phantom_writes", "bad_conflicts",
                 "unexpected_errors", "double_escalations")  # fmt: skip
        return {name: getattr(self, name) for name in names if getattr(self, name)}


#: operation: how its tag shows in what it wrote
TAG_TEXT: dict[str, Callable[[str], str]] = {
    "create": lambda tag: f"Soak {tag}",
    "comment": lambda tag: tag,
    "escalate": lambda tag: tag,
    "hand_back": lambda tag: tag,
    "resolve": lambda tag: tag,
    "reopen": lambda tag: tag,
    "edit": lambda tag: f"Title {tag}",
}


def check_soak(database: Database, run: SoakRun) -> SoakCheck:
    check = SoakCheck()
    check.invariants = desk_invariant_problems(database)
    check.unexpected_errors = [f"{a['tag']}: {a['error']}" for a in run.attempts
                               if a["outcome"] in ("other", "database_error")]  # fmt: skip
    check.unexpected_errors += [f"pass: {error}" for error in run.pass_errors]
    # The app refuses what a person may not do before the database is asked: a refusal by the
    # database itself (its roles, on PostgreSQL) means the two disagree.
    check.unexpected_errors += [
        f"{a['tag']}: {a['error']}"
        for a in run.attempts
        if a["outcome"] == "not_allowed" and a["error"].startswith(DATABASE_REFUSAL)
    ]
    written, texts = _human_writes(database)
    claimed: dict[tuple[str, int], dict[str, Any]] = {}
    for attempt in run.attempts:
        tag_text = TAG_TEXT.get(attempt["operation"], lambda _tag: "")(attempt["tag"])
        if attempt["outcome"] != "ok":
            if tag_text and tag_text in texts:
                check.phantom_writes.append(f"{attempt['tag']} ({attempt['outcome']}) written")
            if attempt["outcome"] == "conflict" and not (
                attempt["current_version"] > attempt["read_version"]
            ):
                check.bad_conflicts.append(f"{attempt['tag']}: conflict without a newer version")
            continue
        where = (attempt["key"], attempt["new_version"])
        if attempt["new_version"] != attempt["read_version"] + 1 or where in claimed:
            check.lost_writes.append(f"{attempt['tag']}: version {where} claimed twice or skips")
        claimed[where] = attempt
        if written.get(where) != attempt["actor"]:
            check.lost_writes.append(f"{attempt['tag']}: {where} by {attempt['actor']} is "
                                     f"recorded as by {written.get(where)}")  # fmt: skip
        if tag_text and tag_text not in texts:
            check.lost_writes.append(f"{attempt['tag']}: {tag_text!r} is not in the history")
    seeded = {(key, v) for key, last in run.seed_versions.items() for v in range(1, last + 1)}
    for where, actor in written.items():
        if where not in claimed and where not in seeded:
            check.phantom_writes.append(f"{where} by {actor}: written, but no desktop was told")
    with database.read() as session:
        alerts = list(session.scalars(select(SlaAlert)))
        sla_moves = list(session.scalars(_sla_moves()))
        check.tickets = session.scalar(select(func.count()).select_from(Ticket)) or 0
    check.double_escalations = escalation_mismatches(alerts, sla_moves)
    per_clock = Counter(a.clock_id for a in alerts if a.kind == AlertKind.ESCALATION)
    check.double_escalations += [f"clock {c} escalated {n} times"
                                 for c, n in per_clock.items() if n > 1]  # fmt: skip
    reported = Counter((key, due) for key, _from, to, due in run.reported_escalations if to)
    check.double_escalations += [f"{k} due {d} reported {n} times"
                                 for (k, d), n in reported.items() if n > 1]  # fmt: skip
    check.sla_moves, check.escalation_alerts = len(sla_moves), sum(per_clock.values())
    # replay, version, alerts, tier clock and escalation checks per ticket; one per attempt
    check.invariants_checked = check.tickets * 5 + len(run.attempts) + len(alerts)
    return check


def _human_writes(database: Database) -> tuple[dict[tuple[str, int], str], set[str]]:
    """(key, version) -> login of every person's change, and every text written."""
    actor = aliased(User)
    with database.read() as session:
        rows = session.execute(
            select(Ticket.key, TicketEvent.ticket_version, actor.login, TicketEvent.note,
                   TicketEvent.new_value)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .join(actor, actor.id == TicketEvent.actor_id)
        ).all()  # fmt: skip
        texts = {text for _k, _v, _a, note, new in rows for text in (note, new) if text}
        texts |= set(session.scalars(select(Comment.body)))
        created = session.scalars(
            select(TicketEvent.details).where(TicketEvent.kind == EventKind.CREATED)
        )
        texts |= {str(snapshot.get("title")) for snapshot in created if snapshot}
    written: dict[tuple[str, int], str] = {}
    for key, version, login, _note, _new in rows:
        written[key, version] = login
    return written, texts


def summary(check: SoakCheck, run: SoakRun) -> list[str]:
    """The figures the benchmark prints and the test shows."""
    kinds = sorted({"create", *OPERATIONS})
    tried = Counter(a["operation"] for a in run.attempts)
    done = Counter(a["operation"] for a in run.attempts if a["outcome"] == "ok")
    outcomes = Counter(a["outcome"] for a in run.attempts)
    took = sorted(a["ms"] for a in run.attempts) or [0.0]
    lines = [
        f"duration: {run.seconds:.1f} s ({run.planned:.0f} s of load, then the operations under "
        f"way finished); {len(run.attempts)} operations attempted, "
        f"{outcomes['ok']} succeeded ({len(run.attempts) / max(run.seconds, 1e-9):.0f}/s)",
        f"latency per operation (read, think, write): median "
        f"{took[len(took) // 2]:.0f} ms, 95th percentile {took[len(took) * 95 // 100]:.0f} ms, "
        f"max {took[-1]:.0f} ms",
        "per kind (succeeded/attempted): "
        + ", ".join(f"{kind} {done[kind]}/{tried[kind]}" for kind in kinds),
        f"refused: {outcomes['conflict']} conflicts reported (ConflictError), "
        f"{outcomes['not_allowed']} not allowed, {outcomes['invalid']} invalid; "
        f"{outcomes['database_error']} database errors, {outcomes['other']} other errors",
        f"escalation: {run.passes} passes in {run.workers} processes, {check.escalation_alerts} "
        f"escalations ({check.sla_moves} SLA moves), {len(run.pass_errors)} passes failed",
        f"invariants: {check.invariants_checked} checked over {check.tickets} tickets; "
        f"history mismatches/half-written: {len(check.invariants)}, double escalations: "
        f"{len(check.double_escalations)}, lost updates: {len(check.lost_writes)}, phantom "
        f"writes: {len(check.phantom_writes)}, unreported/bad conflicts: "
        f"{len(check.bad_conflicts)}",
    ]
    return lines


if __name__ == "__main__":
    main(json.loads(Path(sys.argv[1]).read_text()))
