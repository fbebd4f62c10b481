"""System-tray notifications of the SLA alerts that concern the signed-in person: warnings and
escalations of their tickets and tiers, and for supervisors breaches at the top of the ladder;
and of what escalation rules told them (``notify`` actions, the rules' move cap).

Alerts fired by any desktop or worker are found in the database (``NotificationService``), so a
desktop that did not run the pass still hears of them. The notifier asks for the alerts and
notices it has not shown (a ``NewsCursor`` each, so that a row whose transaction commits late
is shown too): at once when this desktop's timer reports a pass, and every ``poll_ms``
otherwise. Where the platform has no system tray, ``notified`` still carries each
notification for the window to show.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QSystemTrayIcon

from app.models import AlertKind
from app.services.news_cursor import NewsCursor
from app.services.notifications import Notification, NotificationService
from app.services.rules.notices import RuleNotice, RuleNoticeService
from app.views.operations import OperationRunner
from app.views.resources import application_icon

DEFAULT_POLL_MS = 15_000
#: More alerts than this at once are summed up in one balloon rather than shown one by one.
MAX_BALLOONS = 3
_ICONS = {
    AlertKind.WARNING: QSystemTrayIcon.MessageIcon.Warning,
    AlertKind.BREACH: QSystemTrayIcon.MessageIcon.Critical,
    AlertKind.ESCALATION: QSystemTrayIcon.MessageIcon.Information,
}


class _News(NamedTuple):
    """One reading: the alert and notice tables' highest ids, and the rows not shown yet."""

    horizons: tuple[int, int]
    alerts: list[Notification]
    notices: list[RuleNotice]


class AlertNotifier(QObject):
    """Shows the signed-in person's new SLA alerts; see the module docstring."""

    #: New notifications for this person, oldest first (a list of ``Notification``).
    notified = Signal(list)
    #: New notices from rules for this person, oldest first (a list of ``RuleNotice``).
    rules_noticed = Signal(list)

    def __init__(
        self,
        service: NotificationService,
        login: str,
        runner: OperationRunner,
        parent: QObject | None = None,
        poll_ms: int = DEFAULT_POLL_MS,
        tray: QSystemTrayIcon | None = None,
        notices: RuleNoticeService | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.notices = notices
        self.login = login
        self.runner = runner
        self._alerts: NewsCursor | None = None  # until the start points are read
        self._notices = NewsCursor(0)
        self._checking = False
        self.tray = tray
        if self.tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(application_icon(), self)
            self.tray.setToolTip("TierDesk")
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.check)

    def start(self) -> None:
        """Listen from now on: alerts older than this moment are history, not news."""
        if self.tray is not None:
            self.tray.show()
        self.runner.run(self._start_points, self._on_start_point_loaded)

    def stop(self) -> None:
        self._poll.stop()
        if self.tray is not None:
            self.tray.hide()

    @Slot()
    def check(self) -> None:
        """Ask for alerts newer than the last one shown (one question at a time)."""
        if self._alerts is None or self._checking:
            return
        self._checking = True
        alerts, notices = self._alerts, self._notices
        asked = (alerts.after_id, alerts.shown, notices.after_id, notices.shown)
        self.runner.run(lambda: self._news(*asked), self._on_news_loaded, self._on_check_failed)

    def _start_points(self) -> tuple[int, int]:
        return self.service.latest_alert_id(), self._latest_notice_id()

    def _latest_notice_id(self) -> int:
        return self.notices.latest_id() if self.notices is not None else 0

    def _news(
        self, after: int, shown: frozenset[int], after_notice: int, shown_notices: frozenset[int]
    ) -> _News:
        """On the runner's thread: the tables' highest ids, then the alerts and rule notices
        not shown yet (highest ids first, so that no row read is above them)."""
        horizons = self.service.latest_alert_id(), self._latest_notice_id()
        notices = []
        if self.notices is not None:
            notices = self.notices.for_user(self.login, after_notice, shown=shown_notices)
        return _News(horizons, self.service.for_user(self.login, after, shown=shown), notices)

    def _on_start_point_loaded(self, last_ids: tuple[int, int]) -> None:
        self._alerts, self._notices = NewsCursor(last_ids[0]), NewsCursor(last_ids[1])
        self._poll.start()

    def _on_news_loaded(self, news: _News) -> None:
        self._checking = False
        assert self._alerts is not None  # set before the first check
        alert_horizon, notice_horizon = news.horizons
        fresh = set(self._notices.advance(notice_horizon, [n.id for n in news.notices]))
        notices = [notice for notice in news.notices if notice.id in fresh]
        if notices:
            self._show_notices(notices)
            self.rules_noticed.emit(notices)
        fresh = set(self._alerts.advance(alert_horizon, [n.alert_id for n in news.alerts]))
        notifications = [alert for alert in news.alerts if alert.alert_id in fresh]
        if notifications:
            self._show(notifications)
            self.notified.emit(notifications)

    def _on_check_failed(self, _error: Exception) -> None:
        self._checking = False  # the server may be away; the next poll tries again

    def _show_notices(self, notices: list[RuleNotice]) -> None:
        if self.tray is None:
            return
        for notice in notices[-MAX_BALLOONS:]:
            self.tray.showMessage(
                f"{notice.key} · {notice.ticket_title}",
                notice.message,
                QSystemTrayIcon.MessageIcon.Information,
                10_000,
            )

    def _show(self, notifications: list[Notification]) -> None:
        if self.tray is None:
            return
        if len(notifications) > MAX_BALLOONS:
            keys = ", ".join(sorted({n.key for n in notifications}))
            self.tray.showMessage(
                self.tr("%n SLA alerts", "", len(notifications)),
                self.tr("Tickets {keys}").format(keys=keys),
                QSystemTrayIcon.MessageIcon.Warning,
                10_000,
            )
            return
        for notification in notifications:
            self.tray.showMessage(
                notification.headline(),
                notification.message(),
                _ICONS[notification.kind],
                10_000,
            )
