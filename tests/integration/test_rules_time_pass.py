"""Time-based rules on both databases: each measure (time without resolution, in the current
tier, since the last update, until a clock breaches) in wall time and in business time, once per
episode; and exactly once with several passes, each an OS process of its own, on one database
(PostgreSQL: row locks and SKIP LOCKED; SQLite: one file, exclusive write transactions).

This file is also the child process: ``python -m tests.integration.test_rules_time_pass
CONFIG_JSON`` runs passes at a fixed instant and writes what each pass did as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app.models import RuleFiring, RuleNotification
from app.services.clock import FixedClock
from app.services.database import open_database
from app.services.escalation import EscalationService
from app.services.rules.service import RuleService, rules_from_json
from app.services.rules.time_pass import TimeRuleService, run_time_rules
from app.services.sla_policy import SlaPolicyService
from tests.factories import T0, history_mismatches, make_desk

REPO = Path(__file__).resolve().parents[2]
CHILD_MODULE = "tests.integration.test_rules_time_pass"


def time_rule(name: str, measure: str, minutes: int, actions: list[dict[str, Any]], **extra: Any):
    trigger = {"on": "time", "measure": measure, "minutes": minutes}
    trigger.update({k: extra.pop(k) for k in ("calendar", "clock") if k in extra})
    return {"name": name, "trigger": trigger, "actions": actions, **extra}


def save_rules(desk, *rules: dict[str, Any]) -> None:
    service = RuleService(desk.database, desk.clock)
    service.save("sara", service.list().version, rules_from_json(list(rules)))


def run_at(desk, instant: datetime) -> list[tuple[str, str, bool]]:
    """One pass at ``instant``: (ticket, rule, acted) for each look."""
    report = TimeRuleService(desk.database, FixedClock(instant)).run_pass()
    return [(look.key, look.rule, look.acted) for look in report.looks]


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


COMMENT = [{"do": "comment", "text": "still open"}]


def test_without_resolution_fires_once_when_its_time_comes(desk):
    save_rules(desk, time_rule("Two hours open", "without_resolution", 120, COMMENT))
    made = desk.ticket()
    done = desk.resolved_ticket()
    assert run_at(desk, minutes(119)) == []
    assert run_at(desk, minutes(120)) == [(made.key, "Two hours open", True)]
    assert run_at(desk, minutes(121)) == []
    assert run_at(desk, minutes(600)) == []
    assert [c.body for c in desk.tickets.get(made.key).comments] == ["still open"]
    assert desk.tickets.get(done.key).comments == ()  # finished tickets are left alone


def test_in_tier_counts_from_entering_the_tier_and_starts_again_at_each_move(desk):
    save_rules(desk, time_rule("An hour per tier", "in_tier", 60, [{"do": "move", "to": "up"}]))
    made = desk.ticket()
    desk.clock.instant = minutes(30)
    desk.tickets.comment("lena", made.key, "looking")  # a change, not a move
    assert run_at(desk, minutes(59)) == []
    assert run_at(desk, minutes(60)) == [(made.key, "An hour per tier", True)]
    assert desk.tickets.get(made.key).ticket.tier == "L2"
    assert run_at(desk, minutes(119)) == []
    assert run_at(desk, minutes(120)) == [(made.key, "An hour per tier", True)]
    assert desk.tickets.get(made.key).ticket.tier == "L3"
    moves = [e for e in desk.tickets.get(made.key).events if e.rule_id is not None]
    assert [e.to_tier for e in moves] == ["L2", "L3"]


def test_since_update_starts_again_after_every_change_including_its_own(desk):
    save_rules(desk, time_rule("Nudge", "since_update", 30, COMMENT))
    made = desk.ticket()
    assert run_at(desk, minutes(30)) == [(made.key, "Nudge", True)]
    assert run_at(desk, minutes(45)) == []  # its own comment was a change at minute 30
    assert run_at(desk, minutes(60)) == [(made.key, "Nudge", True)]
    assert len(desk.tickets.get(made.key).comments) == 2


def test_until_breach_fires_when_little_time_is_left_on_the_clock(desk):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    save_rules(
        desk,
        time_rule(
            "Half an hour left",
            "until_breach",
            30,
            [{"do": "notify", "supervisors": True}],
            clock="tier",
        ),
    )
    made = desk.ticket()  # P3 at L1: 240 business minutes from Monday 09:00, due 13:00
    assert run_at(desk, minutes(209)) == []
    assert run_at(desk, minutes(210)) == [(made.key, "Half an hour left", True)]
    assert run_at(desk, minutes(220)) == []
    with desk.database.read() as session:
        assert session.scalar(select(func.count()).select_from(RuleNotification)) == 2


def test_business_time_waits_for_working_hours(desk):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")  # Mon-Fri 08-18
    save_rules(
        desk,
        time_rule("An office hour", "in_tier", 60, COMMENT, calendar="Office hours"),
        time_rule("A wall hour", "in_tier", 60, COMMENT),
    )
    friday = datetime(2026, 3, 6, 17, 30, tzinfo=UTC)
    desk.clock.instant = friday
    made = desk.ticket()
    assert run_at(desk, friday + timedelta(minutes=60)) == [(made.key, "A wall hour", True)]
    monday = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    assert run_at(desk, monday + timedelta(minutes=29)) == []
    assert run_at(desk, monday + timedelta(minutes=30)) == [(made.key, "An office hour", True)]


@pytest.mark.postgres
def test_a_business_time_pass_holds_no_ticket_that_is_not_due(postgres_url):
    """Over the weekend a wall hour has long run but an office hour has not: the pass must not
    lock such tickets while it works (another desktop's edit of them would wait for it)."""
    database = open_database(postgres_url)
    try:
        desk = make_desk(database)
        SlaPolicyService(database, desk.clock).install_default("UTC")  # Mon-Fri 08-18
        save_rules(
            desk,
            time_rule("An office hour", "in_tier", 60, COMMENT, calendar="Office hours"),
            time_rule(
                "Two office hours left",
                "until_breach",
                120,
                COMMENT,
                clock="tier",
                calendar="Office hours",
            ),  # fmt: skip
        )
        desk.clock.instant = datetime(2026, 3, 6, 17, 30, tzinfo=UTC)  # Friday
        waiting = desk.ticket()  # its P3 tier clock breaches Monday 11:30
        monday_early = datetime(2026, 3, 9, 8, 10, tzinfo=UTC)
        with database.write() as session:
            assert run_time_rules(session, monday_early).looks == ()
            with database.engine.connect() as other:
                locked = text(f"SELECT id FROM tickets WHERE id = {waiting.id} FOR UPDATE NOWAIT")
                assert other.execute(locked).scalar_one() == waiting.id
                other.rollback()
        assert run_at(desk, datetime(2026, 3, 9, 9, 0, tzinfo=UTC)) == [
            (waiting.key, "An office hour", True)
        ]
        assert run_at(desk, datetime(2026, 3, 9, 9, 30, tzinfo=UTC)) == [
            (waiting.key, "Two office hours left", True)
        ]
    finally:
        database.close()


def test_a_time_rule_whose_conditions_fail_looks_once_per_episode(desk):
    save_rules(
        desk,
        time_rule(
            "Urgent and waiting",
            "without_resolution",
            60,
            COMMENT,
            conditions=[{"field": "priority", "op": "in", "value": ["P1"]}],
        ),
    )
    made = desk.ticket()  # P3
    assert run_at(desk, minutes(60)) == [(made.key, "Urgent and waiting", False)]
    assert run_at(desk, minutes(61)) == []
    assert desk.tickets.get(made.key).comments == ()


def test_next_due_tells_the_timer_when_to_run(desk):
    save_rules(desk, time_rule("Two hours open", "without_resolution", 120, COMMENT))
    service = TimeRuleService(desk.database, desk.clock)
    assert service.next_due() is None
    desk.ticket()
    desk.clock.instant = minutes(10)
    desk.ticket()
    assert service.next_due() == minutes(120)
    run_at(desk, minutes(120))
    assert service.next_due() == minutes(130)


# ------------------------------------------------------------------------- several processes
PROCESSES = 4
TICKETS = 150
AT = T0 + timedelta(hours=2)


@pytest.mark.slow
def test_passes_in_several_processes_act_exactly_once(desk, database_url, tmp_path):
    save_rules(
        desk,
        time_rule(
            "Tell supervisors",
            "without_resolution",
            60,
            [{"do": "notify", "supervisors": True}, {"do": "comment", "text": "an hour"}],
        ),
        time_rule("Half an hour per tier", "in_tier", 30, [{"do": "move", "to": "up"}]),
    )
    keys = [desk.ticket(title=f"Ticket {n}").key for n in range(TICKETS)]
    results = run_children(database_url, tmp_path)

    looks = [tuple(look) for result in results for p in result["passes"] for look in p["looks"]]
    assert [r["errors"] for r in results] == [[]] * PROCESSES
    twice = [look for look, count in Counter((k, r) for k, r, _ in looks).items() if count > 1]
    assert twice == []
    assert len(looks) == 2 * TICKETS  # both rules, every ticket, once
    if not desk.database.is_sqlite:  # SKIP LOCKED shares the work; SQLite writers take turns
        assert sum(1 for r in results if any(p["looks"] for p in r["passes"])) >= 2, "no sharing"
    with desk.database.read() as session:
        per_pair = session.execute(
            select(RuleFiring.rule_id, RuleFiring.ticket_id, func.count()).group_by(
                RuleFiring.rule_id, RuleFiring.ticket_id
            )
        ).all()
        assert len(per_pair) == 2 * TICKETS and {row[2] for row in per_pair} == {1}
        told = session.scalar(select(func.count()).select_from(RuleNotification))
        assert told == 2 * TICKETS  # sara and ada, once per ticket
    for key in keys[:: TICKETS // 10]:
        detail = desk.tickets.get(key)
        assert detail.ticket.tier == "L2"
        assert [c.body for c in detail.comments] == ["an hour"]
    assert history_mismatches(desk.database) == []


def run_children(url: str, folder: Path) -> list[dict[str, Any]]:
    children = []
    for number in range(PROCESSES):
        config = {"url": url, "at": AT.isoformat(), "out": str(folder / f"child{number}.json")}
        command = [sys.executable, "-m", CHILD_MODULE, json.dumps(config)]
        children.append(
            subprocess.Popen(
                command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
        )
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        assert child.wait(timeout=120) == 0
    return [json.loads((folder / f"child{n}.json").read_text()) for n in range(PROCESSES)]


def child(config: dict[str, Any]) -> None:
    """Passes of 10 tickets at ``at`` until three in a row find nothing (others may hold what
    is left for a moment), or a minute is up."""
    database = open_database(config["url"])
    service = TimeRuleService(database, FixedClock(datetime.fromisoformat(config["at"])))
    passes: list[dict[str, Any]] = []
    errors: list[str] = []
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("no go")
    empty, deadline = 0, time.monotonic() + 60
    while empty < 3 and time.monotonic() < deadline:
        try:
            report = service.run_pass(batch=10)
        except Exception as error:  # what the test looks for
            errors.append(f"{type(error).__name__}: {error}")
            continue
        looks = [[look.key, look.rule, look.acted] for look in report.looks]
        passes.append({"looks": looks})
        empty = 0 if looks else empty + 1
        time.sleep(0.01 if looks else 0.05)  # a timer does not spin: others get their turn
    database.close()
    Path(config["out"]).write_text(json.dumps({"passes": passes, "errors": errors}))


if __name__ == "__main__":
    child(json.loads(sys.argv[1]))


def test_the_escalation_pass_runs_time_rules_and_its_timer_waits_for_them(desk, database_url):
    """The desktops' timer and the worker run one pass: time rules ride along with the SLA
    deadlines, and the next deadline the timer arms for includes theirs."""
    save_rules(desk, time_rule("Two hours open", "without_resolution", 120, COMMENT))
    made = desk.ticket()
    service = EscalationService(desk.database, FixedClock(minutes(119)))
    assert service.next_deadline() == minutes(120)  # no SLA policy here: only the rule
    assert service.run_pass().rules.looks == ()
    report = EscalationService(desk.database, FixedClock(minutes(121))).run_pass()
    assert [(look.key, look.acted) for look in report.rules.looks] == [(made.key, True)]
    assert report.did_something
    worker = subprocess.run(
        [sys.executable, "main.py", "--db", database_url, "worker", "--once",
         "--at", minutes(600).isoformat()],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (worker.returncode, worker.stdout.strip()) == (0, "nothing due")
