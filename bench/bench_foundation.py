"""Foundation benchmark: demo-desk load time and memory, and the latency of one tier move with
a full desk present, on SQLite and on PostgreSQL. Prints figures; passes or fails nothing.

    python bench/bench_foundation.py [--tickets 100000] [--moves 500]
                                     [--postgres URL | --no-postgres]

Targets (issue 2): demo of 100,000 tickets in 20 s or less; a move at p95 in 20 ms or less on
SQLite and 30 ms or less on PostgreSQL over loopback.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.models import Ticket, TicketStatus  # noqa: E402
from app.services.database import open_database  # noqa: E402
from app.services.desk import DeskService  # noqa: E402
from app.services.people import drop_group_roles  # noqa: E402
from app.services.tickets import TicketService  # noqa: E402

T = TypeVar("T")
SUPERVISOR = "sara.kowalski"  # may move any ticket, so every sampled move is allowed


def machine() -> str:
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    python = platform.python_version()
    return f"{os.cpu_count()} cores ({cpu}), {memory_gib:.0f} GiB RAM, Python {python}"


def with_postgres_schema(base_url: str, run: Callable[[str], T]) -> T:
    """``run(url)`` on a fresh schema of the PostgreSQL server at ``base_url``, dropped after."""
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        return run(f"{base_url}?options=-csearch_path%3D{schema}")
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            drop_group_roles(connection, schema)
        admin.dispose()


def load_demo(url: str, tickets: int) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of ``main.py demo`` in a child process of its own."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--db", url, "demo", "--tickets", str(tickets)],
        stdout=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"demo load failed on {url}")
    return elapsed, usage.ru_maxrss / 1024


def move_latencies(url: str, moves: int) -> list[float]:
    """Milliseconds per tier move (one step up, or back down from the top) of open tickets;
    the demo desk's SLA policy makes each move also stop and start a tier clock."""
    database = open_database(url)
    tickets = TicketService(database)
    ladder = [tier.code for tier in DeskService(database).tiers()]
    with database.read() as session:
        keys = list(
            session.scalars(
                select(Ticket.key).where(
                    Ticket.status.not_in([TicketStatus.RESOLVED, TicketStatus.CLOSED])
                )
            )
        )
    random.Random(1).shuffle(keys)
    sample = (keys * (moves // max(len(keys), 1) + 1))[:moves]
    timings = []
    for key in sample:
        current = tickets.get(key).ticket
        position = ladder.index(current.tier)
        target = ladder[position + 1] if position + 1 < len(ladder) else ladder[position - 1]
        started = time.perf_counter()
        tickets.move(SUPERVISOR, key, current.version, target, note="benchmark")
        timings.append((time.perf_counter() - started) * 1000)
    database.close()
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(name: str, url: str, tickets: int, moves: int) -> None:
    seconds, peak_mib = load_demo(url, tickets)
    print(f"[{name}] demo --tickets {tickets:,}: {seconds:.1f} s wall, peak RSS {peak_mib:.0f} MiB")
    timings = move_latencies(url, moves)
    print(
        f"[{name}] tier move with {tickets:,} tickets present ({len(timings)} moves): "
        f"p50 {percentile(timings, 0.50):.2f} ms, p95 {percentile(timings, 0.95):.2f} ms, "
        f"p99 {percentile(timings, 0.99):.2f} ms, mean {statistics.fmean(timings):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--moves", type=int, default=500)
    parser.add_argument("--postgres", default="postgresql+psycopg://root@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        report("sqlite", f"sqlite:///{folder}/bench.db", args.tickets, args.moves)
    if args.no_postgres:
        return
    with_postgres_schema(
        args.postgres, lambda url: report("postgresql", url, args.tickets, args.moves)
    )


if __name__ == "__main__":
    main()
