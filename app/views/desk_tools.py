"""The desk's tools beyond the tickets, in the main window's "Desk" menu and its Reports tab:
distribution reports with the Excel export, history import, and the supervisors' configuration
and rules dialogs (read-only for everyone else). ``DeskTools`` builds each on demand from the
services, so the main window only adds its menu and its tab. The dialogs and the reports view
are imported when first used: their charts (QtCharts) and rule editors would slow the start.

A dialog is deleted when it closes (``WA_DeleteOnClose``): each time the menu opens one, it is a
new one, and the main window must not keep the old ones as children for the rest of the day.
So a configuration save that ends after its dialog closed is reported to ``DeskTools`` itself
(the dialog's ``on_saved``), not through the dialog: the window still reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from app.models import Role
from app.services.database import Database
from app.services.dto import UserView
from app.services.report_tables import ReportQuery
from app.services.reports import ReportService
from app.views.operations import OperationRunner

if TYPE_CHECKING:
    from app.views.reports_view import ReportsView

#: Who may import another tool's history into the desk (it creates tickets by the thousand).
IMPORTING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


class DeskTools(QObject):
    """The "Desk" menu's actions and the dialogs they open, for one signed-in person."""

    #: Something the tools did changed tickets or the set-up: the window reloads.
    desk_changed = Signal()

    def __init__(
        self,
        parent: QWidget,
        database: Database,
        user: UserView,
        runner: OperationRunner,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.window, self.database, self.user, self.runner = parent, database, user, runner
        self._now = now
        self.reports = ReportService(database)
        self._dialog: QDialog | None = None  # the last one opened; deleted once closed
        supervising = user.role in IMPORTING_ROLES
        self.configuration_action = QAction(self.tr("Desk &configuration…"), self)
        self.configuration_action.setToolTip(
            self.tr("Tiers, categories, SLA policy and business calendars")
            if supervising
            else self.tr("Tiers, categories, SLA policy and calendars (read only)")
        )
        self.rules_action = QAction(self.tr("Escalation &rules…"), self)
        self.rules_action.setToolTip(self.tr("Rules that move tickets between tier queues"))
        self.import_action = QAction(self.tr("&Import history…"), self)
        self.import_action.setToolTip(self.tr("Bring in tickets from another service desk"))
        self.import_action.setEnabled(supervising)
        self.configuration_action.triggered.connect(self._on_configuration_action_triggered)
        self.rules_action.triggered.connect(self._on_rules_action_triggered)
        self.import_action.triggered.connect(self._on_import_action_triggered)

    def menu(self) -> QMenu:
        menu = QMenu(self.tr("&Desk"), self.window)
        menu.addActions([self.configuration_action, self.rules_action])
        menu.addSeparator()
        menu.addAction(self.import_action)
        return menu

    def reports_view(self) -> ReportsView:
        """The Reports tab: its filters, charts and tables, and the Excel export."""
        from app.views.reports_view import ReportsView

        now = self._now
        today = (lambda: now().date()) if now is not None else date.today
        return ReportsView(self.reports.build, self._export_report, self.runner, today=today)

    def _export_report(
        self,
        query: ReportQuery,
        path: Path,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> None:
        from app.services.excel_export import export_workbook

        columns, rows = self.reports.ticket_rows(query)
        export_workbook(
            self.reports.build(query), columns, rows, path, progress, cancelled,
            ticket_count=self.reports.count_tickets(query),
        )  # fmt: skip

    # -------------------------------------------------------------------------------- dialogs
    def _on_configuration_action_triggered(self) -> None:
        from app.services.configuration import ConfigurationService
        from app.views.configuration_dialog import ConfigurationDialog

        dialog = ConfigurationDialog(
            ConfigurationService(self.database),
            self.user.login,
            self.runner,
            self.window,
            on_saved=self._on_dialog_changed_desk,  # not dialog.saved: it dies with the dialog
        )
        self._show(dialog)

    def _on_rules_action_triggered(self) -> None:
        from app.services.preview import preview_rules, replay_rules
        from app.services.rules.service import RuleService
        from app.views.rules_dialog import RulesDialog

        database = self.database
        dialog = RulesDialog(
            RuleService(database),
            self.runner,
            lambda rules: preview_rules(database, rules),
            lambda rules, days, progress, cancelled: replay_rules(
                database, rules, days, progress, cancelled
            ),
            self.user.role,
            self.user.login,
            self.window,
        )
        self._show(dialog)

    def _on_import_action_triggered(self) -> None:
        from app.services.history_import import HistoryImporter
        from app.views.import_dialog import HistoryImportDialog

        dialog = HistoryImportDialog(HistoryImporter(self.database), self.runner, self.window)
        dialog.imported.connect(self._on_dialog_changed_desk)
        self._show(dialog)

    def open_dialog(self) -> QDialog | None:
        """The dialog the Desk menu opened and that is still open; None once it closed (Qt
        deleted it then, so only this check may touch the old reference)."""
        dialog = self._dialog
        if dialog is None or not shiboken6.isValid(dialog) or not dialog.isVisible():
            return None
        return dialog

    def _show(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialog = dialog
        dialog.open()

    def _on_dialog_changed_desk(self, *_: Any) -> None:
        if shiboken6.isValid(self):  # a save may end after the window closed, too
            self.desk_changed.emit()
