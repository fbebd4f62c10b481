"""The desktop's escalation timer and SLA notifications: the pass runs on the timer's threads
and its report reaches the window as a signal (the list reloads, the status bar tells when the
next deadline is); the signed-in person is told of the alerts that concern them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.services.clock import FixedClock
from app.services.deadline_timer import TimerState
from app.services.escalation import EscalationService
from app.services.notifications import NotificationService
from app.services.rules.notices import RuleNoticeService
from app.services.rules.service import RuleService, rules_from_json
from app.services.sla_policy import SlaPolicyService
from app.views.alert_notifier import AlertNotifier
from app.views.escalation_monitor import EscalationMonitor, status_text
from app.views.main_window import MainWindowView

MONDAY_13 = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # the desk's P3 tickets from 09:00 are due


@pytest.fixture
def sla_gui_desk(gui_desk):
    SlaPolicyService(gui_desk.database, gui_desk.clock).install_default("UTC")
    return gui_desk


def test_the_monitor_runs_the_pass_off_the_gui_thread_and_reports_by_signal(qtbot, sla_gui_desk):
    ticket = sla_gui_desk.ticket()  # opened in March 2026: long overdue by the database's clock
    monitor = EscalationMonitor(EscalationService(sla_gui_desk.database))
    try:
        with qtbot.waitSignal(monitor.pass_reported, timeout=15_000) as reported:
            monitor.start()
        report = reported.args[0]
        assert [(e.key, e.from_tier, e.to_tier) for e in report.escalations] == [
            (ticket.key, "L1", "L2")
        ]
        qtbot.waitUntil(lambda: monitor.state.armed_for is not None, timeout=10_000)
    finally:
        monitor.stop()
    assert sla_gui_desk.tickets.get(ticket.key).ticket.tier == "L2"


def tier_shown(window: MainWindowView, key: str) -> str:
    row = window.table_model.row_of(key)
    assert row is not None
    return window.table_model.ticket_at(row).tier


def test_the_window_shows_the_timer_and_reloads_after_an_escalation(qtbot, sla_gui_desk, runner):
    ticket = sla_gui_desk.ticket()
    monitor = EscalationMonitor(EscalationService(sla_gui_desk.database))
    window = MainWindowView(
        sla_gui_desk.database, sla_gui_desk.desk.user("tom"), runner, monitor=monitor
    )
    qtbot.addWidget(window)
    window.reload()
    assert tier_shown(window, ticket.key) == "L1"
    with qtbot.waitSignal(monitor.pass_reported, timeout=15_000):
        window.start_background_work()
    qtbot.waitUntil(lambda: tier_shown(window, ticket.key) == "L2")
    qtbot.waitUntil(lambda: "next deadline" in window.timer_label.text(), timeout=10_000)
    window.close()
    assert window.timer_label.text() == "Escalation timer: stopped"


def test_status_text_says_when_and_why():
    armed = datetime(2026, 3, 2, 14, 5, 3, tzinfo=UTC)
    local = lambda instant: instant  # noqa: E731 (UTC as the local zone)
    assert status_text(TimerState(running=True, armed_for=armed), local) == (
        "Escalation timer: next deadline Mon 14:05:03"
    )
    assert status_text(TimerState(running=True), local) == (
        "Escalation timer: no SLA clock running"
    )
    failing = TimerState(running=True, last_error="the database server is not answering\nmore")
    assert status_text(failing, local) == (
        "Escalation timer: retrying (the database server is not answering)"
    )


def test_the_person_is_notified_of_their_alerts_only(qtbot, sla_gui_desk, runner):
    ticket = sla_gui_desk.ticket()
    window = MainWindowView(
        sla_gui_desk.database,
        sla_gui_desk.desk.user("tom"),
        runner,
        notifier=AlertNotifier(NotificationService(sla_gui_desk.database), "tom", runner),
    )
    qtbot.addWidget(window)
    notifier = window.notifier
    assert notifier is not None
    window.start_background_work()
    EscalationService(sla_gui_desk.database, FixedClock(MONDAY_13)).run_pass()  # another desk
    with qtbot.waitSignal(notifier.notified) as heard:
        notifier.check()
    assert [n.headline() for n in heard.args[0]] == [f"{ticket.key} escalated L1 → L2"]
    assert window.statusBar().currentMessage() == f"{ticket.key} escalated L1 → L2"
    with qtbot.assertNotEmitted(notifier.notified):
        notifier.check()  # nothing new
    window.close()


def test_a_rule_s_notice_reaches_the_person_it_names(qtbot, sla_gui_desk, runner):
    """A rule that notifies tom fires on another desktop: tom's desktop says so."""
    rules = RuleService(sla_gui_desk.database, sla_gui_desk.clock)
    notify_tom = {
        "name": "Tell Tom about printers",
        "trigger": {"on": "created"},
        "conditions": [{"field": "category", "op": "in", "value": ["Printer"]}],
        "actions": [{"do": "notify", "users": ["tom"], "text": "A printer needs you"}],
    }
    rules.save("sara", rules.list().version, rules_from_json([notify_tom]))
    window = MainWindowView(
        sla_gui_desk.database,
        sla_gui_desk.desk.user("tom"),
        runner,
        notifier=AlertNotifier(
            NotificationService(sla_gui_desk.database), "tom", runner,
            notices=RuleNoticeService(sla_gui_desk.database),
        ),
    )  # fmt: skip
    qtbot.addWidget(window)
    notifier = window.notifier
    assert notifier is not None
    window.start_background_work()
    ticket = sla_gui_desk.ticket(category="Printer")
    with qtbot.waitSignal(notifier.rules_noticed) as heard:
        notifier.check()
    assert [(n.key, n.message) for n in heard.args[0]] == [(ticket.key, "A printer needs you")]
    assert window.statusBar().currentMessage() == f"{ticket.key}: A printer needs you"
    window.close()
