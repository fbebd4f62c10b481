"""Exactly once under load, at full size: eight escalation passes, each an OS process of its
own, over 10,000 due tickets while one more process moves due tickets by hand (escalate, hand
back, move, naming the version read), on PostgreSQL and on one SQLite file. Prints the counts,
the time and the check's findings (0 double escalations and 0 lost moves expected).

    python bench/bench_escalation_exactly_once.py [--due 10000] [--open 20000] [--passes 8]
        [--batch 1000] [--databases postgres,sqlite] [--sqlite-due N] [--postgres URL]

The desk is built as in ``bench_escalation_pass`` (due tickets below the top tier, their other
clocks already acted on); the scenario and its check are ``tests.integration.
escalation_load_worker``, the same the test runs at a smaller size. Exits 1 if the check finds
a breach of exactly-once (a double escalation, a lost move, ...): that is a bug, whatever the
timing. Operations that gave up waiting for a lock (``database_errors``) are printed, not failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_escalation_pass import POSTGRES, build_open_desk  # noqa: E402
from bench_foundation import machine, with_postgres_schema  # noqa: E402

from app.services.database import open_database  # noqa: E402
from tests.integration.escalation_load_worker import (  # noqa: E402
    LoadCheck,
    check_exactly_once,
    expired_tier_clocks,
    run_load,
    summary,
)


def scenario(name: str, url: str, due: int, args: argparse.Namespace) -> LoadCheck:
    database = open_database(url)
    try:
        desk = build_open_desk(database, max(args.open, due + 100), due)
        expired = expired_tier_clocks(database, desk.now)
        print(
            f"[{name}] built in {desk.build_seconds:.1f} s: {desk.open_tickets:,} open tickets, "
            f"{len(expired):,} due; {args.passes} pass processes (batch {args.batch}) and one "
            "mover start",
            flush=True,
        )
        with tempfile.TemporaryDirectory() as folder:
            run = run_load(
                url,
                desk.now,
                list(desk.due_keys),
                Path(folder),
                passes=args.passes,
                batch=args.batch,
                seconds=args.seconds,
                think_ms=args.think_ms,
            )
        checked = time.perf_counter()
        check = check_exactly_once(database, desk.now, expired, run)
        print(f"[{name}] {summary(check, run)}")
        times = sorted(p["ms"] for p in run.passes if p["escalations"])
        if times:
            print(
                f"[{name}] acting passes: median {times[len(times) // 2]:.0f} ms, "
                f"max {times[-1]:.0f} ms; check took {time.perf_counter() - checked:.1f} s"
            )
        problems = check.problems()
        print(f"[{name}] double escalations: {len(check.double_escalations)}, lost moves: "
              f"{len(check.lost_moves)}, problems: {_counts(problems) or 'none'}")  # fmt: skip
        for kind, found in problems.items():
            for line in found[:5]:
                print(f"[{name}]   {kind}: {line.strip().splitlines()[-1]}")
        return check
    finally:
        database.close()


def _counts(problems: dict[str, list[str]]) -> str:
    return ", ".join(f"{kind} {len(found)}" for kind, found in problems.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--passes", type=int, default=8)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--think-ms", type=float, default=5)
    parser.add_argument("--seconds", type=float, default=900, help="give up after")
    parser.add_argument("--databases", default="postgres,sqlite")
    parser.add_argument("--sqlite-due", type=int, default=None, help="default: --due")
    parser.add_argument("--postgres", default=POSTGRES)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    checks = []
    for name in args.databases.split(","):
        if name == "postgres":

            def on_postgres(url: str) -> Any:
                return scenario("postgres", url, args.due, args)

            checks.append(with_postgres_schema(args.postgres, on_postgres))
        elif name == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                due = args.sqlite_due or args.due
                checks.append(scenario("sqlite", f"sqlite:///{folder}/bench.db", due, args))
        else:
            raise SystemExit(f"unknown database {name!r}: sqlite or postgres")
    broken = [set(check.problems()) - {"database_errors"} for check in checks]
    if any(broken):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
