"""The headless worker: the escalation timer of the desktop app without the desktop, for an
always-on machine, so that escalation never depends on someone having the app open. Each pass
runs when the earliest deadline comes (see ``deadline_timer``), with a safety sweep every
``--interval`` seconds. Stops cleanly on SIGINT or SIGTERM: a pass under way finishes first."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from app.models import AlertKind
from app.services.deadline_timer import DeadlineTimer, TimerState
from app.services.errors import TierDeskError
from app.services.escalation import EscalationService, PassReport
from app.services.mailer import AlertMailer

#: How often the worker looks for alerts to mail that passes elsewhere fired.
MAIL_CHECK_SECONDS = 10.0

log = logging.getLogger("tierdesk.worker")


def describe_pass(report: PassReport) -> list[str]:
    """One log line per escalation, warning, breach and time-based rule that acted."""
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
    for alert in report.alerts:
        what = "warning" if alert.kind == AlertKind.WARNING else "breached"
        lines.append(
            f"{alert.key} {what}: {alert.clock.value} clock at {alert.tier} "
            f"(at {alert.threshold_at:%Y-%m-%d %H:%M} UTC, {alert.policy} v{alert.policy_version})"
        )
    for look in report.rules.acted if report.rules else ():
        done = "; ".join(look.actions)
        lines.append(f"{look.key} rule {look.rule!r} v{look.rule_version}: {done}")
        if look.capped:
            lines.append(f"{look.key} {look.capped}")
    return lines


def run_worker(
    service: EscalationService,
    interval_seconds: float,
    on_report: Callable[[PassReport], Any] | None = None,
    mailer: AlertMailer | None = None,
) -> None:
    """Run the deadline timer (safety sweep every ``interval_seconds``) until SIGINT or
    SIGTERM; a pass runs at once on start. With a ``mailer``, alerts are mailed after each pass
    that fired some, and every ``MAIL_CHECK_SECONDS`` for those other desktops fired."""
    stop_requested = threading.Event()
    mail_now = threading.Event()

    def report(outcome: PassReport) -> None:
        for line in describe_pass(outcome):
            log.info(line)
        mail_now.set()
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
            next_mail = time.monotonic()
            while not stop_requested.wait(0.5):
                if mailer is not None and (mail_now.is_set() or time.monotonic() >= next_mail):
                    mail_now.clear()
                    next_mail = time.monotonic() + MAIL_CHECK_SECONDS
                    _mail_pending(mailer)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _mail_pending(mailer: AlertMailer) -> None:
    try:
        sent = mailer.send_pending()
    except TierDeskError as error:  # the mail server or the database is away: try later
        log.warning("%s", error)
        return
    if sent:
        log.info("mailed %d SLA alert(s)", sent)


def _log_state(state: TimerState) -> None:
    if state.armed_for is not None:
        log.debug("next escalation check at %s UTC", f"{state.armed_for:%Y-%m-%d %H:%M:%S.%f}")
