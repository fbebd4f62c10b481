"""Tier clocks (OLAs) kept in step with tickets: started on entering a tier with the policy's
target in business time, paused while waiting, re-targeted with the priority, stopped on leaving
the tier or resolving; versioned policies leave running clocks alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import ClockKind, SlaPolicy, Ticket, TicketClock, TicketStatus
from app.services.desk import Ladder
from app.services.errors import InvalidInput
from app.services.sla_policy import SlaPolicyService, add_policy, terms_of
from app.services.tickets import TicketChanges

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # the factories' T0


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def sla_desk(desk):
    """The standard desk with the default policy: Mon-Fri 08:00-18:00 UTC; L1 P3 = 4 h,
    L2 P3 = 8 h, L1 P1 = 30 min; warning at 75%."""
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    return desk


def clocks(desk, key: str, kind: ClockKind | None = ClockKind.TIER) -> list[TicketClock]:
    """The ticket's clocks of ``kind`` (all kinds for ``None``), oldest first."""
    with desk.database.read() as session:
        ticket_id = session.scalar(select(Ticket.id).where(Ticket.key == key))
        query = select(TicketClock).where(TicketClock.ticket_id == ticket_id)
        if kind is not None:
            query = query.where(TicketClock.kind == kind)
        return list(session.scalars(query.order_by(TicketClock.id)))


def running(desk, key: str, kind: ClockKind = ClockKind.TIER) -> TicketClock:
    [clock] = [c for c in clocks(desk, key, kind) if c.stopped_at is None]
    return clock


def test_a_desk_without_a_policy_runs_no_clocks(desk):
    assert clocks(desk, desk.ticket().key, kind=None) == []


def test_a_new_ticket_starts_its_tier_clock_with_the_tier_target(sla_desk):
    ticket = sla_desk.ticket()  # P3 at L1, Monday 09:00
    clock = running(sla_desk, ticket.key)
    assert (clock.kind, clock.target_seconds, clock.started_at) == (
        ClockKind.TIER,
        4 * 3600,
        MONDAY_9,
    )
    assert clock.due_at == utc(2, 13)
    assert clock.warn_at == utc(2, 12)  # 75% of four hours


def test_the_clock_runs_in_business_hours_only(sla_desk):
    sla_desk.clock.instant = utc(6, 16)  # Friday 16:00: two hours today, two on Monday
    ticket = sla_desk.ticket()
    assert running(sla_desk, ticket.key).due_at == utc(9, 10)


def test_escalating_stops_the_old_clock_and_starts_the_next_tiers(sla_desk):
    ticket = sla_desk.ticket()
    sla_desk.later(60)
    moved = sla_desk.tickets.escalate("lena", ticket.key, ticket.version)
    old, new = clocks(sla_desk, ticket.key)
    assert (old.stopped_at, old.used_seconds, old.due_at) == (utc(2, 10), 3600, None)
    assert old.breached_at is None
    assert (new.tier_id, new.target_seconds, new.started_at) == (
        old.tier_id + 1,
        8 * 3600,
        utc(2, 10),
    )
    assert new.due_at == utc(2, 18)
    assert moved.tier == "L2"


def test_waiting_on_the_customer_pauses_and_resuming_keeps_the_time_used(sla_desk):
    ticket = sla_desk.ticket()
    sla_desk.later(60)
    ticket = sla_desk.tickets.change_status(
        "lena", ticket.key, ticket.version, "waiting_on_customer"
    )
    paused = running(sla_desk, ticket.key)
    assert (paused.running_since, paused.due_at, paused.used_seconds) == (None, None, 3600)
    sla_desk.clock.instant = utc(2, 14)
    sla_desk.tickets.change_status("lena", ticket.key, ticket.version, "in_progress")
    assert running(sla_desk, ticket.key).due_at == utc(2, 17)  # three hours left


@pytest.mark.parametrize(("tier", "paused"), [("L1", True), ("Vendor", False)])
def test_waiting_on_the_vendor_pauses_internal_tiers_only(sla_desk, tier, paused):
    agent = {"L1": "lena", "Vendor": "vic"}[tier]
    ticket = sla_desk.ticket(agent, tier=tier)
    sla_desk.later(30)
    sla_desk.tickets.change_status(agent, ticket.key, ticket.version, "waiting_on_vendor")
    assert (running(sla_desk, ticket.key).due_at is None) is paused


def test_a_policy_s_own_pause_rules_are_honoured(sla_desk):
    """A desk whose policy stops every clock while waiting on the vendor (a supervisor's pause
    settings), not only the tier's: the customer's resolution clock stands still there too."""
    with sla_desk.database.write() as session:
        policy = session.scalar(select(SlaPolicy).where(SlaPolicy.current.is_(True)))
        targets = current_targets(session, policy.id)
        add_policy(
            session, policy.name, policy.calendar_id,
            replace(targets, pause_all=targets.pause_all | {TicketStatus.WAITING_ON_VENDOR}),
            policy.warning_percent, sla_desk.clock,
        )  # fmt: skip
    ticket = sla_desk.ticket()
    assert running(sla_desk, ticket.key, ClockKind.RESOLUTION).due_at is not None
    sla_desk.later(30)
    sla_desk.tickets.change_status("lena", ticket.key, ticket.version, "waiting_on_vendor")
    assert running(sla_desk, ticket.key, ClockKind.RESOLUTION).due_at is None
    assert running(sla_desk, ticket.key, ClockKind.TIER).due_at is None
    assert running(sla_desk, ticket.key, ClockKind.VENDOR).due_at is None  # "every clock"


def current_targets(session, policy_id):
    return terms_of(session, policy_id).targets(Ladder.load(session))


def test_resolving_stops_the_clock(sla_desk):
    ticket = sla_desk.ticket()
    sla_desk.later(90)
    sla_desk.tickets.resolve("lena", ticket.key, ticket.version, "Reset the password")
    [clock] = clocks(sla_desk, ticket.key)
    assert (clock.stopped_at, clock.used_seconds) == (utc(2, 10, 30), 5400)


def test_a_higher_priority_tightens_the_running_clock(sla_desk):
    ticket = sla_desk.ticket()
    sla_desk.later(20)
    sla_desk.tickets.edit(
        "lena", ticket.key, ticket.version, TicketChanges(impact="high", urgency="high")
    )
    clock = running(sla_desk, ticket.key)
    assert clock.target_seconds == 30 * 60  # L1 P1
    assert clock.due_at == utc(2, 9, 30)  # the twenty minutes already run still count


def test_a_revised_policy_is_a_new_version_and_running_clocks_keep_theirs(sla_desk):
    before = sla_desk.ticket()
    revised = SlaPolicyService(sla_desk.database, sla_desk.clock).revise(
        tier_minutes={"L1": {"P3": 60}}, warning_percent=50
    )
    after = sla_desk.ticket()
    assert (revised.version, revised.warning_percent) == (2, 50)
    assert running(sla_desk, before.key).target_seconds == 4 * 3600
    assert running(sla_desk, after.key).target_seconds == 3600
    assert running(sla_desk, after.key).policy_id == revised.policy_id
    with sla_desk.database.read() as session:
        assert session.scalar(select(func.count()).where(SlaPolicy.current.is_(True))) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tier_minutes": {"L1": {"P9": 30}}}, "tier_minutes.L1.P9", "'P9' is not a priority"),
        ({"tier_minutes": {"L1": {"P1": 0}}}, "tier_minutes.L1.P1", "not a positive number"),
        ({"tier_minutes": {"L7": {"P1": 30}}}, "tier_minutes", "no active tier called 'L7'"),
        ({"warning_percent": 100}, "warning_percent", "100 is not between 1 and 99"),
    ],
)
def test_a_bad_revision_is_refused_naming_the_field_and_nothing_is_written(
    sla_desk, changes, field, message
):
    service = SlaPolicyService(sla_desk.database, sla_desk.clock)
    with pytest.raises(InvalidInput) as refused:
        service.revise(**changes)
    assert refused.value.field == field
    assert message in str(refused.value)
    current = service.current()
    assert current is not None and current.version == 1


def test_the_default_policy_installs_once(sla_desk):
    with pytest.raises(InvalidInput, match="already has an SLA policy"):
        SlaPolicyService(sla_desk.database, sla_desk.clock).install_default("UTC")


def test_a_clock_due_time_is_never_before_its_start(sla_desk):
    ticket = sla_desk.ticket()
    sla_desk.later(600)  # ten hours on: past the four-hour target
    ticket = sla_desk.tickets.take("lena", ticket.key, ticket.version)
    clock = running(sla_desk, ticket.key)
    assert clock.due_at == utc(2, 13)  # still the breach instant, for the escalation pass
    assert clock.due_at - clock.started_at == timedelta(hours=4)


def test_a_clock_stopped_after_its_due_instant_is_recorded_as_breached(sla_desk):
    ticket = sla_desk.ticket()
    sla_desk.clock.instant = utc(2, 15)  # two hours past the four-hour target
    sla_desk.tickets.escalate("lena", ticket.key, ticket.version)
    old, new = clocks(sla_desk, ticket.key)
    assert (old.breached_at, old.stopped_at) == (utc(2, 13), utc(2, 15))
    assert new.breached_at is None
