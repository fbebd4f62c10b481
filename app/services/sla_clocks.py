"""Keeping a ticket's tier clock in step with the ticket, in the transaction that changes it.

The tier clock (an OLA) starts when the ticket enters a tier, with that tier's target for the
ticket's priority under the current policy, and stops when the ticket leaves the tier or is
resolved. It stands still while the ticket waits on the customer, and while it waits on the
vendor at an internal tier (the vendor's own tier clock keeps running). Its ``due_at`` and
``warn_at`` are stored so that the escalation pass only has to compare instants.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    ClockKind,
    EventKind,
    Ticket,
    TicketClock,
    TicketEvent,
    TicketStatus,
    TierKind,
)
from app.services.business_time import due, elapsed
from app.services.history import replay
from app.services.sla_policy import PolicyTerms, current_terms, terms_of


def pauses_tier_clock(status: TicketStatus, tier_kind: TierKind) -> bool:
    """Whether a ticket in ``status`` at a tier of ``tier_kind`` stops its tier clock."""
    if status == TicketStatus.WAITING_ON_CUSTOMER:
        return True
    return status == TicketStatus.WAITING_ON_VENDOR and tier_kind == TierKind.INTERNAL


def sync_tier_clock(session: Session, ticket: Ticket, tier_kind: TierKind, at: datetime) -> None:
    """Start, stop, pause, resume or re-target the ticket's tier clock so that it matches the
    ticket as it is now, ``at`` being the instant of the change."""
    clock = session.scalar(
        select(TicketClock).where(
            TicketClock.ticket_id == ticket.id,
            TicketClock.kind == ClockKind.TIER,
            TicketClock.stopped_at.is_(None),
        )
    )
    if clock is not None and (ticket.status.is_finished or clock.tier_id != ticket.tier_id):
        _stop(session, clock, at)
        clock = None
    if ticket.status.is_finished:
        return
    if clock is None:
        terms = current_terms(session)
        target = terms.tier_target(ticket.tier_id, ticket.priority) if terms else None
        if terms is None or target is None:
            return
        clock = TicketClock(
            ticket_id=ticket.id,
            kind=ClockKind.TIER,
            tier_id=ticket.tier_id,
            policy_id=terms.policy_id,
            target_seconds=int(target.total_seconds()),
            started_at=at,
            used_seconds=0,
        )
        session.add(clock)
    else:
        terms = terms_of(session, clock.policy_id)
        target = terms.tier_target(ticket.tier_id, ticket.priority)
        if target is not None:  # a new priority measured against the clock's own policy
            clock.target_seconds = int(target.total_seconds())
    if pauses_tier_clock(ticket.status, tier_kind):
        _pause(session, clock, at)
    elif clock.running_since is None:
        clock.running_since = at
    _schedule(terms, clock)


def _stop(session: Session, clock: TicketClock, at: datetime) -> None:
    """End the clock for good; one stopped past its due instant is recorded as breached."""
    if clock.due_at is not None and clock.due_at <= at and clock.breached_at is None:
        clock.breached_at = clock.due_at
    _pause(session, clock, at)
    clock.stopped_at = at


def _pause(session: Session, clock: TicketClock, at: datetime) -> None:
    """Bank the business time run since the clock last started, and stop it running."""
    if clock.running_since is not None:
        calendar = terms_of(session, clock.policy_id).calendar
        ran = elapsed(calendar, clock.running_since, max(at, clock.running_since))
        clock.used_seconds += int(ran.total_seconds())
    clock.running_since = None
    clock.due_at = clock.warn_at = None


def _schedule(terms: PolicyTerms, clock: TicketClock) -> None:
    """The breach and warning instants of a running clock (none for a paused one)."""
    if clock.running_since is None:
        clock.due_at = clock.warn_at = None
        return
    used = timedelta(seconds=clock.used_seconds)
    target = timedelta(seconds=clock.target_seconds)
    clock.due_at = due(terms.calendar, clock.running_since, max(target - used, timedelta(0)))
    warning = target * terms.warning_percent / 100
    clock.warn_at = (
        None
        if clock.warned_at is not None
        else due(terms.calendar, clock.running_since, max(warning - used, timedelta(0)))
    )


def rebuild_tier_clock(
    session: Session, ticket: Ticket, history: Sequence[TicketEvent], tier_kind: TierKind
) -> TicketClock | None:
    """Give a ticket whose history was written without clocks (the demo desk, an imported
    history) the running tier clock it would have if every change had kept it in step: started
    when the ticket entered its tier, paused and resumed by its status changes since. Returns
    the clock added to the session (``None`` if the ticket runs none)."""
    terms = current_terms(session)
    target = terms.tier_target(ticket.tier_id, ticket.priority) if terms else None
    if ticket.status.is_finished or terms is None or target is None:
        return None
    entry = max(i for i, event in enumerate(history) if event.kind in _TIER_ENTRIES)
    entered_at = history[entry].at
    status_then = replay(history[: entry + 1]).status
    running_since = None if pauses_tier_clock(status_then, tier_kind) else entered_at
    used = timedelta(0)
    for event in history[entry + 1 :]:
        if event.field != "status" or event.new_value is None:
            continue
        paused = pauses_tier_clock(TicketStatus(event.new_value), tier_kind)
        if paused and running_since is not None:
            used += elapsed(terms.calendar, running_since, event.at)
            running_since = None
        elif not paused and running_since is None:
            running_since = event.at
    clock = TicketClock(
        ticket_id=ticket.id,
        kind=ClockKind.TIER,
        tier_id=ticket.tier_id,
        policy_id=terms.policy_id,
        target_seconds=int(target.total_seconds()),
        started_at=entered_at,
        used_seconds=int(used.total_seconds()),
        running_since=running_since,
    )
    session.add(clock)
    _schedule(terms, clock)
    return clock


_TIER_ENTRIES = frozenset({EventKind.CREATED, EventKind.TIER_CHANGED})
