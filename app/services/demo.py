"""The demo desk: the default ladder, 13 categories, 11 people, the default SLA policy on office
hours, and N tickets whose histories spread over the last 90 days, shaped after the real incident
log (see ``demo_profile``); every ticket has the SLA clocks its history implies (running ones
for open tickets).

Loaded in one transaction into an empty database, the histories with bulk inserts; most of the
time goes to rebuilding every ticket's clocks change by change (about 1.5 ms a ticket). Same
seed, same desk (instants are relative to the database clock's "now").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tzlocal import get_localzone_name

from app.models import Category, Role, Ticket, TicketEvent, TicketStatus, Tier, User
from app.services import demo_profile as profile
from app.services.bulk import insert_rows
from app.services.business_time import BusinessCalendar
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database, serialise_setup_changes
from app.services.demo_rules import DEMO_RULES
from app.services.demo_story import (
    COMMENT_COLUMNS,
    EVENT_COLUMNS,
    TICKET_COLUMNS,
    DemoCategory,
    DemoSetup,
    generate,
)
from app.services.desk import Ladder, add_default_ladder
from app.services.errors import InvalidInput
from app.services.rules.service import rules_from_json, save_rule_set
from app.services.sla_clocks import rebuild_clocks
from app.services.sla_policy import DEFAULT_TARGETS, OFFICE_HOURS, install_policy
from app.services.ticket_change import reserve_ticket_numbers

#: Every row is built in memory before the load (about 4.5 KB a ticket with its history).
MAX_DEMO_TICKETS = 1_000_000
FINISHED = frozenset(status.value for status in TicketStatus if status.is_finished)


@dataclass(frozen=True)
class DemoSummary:
    """What the demo load created."""

    tickets: int
    open_tickets: int
    events: int
    comments: int
    open_by_tier: dict[str, int]
    users: int
    categories: int


class DemoService:
    """Loads the demo desk into an empty database."""

    def __init__(self, database: Database, clock: Clock | None = None) -> None:
        self.database = database
        self.clock = clock or DatabaseClock()

    def load(self, tickets: int, seed: int = 1, time_zone: str | None = None) -> DemoSummary:
        """Load the demo desk. ``time_zone`` (IANA name, default: this computer's) is where its
        tickets are opened at office hours."""
        if not 0 <= tickets <= MAX_DEMO_TICKETS:
            raise InvalidInput("tickets", f"{tickets} is not between 0 and {MAX_DEMO_TICKETS:,}")
        zone_name = time_zone or get_localzone_name() or "UTC"
        zone = _zone(zone_name)
        with self.database.write() as session:
            serialise_setup_changes(session)
            for table in (Ticket, Tier, User):
                if session.scalar(select(func.count()).select_from(table)):
                    raise InvalidInput(
                        "database",
                        f"{self.database.describe()} already holds {table.__tablename__}; the "
                        "demo desk loads only into an empty database",
                    )
            setup = _create_desk(session)
            now = self.clock.now(session).astimezone(UTC).replace(tzinfo=None)
            first_number = reserve_ticket_numbers(session, tickets) if tickets else 1
            rows = generate(setup, tickets, seed, now, first_number, zone)
            # An empty database nobody else uses yet: indexes are cheaper built after the load.
            insert_rows(session, "tickets", TICKET_COLUMNS, rows.tickets, into_new_desk=True)
            insert_rows(session, "ticket_events", EVENT_COLUMNS, rows.events, into_new_desk=True)
            insert_rows(session, "comments", COMMENT_COLUMNS, rows.comments, into_new_desk=True)
            office_hours = BusinessCalendar.weekdays(*OFFICE_HOURS, zone_name)
            install_policy(session, office_hours, DEFAULT_TARGETS, self.clock)
            _rebuild_clocks(session)
            supervisor = next(
                login for login, (_, role, _) in profile.PEOPLE.items() if role == Role.SUPERVISOR
            )
            save_rule_set(
                session, supervisor, None, rules_from_json(DEMO_RULES), self.clock.now(session)
            )
            codes = dict(zip(setup.tier_ids, setup.tier_codes, strict=True))
            status, tier = TICKET_COLUMNS.index("status"), TICKET_COLUMNS.index("tier_id")
            open_by_tier = Counter(
                codes[row[tier]] for row in rows.tickets if row[status] not in FINISHED
            )
            return DemoSummary(
                tickets=tickets,
                open_tickets=sum(open_by_tier.values()),
                events=len(rows.events),
                comments=len(rows.comments),
                open_by_tier={code: open_by_tier.get(code, 0) for code in setup.tier_codes},
                users=len(profile.PEOPLE),
                categories=len(profile.CATEGORIES),
            )


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("time_zone", f"{name!r} is not an IANA time zone name") from None


def _rebuild_clocks(session: Session) -> None:
    """The SLA clocks of every demo ticket, rebuilt from its history: the running clocks of
    open tickets, and the met and breached ones that the SLA compliance reports count."""
    ladder = Ladder.load(session)
    tickets = list(session.scalars(select(Ticket).order_by(Ticket.id)))
    for start in range(0, len(tickets), 1_000):
        batch = tickets[start : start + 1_000]
        history: dict[int, list[TicketEvent]] = {ticket.id: [] for ticket in batch}
        events = session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id.in_(history))
            .order_by(TicketEvent.ticket_id, TicketEvent.id)
        )
        for event in events:
            history[event.ticket_id].append(event)
        for ticket in batch:
            rebuild_clocks(session, ticket, history[ticket.id], ladder)
    session.flush()


def _create_desk(session: Session) -> DemoSetup:
    """The ladder, categories and people, through the ORM; returns their ids for the story."""
    add_default_ladder(session)
    ladder = Ladder.load(session)
    tier_index = {tier.code: index for index, tier in enumerate(ladder.tiers)}
    categories = []
    for name, (lowest, _weight, titles) in profile.CATEGORIES.items():
        description = f"Resolvable from {lowest} up."
        category = Category(name=name, description=description, min_tier_id=ladder.find(lowest).id)
        session.add(category)
        session.flush()
        categories.append(DemoCategory(category.id, name, tier_index[lowest], titles))
    users = {}
    for login, (display_name, role, tiers) in profile.PEOPLE.items():
        user = User(
            login=login,
            display_name=display_name,
            role=role,
            tiers=[ladder.find(code) for code in tiers],
        )
        session.add(user)
        users[login] = user
    session.flush()
    agents_by_tier = tuple(
        tuple(
            user.id
            for user in users.values()
            if user.role == Role.AGENT and any(t.id == tier.id for t in user.tiers)
        )
        for tier in ladder.tiers
    )
    return DemoSetup(
        tier_ids=tuple(tier.id for tier in ladder.tiers),
        tier_codes=tuple(tier.code for tier in ladder.tiers),
        categories=tuple(categories),
        category_weights=tuple(weight for _lowest, weight, _titles in profile.CATEGORIES.values()),
        agents_by_tier=agents_by_tier,
        supervisor_id=users[profile.SUPERVISOR].id,
    )
