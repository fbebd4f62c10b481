"""Rules benchmark: 200 rules evaluated on a ticket update. Prints figures; passes or fails nothing.

    python bench/bench_rules.py [--rules 200] [--updates 500] [--desk-tickets 20000]
                                [--postgres URL | --no-postgres]

Figures, on SQLite and on PostgreSQL:
- ``evaluate``: the pure evaluation of the rule set on a ticket update (what every update pays
  once the rule set is loaded; the target of issue 5: p95 5 ms or less);
- ``rules step``: the whole rules step of a ticket update inside its transaction (one query
  for the rule set's token and the desk's fingerprint, the snapshot, the evaluation), timed
  around ``engine.run_rules``; and the whole update with and without the rules;
- saving the rule set (validation and loop check of all 200 rules, in one transaction).
- the time pass and its next deadline on a demo desk of ``--desk-tickets`` tickets (20,000 by
  default) with three time rules (in tier, without resolution, since the last update in
  business time), when nothing is due: what every pass of the escalation timer adds.
The rules are a realistic mix (updated triggers on various fields, category / priority / tier /
assignee / text / regex / count conditions, moves up, priorities, comments, notifications); the
update changes the title and fires none of them, as most updates do.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from app.models import Ticket  # noqa: E402
from app.services.clock import FixedClock  # noqa: E402
from app.services.database import open_database  # noqa: E402
from app.services.desk import Ladder  # noqa: E402
from app.services.rules import engine  # noqa: E402
from app.services.rules.engine import (  # noqa: E402
    TriggerEvent,
    evaluate,
    load_rule_set,
    snapshot_of,
)
from app.services.rules.service import RuleService, rules_from_json  # noqa: E402
from app.services.rules.time_pass import TimeRuleService  # noqa: E402
from app.services.tickets import TicketChanges  # noqa: E402
from bench.bench_foundation import (  # noqa: E402
    load_demo,
    machine,
    percentile,
    with_postgres_schema,
)
from tests.factories import STANDARD_CATEGORIES, make_desk  # noqa: E402

FIELDS = ["title", "description", "priority", "status", "tier", "assignee", "category", "comment"]


def rule_mix(count: int, seed: int = 5) -> list[dict[str, Any]]:
    """``count`` rules none of which fires on the benchmark's update (their text conditions
    look for words the ticket does not have), and whose moves only go up (no loops)."""
    rng = random.Random(seed)
    categories = sorted(STANDARD_CATEGORIES)
    rules = []
    for number in range(count):
        conditions: list[dict[str, Any]] = [
            {"field": "category", "op": "in", "value": rng.sample(categories, 2)},
            {"field": "priority", "op": "at_least", "value": rng.choice(["P1", "P2", "P3"])},
        ]
        extra = rng.choice(
            [
                {"field": "title", "op": "contains", "value": f"keyword{number}"},
                {"field": "description", "op": "regex", "value": rf"\berror {number}\d\b"},
                {
                    "any": [
                        {"field": "requester", "op": "equals", "value": f"VIP {number}"},
                        {"field": "title", "op": "regex", "value": f"^URGENT-{number}"},
                    ]
                },
            ]
        )
        conditions.append(extra)
        if rng.random() < 0.5:
            conditions.append({"field": "tier", "op": "in", "value": ["L1", "L2"]})
        if rng.random() < 0.3:
            conditions.append({"not": {"field": "assignee", "op": "is_none"}})
        if rng.random() < 0.2:
            conditions.append({"field": "reopened_count", "op": "<", "value": 3})
        action = rng.choice(
            [
                {"do": "move", "to": "up"},
                {"do": "set_priority", "to": "P2"},
                {"do": "comment", "text": f"Rule {number} noticed this"},
                {"do": "notify", "supervisors": True},
            ]
        )
        watched = [] if rng.random() < 0.3 else rng.sample(FIELDS, 3)
        rules.append(
            {
                "name": f"Rule {number:03}",
                "trigger": {"on": "updated", "fields": watched},
                "conditions": conditions,
                "actions": [action],
            }
        )
    return rules


def update_latencies(desk: Any, key: str, updates: int) -> tuple[list[float], ...]:
    """Title edits, alternately with the rules and with the rules step skipped (so that both
    see the same database and machine load): milliseconds with, without, and of the step."""
    original = engine.run_rules
    steps: list[float] = []
    skip = [False]

    def timed(*args: Any, **kwargs: Any) -> Any:
        if skip[0]:
            return None
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            steps.append((time.perf_counter() - started) * 1000)

    with_rules: list[float] = []
    without: list[float] = []
    engine.run_rules = timed  # type: ignore[assignment]
    try:
        for number in range(2 * updates):
            skip[0] = number % 2 == 1
            version = desk.version(key)
            started = time.perf_counter()
            changes = TicketChanges(title=f"Printer jams ({number})")
            desk.tickets.edit("sara", key, version, changes)
            (without if skip[0] else with_rules).append((time.perf_counter() - started) * 1000)
    finally:
        engine.run_rules = original  # type: ignore[assignment]
    return with_rules, without, steps


def evaluate_latencies(desk: Any, key: str, rounds: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each evaluation (on a busy machine they differ)."""
    with desk.database.read() as session:
        rule_set = load_rule_set(session)
        ticket = session.query(Ticket).filter_by(key=key).one()
        snapshot = snapshot_of(session, ticket, Ladder.load(session))
    trigger = TriggerEvent("updated", frozenset({"title"}))
    timings, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        evaluation = evaluate(rule_set, snapshot, trigger)
        cpu.append((time.process_time() - started_cpu) * 1000)
        timings.append((time.perf_counter() - started) * 1000)
    assert not evaluation.firings and len(rule_set.rules) > 0
    return timings, cpu


def figures(timings: list[float]) -> str:
    return (
        f"p50 {percentile(timings, 0.50):.3f} ms, p95 {percentile(timings, 0.95):.3f} ms, "
        f"p99 {percentile(timings, 0.99):.3f} ms, mean {statistics.fmean(timings):.3f} ms"
    )


def report(name: str, url: str, count: int, updates: int) -> None:
    database = open_database(url)
    try:
        desk = make_desk(database)
        key = desk.ticket(title="Printer jams", category="Printer").key
        service = RuleService(database, desk.clock)
        started = time.perf_counter()
        service.save("sara", 0, rules_from_json(rule_mix(count)))
        saved_ms = (time.perf_counter() - started) * 1000
        print(f"[{name}] save {count} rules (validation + loop check): {saved_ms:.0f} ms")
        evaluated, cpu = evaluate_latencies(desk, key, updates * 4)
        print(f"[{name}] evaluate {count} rules on an update: {figures(evaluated)}")
        print(f"[{name}] the same, CPU time of this process: {figures(cpu)}")
        with_rules, without, steps = update_latencies(desk, key, updates)
        print(f"[{name}] the rules step of an update, {count} rules: {figures(steps)}")
        print(f"[{name}] ticket update, rules step skipped: {figures(without)}")
        print(f"[{name}] ticket update with {count} rules: {figures(with_rules)}")
    finally:
        database.close()


A_YEAR = 525_600  # minutes: nothing on the demo desk is due
TIME_RULES = [
    {"name": "A year in a tier", "trigger": {"on": "time", "measure": "in_tier"}},
    {"name": "A year open", "trigger": {"on": "time", "measure": "without_resolution"}},
    {
        "name": "A quiet year",
        "trigger": {"on": "time", "measure": "since_update", "calendar": "Office hours"},
    },
]


def report_time_pass(name: str, url: str, tickets: int, rounds: int = 20) -> None:
    seconds, _memory = load_demo(url, tickets)
    database = open_database(url)
    try:
        with database.read() as session:
            latest = session.scalar(select(func.max(Ticket.updated_at)))
            still_open = session.scalar(
                select(func.count()).where(Ticket.status.not_in(("resolved", "closed")))
            )
        clock = FixedClock(latest)
        rules = RuleService(database, clock)
        notify = [{"do": "notify", "supervisors": True}]
        drafts = [
            {**rule, "trigger": {**rule["trigger"], "minutes": A_YEAR}, "actions": notify}
            for rule in TIME_RULES
        ]
        rules.save("sara.kowalski", rules.list().version, rules_from_json(drafts))
        service = TimeRuleService(database, clock)
        passes, deadlines = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            assert service.run_pass().looks == ()
            passes.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            service.next_due()
            deadlines.append((time.perf_counter() - started) * 1000)
        where = f"demo desk of {tickets:,} tickets ({still_open:,} open, loaded in {seconds:.0f} s)"
        print(f"[{name}] time pass, 3 time rules, nothing due, {where}: {figures(passes)}")
        print(f"[{name}] next time-rule deadline, same desk: {figures(deadlines)}")
    finally:
        database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--updates", type=int, default=500)
    parser.add_argument("--desk-tickets", type=int, default=20_000)
    parser.add_argument("--postgres", default="postgresql+psycopg://root@127.0.0.1:5432/test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        report("sqlite", f"sqlite:///{folder}/bench.db", args.rules, args.updates)
        report_time_pass("sqlite", f"sqlite:///{folder}/desk.db", args.desk_tickets)
    if not args.no_postgres:
        with_postgres_schema(
            args.postgres, lambda url: report("postgresql", url, args.rules, args.updates)
        )
        with_postgres_schema(
            args.postgres, lambda url: report_time_pass("postgresql", url, args.desk_tickets)
        )


if __name__ == "__main__":
    main()
