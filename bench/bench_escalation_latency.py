"""Escalation latency: how long after its deadline a ticket's SLA escalation is committed, with
the escalation timer running as in the app. Prints figures; passes or fails nothing.

    python bench/bench_escalation_latency.py [--tickets 1000] [--spread 60]
                                             [--postgres URL | --no-postgres]

Per database (a SQLite file, then a private schema on the PostgreSQL server):

1. a desk with the default SLA policy and ``--tickets`` open L1 tickets, made through the
   ticket service;
2. the headless worker started as its own process, ``main.py --db URL worker`` (the deadline
   timer with its default 60 s safety sweep, so what is measured is the arming, not a poll);
3. once the worker is up, one transaction, like another desktop's, gives the tickets tier
   deadlines spread uniformly over ``--spread`` seconds, starting 3 s later (announced as any
   change is); the worker hears it and arms for the first deadline. Policy targets are whole
   minutes of business time, so the deadlines are written straight into
   ``ticket_clocks.due_at``, the column the pass reads;
4. this process watches the committed SLA moves: every 20 ms one read asks for the moves
   committed since the previous read and then for the database clock. A move is visible only
   once committed, so that clock reading is a commit time late by at most the 20 ms between
   reads (plus one query): ``committed`` latency = that reading minus the deadline, an honest
   upper bound. ``pass clock`` latency = the move's own time (the pass's reading of the database
   clock, taken before its work and commit) minus the deadline: how late the timer fired.

Target (issue "SLA clocks and automatic escalation"): p99 of 2 s or less on each database.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_foundation import machine, percentile, with_postgres_schema  # noqa: E402

from app.models import ClockKind, EventKind, MoveReason, Role, TicketClock, TicketEvent  # noqa: E402
from app.services.change_feed import announce_ticket_change  # noqa: E402
from app.services.clock import DatabaseClock  # noqa: E402
from app.services.database import Database, open_database  # noqa: E402
from app.services.desk import DeskService  # noqa: E402
from app.services.sla_policy import SlaPolicyService  # noqa: E402
from app.services.tickets import NewTicket, TicketService  # noqa: E402

LEAD_SECONDS = 3.0  # between writing the deadlines and the first of them
OBSERVE_EVERY = 0.02


def make_desk(database: Database, tickets: int) -> list[int]:
    """The default ladder and policy, one L1 agent, and ``tickets`` open P3 tickets."""
    desk = DeskService(database)
    desk.create_default_ladder()
    desk.add_category("Password reset", "L1")
    desk.add_user("lena", "Lena Lindqvist", Role.AGENT, ("L1",))
    SlaPolicyService(database).install_default("UTC")
    service = TicketService(database)
    new = NewTicket(title="Cannot log in", requester="Carla Customer", category="Password reset")
    return [service.create("lena", new).id for _ in range(tickets)]


def start_worker(url: str, log_path: Path) -> subprocess.Popen[bytes]:
    """``main.py worker`` in a process of its own, returned once its timer runs."""
    log = log_path.open("wb")
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--db", url, "worker"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while b"SIGINT or SIGTERM stops" not in log_path.read_bytes():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{log_path.read_text()}")
        time.sleep(0.05)
    return worker


def set_deadlines(database: Database, ticket_ids: list[int], spread: float) -> dict[int, datetime]:
    """Tier deadlines spread uniformly over ``spread`` seconds from ``LEAD_SECONDS`` on, in one
    transaction, each change announced as the ticket service announces its own."""
    rng = random.Random(7)
    with database.write() as session:
        start = DatabaseClock().now(session) + timedelta(seconds=LEAD_SECONDS)
        due = {
            ticket_id: start + timedelta(seconds=rng.uniform(0, spread)) for ticket_id in ticket_ids
        }
        for ticket_id, at in due.items():
            session.execute(
                update(TicketClock)
                .where(
                    TicketClock.ticket_id == ticket_id,
                    TicketClock.kind == ClockKind.TIER,
                    TicketClock.stopped_at.is_(None),
                )
                .values(due_at=at)
            )
            announce_ticket_change(session, ticket_id)
    return due


def observe_moves(
    database: Database, due: dict[int, datetime], timeout: float
) -> tuple[dict[int, datetime], dict[int, datetime]]:
    """For each ticket, the database clock when its SLA move was first seen committed, and the
    move's own time; every ``OBSERVE_EVERY`` seconds until all are seen or ``timeout``."""
    seen: dict[int, datetime] = {}
    moved_at: dict[int, datetime] = {}
    last_event = 0
    give_up = time.monotonic() + timeout
    while len(seen) < len(due) and time.monotonic() < give_up:
        with database.read() as session:
            rows = session.execute(
                select(TicketEvent.id, TicketEvent.ticket_id, TicketEvent.at)
                .where(
                    TicketEvent.id > last_event,
                    TicketEvent.kind == EventKind.TIER_CHANGED,
                    TicketEvent.reason == MoveReason.SLA,
                )
                .order_by(TicketEvent.id)
            ).all()
            now = DatabaseClock().now(session)  # after the read: not earlier than the commits
        for event_id, ticket_id, at in rows:
            last_event = max(last_event, event_id)
            if ticket_id in seen:
                raise SystemExit(f"ticket {ticket_id} was escalated twice")
            seen[ticket_id], moved_at[ticket_id] = now, at
        time.sleep(OBSERVE_EVERY)
    return seen, moved_at


def report(name: str, url: str, tickets: int, spread: float) -> None:
    database = open_database(url)
    started = time.perf_counter()
    ticket_ids = make_desk(database, tickets)
    print(f"[{name}] {tickets:,} tickets created in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "worker.log"
        worker = start_worker(url, log_path)
        try:
            due = set_deadlines(database, ticket_ids, spread)
            seen, moved_at = observe_moves(database, due, LEAD_SECONDS + spread + 60)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        log = log_path.read_text(encoding="utf-8")
    database.close()
    if len(seen) < tickets or worker.returncode != 0:
        print(f"[{name}] only {len(seen)} of {tickets} escalated; worker exit {worker.returncode}")
        print(log[-3000:])
        return
    committed = [(seen[key] - due[key]).total_seconds() for key in due]
    fired = [(moved_at[key] - due[key]).total_seconds() for key in due]
    escalation_lines = sum(1 for line in log.splitlines() if "escalated L1 → L2" in line)
    for label, values in (("committed (upper bound)", committed), ("pass clock", fired)):
        print(
            f"[{name}] deadline → {label}, {len(values)} tickets: "
            f"p50 {percentile(values, 0.50):.3f} s, p95 {percentile(values, 0.95):.3f} s, "
            f"p99 {percentile(values, 0.99):.3f} s, max {max(values):.3f} s, "
            f"min {min(values):.3f} s"
        )
    print(f"[{name}] worker logged {escalation_lines} escalations and stopped with exit code 0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds")
    parser.add_argument("--postgres", default="postgresql+psycopg://root@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        report("sqlite", f"sqlite:///{folder}/bench.db", args.tickets, args.spread)
    if args.no_postgres:
        return
    with_postgres_schema(
        args.postgres, lambda url: report("postgresql", url, args.tickets, args.spread)
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
