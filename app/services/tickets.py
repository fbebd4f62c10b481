"""The ticket lifecycle: create, edit, assign, change status, resolve, close, reopen, comment,
and move between tiers, each as one transaction that writes its history events with the change.

Every write names the ticket version it read (``expected_version``). The ticket row is locked
(PostgreSQL) or the write transaction is exclusive (SQLite), the version is compared, and a
stale write raises ``ConflictError`` listing what changed since; nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import (
    Category,
    Comment,
    EventKind,
    KeyCounter,
    Level,
    MoveReason,
    Priority,
    Role,
    Ticket,
    TicketEvent,
    TicketStatus,
    Tier,
    User,
)
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
from app.services.desk import Ladder, find_category, find_user
from app.services.dto import TicketDetail, TicketView
from app.services.errors import ConflictError, InvalidInput, NotAllowed, NotFound
from app.services.priority import priority_for
from app.services.ticket_queries import event_views, load_detail, load_ticket_views
from app.services.validation import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    REQUESTER_MAX,
    TITLE_MAX,
    clean_text,
    parse_choice,
)

KEY_PREFIX = "TD"
#: Statuses set with ``change_status``; resolving, closing and reopening have their own methods.
WORKING_STATUSES = frozenset(
    {
        TicketStatus.OPEN,
        TicketStatus.IN_PROGRESS,
        TicketStatus.WAITING_ON_CUSTOMER,
        TicketStatus.WAITING_ON_VENDOR,
    }
)
SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


@dataclass(frozen=True)
class NewTicket:
    """What a person fills in to open a ticket. ``priority`` overrides the impact x urgency
    matrix; ``tier`` defaults to the lowest tier of the ladder."""

    title: str
    requester: str
    category: str
    impact: Level | str = Level.MEDIUM
    urgency: Level | str = Level.MEDIUM
    description: str = ""
    priority: Priority | str | None = None
    tier: str | None = None


@dataclass(frozen=True)
class TicketChanges:
    """Fields to edit; ``None`` leaves a field as it is. ``priority`` overrides the matrix;
    ``priority_from_matrix=True`` drops an override and derives it again."""

    title: str | None = None
    description: str | None = None
    requester: str | None = None
    category: str | None = None
    impact: Level | str | None = None
    urgency: Level | str | None = None
    priority: Priority | str | None = None
    priority_from_matrix: bool = False


class TicketService:
    """Ticket operations for a signed-in person, identified by login on each call."""

    def __init__(self, database: Database, clock: Clock | None = None) -> None:
        self.database = database
        self.clock = clock or DatabaseClock()

    # ----------------------------------------------------------------------------- reading
    def get(self, key: str) -> TicketDetail:
        with self.database.read() as session:
            return load_detail(session, _ticket_id(session, key))

    def list(
        self,
        *,
        tier: str | None = None,
        status: TicketStatus | str | None = None,
        limit: int | None = None,
    ) -> list[TicketView]:
        """Tickets, newest first, optionally of one tier and/or status."""
        with self.database.read() as session:
            tier_id = Ladder.load(session).find(tier).id if tier else None
            wanted = parse_choice("status", TicketStatus, status) if status else None
            return load_ticket_views(session, tier_id=tier_id, status=wanted, limit=limit)

    # ---------------------------------------------------------------------------- creating
    def create(self, actor: str, new: NewTicket) -> TicketView:
        with self.database.write() as session:
            user = _active_user(session, actor)
            if user.role == Role.MANAGER:
                raise NotAllowed(
                    f"{user.login} is a manager: managers read tickets, not change them"
                )
            ladder = Ladder.load(session)
            if not ladder.tiers:
                raise InvalidInput("tier", "the desk has no tiers yet; set up the ladder first")
            tier = ladder.find(new.tier) if new.tier else ladder.tiers[0]
            _require_works_tier(user, tier, "open a ticket at")
            impact = parse_choice("impact", Level, new.impact)
            urgency = parse_choice("urgency", Level, new.urgency)
            overridden = new.priority is not None
            priority = (
                parse_choice("priority", Priority, new.priority)
                if new.priority is not None
                else priority_for(impact, urgency)
            )
            ticket = Ticket(
                key=f"{KEY_PREFIX}-{reserve_ticket_numbers(session, 1)}",
                title=clean_text("title", new.title, max_length=TITLE_MAX),
                description=clean_text(
                    "description", new.description, max_length=DESCRIPTION_MAX, required=False
                ),
                requester=clean_text("requester", new.requester, max_length=REQUESTER_MAX),
                category_id=find_category(session, new.category).id,
                impact=impact,
                urgency=urgency,
                priority=priority,
                priority_overridden=overridden,
                status=TicketStatus.NEW,
                tier_id=tier.id,
                assignee_id=None,
                reopen_count=0,
                version=1,
            )
            ticket.created_at = ticket.updated_at = self.clock.now(session)
            session.add(ticket)
            session.flush()
            session.add(
                TicketEvent(
                    ticket_id=ticket.id,
                    ticket_version=1,
                    kind=EventKind.CREATED,
                    at=ticket.created_at,
                    actor_id=user.id,
                    to_tier_id=tier.id,
                    details=creation_snapshot(ticket),
                )
            )
            session.flush()
            return load_ticket_views(session, ticket_id=ticket.id)[0]

    # ----------------------------------------------------------------------------- editing
    def edit(
        self, actor: str, key: str, expected_version: int, changes: TicketChanges
    ) -> TicketView:
        with self._change(actor, key, expected_version) as change:
            ticket = change.ticket
            texts = (
                ("title", changes.title, TITLE_MAX, True),
                ("description", changes.description, DESCRIPTION_MAX, False),
                ("requester", changes.requester, REQUESTER_MAX, True),
            )
            for field, value, max_length, required in texts:
                if value is not None:
                    clean = clean_text(field, value, max_length=max_length, required=required)
                    change.set_field(field, clean)
            if changes.category is not None:
                category = find_category(change.session, changes.category)
                change.set_field("category_id", category.id)
            if changes.impact is not None:
                change.set_field("impact", parse_choice("impact", Level, changes.impact))
            if changes.urgency is not None:
                change.set_field("urgency", parse_choice("urgency", Level, changes.urgency))
            if changes.priority is not None:
                change.set_priority(parse_choice("priority", Priority, changes.priority), True)
            elif changes.priority_from_matrix or not ticket.priority_overridden:
                change.set_priority(priority_for(ticket.impact, ticket.urgency), False)
            if not change.events:
                raise InvalidInput("changes", "nothing to change")
        return change.result

    def assign(
        self, actor: str, key: str, expected_version: int, assignee: str | None
    ) -> TicketView:
        """Give the ticket to a person who works its tier, or to nobody (``None``)."""
        with self._change(actor, key, expected_version) as change:
            target = None
            if assignee:
                target = _active_user(change.session, assignee, field="assignee")
                if target.role == Role.MANAGER:
                    raise InvalidInput(
                        "assignee", f"{target.login} is a manager and works no tickets"
                    )
                if target.role not in SUPERVISING_ROLES and change.tier not in target.tiers:
                    raise InvalidInput(
                        "assignee",
                        f"{target.login} does not work {change.tier.code}, where {key} is",
                    )
            change.set_assignee(target)
            if target is not None and change.ticket.status == TicketStatus.NEW:
                change.set_status(TicketStatus.OPEN)
        return change.result

    def take(self, actor: str, key: str, expected_version: int) -> TicketView:
        """Assign the ticket to oneself."""
        return self.assign(actor, key, expected_version, actor)

    def change_status(
        self, actor: str, key: str, expected_version: int, status: TicketStatus | str
    ) -> TicketView:
        """Move between the working statuses (open, in progress, waiting on ...)."""
        wanted = parse_choice("status", TicketStatus, status)
        if wanted not in WORKING_STATUSES:
            verbs = {TicketStatus.RESOLVED: "resolve", TicketStatus.CLOSED: "close"}
            hint = f"; use {verbs[wanted]}" if wanted in verbs else ""
            raise InvalidInput("status", f"cannot set a ticket back to {wanted.value}{hint}")
        with self._change(actor, key, expected_version) as change:
            if change.ticket.status.is_finished:
                raise NotAllowed(f"{key} is {change.ticket.status.value}; reopen it first")
            change.set_status(wanted)
        return change.result

    def resolve(self, actor: str, key: str, expected_version: int, resolution: str) -> TicketView:
        """Resolve at a tier authorised for the ticket's category; a resolution note is required."""
        note = clean_text("resolution", resolution, max_length=NOTE_MAX)
        with self._change(actor, key, expected_version) as change:
            ticket = change.ticket
            if ticket.status.is_finished:
                raise NotAllowed(f"{key} is already {ticket.status.value}")
            category = change.session.get_one(Category, ticket.category_id)
            lowest = change.ladder.by_id(category.min_tier_id)
            if change.ladder.index_of(ticket.tier_id) < change.ladder.index_of(lowest.id):
                raise NotAllowed(
                    f"{key} is at {change.tier.code}, but {category.name!r} tickets may only be "
                    f"resolved at {lowest.code} or above; escalate it first"
                )
            change.set_status(TicketStatus.RESOLVED, note=note)
            ticket.resolved_at = change.at
        return change.result

    def close(self, actor: str, key: str, expected_version: int) -> TicketView:
        with self._change(actor, key, expected_version) as change:
            if change.ticket.status != TicketStatus.RESOLVED:
                raise NotAllowed(
                    f"{key} is {change.ticket.status.value}; only resolved tickets close"
                )
            change.set_status(TicketStatus.CLOSED)
            change.ticket.closed_at = change.at
        return change.result

    def reopen(
        self, actor: str, key: str, expected_version: int, note: str | None = None
    ) -> TicketView:
        clean_note = clean_text("note", note, max_length=NOTE_MAX, required=False) or None
        with self._change(actor, key, expected_version, allow_closed=True) as change:
            ticket = change.ticket
            if not ticket.status.is_finished:
                raise NotAllowed(f"{key} is {ticket.status.value}, not resolved or closed")
            old = ticket.status
            ticket.status = TicketStatus.OPEN
            ticket.reopen_count += 1
            ticket.resolved_at = ticket.closed_at = None
            change.record(
                EventKind.REOPENED,
                field="status",
                old_value=old.value,
                new_value=TicketStatus.OPEN.value,
                note=clean_note,
            )
        return change.result

    def comment(
        self, actor: str, key: str, body: str, expected_version: int | None = None
    ) -> TicketView:
        """Add a comment. Comments only append, so naming the version read is optional here."""
        text = clean_text("comment", body, max_length=COMMENT_MAX)
        with self._change(actor, key, expected_version) as change:
            comment = Comment(
                ticket_id=change.ticket.id,
                author_id=change.user.id,
                body=text,
                created_at=change.at,
            )
            change.session.add(comment)
            change.session.flush()
            change.record(EventKind.COMMENTED, new_value=str(comment.id))
        return change.result

    # ------------------------------------------------------------------------------ moving
    def move(
        self,
        actor: str,
        key: str,
        expected_version: int,
        to_tier: str,
        note: str | None = None,
    ) -> TicketView:
        """Move to another tier. One step up needs nothing more; any step down needs a note
        (why it is handed back); more than one step is a jump, for supervisors only."""
        clean_note = clean_text("note", note, max_length=NOTE_MAX, required=False) or None
        with self._change(actor, key, expected_version) as change:
            target = change.ladder.find(to_tier, field="to_tier")
            change.move_to(target, clean_note)
        return change.result

    def escalate(
        self, actor: str, key: str, expected_version: int, note: str | None = None
    ) -> TicketView:
        """Move one step up the ladder."""
        return self._step(actor, key, expected_version, +1, note)

    def hand_back(self, actor: str, key: str, expected_version: int, note: str) -> TicketView:
        """Move one step down the ladder; the note says why."""
        return self._step(actor, key, expected_version, -1, note)

    def _step(
        self, actor: str, key: str, expected_version: int, step: int, note: str | None
    ) -> TicketView:
        clean_note = clean_text("note", note, max_length=NOTE_MAX, required=False) or None
        with self._change(actor, key, expected_version) as change:
            index = change.ladder.index_of(change.ticket.tier_id) + step
            if not 0 <= index < len(change.ladder.tiers):
                end = "top" if step > 0 else "bottom"
                raise NotAllowed(f"{key} is at {change.tier.code}, the {end} of the ladder")
            change.move_to(change.ladder.tiers[index], clean_note)
        return change.result

    # ------------------------------------------------------------------------------ plumbing
    def _change(
        self, actor: str, key: str, expected_version: int | None, *, allow_closed: bool = False
    ) -> _TicketChange:
        return _TicketChange(self, actor, key, expected_version, allow_closed)


class _TicketChange:
    """One change to one ticket, as a context manager: opens the write transaction, signs in the
    actor, locks the ticket and checks the version read; on exit bumps the version, stamps the
    time and leaves ``result`` (a fresh ``TicketView``). Events recorded here share the version.
    """

    def __init__(
        self,
        service: TicketService,
        actor: str,
        key: str,
        expected_version: int | None,
        allow_closed: bool,
    ) -> None:
        self.service = service
        self.actor_login = actor
        self.key = key
        self.expected_version = expected_version
        self.allow_closed = allow_closed
        self.events: list[TicketEvent] = []

    def __enter__(self) -> _TicketChange:
        self._transaction = self.service.database.write()
        self.session = self._transaction.__enter__()
        try:
            self._load()
        except BaseException as error:
            self._transaction.__exit__(type(error), error, error.__traceback__)
            raise
        return self

    def _load(self) -> None:
        session = self.session
        self.user = _active_user(session, self.actor_login)
        key = self.key.strip()
        ticket = session.scalar(select(Ticket).where(Ticket.key == key).with_for_update())
        if ticket is None:
            raise NotFound(f"no ticket {key!r}")
        self.ticket = ticket
        if self.expected_version is not None and self.expected_version > ticket.version:
            raise InvalidInput(
                "expected_version",
                f"{key} has never been at version {self.expected_version}; "
                f"it is at version {ticket.version}",
            )
        if self.expected_version is not None and ticket.version != self.expected_version:
            raise ConflictError(
                ticket.key,
                self.expected_version,
                ticket.version,
                event_views(session, ticket.id, after_version=self.expected_version),
            )
        if ticket.status == TicketStatus.CLOSED and not self.allow_closed:
            raise NotAllowed(f"{ticket.key} is closed and read-only; reopen it to change it")
        self.ladder = Ladder.load(session)
        self.tier = session.get_one(Tier, ticket.tier_id)
        _require_works_tier(self.user, self.tier, f"change {ticket.key} at")
        self.at = self.service.clock.now(session)
        self.ticket.version += 1

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> bool | None:
        if error is None:
            self.ticket.updated_at = self.at
            self.session.flush()
            self.result = load_ticket_views(self.session, ticket_id=self.ticket.id)[0]
        return self._transaction.__exit__(kind, error, traceback)

    # Each helper below changes one thing and records the matching event.
    def record(self, kind: EventKind, **columns: Any) -> None:
        event = TicketEvent(
            ticket_id=self.ticket.id,
            ticket_version=self.ticket.version,
            kind=kind,
            at=self.at,
            actor_id=self.user.id,
            **columns,
        )
        self.session.add(event)
        self.events.append(event)

    def set_field(self, field: str, value: Any) -> None:
        old = getattr(self.ticket, field)
        if old == value:
            return
        setattr(self.ticket, field, value)
        self.record(EventKind.EDITED, field=field, old_value=_text(old), new_value=_text(value))

    def set_priority(self, priority: Priority, overridden: bool) -> None:
        ticket = self.ticket
        if (ticket.priority, ticket.priority_overridden) == (priority, overridden):
            return
        self.record(
            EventKind.PRIORITY_CHANGED,
            field="priority",
            old_value=ticket.priority.value,
            new_value=priority.value,
            details={"overridden": overridden},
        )
        ticket.priority, ticket.priority_overridden = priority, overridden

    def set_status(self, status: TicketStatus, note: str | None = None) -> None:
        old = self.ticket.status
        if old == status:
            raise InvalidInput("status", f"{self.ticket.key} is already {status.value}")
        self.ticket.status = status
        self.record(
            EventKind.STATUS_CHANGED,
            field="status",
            old_value=old.value,
            new_value=status.value,
            note=note,
        )

    def set_assignee(self, user: User | None) -> None:
        old_id = self.ticket.assignee_id
        new_id = user.id if user else None
        if old_id == new_id:
            who = user.login if user else "nobody"
            raise InvalidInput("assignee", f"{self.ticket.key} is already assigned to {who}")
        self.ticket.assignee_id = new_id
        self.record(
            EventKind.ASSIGNED,
            field="assignee_id",
            old_value=_text(old_id),
            new_value=_text(new_id),
        )

    def move_to(self, target: Tier, note: str | None) -> None:
        ticket, key = self.ticket, self.ticket.key
        if ticket.status.is_finished:
            raise NotAllowed(f"{key} is {ticket.status.value}; reopen it before moving it")
        if target.id == ticket.tier_id:
            raise InvalidInput("to_tier", f"{key} is already at {target.code}")
        steps = self.ladder.index_of(target.id) - self.ladder.index_of(ticket.tier_id)
        if abs(steps) > 1 and self.user.role not in SUPERVISING_ROLES:
            raise NotAllowed(
                f"moving {key} from {self.tier.code} to {target.code} skips tiers; only "
                "supervisors may jump tiers"
            )
        if steps < 0 and not note:
            raise InvalidInput("note", f"handing {key} back to {target.code} needs a reason")
        ticket.tier_id = target.id
        self.record(
            EventKind.TIER_CHANGED,
            reason=MoveReason.MANUAL,
            from_tier_id=self.tier.id,
            to_tier_id=target.id,
            note=note,
        )
        # The ticket joins the new tier's queue: nobody there has taken it or started on it.
        if ticket.assignee_id is not None:
            self.set_assignee(None)
        if ticket.status == TicketStatus.IN_PROGRESS:
            self.set_status(TicketStatus.OPEN)


def reserve_ticket_numbers(session: Session, count: int) -> int:
    """Reserve ``count`` consecutive ticket numbers; returns the first. The counter row (made by
    the first migration) stays locked until the transaction ends, so concurrent creators never
    get the same number."""
    last = session.scalar(
        update(KeyCounter)
        .where(KeyCounter.prefix == KEY_PREFIX)
        .values(last_number=KeyCounter.last_number + count)
        .returning(KeyCounter.last_number)
    )
    if last is None:
        raise RuntimeError(f"the {KEY_PREFIX!r} ticket counter is missing; run migrate")
    return int(last) - count + 1


def creation_snapshot(ticket: Ticket) -> dict[str, Any]:
    """The state a ticket was created in, stored with its ``created`` event for replay."""
    return {
        "title": ticket.title,
        "description": ticket.description,
        "requester": ticket.requester,
        "category_id": ticket.category_id,
        "impact": ticket.impact.value,
        "urgency": ticket.urgency.value,
        "priority": ticket.priority.value,
        "priority_overridden": ticket.priority_overridden,
        "status": ticket.status.value,
        "tier_id": ticket.tier_id,
        "assignee_id": ticket.assignee_id,
    }


def _ticket_id(session: Session, key: str) -> int:
    ticket_id = session.scalar(select(Ticket.id).where(Ticket.key == key.strip()))
    if ticket_id is None:
        raise NotFound(f"no ticket {key!r}")
    return ticket_id


def _active_user(session: Session, login: str, field: str = "actor") -> User:
    user = find_user(session, login, field=field)
    if not user.active:
        raise NotAllowed(f"{field}: {user.login} is disabled")
    return user


def _require_works_tier(user: User, tier: Tier, doing: str) -> None:
    if user.role == Role.MANAGER:
        raise NotAllowed(f"{user.login} is a manager: managers read tickets, not change them")
    if user.role == Role.AGENT and tier not in user.tiers:
        worked = ", ".join(t.code for t in user.tiers) or "no tier"
        raise NotAllowed(f"{user.login} works {worked}, so cannot {doing} {tier.code}")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.value if hasattr(value, "value") else str(value)
