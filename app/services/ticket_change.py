"""One change to one ticket: the unit of work behind every ``TicketService`` write.

``TicketChange`` opens the write transaction, signs the actor in, locks the ticket, compares the
version the caller read, and offers one helper per kind of change, each recording its history
event. Every event of one change shares the ticket's new version.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import (
    Category,
    EventKind,
    KeyCounter,
    MoveReason,
    Priority,
    Role,
    Ticket,
    TicketClock,
    TicketEvent,
    TicketStatus,
    Tier,
    User,
)
from app.services.change_feed import announce_ticket_change
from app.services.clock import Clock
from app.services.database import Database
from app.services.desk import Ladder, find_user
from app.services.errors import ConflictError, InvalidInput, NotAllowed, NotFound
from app.services.rules.hooks import rules_after_change
from app.services.sla_clocks import sync_clocks
from app.services.ticket_queries import event_views, load_ticket_views

KEY_PREFIX = "TD"
SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


class TicketChange:
    """One change to one ticket, as a context manager: opens the write transaction, signs in the
    actor, locks the ticket and checks the version read; on exit stamps the time, brings the SLA
    clocks in step (``sla_clocks``), tells other desktops (``change_feed``) and leaves ``result``
    (a fresh ``TicketView``). Events recorded here share the ticket's new version.
    """

    #: The person making the change; ``None`` when TierDesk itself does (``by_system``).
    user: User | None

    def __init__(
        self,
        database: Database,
        clock: Clock,
        actor: str,
        key: str,
        expected_version: int | None,
        allow_closed: bool = False,
    ) -> None:
        self.database = database
        self.clock = clock
        self.actor_login = actor
        self.key = key
        self.expected_version = expected_version
        self.allow_closed = allow_closed
        self.events: list[TicketEvent] = []

    def __enter__(self) -> TicketChange:
        self._transaction = self.database.write()
        self.session = self._transaction.__enter__()
        try:
            self._load()
        except BaseException as error:
            self._transaction.__exit__(type(error), error, error.__traceback__)
            raise
        return self

    def _load(self) -> None:
        session = self.session
        self.user = user = active_user(session, self.actor_login)
        key = self.key.strip()
        ticket = session.scalar(select(Ticket).where(Ticket.key == key).with_for_update())
        if ticket is None:
            # On PostgreSQL an agent's login cannot lock another tier's ticket (row security):
            # say why, as the service would, rather than that it does not exist.
            seen = session.scalar(select(Ticket).where(Ticket.key == key))
            if seen is None:
                raise NotFound(f"no ticket {key!r}")
            require_works_tier(user, session.get_one(Tier, seen.tier_id), f"change {key} at")
            raise NotAllowed(f"the database refused to lock {key} for {user.login}")
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
        self.ladder = Ladder.held(session)
        self.tier = session.get_one(Tier, ticket.tier_id)
        require_works_tier(user, self.tier, f"change {ticket.key} at")
        # Never before the ticket's last change: history stays in order even if the clock of
        # the machine holding an embedded file is set back.
        self.at = max(self.clock.now(session), ticket.updated_at)
        self.ticket.version += 1

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> bool | None:
        if error is None:
            try:
                self.finish()
            except BaseException as late_error:  # roll back and release the connection too
                self._transaction.__exit__(type(late_error), late_error, late_error.__traceback__)
                raise
        return self._transaction.__exit__(kind, error, traceback)

    @classmethod
    def by_system(
        cls, session: Session, ticket: Ticket, ladder: Ladder, at: datetime
    ) -> TicketChange:
        """A change TierDesk itself makes (a rule's action), with no actor, inside the caller's
        transaction on a ticket the caller has locked; call ``finish()`` after. (The escalation
        pass moves tickets on plain rows instead: ``escalation_batch``.)"""
        change = cls.__new__(cls)
        change.session, change.ticket, change.ladder = session, ticket, ladder
        change.user = None
        change.tier = ladder.by_id(ticket.tier_id)
        change.at = max(at, ticket.updated_at)
        change.events = []
        ticket.version += 1
        return change

    def finish(self, open_clocks: Sequence[TicketClock] | None = None) -> None:
        """Stamp the time, bring the clocks in step (``open_clocks``: the ticket's, if already
        read); for a person's change run the rules, tell other desktops, write it and leave
        ``result``. A system change (``by_system``) is written and announced by its caller."""
        self.ticket.updated_at = self.at
        sync_clocks(self.session, self.ticket, self.ladder, self.at, self.events, open_clocks)
        if self.user is not None:  # the pass announces its whole batch at once
            rules_after_change(self.session, self.ticket, self.ladder, self.at, self.events)
            announce_ticket_change(self.session, self.ticket.id)
            self.session.flush()
            self.result = load_ticket_views(self.session, ticket_id=self.ticket.id)[0]

    def require_resolvable_here(self, category: Category) -> None:
        """Refuse unless the ticket's tier may resolve tickets of ``category``."""
        lowest = self.ladder.by_id(category.min_tier_id)
        if self.ladder.index_of(self.ticket.tier_id) < self.ladder.index_of(lowest.id):
            raise NotAllowed(
                f"{self.ticket.key} is at {self.tier.code}, but {category.name!r} tickets may "
                f"only be resolved at {lowest.code} or above; escalate it first"
            )

    # Each helper below changes one thing and records the matching event.
    def record(self, kind: EventKind, **columns: Any) -> None:
        event = TicketEvent(
            ticket_id=self.ticket.id,
            ticket_version=self.ticket.version,
            kind=kind,
            at=self.at,
            actor_id=self.user.id if self.user else None,
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

    def move_to(
        self,
        target: Tier,
        note: str | None,
        reason: MoveReason = MoveReason.MANUAL,
        details: dict[str, Any] | None = None,
    ) -> None:
        ticket, key = self.ticket, self.ticket.key
        if ticket.status.is_finished:
            raise NotAllowed(f"{key} is {ticket.status.value}; reopen it before moving it")
        if target.id == ticket.tier_id:
            raise InvalidInput("to_tier", f"{key} is already at {target.code}")
        steps = self.ladder.index_of(target.id) - self.ladder.index_of(ticket.tier_id)
        person = self.user
        if abs(steps) > 1 and person is not None and person.role not in SUPERVISING_ROLES:
            raise NotAllowed(
                f"moving {key} from {self.tier.code} to {target.code} skips tiers; only "
                "supervisors may jump tiers"
            )
        if steps < 0 and not note:
            raise InvalidInput("note", f"handing {key} back to {target.code} needs a reason")
        ticket.tier_id = target.id
        self.record(
            EventKind.TIER_CHANGED,
            reason=reason,
            from_tier_id=self.tier.id,
            to_tier_id=target.id,
            note=note,
            details=details,
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


def active_user(session: Session, login: str, field: str = "actor") -> User:
    user = find_user(session, login, field=field)
    if not user.active:
        raise NotAllowed(f"{field}: {user.login} is disabled")
    return user


def require_ticket_worker(user: User) -> None:
    """Refuse managers: they read every ticket and change none."""
    if user.role == Role.MANAGER:
        raise NotAllowed(f"{user.login} is a manager: managers read tickets, not change them")


def require_works_tier(user: User, tier: Tier, doing: str) -> None:
    """Refuse managers, and agents who do not work ``tier``."""
    require_ticket_worker(user)
    if user.role == Role.AGENT and tier not in user.tiers:
        worked = ", ".join(t.code for t in user.tiers) or "no tier"
        raise NotAllowed(f"{user.login} works {worked}, so cannot {doing} {tier.code}")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.value if hasattr(value, "value") else str(value)
