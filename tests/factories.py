"""Factories with overrides for tests: a small standard desk and tickets on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, inspect, text

from app.models import Role
from app.services.clock import FixedClock
from app.services.database import Database
from app.services.desk import DeskService
from app.services.dto import TicketView
from app.services.history import Mismatch, find_mismatches
from app.services.tickets import NewTicket, TicketService

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning

#: login: (display name, role, tiers worked)
STANDARD_PEOPLE: dict[str, tuple[str, Role, tuple[str, ...]]] = {
    "lena": ("Lena Lindqvist", Role.AGENT, ("L1",)),
    "omar": ("Omar Haddad", Role.AGENT, ("L1",)),
    "tom": ("Tom Becker", Role.AGENT, ("L2",)),
    "ines": ("Ines Duarte", Role.AGENT, ("L3",)),
    "vic": ("Vic Vendorson", Role.AGENT, ("Vendor",)),
    "sara": ("Sara Kowalski", Role.SUPERVISOR, ()),
    "max": ("Max Mustermann", Role.MANAGER, ()),
    "ada": ("Ada Admin", Role.ADMIN, ()),
}
#: category: lowest tier authorised to resolve it
STANDARD_CATEGORIES = {"Password reset": "L1", "Laptop": "L2", "Database": "L3", "Printer": "L1"}


@dataclass
class Desk:
    """A standard test desk: services on one database with a fixed clock."""

    database: Database
    clock: FixedClock
    tickets: TicketService
    desk: DeskService

    def ticket(self, actor: str = "lena", **overrides: Any) -> TicketView:
        """Create a ticket; any ``NewTicket`` field can be overridden."""
        fields: dict[str, Any] = {
            "title": "Cannot log in",
            "requester": "Carla Customer",
            "category": "Password reset",
        }
        fields.update(overrides)
        return self.tickets.create(actor, NewTicket(**fields))

    def resolved_ticket(self, actor: str = "lena", **overrides: Any) -> TicketView:
        """A ticket created and resolved by ``actor`` at its entry tier."""
        ticket = self.ticket(actor, **overrides)
        return self.tickets.resolve(actor, ticket.key, ticket.version, "Reset the password")

    def closed_ticket(self, actor: str = "lena", **overrides: Any) -> TicketView:
        """A ticket created, resolved and closed by ``actor``."""
        ticket = self.resolved_ticket(actor, **overrides)
        return self.tickets.close(actor, ticket.key, ticket.version)

    def version(self, key: str) -> int:
        """The ticket's current version, as a reader would see it now."""
        return self.tickets.get(key).ticket.version

    def later(self, minutes: int = 5) -> None:
        """Move the fixed clock on, so that successive changes get distinct times."""
        self.clock.advance(timedelta(minutes=minutes))


def make_desk(database: Database, clock: FixedClock | None = None) -> Desk:
    clock = clock or FixedClock(T0)
    desk = DeskService(database)
    desk.create_default_ladder()
    for name, tier in STANDARD_CATEGORIES.items():
        desk.add_category(name, tier)
    for login, (name, role, tiers) in STANDARD_PEOPLE.items():
        desk.add_user(login, name, role, tiers)
    return Desk(database, clock, TicketService(database, clock), desk)


# ---------------------------------------------------------------------------- inspecting
def database_snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the schema's and Alembic's), in a stable order: two snapshots
    are equal exactly when nothing was written in between."""
    return engine_snapshot(database.engine)


def engine_snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """``database_snapshot`` for a bare engine, e.g. on a database TierDesk refuses to open."""
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        names = sorted(inspect(connection).get_table_names())
        for name in names:
            rows = connection.execute(text(f"SELECT * FROM {name}"))
            snapshot[name] = sorted((tuple(row) for row in rows), key=repr)
    return snapshot


def history_mismatches(database: Database) -> list[Mismatch]:
    """Tickets whose stored row differs from the replay of their history (none, we hope)."""
    with database.read() as session:
        return list(find_mismatches(session))
