"""The desktop's escalation timer: the same ``DeadlineTimer`` engine as the headless worker,
running on its own threads, its results brought to the GUI thread as signals.

Every open desktop runs it; the pass is exactly-once in the database, so twenty desktops and a
worker escalate each due ticket once between them, and escalation goes on while any of them is
open. ``status_text`` turns the timer's state into the words of the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.services.deadline_timer import DeadlineTimer, TimerState
from app.services.escalation import EscalationService, PassReport

TimerFactory = Callable[..., DeadlineTimer]


class EscalationMonitor(QObject):
    """Owns this desktop's ``DeadlineTimer``. Signals are emitted from the timer's threads and
    delivered queued to receivers on the GUI thread."""

    #: A pass escalated, warned or recorded a breach; carries the ``PassReport``.
    pass_reported = Signal(object)
    #: The timer's state changed (armed for a new instant, a pass ran, an error); ``TimerState``.
    state_changed = Signal(object)

    def __init__(
        self,
        service: EscalationService,
        parent: QObject | None = None,
        timer_factory: TimerFactory = DeadlineTimer,
    ) -> None:
        super().__init__(parent)
        self._timer = timer_factory(
            service, on_report=self._on_timer_report, on_state=self._on_timer_state
        )
        self._running = False

    def start(self) -> None:
        if not self._running:
            self._running = True
            self._timer.start()

    def stop(self) -> None:
        """Stop the timer; a pass under way finishes (or rolls back) first."""
        if self._running:
            self._running = False
            self._timer.stop()

    def recheck(self) -> None:
        """A change made on this desktop may have brought a deadline closer: re-arm."""
        if self._running:
            self._timer.recheck()

    @property
    def state(self) -> TimerState:
        return self._timer.state

    def _on_timer_report(self, report: PassReport) -> None:
        self.pass_reported.emit(report)

    def _on_timer_state(self, state: TimerState) -> None:
        self.state_changed.emit(state)


def status_text(state: TimerState, local: Callable[[datetime], datetime] | None = None) -> str:
    """The status bar's words for the timer: when it checks next, or why it cannot."""
    to_local = local or (lambda instant: instant.astimezone())
    if not state.running:
        return QCoreApplication.translate("escalation_monitor", "Escalation timer: stopped")
    if state.last_error:
        return QCoreApplication.translate(
            "escalation_monitor", "Escalation timer: retrying ({error})"
        ).format(error=state.last_error.splitlines()[0][:80])
    if state.armed_for is None:
        return QCoreApplication.translate(
            "escalation_monitor", "Escalation timer: no SLA clock running"
        )
    return QCoreApplication.translate(
        "escalation_monitor", "Escalation timer: next deadline {deadline:%a %H:%M:%S}"
    ).format(deadline=to_local(state.armed_for))
