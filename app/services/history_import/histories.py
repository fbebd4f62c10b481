"""One imported ticket's rows for the ``tickets`` and ``ticket_events`` tables, built from its
source rows the way the ticket service would have recorded the same changes: a ``created`` event
holding the first row's values (status ``new``), then, per source row that changes anything, one
version whose events are the tier move, impact / urgency / priority, category, assignment and
status change (or reopening) it shows, at the row's original time. The ticket row is kept as
``history.replay`` folds those events, so that ``main.py verify`` agrees with every import.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.models import EventKind, Level, MoveReason, TicketStatus
from app.services.history_import.rows import RowError, SourceRow, TicketHead
from app.services.priority import priority_for
from app.services.validation import COMMENT_MAX

TicketRow = tuple[Any, ...]  # demo_story.TICKET_COLUMNS
EventRow = tuple[Any, ...]  # demo_story.EVENT_COLUMNS without "id"
CommentRow = tuple[Any, ...]  # demo_story.COMMENT_COLUMNS

CREATED, EDITED = EventKind.CREATED.value, EventKind.EDITED.value
TIER_CHANGED, ASSIGNED = EventKind.TIER_CHANGED.value, EventKind.ASSIGNED.value
STATUS_CHANGED, REOPENED = EventKind.STATUS_CHANGED.value, EventKind.REOPENED.value
PRIORITY_CHANGED, MANUAL = EventKind.PRIORITY_CHANGED.value, MoveReason.MANUAL.value
COMMENTED = EventKind.COMMENTED.value


@dataclass(frozen=True)
class DeskIds:
    """The desk's ids for the names the rows use, resolved (or created) before building."""

    tier_ids: dict[str, int]  # a row's tier text -> tier id
    category_ids: dict[str, int]  # a row's category text -> category id
    user_ids: dict[str, int]  # a row's assignee text -> user id
    lowest_tier_id: int
    default_category_id: int | None
    default_impact: Level
    default_urgency: Level
    priority_from_column: bool
    actor_id: int


class RowFailure(RowError):
    """A row that cannot become history, with its row number."""

    def __init__(self, row: int, reason: str) -> None:
        super().__init__(reason)
        self.row = row


@dataclass
class BuiltTicket:
    """One ticket's rows for the bulk writer."""

    ticket: TicketRow
    events: list[EventRow]
    comments: list[CommentRow]


def build_ticket(
    ticket_id: int,
    key: str,
    head: TicketHead,
    rows: Sequence[SourceRow],
    ids: DeskIds,
    comment_ids: Iterator[int],
) -> BuiltTicket:
    """The ticket row, its events (oldest first) and comments (ids from ``comment_ids``);
    ``RowFailure`` for a row that cannot be."""
    return _TicketLife(ticket_id, key, head, rows, ids, comment_ids).build()


def new_comments(rows: Sequence[SourceRow]) -> int:
    """How many comments ``build_ticket`` will make of these rows: a row's comment text counts
    when it differs from the previous row's (snapshot logs repeat the latest comment)."""
    count, previous = 0, None
    for row in rows:
        if row.comment is not None and row.comment != previous:
            count += 1
        previous = row.comment if row.comment is not None else previous
    return count


class _TicketLife:
    def __init__(
        self,
        ticket_id: int,
        key: str,
        head: TicketHead,
        rows: Sequence[SourceRow],
        ids: DeskIds,
        comment_ids: Iterator[int],
    ) -> None:
        self.id, self.key, self.head, self.rows, self.ids = ticket_id, key, head, rows, ids
        self.comment_ids = comment_ids
        self.events: list[EventRow] = []
        self.comments: list[CommentRow] = []
        self.last_comment: str | None = None
        self.version = 0
        self.at = _naive(rows[0].at)

    def build(self) -> BuiltTicket:
        first, ids = self.rows[0], self.ids
        created = min(self.head.created_at or first.at, first.at)
        self.impact = first.impact or ids.default_impact
        self.urgency = first.urgency or ids.default_urgency
        matrix = priority_for(self.impact, self.urgency)
        self.priority = first.priority or matrix
        self.overridden = self.priority != matrix
        self.category_id = self._category(first)
        self.tier_id = self._tier(first) or ids.lowest_tier_id
        self.assignee_id = self._assignee(first)
        self.status = TicketStatus.NEW.value
        self.resolved_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.reopen_count = 0
        self.created_at = self.at = _naive(created)
        self._created()
        for row in self.rows:
            self._apply(row)
        return BuiltTicket(self._ticket_row(), self.events, self.comments)

    # ------------------------------------------------------------------------- the changes
    def _created(self) -> None:
        self.version = 1
        snapshot = {
            "title": self.head.title,
            "description": self.head.description,
            "requester": self.head.requester,
            "category_id": self.category_id,
            "impact": self.impact.value,
            "urgency": self.urgency.value,
            "priority": self.priority.value,
            "priority_overridden": self.overridden,
            "status": self.status,
            "tier_id": self.tier_id,
            "assignee_id": self.assignee_id,
        }
        self._event(CREATED, to_tier_id=self.tier_id, details=json.dumps(snapshot))

    def _apply(self, row: SourceRow) -> None:
        """One source row: a new version if it changes anything."""
        self.at = _naive(row.at)
        self.version += 1
        recorded = len(self.events)
        # As on the desk: a finished ticket is reopened before it moves, and does not move
        # while it stays finished (its tier is where it was resolved).
        reopening = row.status is not None and self._finished() and not row.status.is_finished
        if reopening:
            assert row.status is not None
            self._status(row.status)
        tier_id = self._tier(row)
        if tier_id is not None and tier_id != self.tier_id and not self._finished():
            self._event(TIER_CHANGED, reason=MANUAL, from_tier_id=self.tier_id, to_tier_id=tier_id)
            self.tier_id = tier_id
        self._levels(row)
        category_id = self._category(row)
        if category_id != self.category_id:
            self._edited("category_id", str(self.category_id), str(category_id))
            self.category_id = category_id
        assignee_id = self._assignee(row)
        if assignee_id != self.assignee_id:
            old = None if self.assignee_id is None else str(self.assignee_id)
            new = None if assignee_id is None else str(assignee_id)
            self._event(ASSIGNED, field="assignee_id", old_value=old, new_value=new)
            self.assignee_id = assignee_id
        if not reopening and row.status is not None and row.status.value != self.status:
            self._status(row.status)
        if row.comment is not None and row.comment != self.last_comment:
            self._comment(row.comment)
        if len(self.events) == recorded:  # nothing changed: no version
            self.version -= 1

    def _finished(self) -> bool:
        return TicketStatus(self.status).is_finished

    def _levels(self, row: SourceRow) -> None:
        for name in ("impact", "urgency"):
            level = getattr(row, name)
            if level is not None and level != getattr(self, name):
                self._edited(name, getattr(self, name).value, level.value)
                setattr(self, name, level)
        matrix = priority_for(self.impact, self.urgency)
        # Without a priority column the priority follows impact x urgency, as on the desk.
        priority = (row.priority or self.priority) if self.ids.priority_from_column else matrix
        overridden = priority != matrix
        if (priority, overridden) != (self.priority, self.overridden):
            self._event(
                PRIORITY_CHANGED,
                field="priority",
                old_value=self.priority.value,
                new_value=priority.value,
                details=json.dumps({"overridden": overridden}),
            )
            self.priority, self.overridden = priority, overridden

    def _status(self, status: TicketStatus) -> None:
        """A status change as ``history.apply_event`` reads it: leaving resolved or closed for
        a working status is a reopening; resolving and closing stamp their instants."""
        old = self.status
        if TicketStatus(old).is_finished and not status.is_finished:
            self._event(REOPENED, field="status", old_value=old, new_value=status.value)
            self.reopen_count += 1
            self.resolved_at = self.closed_at = None
        else:
            self._event(STATUS_CHANGED, field="status", old_value=old, new_value=status.value)
            if status == TicketStatus.RESOLVED:
                self.resolved_at = self.at
            if status == TicketStatus.CLOSED:
                self.closed_at = self.at
        self.status = status.value

    def _comment(self, body: str) -> None:
        self.last_comment = body
        comment_id = next(self.comment_ids)
        self.comments.append((comment_id, self.id, self.ids.actor_id, body[:COMMENT_MAX], self.at))
        self._event(COMMENTED, new_value=str(comment_id))

    def _edited(self, field: str, old: str, new: str) -> None:
        self._event(EDITED, field=field, old_value=old, new_value=new)

    def _event(
        self,
        kind: str,
        *,
        reason: str | None = None,
        from_tier_id: int | None = None,
        to_tier_id: int | None = None,
        field: str | None = None,
        old_value: str | None = None,
        new_value: str | None = None,
        details: str | None = None,
    ) -> None:
        self.events.append(
            (
                self.id, self.version, kind, self.at, self.ids.actor_id, reason, None,
                from_tier_id, to_tier_id, field, old_value, new_value, None, details,
            )
        )  # fmt: skip

    # ----------------------------------------------------------------------------- lookups
    def _tier(self, row: SourceRow) -> int | None:
        return None if row.tier is None else self.ids.tier_ids[row.tier]

    def _category(self, row: SourceRow) -> int:
        if row.category is not None:
            return self.ids.category_ids[row.category]
        if self.version > 0:  # a missing value keeps the previous category
            return self.category_id
        if self.ids.default_category_id is None:
            raise RowFailure(row.number, "no category on the ticket's first row (and no default)")
        return self.ids.default_category_id

    def _assignee(self, row: SourceRow) -> int | None:
        return None if row.assignee is None else self.ids.user_ids[row.assignee]

    def _ticket_row(self) -> TicketRow:
        head = self.head
        return (
            self.id, self.key, head.title, head.description, head.requester, self.category_id,
            self.impact.value, self.urgency.value, self.priority.value, self.overridden,
            self.status, self.tier_id, self.assignee_id, self.reopen_count, self.created_at,
            self.events[-1][3], self.resolved_at, self.closed_at, self.version,
        )  # fmt: skip


def _naive(instant: datetime) -> datetime:
    """Naive UTC, as the bulk writer takes instants."""
    return instant.astimezone(UTC).replace(tzinfo=None)
