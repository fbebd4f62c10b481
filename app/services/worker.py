"""The headless worker: the escalation timer of the desktop app without the desktop, for an
always-on machine, so that escalation never depends on someone having the app open. Each pass
runs when the earliest deadline comes (see ``deadline_timer``), with a safety sweep every
``--interval`` seconds. Stops cleanly on SIGINT or SIGTERM: a pass under way finishes first."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from app.services.deadline_timer import DeadlineTimer, TimerState
from app.services.escalation import EscalationService, PassReport

log = logging.getLogger("tierdesk.worker")


def describe_pass(report: PassReport) -> list[str]:
    """One log line per escalation."""
    lines = []
    for item in report.escalations:
        if item.to_tier is None:
            what = f"breached at the top tier {item.from_tier}; left there"
        else:
            what = f"escalated {item.from_tier} → {item.to_tier}"
        lines.append(
            f"{item.key} {what} (due {item.due_at:%Y-%m-%d %H:%M} UTC, "
            f"{item.policy} v{item.policy_version})"
        )
    return lines


def run_worker(
    service: EscalationService,
    interval_seconds: float,
    on_report: Callable[[PassReport], Any] | None = None,
) -> None:
    """Run the deadline timer (safety sweep every ``interval_seconds``) until SIGINT or
    SIGTERM; a pass runs at once on start."""
    stop_requested = threading.Event()

    def report(outcome: PassReport) -> None:
        for line in describe_pass(outcome):
            log.info(line)
        if on_report is not None:
            on_report(outcome)

    def stop(_signal: int, _frame: Any) -> None:
        log.info("stopping")
        stop_requested.set()

    # APScheduler tells of every job it runs at INFO: one line per pass would drown ours.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    timer = DeadlineTimer(
        service, sweep_seconds=interval_seconds, on_report=report, on_state=_log_state
    )
    try:
        with timer:
            log.info(
                "escalation pass at each deadline, safety sweep every %s s; "
                "SIGINT or SIGTERM stops",
                interval_seconds,
            )
            while not stop_requested.wait(0.5):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _log_state(state: TimerState) -> None:
    if state.armed_for is not None:
        log.debug("next escalation check at %s UTC", f"{state.armed_for:%Y-%m-%d %H:%M:%S.%f}")
