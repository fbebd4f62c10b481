"""Live across desktops: how long after a change is committed on one desktop another desktop's
``LiveUpdates`` tells its GUI thread which ticket changed. Prints figures; passes or fails
nothing.

    python bench/bench_live_updates.py [--changes 200] [--max-gap 0.3]
                                       [--postgres URL | --no-postgres]

Per database (a SQLite file, then a private schema on the PostgreSQL server):

1. a desk with ``--changes`` open tickets, made through the ticket service;
2. this process is the watching desktop: a ``QCoreApplication`` with ``LiveUpdates`` on its own
   ``Database``, exactly as the window runs it; a slot on the main thread notes, for each
   ticket id in ``tickets_changed``, ``time.monotonic()`` when it first arrives;
3. once it listens, a second process (this script with ``--changer``) is the changing desktop:
   it comments on each ticket once, through ``TicketService.comment``, at random intervals
   (uniform between 0 and ``--max-gap`` seconds), and writes for each change
   ``time.monotonic()`` just before the call and just after it returned (committed).
   ``CLOCK_MONOTONIC`` is one clock for every process of the machine, so the two sides'
   readings compare directly.

``committed → shown`` = arrival minus the after-commit reading (the commit happened a little
before that reading, so this slightly flatters); ``call → shown`` = arrival minus the
before-call reading, an upper bound. Both are printed.

Targets (issue "The tier pipeline", item 5): p95 of 1 s or less on PostgreSQL, 1.5 s or less on
SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_foundation import machine, percentile, with_postgres_schema  # noqa: E402
from PySide6.QtCore import QCoreApplication, QTimer  # noqa: E402

from app.models import Role  # noqa: E402
from app.services.database import Database, open_database  # noqa: E402
from app.services.desk import DeskService  # noqa: E402
from app.services.tickets import NewTicket, TicketService  # noqa: E402
from app.views.live_updates import LiveUpdates  # noqa: E402

GRACE_SECONDS = 5.0  # after the last change, how long the watcher may still take


def make_desk(database: Database, tickets: int) -> dict[str, int]:
    """One L1 agent and ``tickets`` open tickets; their keys and ids."""
    desk = DeskService(database)
    desk.create_default_ladder()
    desk.add_category("Password reset", "L1")
    desk.add_user("lena", "Lena Lindqvist", Role.AGENT, ("L1",))
    service = TicketService(database)
    new = NewTicket(title="Cannot log in", requester="Carla Customer", category="Password reset")
    created = [service.create("lena", new) for _ in range(tickets)]
    return {ticket.key: ticket.id for ticket in created}


# ------------------------------------------------------------------------- changing desktop
def run_changer(url: str, keys_path: Path, out_path: Path, max_gap: float, seed: int) -> None:
    """The other desktop: one comment per ticket at random intervals, timed."""
    keys = json.loads(keys_path.read_text())
    database = open_database(url, migrate=False)
    service = TicketService(database)
    service.get(keys[0])  # connected before the first timed change
    rng = random.Random(seed)
    with out_path.open("w") as out:
        for key in keys:
            time.sleep(rng.uniform(0, max_gap))
            before = time.monotonic()
            service.comment("lena", key, "On my way")
            after = time.monotonic()
            out.write(json.dumps([key, before, after]) + "\n")
            out.flush()
    database.close()


# ------------------------------------------------------------------------- watching desktop
def measure(url: str, tickets: dict[str, int], max_gap: float) -> list[tuple[float, float]]:
    """Per change: (committed → shown, call → shown) in seconds; a missed change is absent."""
    app = QCoreApplication.instance() or QCoreApplication(sys.argv)
    database = open_database(url, migrate=False)
    live = LiveUpdates(database)
    arrived: dict[int, float] = {}
    everything: list[float] = []

    def on_tickets_changed(ids: list[int]) -> None:
        now = time.monotonic()
        for ticket_id in ids:
            arrived.setdefault(ticket_id, now)

    live.tickets_changed.connect(on_tickets_changed)
    live.everything_changed.connect(lambda: everything.append(time.monotonic()))
    live.listening_started.connect(app.quit)
    live.start()
    app.exec()  # until it listens

    with tempfile.TemporaryDirectory() as folder:
        keys_path, out_path = Path(folder) / "keys.json", Path(folder) / "changes.jsonl"
        keys_path.write_text(json.dumps(list(tickets)))
        changer = subprocess.Popen(
            [sys.executable, __file__, "--changer", url, str(keys_path), str(out_path),
             "--max-gap", str(max_gap)],
            cwd=ROOT,
        )  # fmt: skip
        finished_at: list[float] = []  # when the changer exited

        def check() -> None:
            if changer.poll() is None:
                return
            if not finished_at:
                finished_at.append(time.monotonic())
            done = all(ticket_id in arrived for ticket_id in tickets.values())
            if done or time.monotonic() - finished_at[0] > GRACE_SECONDS:
                app.quit()

        timer = QTimer()
        timer.timeout.connect(check)
        timer.start(50)
        app.exec()
        timer.stop()
        live.stop()
        database.close()
        # No Python callables left on Qt objects for the interpreter's final garbage collection
        # (PySide6 6.11 crashed there, now and then, with them still connected).
        for signal in (live.tickets_changed, live.everything_changed, live.listening_started):
            signal.disconnect()
        timer.timeout.disconnect()
        if changer.returncode != 0:
            raise SystemExit(f"the changing process failed with exit code {changer.returncode}")
        changes = [json.loads(line) for line in out_path.read_text().splitlines()]
    if everything:
        print(f"  ({len(everything)} everything_changed signals: a change was not told apart)")
    return [
        (arrived[tickets[key]] - after, arrived[tickets[key]] - before)
        for key, before, after in changes
        if tickets[key] in arrived
    ]


def report(name: str, url: str, changes: int, max_gap: float) -> None:
    database = open_database(url)
    tickets = make_desk(database, changes)
    database.close()
    latencies = measure(url, tickets, max_gap)
    print(f"[{name}] {len(latencies)} of {changes} changes shown on the other desktop")
    if not latencies:
        return
    for label, values in (
        ("committed → shown", [pair[0] for pair in latencies]),
        ("call → shown (upper bound)", [pair[1] for pair in latencies]),
    ):
        print(
            f"[{name}] {label}: p50 {percentile(values, 0.50):.3f} s, "
            f"p95 {percentile(values, 0.95):.3f} s, p99 {percentile(values, 0.99):.3f} s, "
            f"max {max(values):.3f} s, min {min(values):.3f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--max-gap", type=float, default=0.3, help="seconds between changes")
    parser.add_argument("--postgres", default="postgresql+psycopg://root@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--changer", nargs=3, metavar=("URL", "KEYS", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.changer:
        url, keys_path, out_path = args.changer
        run_changer(url, Path(keys_path), Path(out_path), args.max_gap, args.seed)
        return
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        report("sqlite", f"sqlite:///{folder}/bench.db", args.changes, args.max_gap)
    if args.no_postgres:
        return
    with_postgres_schema(
        args.postgres, lambda url: report("postgresql", url, args.changes, args.max_gap)
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
