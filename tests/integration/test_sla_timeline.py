"""'Why did this escalate?': each clock of a ticket laid out as counting, paused and outside-hours
segments with its marks (start, warnings, breaches, escalations, stop) and policy version, on
both databases. Hand-worked cases on the default policy (Mon-Fri 08:00-18:00 UTC; for P3: L1
tier clock 4 h, L1 response 1 h, first response 4 h, resolution 30 h; warnings at 75%), then the
property that the counting segments add up to the business time the clock keeper banked."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.cli import main
from app.models import ClockKind, Ticket, TicketClock, TicketStatus, TierKind
from app.services.clock import FixedClock
from app.services.demo import DemoService
from app.services.dto import ClockTimeline
from app.services.escalation import EscalationService
from app.services.sla_clocks import clock_paused
from app.services.sla_policy import SlaPolicyService
from app.services.sla_timeline import clock_timelines
from app.services.tickets import TicketChanges
from tests.factories import T0

WAITING = "waiting_on_customer"


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in March 2026 (the 2nd is a Monday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def sla_desk(desk):
    """The standard desk with the default policy; the clock shows Monday 2 March, 09:00."""
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    return desk


def timelines(desk, key: str, now: datetime, **options) -> list[ClockTimeline]:
    with desk.database.read() as session:
        ticket_id = session.scalar(select(Ticket.id).where(Ticket.key == key))
        return list(clock_timelines(session, ticket_id, now, **options))


def one(found: list[ClockTimeline], kind: ClockKind, tier: str | None = None) -> ClockTimeline:
    [clock] = [c for c in found if c.kind == kind and (tier is None or c.tier == tier)]
    return clock


def parts(clock: ClockTimeline) -> list[tuple[str, datetime, datetime, str | None]]:
    return [(s.kind, s.start, s.end, s.reason) for s in clock.segments]


def counted_seconds(clock: ClockTimeline) -> float:
    return sum((s.end - s.start).total_seconds() for s in clock.segments if s.kind == "counting")


def run_pass(desk, at: datetime):
    return EscalationService(desk.database, FixedClock(at)).run_pass()


def test_waiting_on_the_customer_over_lunch_pauses_every_clock_and_resuming_carries_on(sla_desk):
    ticket = sla_desk.ticket()
    sla_desk.clock.instant = utc(2, 11, 30)
    ticket = sla_desk.tickets.change_status("lena", ticket.key, ticket.version, WAITING)
    sla_desk.clock.instant = utc(2, 13, 30)
    sla_desk.tickets.change_status("lena", ticket.key, ticket.version, "in_progress")

    found = timelines(sla_desk, ticket.key, utc(2, 14, 30))
    tier = one(found, ClockKind.TIER)
    assert parts(tier) == [
        ("counting", utc(2, 9), utc(2, 11, 30), None),
        ("paused", utc(2, 11, 30), utc(2, 13, 30), "waiting_on_customer"),
        ("counting", utc(2, 13, 30), utc(2, 14, 30), None),
    ]
    assert (tier.state, tier.used_minutes, tier.due_at) == ("running", 210.0, utc(2, 15))
    assert parts(one(found, ClockKind.RESOLUTION)) == parts(tier)
    # Setting the status was the tier's first response, 1 h 30 min late: the breach was
    # recorded when the clock stopped, at its due instant.
    response = one(found, ClockKind.TIER_RESPONSE)
    assert (response.state, response.due_at, response.stopped_at) == (
        "breached", utc(2, 10), utc(2, 11, 30),
    )  # fmt: skip
    assert [(m.kind, m.at, m.fired_at, m.note) for m in response.marks] == [
        ("started", utc(2, 9), None, "target 1 h (Standard v1)"),
        ("breach", utc(2, 10), utc(2, 11, 30), "tier response target of 1 h passed (Standard v1)"),
        ("stopped", utc(2, 11, 30), None, "responded"),
    ]
    first = one(found, ClockKind.FIRST_RESPONSE)
    assert (first.state, first.used_minutes, first.marks[-1].note) == ("met", 150.0, "responded")


def test_a_clock_over_a_night_and_a_weekend_shows_the_hours_outside_the_calendar(sla_desk):
    sla_desk.clock.instant = utc(5, 17)  # Thursday, an hour before closing
    ticket = sla_desk.ticket()
    resolution = one(timelines(sla_desk, ticket.key, utc(9, 10)), ClockKind.RESOLUTION)
    assert parts(resolution) == [
        ("counting", utc(5, 17), utc(5, 18), None),
        ("outside_hours", utc(5, 18), utc(6, 8), None),  # Thursday night
        ("counting", utc(6, 8), utc(6, 18), None),
        ("outside_hours", utc(6, 18), utc(9, 8), None),  # Friday night and the weekend
        ("counting", utc(9, 8), utc(9, 10), None),
    ]
    assert resolution.used_minutes == 13 * 60
    assert [s.counted_seconds for s in resolution.segments] == [3600, 0, 36000, 0, 7200]


def test_a_clock_starting_outside_hours_begins_with_the_wait_for_opening_time(sla_desk):
    sla_desk.clock.instant = utc(7, 10)  # Saturday
    ticket = sla_desk.ticket()
    tier = one(timelines(sla_desk, ticket.key, utc(9, 9)), ClockKind.TIER)
    assert parts(tier) == [
        ("outside_hours", utc(7, 10), utc(9, 8), None),
        ("counting", utc(9, 8), utc(9, 9), None),
    ]
    assert (tier.used_minutes, tier.due_at) == (60.0, utc(9, 12))


def test_warning_and_escalation_marks_name_the_policy_version_the_clock_measured_against(
    sla_desk,
):
    before = sla_desk.ticket(title="Opened under version 1")
    SlaPolicyService(sla_desk.database, sla_desk.clock).revise(
        tier_minutes={"L1": {"P3": 120}}, warning_percent=50
    )
    after = sla_desk.ticket(title="Opened under version 2")
    run_pass(sla_desk, utc(2, 10))  # version 2's warning: 50% of 2 h
    run_pass(sla_desk, utc(2, 11, 5))  # version 2's tier clock ran out at 11:00

    escalated = one(timelines(sla_desk, after.key, utc(2, 12)), ClockKind.TIER, "L1")
    assert (escalated.policy, escalated.policy_version, escalated.state) == (
        "Standard", 2, "escalated",
    )  # fmt: skip
    assert [(m.kind, m.at, m.fired_at, m.note) for m in escalated.marks] == [
        ("started", utc(2, 9), None, "target 2 h (Standard v2)"),
        ("warning", utc(2, 10), utc(2, 10), "50% of the 2 h target used (Standard v2)"),
        ("escalation", utc(2, 11), utc(2, 11, 5), "L1 tier clock expired (Standard v2)"),
        ("stopped", utc(2, 11, 5), None, "ticket moved to L2"),
    ]
    escalation = escalated.marks[2]
    assert (escalation.headline(), escalation.tier, escalation.to_tier) == (
        "Escalated L1 → L2", "L1", "L2",
    )  # fmt: skip
    # The pass acted five minutes late: the clock ran on until the move.
    assert escalated.used_minutes == 125.0
    assert parts(escalated) == [("counting", utc(2, 9), utc(2, 11, 5), None)]
    next_tier = one(timelines(sla_desk, after.key, utc(2, 12)), ClockKind.TIER, "L2")
    assert (next_tier.policy_version, next_tier.started_at, next_tier.state) == (
        2, utc(2, 11, 5), "running",
    )  # fmt: skip

    still_v1 = one(timelines(sla_desk, before.key, utc(2, 12)), ClockKind.TIER)
    assert (still_v1.policy_version, still_v1.target_minutes) == (1, 240.0)
    assert still_v1.state == "running"
    assert [m.kind for m in still_v1.marks] == ["started"]  # its warning is due at 12:00
    assert one(timelines(sla_desk, before.key, utc(2, 13)), ClockKind.TIER).state == "overdue"


def test_a_resolved_and_reopened_ticket_carries_its_resolution_clock_on(sla_desk):
    ticket = sla_desk.ticket()
    sla_desk.clock.instant = utc(2, 10)
    ticket = sla_desk.tickets.resolve("lena", ticket.key, ticket.version, "Reset the password")
    sla_desk.clock.instant = utc(3, 9)
    sla_desk.tickets.reopen("lena", ticket.key, ticket.version, "Still cannot log in")

    found = timelines(sla_desk, ticket.key, utc(3, 10, 30))
    resolution = one(found, ClockKind.RESOLUTION)
    assert parts(resolution) == [
        ("counting", utc(2, 9), utc(2, 10), None),
        ("paused", utc(2, 10), utc(3, 9), "resolved"),  # the night inside the pause is paused
        ("counting", utc(3, 9), utc(3, 10, 30), None),
    ]
    assert (resolution.state, resolution.used_minutes) == ("running", 150.0)
    assert resolution.due_at == utc(5, 18)  # 29 h left at the reopening: 9 + 10 + 10 h
    first_tier, second_tier = [c for c in found if c.kind == ClockKind.TIER]
    assert (first_tier.state, first_tier.stopped_at, first_tier.marks[-1].note) == (
        "met", utc(2, 10), "ticket resolved",
    )  # fmt: skip
    assert (second_tier.started_at, second_tier.used_minutes) == (utc(3, 9), 90.0)


def test_a_closed_ticket_stops_its_resolution_clock_and_says_so(sla_desk):
    ticket = sla_desk.ticket()
    sla_desk.clock.instant = utc(2, 10)
    ticket = sla_desk.tickets.resolve("lena", ticket.key, ticket.version, "Reset the password")
    sla_desk.clock.instant = utc(2, 11)
    sla_desk.tickets.close("lena", ticket.key, ticket.version)
    resolution = one(timelines(sla_desk, ticket.key, utc(4, 9)), ClockKind.RESOLUTION)
    assert parts(resolution)[-1] == ("paused", utc(2, 10), utc(2, 11), "resolved")
    assert (resolution.state, resolution.marks[-1].note) == ("met", "ticket closed")


def test_waiting_on_the_vendor_pauses_the_tier_clock_and_runs_the_vendors(sla_desk):
    ticket = sla_desk.ticket()
    sla_desk.clock.instant = utc(2, 10)
    ticket = sla_desk.tickets.change_status("lena", ticket.key, ticket.version, "waiting_on_vendor")
    sla_desk.clock.instant = utc(2, 12)
    sla_desk.tickets.change_status("lena", ticket.key, ticket.version, "in_progress")
    found = timelines(sla_desk, ticket.key, utc(2, 13))
    assert parts(one(found, ClockKind.TIER)) == [
        ("counting", utc(2, 9), utc(2, 10), None),
        ("paused", utc(2, 10), utc(2, 12), "waiting_on_vendor"),
        ("counting", utc(2, 12), utc(2, 13), None),
    ]
    vendor = one(found, ClockKind.VENDOR)
    assert (vendor.tier, vendor.state, vendor.used_minutes) == ("Vendor", "met", 120.0)
    assert vendor.marks[-1].note == "no longer waiting on the vendor"


def test_a_very_long_clock_folds_its_middle_and_still_adds_up(sla_desk):
    ticket = sla_desk.ticket()
    now = datetime(2026, 9, 1, 12, tzinfo=UTC)
    resolution = one(timelines(sla_desk, ticket.key, now, segment_limit=30), ClockKind.RESOLUTION)
    assert len(resolution.segments) == 30
    kinds = [segment.kind for segment in resolution.segments]
    assert kinds.count("collapsed") == 1 and kinds.index("collapsed") == 5
    folded = resolution.segments[5]
    assert folded.reason is not None and folded.reason.endswith(" segments")
    assert int(folded.reason.split()[0]) > 100
    assert_covers(resolution, now)
    total = sum(segment.counted_seconds for segment in resolution.segments)
    assert total == pytest.approx(resolution.used_minutes * 60, abs=1)
    assert resolution.state == "overdue"


def test_ticket_show_prints_the_clocks_with_their_marks(sla_desk, database_url, capsys):
    ticket = sla_desk.ticket()
    run_pass(sla_desk, utc(2, 13))
    assert main(["--db", database_url, "ticket", "show", ticket.key]) == 0
    out = capsys.readouterr().out
    section = out[out.index("SLA clocks") :].splitlines()
    assert section[1] == (
        "  tier L1  Standard v1  target 4 h  used 4 h  escalated  due 2026-03-02T13:00:00+00:00"
    )
    assert section[2:5] == [
        "    2026-03-02T09:00:00+00:00 Started — target 4 h (Standard v1)",
        "    2026-03-02T12:00:00+00:00 Warning — 75% of the 4 h target used (Standard v1) "
        "(recorded 2026-03-02T13:00:00+00:00)",
        "    2026-03-02T13:00:00+00:00 Escalated L1 → L2 — L1 tier clock expired (Standard v1)",
    ]


# ------------------------------------------------------------------------------- property
def assert_covers(clock: ClockTimeline, now: datetime) -> None:
    """Segments run from the start to the stop (or now) without gaps, overlaps or neighbours
    of the same kind."""
    end = clock.stopped_at or max(now, clock.started_at)
    if not clock.segments:
        assert end == clock.started_at
        return
    assert clock.segments[0].start == clock.started_at
    for before, after in zip(clock.segments, clock.segments[1:], strict=False):
        assert before.end == after.start
        assert (before.kind, before.reason) != (after.kind, after.reason)
    for segment in clock.segments:
        assert segment.start < segment.end
    assert clock.segments[-1].end == end


TIER_KINDS = {
    "L1": TierKind.INTERNAL, "L2": TierKind.INTERNAL, "L3": TierKind.INTERNAL,
    "Vendor": TierKind.VENDOR,
}  # fmt: skip


def wander(desk, rng: random.Random, steps: int) -> str:
    """A ticket pushed through ``steps`` random changes (statuses, moves, comments, priority,
    resolving and reopening, escalation passes) at random moments; returns its key."""
    ticket = desk.ticket()
    for _ in range(steps):
        desk.clock.advance(timedelta(minutes=rng.choice([0, 7, 45, 90, 240, 600, 1500, 4000])))
        key, version = ticket.key, ticket.version
        if ticket.status == TicketStatus.CLOSED:
            ticket = desk.tickets.reopen("sara", key, version)
            continue
        if ticket.status == TicketStatus.RESOLVED:
            action = rng.choice(["reopen", "close"])
            call = desk.tickets.reopen if action == "reopen" else desk.tickets.close
            ticket = call("sara", key, version)
            continue
        choices = ["status", "status", "status", "comment", "priority", "pass", "resolve"]
        if ticket.tier != "Vendor":
            choices.append("escalate")
        if ticket.tier != "L1":
            choices.append("hand_back")
        action = rng.choice(choices)
        if action == "status":
            wanted = rng.choice(
                [s for s in ("in_progress", "waiting_on_customer", "waiting_on_vendor")
                 if s != ticket.status.value]
            )  # fmt: skip
            ticket = desk.tickets.change_status("sara", key, version, wanted)
        elif action == "comment":
            ticket = desk.tickets.comment("sara", key, "Any news?", version)
        elif action == "priority":
            others = [p for p in ("P1", "P2", "P3", "P4") if p != ticket.priority.value]
            changes = TicketChanges(priority=rng.choice(others))
            ticket = desk.tickets.edit("sara", key, version, changes)
        elif action == "pass":
            run_pass(desk, desk.clock.instant)
            ticket = desk.tickets.get(key).ticket
        elif action == "resolve":
            ticket = desk.tickets.resolve("sara", key, version, "Fixed")
        elif action == "escalate":
            ticket = desk.tickets.escalate("sara", key, version)
        else:
            ticket = desk.tickets.hand_back("sara", key, version, "Back to you")
    return ticket.key


@pytest.mark.parametrize("seed", range(4))
def test_counting_segments_add_up_to_the_business_time_each_clock_used(sla_desk, seed):
    rng = random.Random(seed)
    keys = [wander(sla_desk, rng, steps=14) for _ in range(3)]
    now = sla_desk.clock.instant + timedelta(minutes=rng.randrange(0, 3000))
    checked = 0
    for key in keys:
        history = sla_desk.tickets.get(key).events
        for clock in timelines(sla_desk, key, now):
            assert counted_seconds(clock) == pytest.approx(clock.used_minutes * 60, abs=1), (
                key, clock.kind, clock.tier, [e.summary() for e in history],
            )  # fmt: skip
            assert_covers(clock, now)
            for segment in clock.segments:
                if segment.kind == "paused":
                    assert segment.reason is not None
                    status = TicketStatus(segment.reason)
                    # Some tier's kind lets this status pause this clock.
                    assert any(clock_paused(clock.kind, status, k) for k in TIER_KINDS.values())
            assert [m.kind for m in clock.marks][0] == "started"
            assert (clock.marks[-1].kind == "stopped") == (clock.stopped_at is not None)
            checked += 1
    assert checked >= 9


def test_the_demo_desks_rebuilt_clocks_add_up_and_show_every_breach(database):
    """The demo's clocks were rebuilt from its generated history without sending alerts: their
    timelines still add up, and a breach found on the way is marked as one never sent."""
    DemoService(database, FixedClock(T0)).load(tickets=1500, seed=4, time_zone="UTC")
    with database.read() as session:
        ticket_ids = list(session.scalars(select(TicketClock.ticket_id).distinct()))
        now = T0 + timedelta(hours=5)
        found = [c for ticket_id in ticket_ids for c in clock_timelines(session, ticket_id, now)]
    assert len(found) > 40
    assert any(clock.stopped_at for clock in found)  # finished tickets' clocks are there too
    for clock in found:
        # The clock keeps whole seconds: each stretch it ran may lose a fraction of one.
        stretches = sum(1 for segment in clock.segments if segment.kind == "counting")
        assert counted_seconds(clock) == pytest.approx(clock.used_minutes * 60, abs=stretches)
        assert_covers(clock, now)
        if clock.breached_at is not None:
            [breach] = [mark for mark in clock.marks if mark.kind == "breach"]
            assert (breach.at, breach.fired_at) == (clock.breached_at, None)
            assert breach.note.endswith("found in the history, no alert sent)")
    assert any(clock.breached_at for clock in found)
    assert any(s.kind == "paused" for clock in found for s in clock.segments)
