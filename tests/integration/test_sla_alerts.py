"""The clocks beside the tier clock (the tier's response target, the vendor's clock while an
internal tier waits on the vendor, the customer's first response and resolution) and what the
escalation pass does with every clock's deadlines: one warning at the threshold, breaches
recorded without moving the ticket, escalations and breaches at the top written as alerts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.models import AlertKind, ClockKind, SlaAlert, Ticket, TicketClock
from app.services.clock import FixedClock
from app.services.errors import InvalidInput
from app.services.escalation import EscalationService
from app.services.sla_policy import SlaPolicyService


def utc(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def sla_desk(desk):
    """The standard desk with the default policy, Mon-Fri 08:00-18:00 UTC. For P2: L1 tier
    clock 120 min, L1 response 30 min, first response 60 min, resolution 900 min; warnings at
    75%. Tickets open on Monday 2 March at 09:00."""
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    return desk


def open_clocks(desk, key: str) -> dict[ClockKind, TicketClock]:
    with desk.database.read() as session:
        ticket_id = session.scalar(select(Ticket.id).where(Ticket.key == key))
        rows = session.scalars(
            select(TicketClock).where(
                TicketClock.ticket_id == ticket_id, TicketClock.stopped_at.is_(None)
            )
        )
        return {clock.kind: clock for clock in rows}


def alerts(desk) -> list[tuple[AlertKind, ClockKind, datetime]]:
    with desk.database.read() as session:
        rows = session.scalars(select(SlaAlert).order_by(SlaAlert.id))
        return [(alert.kind, alert.clock_kind, alert.threshold_at) for alert in rows]


def run_pass(desk, at: datetime):
    return EscalationService(desk.database, FixedClock(at)).run_pass()


def test_a_new_ticket_runs_its_tier_response_and_customer_clocks(sla_desk):
    ticket = sla_desk.ticket(priority="P2")
    due = {kind: clock.due_at for kind, clock in open_clocks(sla_desk, ticket.key).items()}
    assert due == {
        ClockKind.TIER: utc(2, 11),
        ClockKind.TIER_RESPONSE: utc(2, 9, 30),
        ClockKind.FIRST_RESPONSE: utc(2, 10),
        ClockKind.RESOLUTION: utc(3, 14),  # 9 h on Monday, 6 on Tuesday
    }
    warn = open_clocks(sla_desk, ticket.key)[ClockKind.TIER_RESPONSE].warn_at
    assert warn == utc(2, 9, 22, 30)


def test_a_response_stops_the_response_clocks_and_nothing_else(sla_desk):
    ticket = sla_desk.ticket(priority="P2")
    sla_desk.later(10)
    sla_desk.tickets.comment("lena", ticket.key, "Looking into it", ticket.version)
    assert set(open_clocks(sla_desk, ticket.key)) == {ClockKind.TIER, ClockKind.RESOLUTION}
    assert alerts(sla_desk) == []  # answered in time: no breach


def test_the_pass_warns_once_and_records_breaches_without_moving_the_ticket(sla_desk):
    ticket = sla_desk.ticket(priority="P2")
    report = run_pass(sla_desk, utc(2, 10, 30))
    assert report.escalations == ()
    assert sorted((a.kind, a.clock, a.threshold_at) for a in report.alerts) == sorted(
        [
            (AlertKind.WARNING, ClockKind.TIER_RESPONSE, utc(2, 9, 22, 30)),
            (AlertKind.BREACH, ClockKind.TIER_RESPONSE, utc(2, 9, 30)),
            (AlertKind.WARNING, ClockKind.FIRST_RESPONSE, utc(2, 9, 45)),
            (AlertKind.BREACH, ClockKind.FIRST_RESPONSE, utc(2, 10)),
            (AlertKind.WARNING, ClockKind.TIER, utc(2, 10, 30)),
        ]
    )
    assert sorted(alerts(sla_desk)) == sorted(
        (a.kind, a.clock, a.threshold_at) for a in report.alerts
    )
    assert sla_desk.tickets.get(ticket.key).ticket.tier == "L1"
    assert sla_desk.tickets.get(ticket.key).ticket.version == ticket.version  # untouched
    assert run_pass(sla_desk, utc(2, 10, 30)).alerts == ()  # once per clock
    assert EscalationService(sla_desk.database).next_deadline() == utc(2, 11)


def test_escalation_and_a_breach_at_the_top_are_alerts_too(sla_desk):
    ticket = sla_desk.ticket(priority="P2")
    sla_desk.tickets.comment("lena", ticket.key, "On it", ticket.version)
    report = run_pass(sla_desk, utc(2, 11))
    assert [(e.from_tier, e.to_tier) for e in report.escalations] == [("L1", "L2")]
    assert (AlertKind.ESCALATION, ClockKind.TIER, utc(2, 11)) in alerts(sla_desk)
    top = sla_desk.ticket(priority="P2", tier="Vendor", actor="vic")
    report = run_pass(sla_desk, utc(3, 15))  # Vendor P2: 960 min = 9 h Monday, 7 Tuesday
    assert [(e.key, e.to_tier) for e in report.escalations if e.key == top.key] == [(top.key, None)]
    assert (AlertKind.BREACH, ClockKind.TIER, utc(3, 15)) in alerts(sla_desk)


def test_a_clock_stopped_after_its_deadline_records_the_breach_then(sla_desk):
    ticket = sla_desk.ticket(priority="P2")
    sla_desk.later(90)  # 10:30: first response was due at 10:00; no pass has run
    sla_desk.tickets.take("lena", ticket.key, ticket.version)
    breaches = [(AlertKind.BREACH, ClockKind.TIER_RESPONSE, utc(2, 9, 30)),
                (AlertKind.BREACH, ClockKind.FIRST_RESPONSE, utc(2, 10))]  # fmt: skip
    assert sorted(alerts(sla_desk)) == sorted(breaches)  # recorded by the take, before a pass
    report = run_pass(sla_desk, utc(2, 10, 31))
    assert [(a.kind, a.clock) for a in report.alerts] == [(AlertKind.WARNING, ClockKind.TIER)]
    assert sorted(alerts(sla_desk)[:2]) == sorted(breaches)  # and no pass records them again


def test_waiting_on_the_vendor_pauses_the_tier_clock_and_runs_the_vendors(sla_desk):
    ticket = sla_desk.ticket(priority="P2")
    ticket = sla_desk.tickets.take("lena", ticket.key, ticket.version)
    sla_desk.later(60)
    ticket = sla_desk.tickets.change_status("lena", ticket.key, ticket.version, "waiting_on_vendor")
    running = open_clocks(sla_desk, ticket.key)
    assert running[ClockKind.TIER].due_at is None  # paused after 60 of its 120 minutes
    assert running[ClockKind.TIER].used_seconds == 3600
    vendor = running[ClockKind.VENDOR]
    assert (vendor.target_seconds, vendor.due_at) == (960 * 60, utc(3, 16))  # 8 h + 8 h
    sla_desk.later(30)
    sla_desk.tickets.change_status("lena", ticket.key, ticket.version, "in_progress")
    running = open_clocks(sla_desk, ticket.key)
    assert ClockKind.VENDOR not in running
    assert running[ClockKind.TIER].due_at == utc(2, 11, 30)


def test_the_resolution_clock_stands_still_while_resolved_and_resumes_on_reopening(sla_desk):
    ticket = sla_desk.ticket(priority="P2")
    sla_desk.later(60)
    ticket = sla_desk.tickets.resolve("lena", ticket.key, ticket.version, "Reset it")
    resolution = open_clocks(sla_desk, ticket.key)[ClockKind.RESOLUTION]
    assert (resolution.due_at, resolution.used_seconds) == (None, 3600)
    sla_desk.later(120)
    ticket = sla_desk.tickets.reopen("lena", ticket.key, ticket.version, "Still broken")
    assert open_clocks(sla_desk, ticket.key)[ClockKind.RESOLUTION].due_at == utc(3, 16)
    ticket = sla_desk.tickets.resolve("lena", ticket.key, ticket.version, "Reset it again")
    sla_desk.tickets.close("lena", ticket.key, ticket.version)
    assert open_clocks(sla_desk, ticket.key) == {}


def test_customer_targets_are_revised_and_checked(sla_desk):
    service = SlaPolicyService(sla_desk.database, sla_desk.clock)
    revised = service.revise(customer_minutes={"first_response": {"P2": 30}})
    assert revised.version == 2
    ticket = sla_desk.ticket(priority="P2")
    assert open_clocks(sla_desk, ticket.key)[ClockKind.FIRST_RESPONSE].due_at == utc(2, 9, 30)
    assert open_clocks(sla_desk, ticket.key)[ClockKind.RESOLUTION].due_at == utc(3, 14)  # kept
    with pytest.raises(InvalidInput) as refused:
        service.revise(customer_minutes={"first_reply": {"P2": 30}})
    assert refused.value.field == "customer_minutes.first_reply"
    with pytest.raises(InvalidInput) as refused:
        service.revise(response_minutes={"L2": {"P2": -5}})
    assert refused.value.field == "response_minutes.L2.P2"
    assert service.current().version == 2  # nothing saved by the refused revisions


def test_a_tier_move_is_not_a_response_and_starts_the_next_tiers_response_clock(sla_desk):
    ticket = sla_desk.ticket(priority="P2")
    ticket = sla_desk.tickets.take("lena", ticket.key, ticket.version)  # responds at L1
    sla_desk.later(10)
    ticket = sla_desk.tickets.escalate("lena", ticket.key, ticket.version)  # unassigns on the way
    running = open_clocks(sla_desk, ticket.key)
    assert set(running) == {ClockKind.TIER, ClockKind.TIER_RESPONSE, ClockKind.RESOLUTION}
    assert ticket.tier == "L2"
    assert running[ClockKind.TIER_RESPONSE].tier_id == running[ClockKind.TIER].tier_id
    assert running[ClockKind.TIER_RESPONSE].due_at == utc(2, 10, 10)  # L2 P2: 60 min


def test_a_tier_clock_paused_past_its_deadline_escalates_once_it_runs_again(sla_desk):
    ticket = sla_desk.ticket(priority="P2")  # L1 tier clock due at 11:00
    ticket = sla_desk.tickets.take("lena", ticket.key, ticket.version)
    sla_desk.later(150)  # 11:30, and no pass has run
    ticket = sla_desk.tickets.change_status(
        "lena", ticket.key, ticket.version, "waiting_on_customer"
    )
    assert open_clocks(sla_desk, ticket.key)[ClockKind.TIER].breached_at is None
    assert run_pass(sla_desk, utc(2, 12)).escalations == ()  # it waits on the customer
    sla_desk.later(60)
    sla_desk.tickets.change_status("lena", ticket.key, ticket.version, "in_progress")
    report = run_pass(sla_desk, utc(2, 12, 31))
    assert [(e.key, e.to_tier) for e in report.escalations] == [(ticket.key, "L2")]
