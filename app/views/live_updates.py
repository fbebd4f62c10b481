"""Live across desktops: what other desktops (and the escalation worker) change, as signals.

``LiveUpdates`` runs a ``ChangeWatcher`` on a thread of its own and tells the GUI thread which
tickets changed, so that a window reloads only those cards; and when the database goes away
and comes back, so that the window can go read-only with a banner meanwhile::

    live = LiveUpdates(database)
    live.tickets_changed.connect(board.reload_tickets)   # list[int]: ticket ids
    live.everything_changed.connect(board.reload)        # cannot tell which: reload it all
    live.connection_lost.connect(window.go_read_only)    # str: the database's words
    live.connection_restored.connect(window.go_live)     # then what was missed is reported
    live.start()
    ...
    live.stop()  # joins the thread (at most a wait slice, or a connect timeout, later)

Changes committed after ``listening_started`` are all reported; a window that loads before it
may miss one, so it loads (or reloads) on that signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.services.change_feed import ChangeBatch, ChangeWatcher, FeedConnection
from app.services.database import Database

#: How long the thread waits for a change before checking whether it should stop.
WAIT_SLICE_SECONDS = 0.5

WatcherFactory = Callable[..., ChangeWatcher]

log = logging.getLogger("tierdesk.live_updates")


class LiveUpdates(QObject):
    """Owns this desktop's change watcher and its thread. Signals are emitted from that
    thread and delivered queued to receivers on the GUI thread."""

    #: Tickets changed elsewhere (or by this desktop, through another connection); their ids.
    tickets_changed = Signal(list)
    #: Which tickets changed is unknown (after a reconnect, or very many): reload everything.
    everything_changed = Signal()
    #: The database stopped answering; carries its words. Changes are not heard meanwhile.
    connection_lost = Signal(str)
    #: The database answers again. What changed meanwhile follows: ``everything_changed``
    #: on PostgreSQL (announcements made while away are lost), the tickets on SQLite.
    connection_restored = Signal()
    #: The watcher is listening: every change committed from now on will be reported.
    listening_started = Signal()

    def __init__(
        self,
        database: Database,
        parent: QObject | None = None,
        *,
        watcher_factory: WatcherFactory = ChangeWatcher,
        wait_slice: float = WAIT_SLICE_SECONDS,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._watcher_factory = watcher_factory
        self._wait_slice = wait_slice
        self._stopping = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def is_listening(self) -> bool:
        return self._listening.is_set()

    def start(self) -> None:
        """Start listening on a thread of its own; returns at once."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="tierdesk-live-updates", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and wait for the thread to end."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stopping.set()
            thread.join()
            self._listening.clear()

    # ------------------------------------------------------------------------------ thread
    def _run(self) -> None:
        watcher = self._open_watcher()
        if watcher is None:
            return
        with watcher:
            self._listening.set()
            self.listening_started.emit()
            while not self._stopping.is_set():
                try:
                    batch = watcher.wait_for_changes(self._wait_slice)
                except Exception:
                    log.exception("the change feed failed; trying again")
                    self._stopping.wait(self._wait_slice)
                    continue
                if batch is not None:
                    self._report(batch)

    def _open_watcher(self) -> ChangeWatcher | None:
        """The watcher, opened on this thread; retried until it opens or ``stop()``."""
        lost = False
        while not self._stopping.is_set():
            try:
                watcher = self._watcher_factory(self._database, on_connection=self._on_connection)
            except Exception as error:  # e.g. the SQLite file cannot be opened
                if not lost:
                    log.warning("cannot watch %s: %s", self._database.describe(), error)
                    lost = True
                    self.connection_lost.emit(str(error))
                self._stopping.wait(self._wait_slice)
                continue
            if lost:  # what changed before it opened was not heard
                self.connection_restored.emit()
                self.everything_changed.emit()
            return watcher
        return None

    def _report(self, batch: ChangeBatch) -> None:
        if batch.everything:
            self.everything_changed.emit()
        elif batch.ticket_ids:
            self.tickets_changed.emit(sorted(batch.ticket_ids))

    def _on_connection(self, state: FeedConnection) -> None:
        if state.connected:
            self.connection_restored.emit()
        else:
            self.connection_lost.emit(
                state.error
                or QCoreApplication.translate("LiveUpdates", "the database does not answer")
            )
