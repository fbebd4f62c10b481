"""Replay benchmark: 30 days of a desk with 100,000 tickets replayed against a draft rule, on
SQLite and on PostgreSQL. Prints figures; passes or fails nothing.

    python bench/bench_replay.py [--tickets 100000] [--days 30] [--databases sqlite,postgres]
        [--postgres URL] [--runs 3] [--profile LINES] [--processes auto,1]

Target (issue 5): 10 s or less for 100,000 tickets and 30 days.

The desk is the demo desk (``DemoService``: bulk-loaded histories shaped after the real incident
log, the default policy on office hours, running clocks of open tickets) with its history
squeezed into the last ``--days`` days, so that every one of its tickets lives in the replayed
window. The draft: "P1 and P2 tickets go straight to L2 when created" (in place of the demo's
empty rule set), plus with ``--time-rule`` "P3 tickets 8 business hours in their tier move up".
Each run is one whole ``replay_rules`` call (read-only transaction, streamed history, tables).
``--processes`` lists the ways to run it, each measured on the same desk: ``auto`` (shared
out between this process and helper processes, one per core, as the app does for a desk this
size) or a number of processes (1: all in this process, as before helpers existed).
Besides wall seconds it prints the CPU seconds of this process and of its helper processes:
on a shared machine the wall time also counts other processes' turns (and, on PostgreSQL, the
server's own work).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_foundation import machine, with_postgres_schema  # noqa: E402

from app.services import demo_profile  # noqa: E402
from app.services.clock import FixedClock  # noqa: E402
from app.services.database import Database, open_database  # noqa: E402
from app.services.demo import DemoService  # noqa: E402
from app.services.preview import replay_rules  # noqa: E402
from app.services.rules.definition import RuleSpec  # noqa: E402
from app.services.rules.service import rules_from_json  # noqa: E402

NOW = datetime(2026, 3, 5, 13, 0, tzinfo=UTC)
POSTGRES = "postgresql+psycopg://root@127.0.0.1:5432/test"
DRAFT = {
    "name": "P1 and P2 straight to L2",
    "trigger": {"on": "created"},
    "conditions": [{"field": "priority", "op": "in", "value": ["P1", "P2"]}],
    "actions": [{"do": "move", "to": "L2"}],
}
TIME_RULE = {
    "name": "P3 stuck in its tier moves up",
    "trigger": {"on": "time", "measure": "in_tier", "minutes": 480, "calendar": "Office hours"},
    "conditions": [{"field": "priority", "op": "in", "value": ["P3"]}],
    "actions": [{"do": "move", "to": "up"}],
}


def bench(url: str, args: argparse.Namespace) -> None:
    demo_profile.HISTORY_DAYS = args.days  # the demo's histories, within the replayed window
    database = open_database(url)
    try:
        started = time.perf_counter()
        summary = DemoService(database, FixedClock(NOW)).load(args.tickets, time_zone="UTC")
        built = time.perf_counter() - started
        if database.is_sqlite:  # a desk in use keeps a small write-ahead log; this load's is
            database.close()  # as big as the desk: closing the last connection folds it in
            database = open_database(url)
        print(
            f"  desk: {summary.tickets:,} tickets ({summary.open_tickets:,} open), "
            f"{summary.events:,} events, built in {built:.1f} s"
        )
        draft = rules_from_json([DRAFT, TIME_RULE] if args.time_rule else [DRAFT])
        for processes in args.processes.split(","):
            measure(database, draft, None if processes == "auto" else int(processes), args)
    finally:
        database.close()


def measure(
    database: Database, draft: list[RuleSpec], processes: int | None, args: argparse.Namespace
) -> None:
    """``args.runs`` replays in ``processes`` processes (None: as the app chooses)."""
    print(f"  processes: {processes or 'auto'}")
    seconds, cpu, helpers_cpu = [], [], []
    for run in range(args.runs):
        profiler = cProfile.Profile() if args.profile and run == 0 else None
        started, cpu_started, helpers_started = time.perf_counter(), *_cpu_seconds()
        if profiler:
            profiler.enable()
        result = replay_rules(database, draft, days=args.days, at=NOW, processes=processes)
        if profiler:
            profiler.disable()
        seconds.append(time.perf_counter() - started)
        own, helpers = _cpu_seconds()
        cpu.append(own - cpu_started)
        helpers_cpu.append(helpers - helpers_started)
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
            print(out.getvalue())
    print(
        f"  replay of {args.days} days: {result.tickets_replayed:,} tickets, "
        f"{result.events_replayed:,} events, {len(result.added):,} moves added, "
        f"{len(result.removed):,} removed"
    )
    print(
        f"  seconds per replay: median {statistics.median(seconds):.2f}, "
        f"min {min(seconds):.2f}, max {max(seconds):.2f} ({args.runs} runs; target <= 10)"
    )
    print(
        f"  CPU seconds per replay (median): this process {statistics.median(cpu):.2f}, its "
        f"helper processes {statistics.median(helpers_cpu):.2f} (not the database server's; "
        "on an idle machine with a core each, the wall time is about the larger)"
    )


def _cpu_seconds() -> tuple[float, float]:
    """CPU seconds of this process, and of its helper processes that have ended."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time(), children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--processes", default="auto", help="auto or a number, comma-separated")
    parser.add_argument("--time-rule", action="store_true", help="add a business-time rule")
    parser.add_argument("--profile", type=int, default=0, help="print the top LINES of a profile")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for name in args.databases.split(","):
        print(f"{name}:")
        if name == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                bench(f"sqlite:///{Path(folder) / 'replay.db'}", args)
        else:
            with_postgres_schema(args.postgres, lambda url: bench(url, args))


if __name__ == "__main__":
    main()
