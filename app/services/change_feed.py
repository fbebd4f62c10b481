"""Hearing that another desktop or worker changed the database, without polling the tables.

A ticket change announces itself with ``announce_ticket_change`` inside its own transaction. On
PostgreSQL that is a ``NOTIFY`` on ``TICKETS_CHANNEL``, which the server delivers only if and
when the transaction commits. SQLite needs no announcement: the file keeps a change counter
(``PRAGMA data_version``) that moves whenever another connection commits.

PostgreSQL channels belong to the whole database, while a desk lives in one schema of it (a
server may hold several desks; the tests run each session in a schema of its own). So the
payload names the desk's schema and the tickets, ``"<schema>:<id>[,<id>...]"``, and a watcher
listens only to its own schema's changes.

``ChangeWatcher`` is the listening side, for a thread that waits for changes (the deadline timer
re-reads the next deadline when woken)::

    watcher = ChangeWatcher(database)
    while running:
        if watcher.wait(0.5):
            ...  # something was committed since the previous wait: re-read what you show
    watcher.close()

A wake-up says only "something changed"; the woken side re-reads what it needs. Spurious
wake-ups are allowed (a reconnect, a commit that changed nothing the reader shows), missed ones
are not.

A desktop that shows tickets wants to know *which* changed, to reload only those cards:
``wait_for_changes`` returns a ``ChangeBatch`` of ticket ids. On PostgreSQL they are the
announcements' payloads. On SQLite, when the change counter moves, the watcher reads the ids of
the tickets whose history grew since its last look: ``ticket_events.id`` is a cursor there,
because SQLite commits one writer at a time, so ids become visible in increasing order. (Not on
PostgreSQL, where sequence values commit out of order; hence the payloads.) When the watcher
cannot tell which tickets changed (after a reconnect, or too many at once) the batch says
``everything``. ``on_connection`` hears the connection go and come back::

    watcher = ChangeWatcher(database, on_connection=show_banner)
    while running:
        batch = watcher.wait_for_changes(0.5)
        if batch is not None:
            reload(batch.ticket_ids) if not batch.everything else reload_all()

Use either ``wait`` or ``wait_for_changes`` on one watcher, not both: each consumes what the
other would have reported.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.services.database import POSTGRES_CONNECT_TIMEOUT_S, Database

TICKETS_CHANNEL = "tierdesk_tickets"
IDS_PER_NOTIFY = 500
SQLITE_POLL_SECONDS = 0.25
#: TCP keepalives, so that a server lost without a goodbye (cable, VPN) is noticed in ~25 s.
POSTGRES_KEEPALIVES: dict[str, Any] = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}

#: More tickets than this in one batch: ``everything`` (reloading the board beats N reloads).
MAX_BATCH_TICKETS = 1000
_SQLITE_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})

log = logging.getLogger("tierdesk.change_feed")


@dataclass(frozen=True)
class ChangeBatch:
    """Tickets changed since the previous look. When ``everything`` is set the watcher cannot
    tell which (it was away, or too many changed): re-read everything shown; ``ticket_ids`` is
    then empty."""

    ticket_ids: frozenset[int] = frozenset()
    everything: bool = False


#: "Something changed, re-read it all."
EVERYTHING = ChangeBatch(everything=True)


@dataclass(frozen=True)
class FeedConnection:
    """Whether the watcher hears changes; ``error`` says why not (the database's words)."""

    connected: bool
    error: str | None = None


def announce_ticket_change(session: Session, ticket_id: int) -> None:
    """Tell every listening desktop that ``ticket_id`` changed, when (and only if) the caller's
    transaction commits. A no-op on SQLite, whose change counter moves by itself."""
    announce_ticket_changes(session, [ticket_id])


def announce_ticket_changes(session: Session, ticket_ids: Sequence[int]) -> None:
    """``announce_ticket_change`` for a batch (the escalation pass): the ids go comma-separated,
    ``IDS_PER_NOTIFY`` to a notification, well under PostgreSQL's 8,000-byte payload limit."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for start in range(0, len(ticket_ids), IDS_PER_NOTIFY):
        chunk = ",".join(str(ticket_id) for ticket_id in ticket_ids[start : start + IDS_PER_NOTIFY])
        session.execute(
            text("SELECT pg_notify(:channel, current_schema() || ':' || :ticket_ids)"),
            {"channel": TICKETS_CHANNEL, "ticket_ids": chunk},
        )


class Watcher(Protocol):
    """What a waiting thread needs from a change feed (a fake in tests)."""

    def wait(self, timeout: float) -> bool: ...

    def close(self) -> None: ...


class ChangeWatcher:
    """Waits for changes committed to the database by any other connection.

    ``wait`` returns ``True`` as soon as something was committed since the previous call (or
    since the watcher was opened), ``False`` when ``timeout`` seconds pass quietly;
    ``wait_for_changes`` returns which tickets changed, or ``None``. It holds one dedicated
    connection: on PostgreSQL an autocommit psycopg connection that ``LISTEN``s on
    ``TICKETS_CHANNEL`` for its schema's announcements (re-established by itself if the server
    goes away; the next wait then reports a change, since changes may have been missed); on
    SQLite a connection to the file whose ``PRAGMA data_version`` is read every
    ``poll_seconds``. Commits made through other connections of this very process count too:
    they are other connections.

    ``on_connection`` is called (on the waiting thread, or in the constructor) each time the
    connection is lost or comes back; ``connection`` tells the current state.

    Use it from one thread at a time; ``close`` it from that thread or once it has stopped.
    """

    def __init__(
        self,
        database: Database,
        *,
        poll_seconds: float = SQLITE_POLL_SECONDS,
        on_connection: Callable[[FeedConnection], Any] | None = None,
    ) -> None:
        self._database = database
        self._poll_seconds = poll_seconds
        self._on_connection = on_connection
        self._connection = FeedConnection(connected=True)
        self._sqlite: sqlite3.Connection | None = None
        self._data_version = 0
        self._event_cursor = 0  # SQLite: the last ticket_events.id looked at
        self._postgres: psycopg.Connection[Any] | None = None
        self._schema = ""  # the desk's, which its announcements name
        self._closed = False
        if database.is_sqlite:
            self._open_sqlite()
        else:
            self._connect_postgres()  # failing here is not fatal: waiting tries again

    @property
    def connection(self) -> FeedConnection:
        return self._connection

    def wait(self, timeout: float) -> bool:
        """Whether something changed, waiting up to ``timeout`` seconds for it."""
        self._check_open()
        if self._database.is_sqlite:
            return self._wait_sqlite(timeout, find_tickets=False) is not None
        return self._wait_postgres(timeout) is not None

    def wait_for_changes(self, timeout: float) -> ChangeBatch | None:
        """The tickets changed since the previous call, waiting up to ``timeout`` seconds for
        a change; ``None`` if none came. Changes committed close together come as one batch.
        On SQLite a commit that changed no ticket (a new category, an SLA warning) is not one:
        the same changes PostgreSQL announces are reported."""
        self._check_open()
        if self._database.is_sqlite:
            return self._wait_sqlite(timeout, find_tickets=True)
        return self._wait_postgres(timeout)

    def close(self) -> None:
        self._closed = True
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        self._drop_postgres()

    def __enter__(self) -> ChangeWatcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the change watcher is closed")

    def _set_connection(self, connected: bool, error: str | None = None) -> None:
        if connected == self._connection.connected:
            return
        self._connection = FeedConnection(connected, error)
        if self._on_connection is not None:
            try:
                self._on_connection(self._connection)
            except Exception:  # a listener's bug must not stop the feed
                log.exception("a change feed connection callback failed")

    # ------------------------------------------------------------------------------ SQLite
    def _open_sqlite(self) -> None:
        path = str(self._database.engine.url.database)
        # Autocommit (no implicit BEGIN): data_version is only meaningful outside a transaction.
        self._sqlite = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._data_version = self._read_data_version()
        self._event_cursor = self._last_event_id()

    def _read_data_version(self) -> int:
        assert self._sqlite is not None
        row = self._sqlite.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def _last_event_id(self) -> int:
        assert self._sqlite is not None
        row = self._sqlite.execute("SELECT coalesce(max(id), 0) FROM ticket_events").fetchone()
        return int(row[0])

    def _wait_sqlite(self, timeout: float, *, find_tickets: bool) -> ChangeBatch | None:
        deadline = time.monotonic() + timeout
        while True:
            if self._sqlite_counter_moved():
                batch = self._changed_tickets() if find_tickets else EVERYTHING
                if batch is not None:
                    return batch
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            time.sleep(min(self._poll_seconds, remaining))

    def _sqlite_counter_moved(self) -> bool:
        try:
            version = self._read_data_version()
        except sqlite3.Error as error:
            if getattr(error, "sqlite_errorcode", 0) & 0xFF in _SQLITE_BUSY_CODES:
                log.debug("reading data_version failed: %s", error)  # e.g. a checkpoint
            else:  # the file went away (a network share, a removed disk)
                self._set_connection(False, str(error))
            return False
        self._set_connection(True)
        if version == self._data_version:
            return False
        self._data_version = version
        return True

    def _changed_tickets(self) -> ChangeBatch | None:
        """The tickets whose history grew since the last look (see the module docstring)."""
        assert self._sqlite is not None
        try:
            last = self._last_event_id()
            rows = self._sqlite.execute(
                "SELECT DISTINCT ticket_id FROM ticket_events WHERE id > ? AND id <= ? LIMIT ?",
                (self._event_cursor, last, MAX_BATCH_TICKETS + 1),
            ).fetchall()
        except sqlite3.Error as error:
            log.debug("reading which tickets changed failed: %s", error)
            return EVERYTHING  # the cursor stays: the next look reads them again
        self._event_cursor = last
        if not rows:
            return None
        return _batch_of(int(row[0]) for row in rows)

    # -------------------------------------------------------------------------- PostgreSQL
    def _connect_postgres(self) -> bool:
        """Open and ``LISTEN``; ``False`` (logged) when the server cannot be reached."""
        engine = self._database.engine
        _args, params = engine.dialect.create_connect_args(engine.url)
        params.pop("context", None)  # SQLAlchemy's type adapters: not needed to listen
        try:
            self._postgres = psycopg.connect(
                autocommit=True,
                connect_timeout=POSTGRES_CONNECT_TIMEOUT_S,
                application_name=f"tierdesk change watcher {os.getpid()}",
                **POSTGRES_KEEPALIVES,
                **params,
            )
            row = self._postgres.execute("SELECT current_schema()").fetchone()
            self._schema = str(row[0]) if row else ""
            self._postgres.execute(f"LISTEN {TICKETS_CHANNEL}")
        except psycopg.Error as error:
            if self._connection.connected:
                log.warning("cannot listen for changes on %s: %s", self._database.describe(), error)
            self._drop_postgres()
            self._set_connection(False, _first_line(error))
            return False
        self._set_connection(True)
        return True

    def _wait_postgres(self, timeout: float) -> ChangeBatch | None:
        if self._postgres is None:
            started = time.monotonic()
            if self._connect_postgres():
                log.info("listening for changes again on %s", self._database.describe())
                return EVERYTHING  # whatever changed while we were away was not heard
            time.sleep(max(0.0, timeout - (time.monotonic() - started)))
            return None
        deadline = time.monotonic() + timeout
        try:
            while (remaining := deadline - time.monotonic()) > 0:
                # Consumed to the end, not left suspended: the generator holds the connection's
                # lock. Another desk's announcements (another schema) are passed over.
                heard = list(self._postgres.notifies(timeout=remaining, stop_after=1))
                if not heard:
                    return None
                payloads = [note.payload for note in heard]
                if self._own_ticket_ids(payloads):
                    # The rest of a burst, already arrived: one batch.
                    payloads += [note.payload for note in self._postgres.notifies(timeout=0)]
                    return _batch_of(self._own_ticket_ids(payloads))
            return None
        except psycopg.Error as error:
            log.warning("lost the change feed on %s: %s", self._database.describe(), error)
            self._drop_postgres()
            self._set_connection(False, _first_line(error))
            return EVERYTHING if self._connect_postgres() else None

    def _own_ticket_ids(self, payloads: Iterable[str]) -> list[int]:
        """The ticket ids announced for this desk's schema (``-1`` for an unreadable one)."""
        ids = []
        for payload in payloads:
            schema, _, tickets = payload.rpartition(":")
            if schema == self._schema:
                ids += [int(ticket) if ticket.isdigit() else -1 for ticket in tickets.split(",")]
        return ids

    def _drop_postgres(self) -> None:
        if self._postgres is not None:
            with contextlib.suppress(psycopg.Error):
                self._postgres.close()
            self._postgres = None


def _batch_of(ticket_ids: Iterable[int]) -> ChangeBatch:
    ids = frozenset(ticket_ids)
    if len(ids) > MAX_BATCH_TICKETS or -1 in ids:
        return EVERYTHING
    return ChangeBatch(ids)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
