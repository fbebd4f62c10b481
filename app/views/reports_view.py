"""The Reports tab: distribution-by-tier reports with charts, their numbers as tables, the
imbalance findings, and the export to Excel.

The view knows no database: it is given ``load_report(query) -> DeskReport`` and
``export(query, path, progress, cancelled)``, and runs both through the ``OperationRunner``, so
the GUI thread never waits on them. Filters (date range, category, priority, tier, day or week
steps) make the ``ReportQuery``; Refresh loads it. Each report table gets a tab holding its
chart beside its numbers. The export runs the report shown, with a progress bar and a Cancel
button; a cancelled or failed export leaves no file.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate, QObject, QSortFilterProxyModel, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models import Priority
from app.services.excel_export import ExportCancelled, describe_filters, describe_range
from app.services.report_tables import DeskReport, ReportQuery, ReportTable
from app.views.item_models.report_table_model import SORT_ROLE, ReportTableModel
from app.views.message_bar import MessageBar
from app.views.operations import OperationRunner, describe_error
from app.views.report_charts import RENDER_HINT, build_chart

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
LoadReport = Callable[[ReportQuery], DeskReport]
Export = Callable[[ReportQuery, Path, Progress, Cancelled], None]
NARROW_TABLE_COLUMNS = 3  # up to this many columns, a table sits beside its chart
DEFAULT_DAYS = 30  # the range shown first: the last 30 days
MAX_INSIGHT_LINES = 7  # findings beyond these scroll
FILTER_SETTLE_MS = 600  # a changed filter loads its report after this long without changes
TRANSPARENT_SCROLL_STYLE = (
    "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
)
INSIGHTS_STYLE = (
    "QFrame#reportInsights { background: palette(alternate-base);"
    " border: 1px solid palette(mid); border-radius: 4px; }"
)


class _ProgressRelay(QObject):
    """Carries the export's progress from the worker thread to the GUI thread (a signal
    emitted on another thread is queued to this object's, the GUI, thread)."""

    progressed = Signal(int, int)


class ReportTab(QWidget):
    """One report: its description, its chart and, beside it, its numbers."""

    def __init__(self, table: ReportTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.model = ReportTableModel(table, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table_view = QTableView()
        self.table_view.setModel(self.proxy)
        self.table_view.setSortingEnabled(True)
        self.table_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order
        self.table_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.verticalHeader().hide()
        header = self.table_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(64)
        rows = self.table_view.verticalHeader()
        rows.setDefaultSectionSize(self.table_view.fontMetrics().height() + 8)
        description = QLabel(table.description)
        description.setWordWrap(True)
        self.chart = build_chart(table)
        self.chart_view: QChartView | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(description)
        if self.chart is None:
            layout.addWidget(self.table_view, 1)
            return
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(RENDER_HINT)
        self.chart_view.setMinimumSize(360, 260)
        # Narrow tables sit beside their chart; wide ones below it, at full width.
        beside = len(table.columns) <= NARROW_TABLE_COLUMNS
        splitter = QSplitter(Qt.Orientation.Horizontal if beside else Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.chart_view)
        splitter.addWidget(self.table_view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([3000, 2000])  # the chart larger than its numbers from the start
        layout.addWidget(splitter, 1)


class ReportsView(QWidget):
    """Filters, findings and one tab per report table, plus the Excel export.

    ``categories`` and ``tiers`` fill the filter lists (``set_categories`` / ``set_tiers``
    update them later); ``today`` tells the default range's last day."""

    #: A report was loaded and shown; carries the ``DeskReport``.
    report_loaded = Signal(object)
    #: An export finished; carries the ``Path`` of the workbook written.
    export_finished = Signal(object)

    def __init__(
        self,
        load_report: LoadReport,
        export: Export,
        runner: OperationRunner,
        categories: Sequence[str] = (),
        tiers: Sequence[str] = (),
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._load_report = load_report
        self._export = export
        self._runner = runner
        self._report: DeskReport | None = None
        self._generation = 0
        self._cancel: threading.Event | None = None
        self._relay = _ProgressRelay(self)
        self._relay.progressed.connect(self._on_relay_progressed)
        self.choose_export_path: Callable[[str], Path | None] = self._ask_export_path
        self._create_widgets(today())
        self.set_categories(categories)
        self.set_tiers(tiers)
        self._connect()

    # ------------------------------------------------------------------------------- layout
    def _create_widgets(self, today: date) -> None:
        self.from_edit = _date_edit(today - timedelta(days=DEFAULT_DAYS - 1), self.tr("First day"))
        self.to_edit = _date_edit(today, self.tr("Last day (inclusive)"))
        # Each end bounds the other, so that typing one never moves the other: a "from" typed
        # digit by digit (12 for the month of 2026-10-30) stops at "to" rather than push it.
        self.to_edit.setMinimumDate(self.from_edit.date())
        self.from_edit.setMaximumDate(self.to_edit.date())
        self.category_combo = _choice_combo(self.tr("All categories"), self.tr("Only one category"))
        self.priority_combo = _choice_combo(self.tr("Any priority"), self.tr("Only one priority"))
        for priority in Priority:
            self.priority_combo.addItem(priority.value, priority.value)
        self.tier_combo = _choice_combo(self.tr("All tiers"), self.tr("Only tickets at one tier"))
        self.period_combo = QComboBox()
        self.period_combo.addItem(self.tr("Per day"), "day")
        self.period_combo.addItem(self.tr("Per week"), "week")
        self.period_combo.setToolTip(self.tr("The step of the reports over time"))
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setToolTip(self.tr("Compute the reports for these filters"))
        self.export_button = QPushButton(self.tr("Export to &Excel…"))
        self.export_button.setToolTip(
            self.tr("Save the reports shown, and every ticket in range, as xlsx")
        )
        self.export_button.setEnabled(False)
        # A changed filter loads its report once the person has stopped changing filters
        # (each typed digit of a date is a change), so what is shown is what the filters say.
        self.filter_timer = QTimer(self)
        self.filter_timer.setSingleShot(True)
        self.filter_timer.setInterval(FILTER_SETTLE_MS)
        filters = QHBoxLayout()
        for label, widget in (
            (self.tr("From"), self.from_edit),
            (self.tr("to"), self.to_edit),
            (None, self.category_combo),
            (None, self.priority_combo),
            (None, self.tier_combo),
            (None, self.period_combo),
        ):
            if label:
                filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.refresh_button)
        filters.addStretch(1)
        filters.addWidget(self.export_button)

        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel export"))
        self.export_row = QWidget()
        export_layout = QHBoxLayout(self.export_row)
        export_layout.setContentsMargins(0, 0, 0, 0)
        export_layout.addWidget(QLabel(self.tr("Exporting…")))
        export_layout.addWidget(self.progress_bar, 1)
        export_layout.addWidget(self.cancel_button)
        self.export_row.hide()

        self.message_bar = MessageBar()
        self.status_label = QLabel(self.tr("Choose a range and press Refresh."))
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.insights_frame = QFrame()
        self.insights_frame.setObjectName("reportInsights")
        self.insights_frame.setStyleSheet(INSIGHTS_STYLE)
        self.insights_label = QLabel()
        self.insights_label.setWordWrap(True)
        self.insights_label.setTextFormat(Qt.TextFormat.RichText)
        self.insights_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Many findings scroll inside a few lines rather than pushing the charts down.
        scroll = QScrollArea()
        scroll.setWidget(self.insights_label)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        scroll.setMaximumHeight(self.fontMetrics().lineSpacing() * MAX_INSIGHT_LINES)
        insights_layout = QVBoxLayout(self.insights_frame)
        insights_layout.setContentsMargins(10, 6, 4, 6)
        insights_layout.addWidget(scroll)
        self.insights_frame.hide()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.export_row)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.insights_frame)
        layout.addWidget(self.tabs, 1)

    def _connect(self) -> None:
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.from_edit.dateChanged.connect(self._on_from_edit_date_changed)
        self.to_edit.dateChanged.connect(self._on_to_edit_date_changed)
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(self._on_filter_changed)
        for combo in (self.category_combo, self.priority_combo, self.tier_combo, self.period_combo):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.filter_timer.timeout.connect(self.refresh)

    # ----------------------------------------------------------------------------- contents
    def set_categories(self, names: Sequence[str]) -> None:
        """Offer these categories, keeping the current choice if it is still there."""
        _refill(self.category_combo, names)

    def set_tiers(self, codes: Sequence[str]) -> None:
        """Offer these tiers (ladder order), keeping the current choice if still there."""
        _refill(self.tier_combo, codes)

    def query(self) -> ReportQuery:
        """The report the filters ask for."""

        def chosen(combo: QComboBox) -> tuple[str, ...]:
            value = combo.currentData()
            return (value,) if value else ()

        return ReportQuery(
            start=_day(self.from_edit.date()),
            end=_day(self.to_edit.date()),
            categories=chosen(self.category_combo),
            priorities=chosen(self.priority_combo),
            tiers=chosen(self.tier_combo),
            period=self.period_combo.currentData(),
        )

    @property
    def report(self) -> DeskReport | None:
        """The report shown, if one was loaded."""
        return self._report

    def report_tabs(self) -> list[ReportTab]:
        tabs = (self.tabs.widget(index) for index in range(self.tabs.count()))
        return [tab for tab in tabs if isinstance(tab, ReportTab)]

    def refresh(self) -> None:
        """Load the report the filters ask for (off the GUI thread); newer loads win."""
        self.filter_timer.stop()
        self._generation += 1
        generation = self._generation
        query = self.query()
        self.refresh_button.setEnabled(False)
        self.status_label.setText(self.tr("Computing the reports…"))
        self._runner.run(
            lambda: self._load_report(query),
            lambda report: self._on_report_loaded(generation, report),
            lambda error: self._on_report_failed(generation, error),
        )

    def show_report(self, report: DeskReport) -> None:
        """Show ``report``: findings, and a tab per table (the same tab stays selected)."""
        self._report = report
        current = self.tabs.tabText(self.tabs.currentIndex()) if self.tabs.count() else None
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if widget is not None:
                widget.deleteLater()
        for table in report.tables:
            self.tabs.addTab(ReportTab(table), table.title)
        titles = [self.tabs.tabText(index) for index in range(self.tabs.count())]
        if current in titles:
            self.tabs.setCurrentIndex(titles.index(current))
        self._show_insights(report)
        generated = report.generated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        periods = {"day": self.tr("day"), "week": self.tr("week")}
        self.status_label.setText(
            self.tr("{range} · filters: {filters} · per {period} · computed {generated}").format(
                range=describe_range(report.query),
                filters=describe_filters(report.query),
                period=periods.get(report.query.period, report.query.period),
                generated=generated,
            )
        )
        self._update_export_button()

    def _update_export_button(self) -> None:
        """Export writes the report shown: only when the filters still ask for it, and no
        other export is running."""
        shown = self._report
        self.export_button.setEnabled(
            shown is not None and shown.query == self.query() and self._cancel is None
        )

    def _show_insights(self, report: DeskReport) -> None:
        if not report.insights:
            self.insights_label.setText(self.tr("No imbalance found against the thresholds set."))
        else:
            items = "".join(f"<li>{html.escape(insight.text)}</li>" for insight in report.insights)
            findings = html.escape(self.tr("Findings"))
            self.insights_label.setText(
                f"<b>{findings}</b><ul style='margin: 2px 0 0 -20px'>{items}</ul>"
            )
        self.insights_frame.show()

    # ------------------------------------------------------------------------------- export
    def start_export(self, path: Path) -> None:
        """Export the report shown (or, before any, the filters' report) to ``path``."""
        query = self._report.query if self._report else self.query()
        cancel = threading.Event()
        self._cancel = cancel
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress_bar.setRange(0, 0)  # busy until the first count arrives
        self.export_row.show()
        self.message_bar.clear()
        progressed = self._relay.progressed.emit
        self._runner.run(
            lambda: self._export(query, path, progressed, cancel.is_set),
            lambda _result: self._on_export_done(path),
            self._on_export_failed,
        )

    def _ask_export_path(self, suggested: str) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export reports to Excel"),
            suggested,
            self.tr("Excel workbook (*.xlsx)"),
        )
        return Path(name) if name else None

    def _suggested_name(self) -> str:
        query = self._report.query if self._report else self.query()
        days = "-".join(f"{day:%Y-%m-%d}" for day in (query.start, query.end) if day)
        return f"tierdesk-report-{days or 'all'}.xlsx"

    def _finish_export(self) -> None:
        self._cancel = None
        self.export_row.hide()
        self._update_export_button()

    # -------------------------------------------------------------------------------- slots
    @Slot()
    def _on_refresh_button_clicked(self) -> None:
        self.refresh()

    @Slot()
    def _on_export_button_clicked(self) -> None:
        path = self.choose_export_path(self._suggested_name())
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        self.start_export(path)

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.cancel_button.setEnabled(False)

    @Slot(int, int)
    def _on_relay_progressed(self, done: int, total: int) -> None:
        if self._cancel is None:
            return
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
            self.progress_bar.setFormat(
                self.tr("{done:,} of {total:,} tickets").format(done=done, total=total)
            )
        else:
            self.progress_bar.setRange(0, 0)
            self.progress_bar.setFormat(self.tr("{done:,} tickets").format(done=done))

    @Slot()
    def _on_filter_changed(self) -> None:
        self._update_export_button()
        if self._generation:  # before the tab is first shown, showing it loads the report
            self.filter_timer.start()

    @Slot(QDate)
    def _on_from_edit_date_changed(self, day: QDate) -> None:
        self.to_edit.setMinimumDate(day)

    @Slot(QDate)
    def _on_to_edit_date_changed(self, day: QDate) -> None:
        self.from_edit.setMaximumDate(day)

    def _on_report_loaded(self, generation: int, report: DeskReport) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self.refresh_button.setEnabled(True)
        self.message_bar.clear()
        self.show_report(report)
        self.report_loaded.emit(report)

    def _on_report_failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self.refresh_button.setEnabled(True)
        self.status_label.setText(self.tr("The reports could not be computed."))
        self.message_bar.show_message(describe_error(error))

    def _on_export_done(self, path: Path) -> None:
        self._finish_export()
        self.status_label.setText(self.tr("Exported to {path}").format(path=path))
        self.export_finished.emit(path)

    def _on_export_failed(self, error: Exception) -> None:
        self._finish_export()
        if isinstance(error, ExportCancelled):
            self.status_label.setText(str(error))
        else:
            self.message_bar.show_message(
                self.tr("The export failed: {reason}").format(reason=describe_error(error))
            )

    def refresh_if_shown(self) -> None:
        """Load the report again if one was shown (the desk changed under it); a tab never
        opened waits until it is."""
        if self._report is not None:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """The first time the tab is shown, load the default report."""
        super().showEvent(event)
        if self._report is None and self._generation == 0:
            self.refresh()


def _date_edit(day: date, tip: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setToolTip(tip)
    return edit


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _choice_combo(everything: str, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(everything, None)
    combo.setToolTip(tip)
    return combo


def _refill(combo: QComboBox, values: Sequence[str]) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(1)
    for value in values:
        combo.addItem(value, value)
    index = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
