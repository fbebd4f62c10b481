"""The ``created`` and ``updated`` triggers, called by the ticket service inside the
transaction of the person's change, after the change's own events and clocks are written and
before other desktops are told: rules' changes commit (or roll back) with the person's.

Changes TierDesk makes by itself (an SLA escalation, the rules' own changes) do not trigger
rules here; the rules' own changes reach the other rules within the same evaluation (see
``engine``). The engine is imported when first used: ``ticket_change`` imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from app.models import EventKind, Ticket, TicketEvent

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.desk import Ladder

#: field of an ``edited`` event: the name ``updated`` triggers use for it
_EDITED_FIELDS = {"category_id": "category"}
_KIND_FIELDS = {
    EventKind.PRIORITY_CHANGED: "priority",
    EventKind.STATUS_CHANGED: "status",
    EventKind.REOPENED: "status",
    EventKind.TIER_CHANGED: "tier",
    EventKind.ASSIGNED: "assignee",
    EventKind.COMMENTED: "comment",
}


def changed_fields(events: Iterable[TicketEvent]) -> frozenset[str]:
    """The fields a change touched, as ``updated`` triggers name them."""
    fields: set[str] = set()
    for event in events:
        if event.kind == EventKind.EDITED and event.field:
            fields.add(_EDITED_FIELDS.get(event.field, event.field))
        elif event.kind in _KIND_FIELDS:
            fields.add(_KIND_FIELDS[event.kind])
    return frozenset(fields)


def rules_after_created(session: Session, ticket: Ticket, ladder: Ladder, at: datetime) -> None:
    """Run the ``created`` rules on a ticket just created in this transaction."""
    from app.services.rules.engine import TriggerEvent, run_rules

    run_rules(session, ticket, ladder, at, TriggerEvent("created"))


def rules_after_change(
    session: Session, ticket: Ticket, ladder: Ladder, at: datetime, events: Iterable[TicketEvent]
) -> None:
    """Run the ``updated`` rules on a ticket a person just changed in this transaction."""
    fields = changed_fields(events)
    if not fields:
        return
    from app.services.rules.engine import TriggerEvent, run_rules

    run_rules(session, ticket, ladder, at, TriggerEvent("updated", fields))
