"""The escalation pass: due tickets move up one tier by themselves with the reason and policy
recorded, once; the top tier flags instead of moving; paused, moved and resolved tickets are
left alone; several processes running the pass at once escalate each ticket exactly once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import main
from app.models import EventKind, MoveReason, Ticket, TicketClock, TicketEvent
from app.services.clock import FixedClock
from app.services.demo import DemoService
from app.services.desk import Ladder
from app.services.escalation import EscalationService
from app.services.history import check_history
from app.services.sla_clocks import rebuild_clocks
from app.services.sla_policy import SlaPolicyService
from tests.factories import T0

REPO = Path(__file__).resolve().parents[2]
MONDAY_13 = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # an L1 P3 ticket opened at 09:00 is due


@pytest.fixture
def sla_desk(desk):
    """The standard desk with the default policy (Mon-Fri 08:00-18:00 UTC, L1 P3 = 4 h)."""
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    return desk


def run_pass(desk, at: datetime):
    return EscalationService(desk.database, FixedClock(at)).run_pass()


def sla_moves(desk) -> Counter[str]:
    with desk.database.read() as session:
        rows = session.execute(
            select(Ticket.key)
            .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
            .where(TicketEvent.kind == EventKind.TIER_CHANGED, TicketEvent.reason == MoveReason.SLA)
        )
        return Counter(key for (key,) in rows)


def test_a_due_ticket_moves_up_by_itself_with_the_reason_and_policy_recorded(sla_desk):
    ticket = sla_desk.ticket()
    report = run_pass(sla_desk, MONDAY_13)
    [done] = report.escalations
    assert (done.key, done.from_tier, done.to_tier, done.due_at) == (
        ticket.key,
        "L1",
        "L2",
        MONDAY_13,
    )
    detail = sla_desk.tickets.get(ticket.key)
    assert detail.ticket.tier == "L2"
    move = detail.events[-1]
    assert (move.kind, move.reason, move.actor, move.from_tier, move.to_tier) == (
        EventKind.TIER_CHANGED, MoveReason.SLA, None, "L1", "L2",
    )  # fmt: skip
    assert move.details == {
        "clock": "tier", "due_at": MONDAY_13.isoformat(), "policy_id": 1, "policy_version": 1,
    }  # fmt: skip
    assert "tier clock expired (Standard policy v1)" in (move.note or "")
    assert check_history(sla_desk.database).mismatches == ()


def test_a_ticket_not_yet_due_is_left_alone(sla_desk):
    ticket = sla_desk.ticket()
    assert run_pass(sla_desk, datetime(2026, 3, 2, 12, 59, tzinfo=UTC)).escalations == ()
    assert sla_desk.tickets.get(ticket.key).ticket.version == ticket.version


def test_a_second_pass_does_not_escalate_again(sla_desk):
    sla_desk.ticket()
    run_pass(sla_desk, MONDAY_13)
    assert run_pass(sla_desk, MONDAY_13).escalations == ()
    assert list(sla_moves(sla_desk).values()) == [1]


def test_the_next_tiers_clock_starts_at_the_escalation(sla_desk):
    ticket = sla_desk.ticket()
    run_pass(sla_desk, MONDAY_13)  # L2 P3 = 8 h from 13:00: 5 h today, 3 h on Tuesday
    [done] = run_pass(sla_desk, datetime(2026, 3, 3, 11, 0, tzinfo=UTC)).escalations
    assert (done.key, done.from_tier, done.to_tier) == (ticket.key, "L2", "L3")


def test_at_the_top_the_ticket_is_flagged_breached_and_stays(sla_desk):
    ticket = sla_desk.ticket("vic", tier="Vendor")  # Vendor P3 = 24 h of office time
    [flagged] = run_pass(sla_desk, datetime(2026, 3, 5, 12, 0, tzinfo=UTC)).escalations
    assert (flagged.key, flagged.from_tier, flagged.to_tier) == (ticket.key, "Vendor", None)
    assert sla_desk.tickets.get(ticket.key).ticket.tier == "Vendor"
    assert run_pass(sla_desk, datetime(2026, 3, 6, 12, 0, tzinfo=UTC)).escalations == ()


def test_paused_moved_and_resolved_tickets_are_not_escalated(sla_desk):
    waiting = sla_desk.ticket()
    sla_desk.tickets.change_status("lena", waiting.key, waiting.version, "waiting_on_customer")
    moved = sla_desk.ticket()
    sla_desk.tickets.escalate("lena", moved.key, moved.version)
    resolved = sla_desk.resolved_ticket()
    assert run_pass(sla_desk, MONDAY_13).escalations == ()
    assert sla_moves(sla_desk) == Counter()
    assert resolved.key != moved.key != waiting.key


def test_worker_once_escalates_exactly_the_expired_tickets_as_json(sla_desk, database_url, capsys):
    due = sla_desk.ticket()
    sla_desk.later(3 * 60)  # opened at 12:00: due at 16:00
    later = sla_desk.ticket()
    code = main(
        ["--db", database_url, "worker", "--once", "--at", "2026-03-02T13:30:00Z", "--json"]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert [item["key"] for item in report["escalations"]] == [due.key]
    assert report["at"] == "2026-03-02T13:30:00+00:00"
    assert sla_desk.tickets.get(later.key).ticket.tier == "L1"


def test_worker_refuses_at_without_once(sla_desk, database_url, capsys):
    assert main(["--db", database_url, "worker", "--at", "2026-03-02T13:30:00Z"]) == 2
    assert "--at" in capsys.readouterr().err


PASS_AT = (
    "import sys, json, datetime; "
    "from app.services.database import open_database; "
    "from app.services.clock import FixedClock; "
    "from app.services.escalation import EscalationService; "
    "db = open_database(sys.argv[1]); "
    "at = datetime.datetime.fromisoformat(sys.argv[2]); "
    "sys.stdin.readline(); "
    "report = EscalationService(db, FixedClock(at)).run_pass(batch=int(sys.argv[3])); "
    "print(json.dumps([e.key for e in report.escalations]))"
)


def test_passes_in_several_processes_at_once_escalate_each_ticket_exactly_once(
    sla_desk, database_url
):
    keys = {sla_desk.ticket(title=f"Due {n}").key for n in range(40)}
    passes = [
        subprocess.Popen(
            [sys.executable, "-c", PASS_AT, database_url, MONDAY_13.isoformat(), "15"],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for process in passes:  # start all four passes together
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    escalated: list[str] = []
    for process in passes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        escalated += json.loads(out)
    assert len(escalated) >= 15  # the four passes really did the work side by side
    while True:  # then passes here until nothing is due: what the four left (batch or locks)
        report = run_pass(sla_desk, MONDAY_13)
        if not report.escalations:
            break
        escalated += [item.key for item in report.escalations]
    assert sorted(escalated) == sorted(keys)  # each due ticket once, none twice
    assert set(sla_moves(sla_desk).values()) == {1}
    assert check_history(sla_desk.database).mismatches == ()


def test_the_headless_worker_escalates_on_its_timer_and_stops_cleanly_on_sigterm(
    sla_desk, database_url
):
    ticket = sla_desk.ticket()  # opened "2026-03-02 09:00" by the fixed clock: long overdue now
    worker = subprocess.Popen(
        [sys.executable, "main.py", "--db", database_url, "worker", "--interval", "1"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and sla_desk.tickets.get(ticket.key).ticket.tier == "L1":
        time.sleep(0.2)
    worker.send_signal(signal.SIGTERM)
    _out, log = worker.communicate(timeout=30)
    assert worker.returncode == 0, log
    assert sla_desk.tickets.get(ticket.key).ticket.tier == "L2"
    assert f"{ticket.key} escalated L1 → L2" in log
    assert "stopping" in log


def test_worker_once_on_a_demo_desk_moved_forward_escalates_exactly_the_expired(
    database, database_url, capsys
):
    DemoService(database, FixedClock(T0)).load(tickets=600, seed=4, time_zone="UTC")
    later = T0 + timedelta(days=2)
    with database.read() as session:
        expected = set(
            session.scalars(
                select(Ticket.key)
                .join(TicketClock, TicketClock.ticket_id == Ticket.id)
                .where(
                    TicketClock.stopped_at.is_(None),
                    TicketClock.breached_at.is_(None),
                    TicketClock.due_at <= later,
                )
            )
        )
    assert expected  # the demo has open tickets whose tier clocks run out within two days
    code = main(["--db", database_url, "worker", "--once", "--at", later.isoformat(), "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert {item["key"] for item in report["escalations"]} == expected
    assert check_history(database).mismatches == ()


def test_a_clock_rebuilt_from_history_equals_the_one_kept_in_step(sla_desk):
    ticket = sla_desk.ticket()
    for minutes, status in ((40, "waiting_on_customer"), (300, "in_progress"), (20, "open")):
        sla_desk.later(minutes)
        ticket = sla_desk.tickets.change_status("lena", ticket.key, ticket.version, status)
    sla_desk.later(15)
    ticket = sla_desk.tickets.escalate("lena", ticket.key, ticket.version)
    sla_desk.later(25)
    ticket = sla_desk.tickets.change_status(
        "tom", ticket.key, ticket.version, "waiting_on_customer"
    )
    sla_desk.later(50)
    ticket = sla_desk.tickets.change_status("tom", ticket.key, ticket.version, "in_progress")
    ticket = sla_desk.tickets.comment("tom", ticket.key, "Looking at it", ticket.version)
    fields = (
        "kind", "tier_id", "target_seconds", "started_at", "used_seconds", "running_since",
        "due_at", "warn_at", "breached_at", "stopped_at",
    )  # fmt: skip
    with sla_desk.database.read() as session:
        row = session.get_one(Ticket, ticket.id)
        kept = session.scalars(
            select(TicketClock)
            .where(TicketClock.ticket_id == row.id)
            .order_by(TicketClock.kind, TicketClock.started_at)
        ).all()
        history = list(
            session.scalars(
                select(TicketEvent).where(TicketEvent.ticket_id == row.id).order_by(TicketEvent.id)
            )
        )
        rebuilt = rebuild_clocks(session, row, history, Ladder.load(session))
        for clock in rebuilt:
            session.expunge(clock)
        rebuilt.sort(key=lambda clock: (clock.kind, clock.started_at))
        # Still running: L2's tier clock and the resolution clock. Stopped: first response and
        # L2's response clock (at the comment), L1's tier and response clocks (at the move).
        assert [(clock.kind, clock.stopped_at is None) for clock in kept] == [
            ("first_response", False), ("resolution", True), ("tier", False), ("tier", True),
            ("tier_response", False), ("tier_response", False),
        ]  # fmt: skip
        assert [[getattr(clock, f) for f in fields] for clock in rebuilt] == [
            [getattr(clock, f) for f in fields] for clock in kept
        ]


def test_ticket_show_explains_why_it_escalated(sla_desk, database_url, capsys):
    ticket = sla_desk.ticket()
    run_pass(sla_desk, MONDAY_13)
    assert main(["--db", database_url, "ticket", "show", ticket.key, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    expired, running_now = [clock for clock in shown["clocks"] if clock["kind"] == "tier"]
    marks = expired.pop("marks")
    assert expired == {
        "kind": "tier", "tier": "L1", "policy": "Standard", "policy_version": 1,
        "target_minutes": 240.0, "used_minutes": 240.0, "started_at": "2026-03-02T09:00:00+00:00",
        "due_at": "2026-03-02T13:00:00+00:00", "breached_at": "2026-03-02T13:00:00+00:00",
        "stopped_at": "2026-03-02T13:00:00+00:00", "state": "escalated",
        "segments": [
            {
                "start": "2026-03-02T09:00:00+00:00", "end": "2026-03-02T13:00:00+00:00",
                "kind": "counting", "reason": None, "counted_seconds": 14400.0,
            }
        ],
    }  # fmt: skip
    assert [(m["kind"], m["at"][11:16], m["note"]) for m in marks] == [
        ("started", "09:00", "target 4 h (Standard v1)"),
        ("warning", "12:00", "75% of the 4 h target used (Standard v1)"),
        ("escalation", "13:00", "L1 tier clock expired (Standard v1)"),
        ("stopped", "13:00", "ticket moved to L2"),
    ]
    escalation = marks[2]
    assert (escalation["tier"], escalation["to_tier"], escalation["policy_version"]) == (
        "L1", "L2", 1,
    )  # fmt: skip
    assert (running_now["tier"], running_now["target_minutes"]) == ("L2", 480.0)
    assert running_now["due_at"] == "2026-03-03T11:00:00+00:00"  # 5 h on Monday, 3 on Tuesday
    assert running_now["marks"][0]["kind"] == "started"
    assert shown["events"][-1]["reason"] == "sla"
