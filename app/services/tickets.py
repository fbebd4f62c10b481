"""The ticket lifecycle: create, edit, assign, change status, resolve, close, reopen, comment,
and move between tiers, each as one transaction that writes its history events with the change.

Every write names the ticket version it read (``expected_version``). The ticket row is locked
(PostgreSQL) or the write transaction is exclusive (SQLite), the version is compared, and a
stale write raises ``ConflictError`` listing what changed since; nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Category,
    Comment,
    EventKind,
    Level,
    MoveReason,
    Priority,
    Role,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from app.services.change_feed import announce_ticket_change
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
from app.services.desk import Ladder, find_category
from app.services.dto import TicketDetail, TicketView
from app.services.errors import InvalidInput, NotAllowed, NotFound
from app.services.priority import priority_for
from app.services.rules.hooks import rules_after_created
from app.services.sla_clocks import sync_clocks
from app.services.ticket_change import (
    KEY_PREFIX,
    SUPERVISING_ROLES,
    TicketChange,
    active_user,
    creation_snapshot,
    require_ticket_worker,
    require_works_tier,
    reserve_ticket_numbers,
)
from app.services.ticket_queries import load_detail, load_ticket_views
from app.services.validation import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    REQUESTER_MAX,
    TITLE_MAX,
    clean_text,
    parse_choice,
)

#: Statuses set with ``change_status``; resolving, closing and reopening have their own methods.
WORKING_STATUSES = frozenset(
    {
        TicketStatus.OPEN,
        TicketStatus.IN_PROGRESS,
        TicketStatus.WAITING_ON_CUSTOMER,
        TicketStatus.WAITING_ON_VENDOR,
    }
)


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
        """The ticket in full; its SLA clocks as of the clock's "now" (the database's)."""
        with self.database.read() as session:
            return load_detail(session, _ticket_id(session, key), self.clock.now(session))

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
            user = active_user(session, actor)
            require_ticket_worker(user)
            ladder = Ladder.held(session)
            if not ladder.tiers:
                raise InvalidInput("tier", "the desk has no tiers yet; set up the ladder first")
            tier = ladder.find(new.tier) if new.tier else ladder.tiers[0]
            # Anyone who works tickets may log one into the entry tier's queue; opening it
            # directly at a higher tier is for those who work that tier.
            if tier.id != ladder.tiers[0].id:
                require_works_tier(user, tier, "open a ticket at")
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
            created = TicketEvent(
                ticket_id=ticket.id,
                ticket_version=1,
                kind=EventKind.CREATED,
                at=ticket.created_at,
                actor_id=user.id,
                to_tier_id=tier.id,
                details=creation_snapshot(ticket),
            )
            session.add(created)
            sync_clocks(session, ticket, ladder, ticket.created_at, [created])
            rules_after_created(session, ticket, ladder, ticket.created_at)
            announce_ticket_change(session, ticket.id)
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
                if ticket.status.is_finished:
                    change.require_resolvable_here(category)
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
            if change.ticket.status.is_finished:
                raise NotAllowed(f"{key} is {change.ticket.status.value}; reopen it to assign it")
            target = None
            if assignee:
                target = active_user(change.session, assignee, field="assignee")
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
            change.require_resolvable_here(change.session.get_one(Category, ticket.category_id))
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
            if change.tier.retired:  # its tier was retired since: back to the entry tier
                entry = change.ladder.tiers[0]
                change.record(
                    EventKind.TIER_CHANGED,
                    reason=MoveReason.MANUAL,
                    from_tier_id=ticket.tier_id,
                    to_tier_id=entry.id,
                    note=f"reopened after {change.tier.code} was retired",
                )
                ticket.tier_id = entry.id
        return change.result

    def comment(
        self, actor: str, key: str, body: str, expected_version: int | None = None
    ) -> TicketView:
        """Add a comment. Comments only append, so naming the version read is optional here."""
        text = clean_text("comment", body, max_length=COMMENT_MAX)
        with self._change(actor, key, expected_version) as change:
            assert change.user is not None  # a person's change
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
    ) -> TicketChange:
        return TicketChange(self.database, self.clock, actor, key, expected_version, allow_closed)


def _ticket_id(session: Session, key: str) -> int:
    ticket_id = session.scalar(select(Ticket.id).where(Ticket.key == key.strip()))
    if ticket_id is None:
        raise NotFound(f"no ticket {key!r}")
    return ticket_id
