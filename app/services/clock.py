"""Where "now" comes from. Desktops' clocks disagree, so writes take the time from the database
server inside their transaction; tests inject a fixed clock instead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.orm import Session


class Clock(Protocol):
    """Tells the current instant (aware, UTC) for the unit of work running in ``session``."""

    def now(self, session: Session) -> datetime: ...


class DatabaseClock:
    """The database server's clock: one shared truth for every desktop on a shared database.

    For the embedded SQLite file the "server" is this machine, whose clock SQLite reads.
    """

    def now(self, session: Session) -> datetime:
        if session.get_bind().dialect.name == "sqlite":
            raw = session.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
            return datetime.fromisoformat(raw).replace(tzinfo=UTC)
        value: datetime = session.execute(text("SELECT clock_timestamp()")).scalar_one()
        return value.astimezone(UTC)


class FixedClock:
    """A clock that shows a set instant until moved; for tests and scripted what-ifs."""

    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.instant = instant.astimezone(UTC)

    def now(self, session: Session) -> datetime:
        return self.instant

    def advance(self, delta: timedelta) -> None:
        self.instant += delta
