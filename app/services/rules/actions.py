"""Actions: what a rule does to a ticket, first planned on a snapshot (pure, for previews and for
the next rule's conditions), then applied to the ticket row inside the change's transaction.

An action that would change nothing (move up at the top of the ladder, assign to the present
assignee, set the priority it has, ...) is dropped when planned; a rule whose every action is
dropped does not fire. Ticket changes follow the ticket service's own rules: a move unassigns
the ticket and puts work in progress back to open, assigning a new ticket opens it, a person is
assigned only at a tier they work, and a finished ticket is neither moved, assigned nor set to
another status (comments and notifications still go out; a closed ticket gets nothing but
notifications).

Notifications are written to ``rule_notifications``, one row per person told (users named,
the agents of the tiers named, and supervisors and admins when asked); desktops and the mailer
read them after the last id they saw, as they read ``sla_alerts``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Comment,
    EventKind,
    MoveReason,
    Priority,
    Role,
    RuleNotification,
    TicketStatus,
    Tier,
    User,
    user_tiers,
)
from app.services.rules.conditions import TicketSnapshot
from app.services.rules.definition import Action
from app.services.rules.validation import DeskFacts

if TYPE_CHECKING:
    from app.services.ticket_change import TicketChange

CHANGES_TICKET = frozenset({"move", "assign", "unassign", "set_priority", "set_status", "comment"})


@dataclass(frozen=True)
class PlannedAction:
    """One action as it will be applied: ``source``/``target`` are tier codes for a move, the
    login for assign, the value for set_priority / set_status; ``text`` the comment or the
    notification's message."""

    kind: str
    target: str | None = None
    source: str | None = None
    text: str | None = None
    users: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    supervisors: bool = False

    def describe(self) -> str:
        """In words, for previews: ``move L1 → L2``, ``assign to lena``."""
        if self.kind == "move":
            return f"move {self.source} → {self.target}"
        if self.kind == "assign":
            return f"assign to {self.target}"
        if self.kind == "unassign":
            return f"unassign {self.source}"
        if self.kind in ("set_priority", "set_status"):
            return f"set {self.kind.removeprefix('set_')} {self.source} → {self.target}"
        if self.kind == "comment":
            return f"comment “{self.text}”"
        whom = [*self.users, *(f"tier {code}" for code in self.tiers)]
        whom += ["supervisors"] if self.supervisors else []
        return f"notify {', '.join(whom)}"


def plan_action(
    action: Action, ticket: TicketSnapshot, desk: DeskFacts
) -> tuple[PlannedAction | None, TicketSnapshot, frozenset[str]]:
    """The action as it would apply to ``ticket``: the plan (None when it would change
    nothing), the ticket after it, and the fields it changed (as ``updated`` triggers name them)."""
    kind = action.kind
    if kind == "notify":
        planned = PlannedAction(
            "notify", text=action.text, users=action.users, tiers=action.tiers,
            supervisors=action.supervisors,
        )  # fmt: skip
        return planned, ticket, frozenset()
    closed = ticket.status == TicketStatus.CLOSED.value
    if kind == "comment":
        if closed:
            return None, ticket, frozenset()
        return PlannedAction("comment", text=action.text), ticket, frozenset({"comment"})
    if ticket.finished:
        return None, ticket, frozenset()
    if kind == "move":
        return _plan_move(action.target or "", ticket, desk)
    if kind == "assign":
        return _plan_assign(action.target or "", ticket, desk)
    if kind == "unassign":
        if ticket.assignee is None:
            return None, ticket, frozenset()
        after = replace(ticket, assignee=None)
        return PlannedAction("unassign", source=ticket.assignee), after, frozenset({"assignee"})
    field = "priority" if kind == "set_priority" else "status"
    current = getattr(ticket, field)
    if action.target == current:
        return None, ticket, frozenset()
    target = action.target or current
    after = (
        replace(ticket, priority=target) if field == "priority" else replace(ticket, status=target)
    )
    return PlannedAction(kind, target=action.target, source=current), after, frozenset({field})


def _plan_move(
    target: str, ticket: TicketSnapshot, desk: DeskFacts
) -> tuple[PlannedAction | None, TicketSnapshot, frozenset[str]]:
    if ticket.tier not in desk.tiers:
        return None, ticket, frozenset()
    here = desk.tiers.index(ticket.tier)
    if target in ("up", "down"):
        there = here + (1 if target == "up" else -1)
        code = desk.tiers[there] if 0 <= there < len(desk.tiers) else None
    else:
        code = desk.tier(target)
    if code is None or code == ticket.tier:
        return None, ticket, frozenset()
    changed = {"tier"}
    after = replace(ticket, tier=code, assignee=None)
    if ticket.assignee is not None:
        changed.add("assignee")
    if ticket.status == TicketStatus.IN_PROGRESS.value:
        after = replace(after, status=TicketStatus.OPEN.value)
        changed.add("status")
    if desk.tiers.index(code) > here:
        after = replace(after, escalations=ticket.escalations + 1)
    return PlannedAction("move", target=code, source=ticket.tier), after, frozenset(changed)


def _plan_assign(
    login: str, ticket: TicketSnapshot, desk: DeskFacts
) -> tuple[PlannedAction | None, TicketSnapshot, frozenset[str]]:
    user = desk.user(login)
    if user is None or not user.active or user.role == Role.MANAGER or ticket.assignee == login:
        return None, ticket, frozenset()
    if user.role == Role.AGENT and ticket.tier not in user.tiers:
        return None, ticket, frozenset()  # they do not work the ticket's tier (any more)
    after = replace(ticket, assignee=login)
    changed = {"assignee"}
    if ticket.status == TicketStatus.NEW.value:
        after = replace(after, status=TicketStatus.OPEN.value)
        changed.add("status")
    planned = PlannedAction("assign", target=login, source=ticket.assignee)
    return planned, after, frozenset(changed)


# ------------------------------------------------------------------------------ applying
@dataclass(frozen=True)
class FiringContext:
    """Who a firing is recorded as: the rule (id, name, version) and, for comments, the
    person the rule writes as (whoever last saved it)."""

    rule_id: int | None
    rule_name: str
    rule_version: int
    author_id: int | None


def apply_action(change: TicketChange, planned: PlannedAction, firing: FiringContext) -> None:
    """Apply one planned ticket change through ``change`` (a system change, the ticket locked);
    the events it records are marked as the rule's (reason ``rule``, rule id, version)."""
    session, ticket = change.session, change.ticket
    first_event = len(change.events)
    note = f"rule “{firing.rule_name}” (v{firing.rule_version})"
    if planned.kind == "move":
        target = change.ladder.find(planned.target or "")
        change.move_to(target, note=note, reason=MoveReason.RULE)
        change.tier = target  # a later move of this change starts from here
    elif planned.kind == "assign":
        user = session.scalars(select(User).where(User.login == planned.target)).one()
        change.set_assignee(user)
        if ticket.status == TicketStatus.NEW:
            change.set_status(TicketStatus.OPEN)
    elif planned.kind == "unassign":
        change.set_assignee(None)
    elif planned.kind == "set_priority":
        change.set_priority(Priority(planned.target or ""), True)
    elif planned.kind == "set_status":
        change.set_status(TicketStatus(planned.target or ""))
    elif planned.kind == "comment" and firing.author_id is not None:
        comment = Comment(
            ticket_id=ticket.id, author_id=firing.author_id, body=planned.text or "",
            created_at=change.at,
        )  # fmt: skip
        session.add(comment)
        session.flush()
        change.record(EventKind.COMMENTED, new_value=str(comment.id))
    for event in change.events[first_event:]:
        event.reason = MoveReason.RULE
        event.rule_id = firing.rule_id
        event.details = {
            **(event.details or {}),
            "rule": firing.rule_name,
            "rule_version": firing.rule_version,
        }
        if event.note is None and event.kind != EventKind.TIER_CHANGED:
            event.note = note


def notify(
    session: Session,
    ticket_id: int,
    key: str,
    planned: PlannedAction,
    firing: FiringContext,
    at: datetime,
) -> list[int]:
    """Write one notification per person ``planned`` (a notify action) names; returns their
    user ids. Disabled people and managers are not told."""
    recipients: set[int] = set()
    if planned.users:
        recipients |= set(
            session.scalars(
                select(User.id).where(User.login.in_(planned.users), User.active.is_(True))
            )
        )
    if planned.tiers:
        recipients |= set(
            session.scalars(
                select(User.id)
                .join(user_tiers, user_tiers.c.user_id == User.id)
                .join(Tier, Tier.id == user_tiers.c.tier_id)
                .where(Tier.code.in_(planned.tiers), User.active.is_(True))
            )
        )
    if planned.supervisors:
        recipients |= set(
            session.scalars(
                select(User.id).where(
                    User.role.in_((Role.SUPERVISOR, Role.ADMIN)), User.active.is_(True)
                )
            )
        )
    message = planned.text or f"{key}: rule “{firing.rule_name}” fired"
    for user_id in sorted(recipients):
        session.add(
            RuleNotification(
                ticket_id=ticket_id, user_id=user_id, rule_id=firing.rule_id,
                rule_version=firing.rule_version, message=message, fired_at=at,
            )
        )  # fmt: skip
    return sorted(recipients)


def changes_ticket(planned: PlannedAction) -> bool:
    return planned.kind in CHANGES_TICKET
