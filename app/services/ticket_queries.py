"""Read queries that turn ticket rows into views, shared by the ticket service and the CLI."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    Category,
    Comment,
    Ticket,
    TicketEvent,
    TicketStatus,
    Tier,
    User,
)
from app.services.dto import CommentView, EventView, TicketDetail, TicketView
from app.services.sla_timeline import clock_timelines


def _build_ticket_query() -> Select[Any]:
    assignee = aliased(User)
    return (
        select(Ticket, Category.name, Tier.code, assignee.login, assignee.display_name)
        .join(Category, Category.id == Ticket.category_id)
        .join(Tier, Tier.id == Ticket.tier_id)
        .outerjoin(assignee, assignee.id == Ticket.assignee_id)
    )


_TICKET_QUERY = _build_ticket_query()  # built once: building it costs more than running it


def _ticket_query() -> Select[Any]:
    return _TICKET_QUERY


def load_ticket_views(
    session: Session,
    *,
    ticket_id: int | None = None,
    tier_id: int | None = None,
    status: TicketStatus | None = None,
    limit: int | None = None,
) -> list[TicketView]:
    """Tickets as views, newest first."""
    query = _ticket_query().order_by(Ticket.id.desc())
    if ticket_id is not None:
        query = query.where(Ticket.id == ticket_id)
    if tier_id is not None:
        query = query.where(Ticket.tier_id == tier_id)
    if status is not None:
        query = query.where(Ticket.status == status)
    if limit is not None:
        query = query.limit(limit)
    return [_ticket_view(*row) for row in session.execute(query)]


def _ticket_view(
    ticket: Ticket,
    category: str,
    tier: str,
    assignee: str | None,
    assignee_name: str | None,
) -> TicketView:
    return TicketView(
        id=ticket.id,
        key=ticket.key,
        title=ticket.title,
        description=ticket.description,
        requester=ticket.requester,
        category=category,
        impact=ticket.impact,
        urgency=ticket.urgency,
        priority=ticket.priority,
        priority_overridden=ticket.priority_overridden,
        status=ticket.status,
        tier=tier,
        assignee=assignee,
        assignee_name=assignee_name,
        reopen_count=ticket.reopen_count,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        resolved_at=ticket.resolved_at,
        closed_at=ticket.closed_at,
        version=ticket.version,
    )


def event_views(session: Session, ticket_id: int, *, after_version: int = 0) -> list[EventView]:
    """A ticket's history after a given version, oldest first, with names filled in."""
    actor = aliased(User)
    from_tier = aliased(Tier)
    to_tier = aliased(Tier)
    query = (
        select(TicketEvent, actor.login, actor.display_name, from_tier.code, to_tier.code)
        .outerjoin(actor, actor.id == TicketEvent.actor_id)
        .outerjoin(from_tier, from_tier.id == TicketEvent.from_tier_id)
        .outerjoin(to_tier, to_tier.id == TicketEvent.to_tier_id)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.ticket_version > after_version)
        .order_by(TicketEvent.id)
    )
    users = _user_logins(session)
    return [
        EventView(
            ticket_version=event.ticket_version,
            kind=event.kind,
            at=event.at,
            actor=login,
            actor_name=name,
            reason=event.reason,
            rule_id=event.rule_id,
            from_tier=from_code,
            to_tier=to_code,
            field=event.field,
            old_value=_readable(event.field, event.old_value, users),
            new_value=_readable(event.field, event.new_value, users),
            note=event.note,
            details=event.details,
        )
        for event, login, name, from_code, to_code in session.execute(query)
    ]


def _user_logins(session: Session) -> dict[str, str]:
    return {str(user_id): login for user_id, login in session.execute(select(User.id, User.login))}


def _readable(field: str | None, value: str | None, users: dict[str, str]) -> str | None:
    """Assignee ids are stored as ids (logins may change); show them as logins."""
    if field == "assignee_id" and value is not None:
        return users.get(value, value)
    return value


def load_detail(session: Session, ticket_id: int, now: datetime) -> TicketDetail:
    """A ticket in full, its SLA clocks laid out as of ``now`` (``app.services.sla_timeline``)."""
    author = aliased(User)
    comments = session.execute(
        select(Comment, author.login, author.display_name)
        .join(author, author.id == Comment.author_id)
        .where(Comment.ticket_id == ticket_id)
        .order_by(Comment.id)
    )
    return TicketDetail(
        ticket=load_ticket_views(session, ticket_id=ticket_id)[0],
        comments=tuple(
            CommentView(c.id, login, name, c.body, c.created_at) for c, login, name in comments
        ),
        events=tuple(event_views(session, ticket_id)),
        clocks=clock_timelines(session, ticket_id, now),
    )
