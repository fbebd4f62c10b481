"""Two people acting at once on a shared database must never silently overwrite each other or act
twice. Four desktops, each a separate OS process with its own connections, read and write the same
few tickets as fast as they can; every write names the version it read. Afterwards every
successful write is in the history exactly once, with a version of its own, losers got a
``ConflictError`` (never a raw database error), and replaying the history gives every ticket."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from app.services.history import check_history
from tests.factories import Desk

REPO = Path(__file__).resolve().parents[2]
WORKERS = 4
OPERATIONS = 60  # per worker
SECONDS = 20  # per worker, whatever happens
THINK_MS = 4  # at most, between reading a ticket and writing it: widens the race window
#: starting tier of the shared tickets, and who moves them there
TIER_PATH = (("L2", "lena"), ("L3", "tom"), ("Vendor", "ines"))


def shared_tickets(desk: Desk) -> dict[str, int]:
    """Eight tickets, two at each tier, a couple of them already taken: key -> version."""
    versions = {}
    for number in range(8):
        ticket = desk.ticket(title=f"Shared ticket {number}")
        for _tier, mover in TIER_PATH[: number // 2]:
            ticket = desk.tickets.escalate(mover, ticket.key, ticket.version, "needs the next tier")
        if number % 2:
            ticket = desk.tickets.take("sara", ticket.key, ticket.version)
        versions[ticket.key] = ticket.version
    return versions


def start_worker(url: str, number: int, keys: list[str], folder: Path) -> subprocess.Popen[str]:
    config = {
        "url": url,
        "worker": number,
        "seed": 1000 + number,
        "keys": keys,
        "operations": OPERATIONS,
        "seconds": SECONDS,
        "think_ms": THINK_MS,
        "out": str(folder / f"worker-{number}.json"),
    }
    with (folder / f"worker-{number}.stderr").open("w") as stderr:  # the child keeps its own
        return subprocess.Popen(
            [sys.executable, "-m", "tests.integration.concurrent_worker", json.dumps(config)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )


def run_desktops(url: str, keys: list[str], folder: Path) -> list[dict[str, Any]]:
    """Start the workers, let them go together once all have opened the database, and return
    every attempt they recorded."""
    workers = [start_worker(url, number, keys, folder) for number in range(WORKERS)]
    try:
        ready = [worker.stdout.readline().strip() for worker in workers]  # type: ignore[union-attr]
        assert ready == ["ready"] * WORKERS, stderr_of(folder)
        for worker in workers:
            worker.stdin.write("go\n")  # type: ignore[union-attr]
            worker.stdin.close()  # type: ignore[union-attr]
        deadline = time.monotonic() + SECONDS + 30
        codes = [worker.wait(timeout=max(1, deadline - time.monotonic())) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
            worker.stdout.close()  # type: ignore[union-attr]
    assert codes == [0] * WORKERS, stderr_of(folder)
    return [
        record
        for number in range(WORKERS)
        for record in json.loads((folder / f"worker-{number}.json").read_text())
    ]


def stderr_of(folder: Path) -> str:
    return "\n".join(path.read_text() for path in sorted(folder.glob("worker-*.stderr")))


def test_concurrent_desktops_never_overwrite_each_other_or_act_twice(desk, database_url, tmp_path):
    started = shared_tickets(desk)
    keys = sorted(started)

    records = run_desktops(database_url, keys, tmp_path)

    outcomes = Counter(record["outcome"] for record in records)
    print(f"{desk.database.describe()}: {len(records)} attempts, {dict(outcomes)}")
    others = [record for record in records if record["outcome"] == "other"]
    assert others == [], "\n\n".join(f"{r['error']}\n{r['traceback']}" for r in others)
    assert len(records) >= WORKERS * OPERATIONS // 2, "the desktops did too little to race"
    assert outcomes["conflict"] > 0, "no write ever raced another: the test proved nothing"
    assert outcomes["ok"] > 0

    successes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        if record["outcome"] == "ok":
            successes[record["key"]].append(record)
            assert record["new_version"] == record["read_version"] + 1, record
        if record["outcome"] == "conflict":
            assert record["current_version"] > record["read_version"], record
            assert record["changed_by"], record  # the loser is told who changed what

    for key in keys:
        detail = desk.tickets.get(key)
        won = successes[key]
        new_versions = [record["new_version"] for record in won]
        # No two writers made the same version of a ticket: nobody overwrote anybody ...
        assert len(new_versions) == len(set(new_versions)), (key, sorted(new_versions))
        # ... and every write that was told "saved" is there, once: none lost, none doubled.
        assert len(won) == detail.ticket.version - started[key], key
        assert sorted(new_versions) == list(range(started[key] + 1, detail.ticket.version + 1))
        written_by = {event.ticket_version: event.actor for event in detail.events}
        assert {r["new_version"]: r["actor"] for r in won} == {
            version: actor for version, actor in written_by.items() if version > started[key]
        }, key
        comments = Counter(comment.body for comment in detail.comments)
        assert comments == Counter(r["tag"] for r in won if r["operation"] == "comment"), key

    assert check_history(desk.database).mismatches == ()
