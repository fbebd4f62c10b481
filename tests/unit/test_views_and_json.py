"""How history entries read for people (``EventView.summary``) and how views become JSON."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.models import EventKind, Level, MoveReason, Priority, Role, TicketStatus, TierKind
from app.services.dto import (
    CommentView,
    EventView,
    TicketDetail,
    TicketView,
    TierView,
    UserView,
    as_json,
)
from app.services.errors import ConflictError, InvalidInput

AT = datetime(2026, 3, 2, 10, 42, 31, tzinfo=UTC)


def make_event(**overrides):
    fields = {
        "ticket_version": 2,
        "kind": EventKind.COMMENTED,
        "at": AT,
        "actor": "lena",
        "actor_name": "Lena Lindqvist",
        "reason": None,
        "rule_id": None,
        "from_tier": None,
        "to_tier": None,
        "field": None,
        "old_value": None,
        "new_value": None,
        "note": None,
        "details": None,
    }
    fields.update(overrides)
    return EventView(**fields)


def make_ticket_view(**overrides):
    fields = {
        "id": 7,
        "key": "TD-1007",
        "title": "Printer jams",
        "description": "",
        "requester": "Carla Customer",
        "category": "Printer",
        "impact": Level.MEDIUM,
        "urgency": Level.HIGH,
        "priority": Priority.P2,
        "priority_overridden": False,
        "status": TicketStatus.OPEN,
        "tier": "L1",
        "assignee": "lena",
        "assignee_name": "Lena Lindqvist",
        "reopen_count": 0,
        "created_at": AT,
        "updated_at": AT + timedelta(minutes=3),
        "resolved_at": None,
        "closed_at": None,
        "version": 3,
    }
    fields.update(overrides)
    return TicketView(**fields)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"kind": EventKind.CREATED}, "created it"),
        (
            {
                "kind": EventKind.TIER_CHANGED,
                "from_tier": "L1",
                "to_tier": "L2",
                "reason": MoveReason.MANUAL,
            },
            "moved it L1 → L2 (manual)",
        ),
        (
            {"kind": EventKind.STATUS_CHANGED, "old_value": "open", "new_value": "resolved"},
            "set status open → resolved",
        ),
        (
            {"kind": EventKind.REOPENED, "old_value": "closed", "new_value": "open"},
            "reopened it (closed → open)",
        ),
        ({"kind": EventKind.ASSIGNED, "new_value": "tom"}, "assigned it to tom"),
        ({"kind": EventKind.ASSIGNED, "new_value": None}, "assigned it to nobody"),
        (
            {"kind": EventKind.PRIORITY_CHANGED, "old_value": "P3", "new_value": "P1"},
            "set priority P3 → P1",
        ),
        ({"kind": EventKind.COMMENTED, "new_value": "12"}, "added a comment"),
        ({"kind": EventKind.EDITED, "field": "title"}, "changed title"),
    ],
)
def test_summary_says_when_who_and_what(overrides, expected):
    assert make_event(**overrides).summary() == f"Lena Lindqvist {expected}"


def test_every_event_kind_has_a_summary():
    for kind in EventKind:
        assert make_event(kind=kind).summary().startswith("Lena Lindqvist ")


def test_summary_appends_the_note():
    event = make_event(
        kind=EventKind.TIER_CHANGED,
        from_tier="L2",
        to_tier="L1",
        reason=MoveReason.MANUAL,
        note="needs the user's new password first",
    )
    assert event.summary() == (
        "Lena Lindqvist moved it L2 → L1 (manual): needs the user's new password first"
    )


def test_summary_names_tierdesk_when_the_system_acted():
    event = make_event(
        kind=EventKind.TIER_CHANGED,
        actor=None,
        actor_name=None,
        from_tier="L1",
        to_tier="L2",
        reason=MoveReason.SLA,
    )
    assert event.summary() == "TierDesk moved it L1 → L2 (sla)"


def test_as_json_turns_a_ticket_view_into_plain_json_types():
    data = as_json(make_ticket_view(resolved_at=AT + timedelta(hours=1)))
    assert data["key"] == "TD-1007"
    assert data["priority"] == "P2"
    assert data["status"] == "open"
    assert data["impact"] == "medium"
    assert data["created_at"] == "2026-03-02T10:42:31+00:00"
    assert data["resolved_at"] == "2026-03-02T11:42:31+00:00"
    assert data["closed_at"] is None
    assert data["version"] == 3
    assert json.loads(json.dumps(data)) == data  # only JSON types remain


def test_as_json_keeps_the_instant_and_offset_of_aware_datetimes():
    paris = timezone(timedelta(hours=1))
    assert as_json(datetime(2026, 3, 2, 11, 0, tzinfo=paris)) == "2026-03-02T11:00:00+01:00"


def test_as_json_walks_nested_views_tuples_and_dicts():
    detail = TicketDetail(
        ticket=make_ticket_view(),
        comments=(CommentView(1, "lena", "Lena Lindqvist", "Tried a restart", AT),),
        events=(
            make_event(kind=EventKind.CREATED, details={"status": TicketStatus.NEW, 3: (1, 2)}),
        ),
    )
    data = as_json(detail)
    assert data["comments"] == [
        {
            "id": 1,
            "author": "lena",
            "author_name": "Lena Lindqvist",
            "body": "Tried a restart",
            "created_at": "2026-03-02T10:42:31+00:00",
        }
    ]
    assert data["events"][0]["kind"] == "created"
    assert data["events"][0]["details"] == {"status": "new", "3": [1, 2]}
    assert json.loads(json.dumps(data)) == data


def test_as_json_of_desk_views():
    tier = TierView(1, "L1", "Service desk", "", 1, TierKind.INTERNAL, None, False)
    user = UserView(2, "sara", "Sara Kowalski", Role.SUPERVISOR, ("L1", "L2"), True)
    assert as_json([tier, user]) == [
        {
            "id": 1,
            "code": "L1",
            "name": "Service desk",
            "description": "",
            "position": 1,
            "kind": "internal",
            "wip_limit": None,
            "retired": False,
        },
        {
            "id": 2,
            "login": "sara",
            "display_name": "Sara Kowalski",
            "role": "supervisor",
            "tiers": ["L1", "L2"],
            "active": True,
            "email": None,
        },
    ]


def test_views_are_frozen():
    view = make_ticket_view()
    with pytest.raises(AttributeError):
        view.title = "changed"  # type: ignore[misc]
    assert replace(view, title="changed").title == "changed"


def test_conflict_message_lists_each_change_since_the_read():
    changes = [
        make_event(kind=EventKind.ASSIGNED, actor="tom", actor_name="Tom Becker", new_value="tom"),
        make_event(kind=EventKind.EDITED, actor="tom", actor_name="Tom Becker", field="title"),
    ]
    error = ConflictError("TD-1007", 2, 4, changes)
    lines = str(error).splitlines()
    assert lines[0].startswith("TD-1007 was changed by someone else since you read it")
    assert "you read version 2, it is now at version 4" in lines[0]
    assert "nothing was saved" in lines[0]
    assert lines[1:] == [
        "  2026-03-02 10:42 UTC Tom Becker assigned it to tom",
        "  2026-03-02 10:42 UTC Tom Becker changed title",
    ]
    assert error.changes == tuple(changes)


def test_invalid_input_message_starts_with_the_field():
    error = InvalidInput("requester", "must not be empty")
    assert (str(error), error.field, error.message) == (
        "requester: must not be empty",
        "requester",
        "must not be empty",
    )
