"""Hearing that another desktop or worker changed the database, without polling the tables.

A ticket change announces itself with ``announce_ticket_change`` inside its own transaction. On
PostgreSQL that is a ``NOTIFY`` on ``TICKETS_CHANNEL``, which the server delivers only if and
when the transaction commits. SQLite needs no announcement: the file keeps a change counter
(``PRAGMA data_version``) that moves whenever another connection commits.

PostgreSQL channels belong to the whole database, while a desk lives in one schema of it (a
server may hold several desks; the tests run each session in a schema of its own). So the
payload names the desk's schema and the ticket, ``"<schema>:<ticket id>"``, and a watcher
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
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from typing import Any, Protocol

import psycopg
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.services.database import POSTGRES_CONNECT_TIMEOUT_S, Database

TICKETS_CHANNEL = "tierdesk_tickets"
SQLITE_POLL_SECONDS = 0.25
#: TCP keepalives, so that a server lost without a goodbye (cable, VPN) is noticed in ~25 s.
POSTGRES_KEEPALIVES: dict[str, Any] = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}

log = logging.getLogger("tierdesk.change_feed")


def announce_ticket_change(session: Session, ticket_id: int) -> None:
    """Tell every listening desktop that ``ticket_id`` changed, when (and only if) the caller's
    transaction commits. A no-op on SQLite, whose change counter moves by itself."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, current_schema() || ':' || :ticket_id)"),
            {"channel": TICKETS_CHANNEL, "ticket_id": str(ticket_id)},
        )


class Watcher(Protocol):
    """What a waiting thread needs from a change feed (a fake in tests)."""

    def wait(self, timeout: float) -> bool: ...

    def close(self) -> None: ...


class ChangeWatcher:
    """Waits for changes committed to the database by any other connection.

    ``wait`` returns ``True`` as soon as something was committed since the previous call (or
    since the watcher was opened), ``False`` when ``timeout`` seconds pass quietly. It holds one
    dedicated connection: on PostgreSQL an autocommit psycopg connection that ``LISTEN``s on
    ``TICKETS_CHANNEL`` for its schema's announcements (re-established by itself if the server
    goes away; ``wait`` then returns ``True``, since changes may have been missed); on SQLite a
    connection to the file whose ``PRAGMA data_version`` is read every ``poll_seconds``.
    Commits made through other connections of this very process count too: they are other
    connections.

    Use it from one thread at a time; ``close`` it from that thread or once it has stopped.
    """

    def __init__(self, database: Database, *, poll_seconds: float = SQLITE_POLL_SECONDS) -> None:
        self._database = database
        self._poll_seconds = poll_seconds
        self._sqlite: sqlite3.Connection | None = None
        self._data_version = 0
        self._postgres: psycopg.Connection[Any] | None = None
        self._schema = ""  # the desk's, which its announcements name
        self._closed = False
        if database.is_sqlite:
            self._open_sqlite()
        else:
            self._connect_postgres()  # failing here is not fatal: ``wait`` tries again

    def wait(self, timeout: float) -> bool:
        """Whether something changed, waiting up to ``timeout`` seconds for it."""
        if self._closed:
            raise RuntimeError("the change watcher is closed")
        if self._database.is_sqlite:
            return self._wait_sqlite(timeout)
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

    # ------------------------------------------------------------------------------ SQLite
    def _open_sqlite(self) -> None:
        path = str(self._database.engine.url.database)
        # Autocommit (no implicit BEGIN): data_version is only meaningful outside a transaction.
        self._sqlite = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._data_version = self._read_data_version()

    def _read_data_version(self) -> int:
        assert self._sqlite is not None
        row = self._sqlite.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def _wait_sqlite(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            try:
                version = self._read_data_version()
            except sqlite3.Error as error:  # e.g. the file is busy being checkpointed
                log.debug("reading data_version failed: %s", error)
                version = self._data_version
            if version != self._data_version:
                self._data_version = version
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(self._poll_seconds, remaining))

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
            log.warning("cannot listen for changes on %s: %s", self._database.describe(), error)
            self._drop_postgres()
            return False
        return True

    def _wait_postgres(self, timeout: float) -> bool:
        if self._postgres is None:
            started = time.monotonic()
            if self._connect_postgres():
                log.info("listening for changes again on %s", self._database.describe())
                return True  # whatever changed while we were away was not heard
            time.sleep(max(0.0, timeout - (time.monotonic() - started)))
            return False
        deadline = time.monotonic() + timeout
        try:
            while (remaining := deadline - time.monotonic()) > 0:
                # Consumed to the end, not left suspended: the generator holds the connection's
                # lock. Another desk's announcements (another schema) are passed over.
                heard = list(self._postgres.notifies(timeout=remaining, stop_after=1))
                if any(note.payload.rpartition(":")[0] == self._schema for note in heard):
                    list(self._postgres.notifies(timeout=0))  # the rest of a burst: one wake-up
                    return True
                if not heard:
                    return False
            return False
        except psycopg.Error as error:
            log.warning("lost the change feed on %s: %s", self._database.describe(), error)
            self._drop_postgres()
            return self._connect_postgres()

    def _drop_postgres(self) -> None:
        if self._postgres is not None:
            with contextlib.suppress(psycopg.Error):
                self._postgres.close()
            self._postgres = None
