"""Reports benchmark: ``ReportService.build`` (every report and the insights) over a desk with
1,000,000 history events, on SQLite and on PostgreSQL. Prints figures; passes or fails nothing.

    python bench/bench_reports.py [--events 1000000] [--runs 5] [--databases sqlite,postgres]
        [--postgres URL]

Target (issue 6): all reports in 2 s or less on both databases.

The desk: the standard test desk and the default SLA policy, then a year of tickets written
straight into the tables with bulk inserts (``app.services.bulk.insert_rows``: SQLite
``executemany``, PostgreSQL ``COPY``), each with a story drawn at random: created, assigned
and opened, comments, escalations, hand-backs (ping-pong), resolution, closing, sometimes a
reopening; recent tickets are left open at some tier. Every tier stay has its tier clock and
every ticket its customer first-response and resolution clocks, met or breached. Timed runs:
the whole history by day, the last 90 days by week, and one category and priority.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_foundation import machine, with_postgres_schema  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.models import Base, Category, SlaPolicy, Tier, User  # noqa: E402
from app.services.bulk import insert_rows  # noqa: E402
from app.services.clock import FixedClock  # noqa: E402
from app.services.database import Database, open_database  # noqa: E402
from app.services.report_tables import ReportQuery  # noqa: E402
from app.services.reports import ReportService  # noqa: E402
from app.services.sla_policy import SlaPolicyService  # noqa: E402
from app.services.ticket_change import reserve_ticket_numbers  # noqa: E402
from tests.factories import make_desk  # noqa: E402

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
POSTGRES = "postgresql+psycopg://root@127.0.0.1:5432/test"
DAYS = 365
#: Chance of escalating from each ladder position, and of handing back down from it.
ESCALATE = (0.45, 0.30, 0.12, 0.0)
HAND_BACK = (0.0, 0.12, 0.10, 0.15)
TIER_TARGET_S = (4 * 3600, 8 * 3600, 16 * 3600, 24 * 3600)


@dataclass
class Story:
    """One ticket's rows, as ``insert_rows`` takes them (naive UTC instants)."""

    ticket: tuple[Any, ...] = ()
    events: list[tuple[Any, ...]] = field(default_factory=list)
    clocks: list[tuple[Any, ...]] = field(default_factory=list)


class DeskWriter:
    """Draws ticket stories and hands out their rows, ids and versions in order."""

    def __init__(self, session: Any, seed: int, policy_id: int) -> None:
        self.rng = random.Random(seed)
        self.tiers = [t.id for t in session.scalars(select(Tier).order_by(Tier.position))]
        self.categories = list(session.scalars(select(Category.id)))
        self.agents = list(session.scalars(select(User.id)))
        self.policy_id = policy_id
        self.event_id = self.clock_id = 0
        self.now = NOW.replace(tzinfo=None)
        self.columns = {
            name: tuple(Base.metadata.tables[name].c.keys())
            for name in ("tickets", "ticket_events", "ticket_clocks")
        }

    def story(self, ticket_id: int, number: int) -> Story:
        rng, story = self.rng, Story()
        created = self.now - timedelta(seconds=rng.randint(600, DAYS * 86_400))
        at, version = created, 1
        level = 0 if rng.random() < 0.9 else 1
        category = rng.choice(self.categories)
        priority = rng.choice(("P1", "P2", "P3", "P3", "P4"))
        snapshot = json.dumps({"title": f"Ticket {number}", "tier_id": self.tiers[level]})
        self._event(story, ticket_id, 1, "created", at, to_tier=self.tiers[level], details=snapshot)
        status, assignee, reopened, resolved_at, closed_at = "new", None, 0, None, None
        stint_start, first_response = at, None
        finishing = (self.now - created).days > 3 or rng.random() < 0.5
        while True:
            at += timedelta(minutes=rng.randint(5, 600))
            version += 1
            assignee = rng.choice(self.agents)
            self._event(story, ticket_id, version, "assigned", at, new=str(assignee))
            if status == "new":
                self._event(story, ticket_id, version, "status_changed", at, old="new", new="open")
                status = "open"
            first_response = first_response or at
            at += timedelta(minutes=rng.randint(5, 900))
            version += 1
            self._event(story, ticket_id, version, "commented", at, new="1")
            if at >= self.now:
                break
            step = 0
            if rng.random() < ESCALATE[level]:
                step = 1
            elif rng.random() < HAND_BACK[level]:
                step = -1
            if step:
                at += timedelta(minutes=rng.randint(10, 1200))
                if at >= self.now:
                    break
                version += 1
                self._move(story, ticket_id, version, at, level, level + step)
                self._tier_clock(story, ticket_id, level, priority, stint_start, at)
                level += step
                stint_start = at
                continue
            if not finishing:
                break
            at += timedelta(minutes=rng.randint(10, 2400))
            if at >= self.now:
                break
            version += 1
            self._event(story, ticket_id, version, "status_changed", at, old=status, new="resolved")
            self._tier_clock(story, ticket_id, level, priority, stint_start, at)
            status, resolved_at = "resolved", at
            if rng.random() < 0.06 and at + timedelta(days=1) < self.now:
                at += timedelta(hours=rng.randint(2, 48))
                version += 1
                self._event(story, ticket_id, version, "reopened", at, old="resolved", new="open")
                status, resolved_at, reopened, stint_start = "open", None, reopened + 1, at
                continue
            if at + timedelta(days=2) < self.now:
                at += timedelta(days=2)
                version += 1
                self._event(
                    story, ticket_id, version, "status_changed", at, old=status, new="closed"
                )
                status, closed_at = "closed", at
            break
        if status not in ("resolved", "closed"):
            self._tier_clock(story, ticket_id, level, priority, stint_start, None)
        self._customer_clocks(story, ticket_id, priority, created, first_response, closed_at)
        story.ticket = (
            ticket_id, f"TD-{number}", f"Ticket {number}", "", "Carla Customer", category,
            "medium", "medium", priority, False, status, self.tiers[level],
            assignee if status not in ("resolved", "closed") else assignee, reopened,
            created, at, resolved_at, closed_at, version,
        )  # fmt: skip
        return story

    def _event(
        self, story: Story, ticket_id: int, version: int, kind: str, at: datetime, *,
        to_tier: int | None = None, from_tier: int | None = None, old: str | None = None,
        new: str | None = None, details: str | None = None,
    ) -> None:  # fmt: skip
        self.event_id += 1
        field_name = "status" if kind in ("status_changed", "reopened") else None
        story.events.append(
            (self.event_id, ticket_id, version, kind, at, None, "manual" if to_tier and
             from_tier else None, None, from_tier, to_tier, field_name, old, new, None, details)
        )  # fmt: skip

    def _move(
        self, story: Story, ticket_id: int, version: int, at: datetime, low: int, high: int
    ) -> None:
        self._event(
            story, ticket_id, version, "tier_changed", at,
            from_tier=self.tiers[low], to_tier=self.tiers[high],
        )  # fmt: skip
        self._event(story, ticket_id, version, "assigned", at, old="1", new=None)

    def _tier_clock(
        self, story: Story, ticket_id: int, level: int, priority: str, start: datetime,
        stop: datetime | None,
    ) -> None:  # fmt: skip
        target = TIER_TARGET_S[level]
        end = stop or self.now
        used = int((end - start).total_seconds() * 0.4)
        breached = start + timedelta(seconds=target * 2.5) if used > target else None
        self._clock(
            story, ticket_id, "tier", self.tiers[level], target, start, used, stop, breached
        )

    def _customer_clocks(
        self, story: Story, ticket_id: int, priority: str, created: datetime,
        responded: datetime | None, closed: datetime | None,
    ) -> None:  # fmt: skip
        for kind, target, stop in (
            ("first_response", 3600, responded),
            ("resolution", 30 * 3600, closed),
        ):
            end = stop or self.now
            used = int((end - created).total_seconds() * 0.4)
            breached = created + timedelta(seconds=target * 2.5) if used > target else None
            self._clock(story, ticket_id, kind, None, target, created, used, stop, breached)

    def _clock(
        self, story: Story, ticket_id: int, kind: str, tier_id: int | None, target: int,
        start: datetime, used: int, stop: datetime | None, breached: datetime | None,
    ) -> None:  # fmt: skip
        self.clock_id += 1
        running = None if stop is not None else start
        story.clocks.append(
            (self.clock_id, ticket_id, kind, tier_id, self.policy_id, target, start, used,
             running, None, None, None, breached, stop)
        )  # fmt: skip


def build_desk(database: Database, events: int, seed: int = 7) -> tuple[int, int, float]:
    """Fill a migrated, empty database; returns (tickets, events, seconds)."""
    started = time.perf_counter()
    make_desk(database, FixedClock(NOW))
    SlaPolicyService(database, FixedClock(NOW)).install_default("Europe/Berlin")
    with database.write() as session:
        policy_id = session.scalar(select(SlaPolicy.id))
        writer = DeskWriter(session, seed, policy_id)
        assert writer.columns["ticket_clocks"][:3] == ("id", "ticket_id", "kind")
        stories: list[Story] = []
        written = 0
        while written < events:
            ticket_id = len(stories) + 1
            story = writer.story(ticket_id, 1000 + ticket_id)
            stories.append(story)
            written += len(story.events)
        reserve_ticket_numbers(session, len(stories))
        tables: dict[str, Iterator[tuple[Any, ...]]] = {
            "tickets": (story.ticket for story in stories),
            "ticket_events": (row for story in stories for row in story.events),
            "ticket_clocks": (row for story in stories for row in story.clocks),
        }
        for table, rows in tables.items():
            insert_rows(session, table, writer.columns[table], rows, into_new_desk=True)
    if not database.is_sqlite:
        with database.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE"
            )
    else:
        with database.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        # A desk in use keeps a small write-ahead log; this load left one as big as the desk,
        # which every read would look pages up in until the next write resets it.
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return len(stories), written, time.perf_counter() - started


QUERIES = {
    "whole year, by day": ReportQuery(period="day"),
    "last 90 days, by week": ReportQuery(
        start=date(2025, 12, 3), end=date(2026, 3, 2), period="week"
    ),
    "one category and priority": ReportQuery(categories=("Laptop",), priorities=("P3",)),
}


def bench(name: str, url: str, events: int, runs: int) -> None:
    database = open_database(url)
    try:
        tickets, written, seconds = build_desk(database, events)
        print(f"[{name}] desk: {tickets:,} tickets, {written:,} events, built in {seconds:.1f} s")
        service = ReportService(database, FixedClock(NOW))
        for label, query in QUERIES.items():
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                report = service.build(query)
                timings.append(time.perf_counter() - started)
            print(
                f"[{name}] build() {label}: median {statistics.median(timings):.2f} s, "
                f"min {min(timings):.2f} s, max {max(timings):.2f} s "
                f"({runs} runs, {len(report.tables)} tables, {len(report.insights)} insights)"
            )
    finally:
        database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default=POSTGRES)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    chosen = args.databases.split(",")
    if "sqlite" in chosen:
        with tempfile.TemporaryDirectory() as folder:
            bench("sqlite", f"sqlite:///{folder}/bench.db", args.events, args.runs)
    if "postgres" in chosen:
        with_postgres_schema(
            args.postgres, lambda url: bench("postgresql", url, args.events, args.runs)
        )


if __name__ == "__main__":
    main()
