"""The headless worker: the escalation pass on a timer, for an always-on machine, so that
escalation never depends on someone having the desktop app open. Stops cleanly on SIGINT or
SIGTERM (a pass under way finishes or rolls back as one transaction)."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler

from app.services.errors import TierDeskError
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
    """Run the pass now and then every ``interval_seconds`` until stopped by a signal."""
    scheduler = BlockingScheduler()

    def one_pass() -> None:
        try:
            report = service.run_pass()
        except TierDeskError as error:  # the server went away: say so, try again next time
            log.warning("escalation pass failed: %s", error)
            return
        for line in describe_pass(report):
            log.info(line)
        if on_report is not None:
            on_report(report)

    def stop(_signal: int, _frame: Any) -> None:
        log.info("stopping")
        scheduler.shutdown(wait=False)

    one_pass()
    scheduler.add_job(
        one_pass, "interval", seconds=interval_seconds, max_instances=1, coalesce=True
    )
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, stop)
    log.info("escalation pass every %s s; SIGINT or SIGTERM stops", interval_seconds)
    scheduler.start()
