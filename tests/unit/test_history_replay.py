"""Folding hand-built history events into the state they imply (no database involved)."""

from dataclasses import replace
from datetime import timedelta

import pytest

from app.models import EventKind, Level, MoveReason, Priority, TicketEvent, TicketStatus
from app.services.history import TicketState, replay
from tests.factories import T0

L1, L2, L3 = 1, 2, 3
LENA, TOM = 11, 12


def created(**snapshot_overrides):
    snapshot = {
        "title": "Cannot log in",
        "description": "",
        "requester": "Carla Customer",
        "category_id": 4,
        "impact": "medium",
        "urgency": "high",
        "priority": "P2",
        "priority_overridden": False,
        "status": "new",
        "tier_id": L1,
        "assignee_id": None,
    }
    snapshot.update(snapshot_overrides)
    return TicketEvent(
        ticket_id=1,
        ticket_version=1,
        kind=EventKind.CREATED,
        at=T0,
        actor_id=LENA,
        to_tier_id=L1,
        details=snapshot,
    )


def event(version, kind, minutes, **columns):
    return TicketEvent(
        ticket_id=1,
        ticket_version=version,
        kind=kind,
        at=T0 + timedelta(minutes=minutes),
        actor_id=columns.pop("actor_id", LENA),
        **columns,
    )


def status(version, minutes, old, new, **columns):
    return event(
        version,
        EventKind.STATUS_CHANGED,
        minutes,
        field="status",
        old_value=old,
        new_value=new,
        **columns,
    )


INITIAL = TicketState(
    title="Cannot log in",
    description="",
    requester="Carla Customer",
    category_id=4,
    impact=Level.MEDIUM,
    urgency=Level.HIGH,
    priority=Priority.P2,
    priority_overridden=False,
    status=TicketStatus.NEW,
    tier_id=L1,
    assignee_id=None,
    reopen_count=0,
    created_at=T0,
    updated_at=T0,
    resolved_at=None,
    closed_at=None,
    version=1,
)


def test_created_event_alone_gives_the_snapshot_with_typed_values():
    state = replay([created()])
    assert state == INITIAL
    assert isinstance(state.status, TicketStatus) and isinstance(state.impact, Level)


def test_a_full_life_replays_to_the_final_state():
    events = [
        created(),
        event(2, EventKind.ASSIGNED, 1, field="assignee_id", new_value=str(LENA)),
        status(2, 1, "new", "open"),
        event(3, EventKind.EDITED, 2, field="title", old_value="Cannot log in", new_value="VPN"),
        event(3, EventKind.EDITED, 2, field="impact", old_value="medium", new_value="high"),
        event(
            3,
            EventKind.PRIORITY_CHANGED,
            2,
            field="priority",
            old_value="P2",
            new_value="P1",
            details={"overridden": False},
        ),
        event(4, EventKind.EDITED, 3, field="category_id", old_value="4", new_value="5"),
        event(
            5,
            EventKind.TIER_CHANGED,
            4,
            reason=MoveReason.MANUAL,
            from_tier_id=L1,
            to_tier_id=L2,
        ),
        event(5, EventKind.ASSIGNED, 4, field="assignee_id", old_value=str(LENA), new_value=None),
        event(6, EventKind.COMMENTED, 5, actor_id=TOM, new_value="1"),
        status(7, 6, "open", "resolved", actor_id=TOM, note="Reissued the certificate"),
        status(8, 7, "resolved", "closed", actor_id=TOM),
        event(9, EventKind.REOPENED, 8, field="status", old_value="closed", new_value="open"),
    ]
    assert replay(events) == replace(
        INITIAL,
        title="VPN",
        impact=Level.HIGH,
        priority=Priority.P1,
        category_id=5,
        status=TicketStatus.OPEN,
        tier_id=L2,
        assignee_id=None,
        reopen_count=1,
        updated_at=T0 + timedelta(minutes=8),
        resolved_at=None,
        closed_at=None,
        version=9,
    )


def test_resolving_and_closing_stamp_their_times():
    events = [created(), status(2, 10, "new", "resolved"), status(3, 20, "resolved", "closed")]
    state = replay(events)
    assert state.resolved_at == T0 + timedelta(minutes=10)
    assert state.closed_at == T0 + timedelta(minutes=20)
    assert state.status is TicketStatus.CLOSED


def test_reopening_clears_finish_times_and_counts():
    events = [
        created(),
        status(2, 10, "new", "resolved"),
        event(3, EventKind.REOPENED, 20, field="status", old_value="resolved", new_value="open"),
        status(4, 30, "open", "resolved"),
        event(5, EventKind.REOPENED, 40, field="status", old_value="resolved", new_value="open"),
    ]
    state = replay(events)
    assert (state.reopen_count, state.resolved_at, state.closed_at) == (2, None, None)


def test_priority_override_flag_follows_the_event():
    overridden = event(
        2,
        EventKind.PRIORITY_CHANGED,
        1,
        field="priority",
        old_value="P2",
        new_value="P4",
        details={"overridden": True},
    )
    assert replay([created(), overridden]).priority_overridden is True
    back = event(
        3,
        EventKind.PRIORITY_CHANGED,
        2,
        field="priority",
        old_value="P4",
        new_value="P2",
        details={"overridden": False},
    )
    state = replay([created(), overridden, back])
    assert (state.priority, state.priority_overridden) == (Priority.P2, False)


def test_comments_change_only_version_and_time():
    state = replay([created(), event(2, EventKind.COMMENTED, 9, new_value="3")])
    assert state == replace(INITIAL, version=2, updated_at=T0 + timedelta(minutes=9))


def test_history_without_events_cannot_be_replayed():
    with pytest.raises(ValueError, match="without history"):
        replay([])


def test_history_must_start_with_created():
    with pytest.raises(ValueError, match="does not start with 'created'"):
        replay([status(2, 1, "new", "open")])


def test_created_event_needs_its_snapshot():
    without_snapshot = created()
    without_snapshot.details = None
    with pytest.raises(ValueError, match="does not start with 'created'"):
        replay([without_snapshot])
