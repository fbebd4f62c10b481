"""Replay benchmark: 30 days of a desk with 100,000 tickets replayed against a draft rule, on
SQLite and on PostgreSQL. Prints figures; passes or fails nothing.

    python bench/bench_replay.py [--tickets 100000] [--days 30] [--databases sqlite,postgres]
        [--postgres URL] [--runs 3] [--profile LINES]

Target (issue 5): 10 s or less for 100,000 tickets and 30 days.

The desk is the demo desk (``DemoService``: bulk-loaded histories shaped after the real incident
log, the default policy on office hours, running clocks of open tickets) with its history
squeezed into the last ``--days`` days, so that every one of its tickets lives in the replayed
window. The draft: "P1 and P2 tickets go straight to L2 when created" (in place of the demo's
empty rule set), plus with ``--time-rule`` "P3 tickets 8 business hours in their tier move up".
Each run is one whole ``replay_rules`` call (read-only transaction, streamed history, tables).
Besides wall seconds it prints this process's CPU seconds: on a shared machine the wall time
also counts other processes' turns (and, on PostgreSQL, the server's own work).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
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
from app.services.database import open_database  # noqa: E402
from app.services.demo import DemoService  # noqa: E402
from app.services.preview import replay_rules  # noqa: E402
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
        seconds, cpu = [], []
        for run in range(args.runs):
            profiler = cProfile.Profile() if args.profile and run == 0 else None
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            result = replay_rules(database, draft, days=args.days, at=NOW)
            if profiler:
                profiler.disable()
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            if profiler:
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
                    args.profile
                )
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
            f"  CPU seconds of this process per replay: median {statistics.median(cpu):.2f} "
            "(wall time minus waiting for the database and for other processes on the machine)"
        )
    finally:
        database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--runs", type=int, default=3)
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
