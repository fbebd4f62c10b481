"""The Reports tab: its filters make the query that is loaded, each report table gets its chart
and its numbers, the findings are listed, and the Excel export runs off the GUI thread with a
progress bar and a Cancel button. The view is given its loader and exporter, so these tests
need no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCharts import QBarSeries, QLineSeries, QPieSeries, QStackedBarSeries
from PySide6.QtCore import QDate, Qt

from app.services.errors import InvalidInput, NotAllowed
from app.services.excel_export import ExportCancelled, export_workbook
from app.services.report_tables import ReportQuery
from app.views.item_models.report_table_model import SORT_ROLE, ReportTableModel
from app.views.operations import OperationRunner, SynchronousOperationRunner
from app.views.reports_view import FILTER_SETTLE_MS, ReportsView
from tests.report_samples import CATEGORIES, TICKET_COLUMNS, TIERS, sample_report, ticket_rows

TODAY = date(2026, 3, 1)


class Recorder:
    """Stands in for the reports service: records each query and returns the sample report."""

    def __init__(self) -> None:
        self.queries: list[ReportQuery] = []
        self.exports: list[tuple[ReportQuery, Path]] = []

    def load(self, query: ReportQuery) -> Any:
        self.queries.append(query)
        return sample_report(query)

    def export(self, query: ReportQuery, path: Path, progress: Any, cancelled: Any) -> None:
        self.exports.append((query, path))
        export_workbook(
            sample_report(query),
            TICKET_COLUMNS,
            ticket_rows(5_000),
            path,
            progress,
            cancelled,
            ticket_count=5_000,
        )


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def make_view(qtbot: Any, recorder: Recorder, runner: OperationRunner, **kwargs: Any) -> Any:
    view = ReportsView(
        kwargs.pop("load", recorder.load),
        kwargs.pop("export", recorder.export),
        runner,
        CATEGORIES,
        TIERS,
        today=lambda: TODAY,
    )
    qtbot.addWidget(view)
    return view


@pytest.fixture
def view(qtbot: Any, recorder: Recorder, runner: SynchronousOperationRunner) -> Any:
    return make_view(qtbot, recorder, runner)


def choose(combo: Any, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_default_range_is_the_last_thirty_days_and_showing_loads_it(
    qtbot: Any, view: Any, recorder: Recorder
) -> None:
    view.show()
    qtbot.waitExposed(view)
    assert recorder.queries == [ReportQuery(start=date(2026, 1, 31), end=TODAY, period="day")]


def test_filters_make_the_query_that_refresh_loads(
    qtbot: Any, view: Any, recorder: Recorder
) -> None:
    view.from_edit.setDate(QDate(2026, 1, 5))
    view.to_edit.setDate(QDate(2026, 2, 15))
    choose(view.category_combo, "Password")
    choose(view.priority_combo, "P2")
    choose(view.tier_combo, "L2")
    choose(view.period_combo, "week")
    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    assert recorder.queries == [
        ReportQuery(
            start=date(2026, 1, 5),
            end=date(2026, 2, 15),
            categories=("Password",),
            priorities=("P2",),
            tiers=("L2",),
            period="week",
        )
    ]
    assert view.report.query == recorder.queries[0]
    assert "Categories: Password · Priorities: P2 · Tiers: L2" in view.status_label.text()


def test_a_start_typed_past_the_end_stops_at_it_and_leaves_the_end_alone(view: Any) -> None:
    assert view.to_edit.date() == QDate(2026, 3, 1)
    view.from_edit.setDate(QDate(2026, 12, 15))
    assert view.from_edit.date() == QDate(2026, 3, 1)
    assert view.to_edit.date() == QDate(2026, 3, 1)


def test_the_range_cannot_end_before_it_starts(view: Any) -> None:
    view.from_edit.setDate(QDate(2026, 2, 20))
    view.to_edit.setDate(QDate(2026, 2, 1))
    assert view.to_edit.date() == QDate(2026, 2, 20)
    assert view.query().start <= view.query().end


def test_new_categories_keep_the_choice_when_it_is_still_offered(view: Any) -> None:
    choose(view.category_combo, "Email")
    view.set_categories(["Email", "Printing"])
    assert view.query().categories == ("Email",)
    view.set_categories(["Printing"])
    assert view.query().categories == ()


def test_each_report_gets_a_tab_with_its_chart_and_numbers(view: Any) -> None:
    view.refresh()
    report = view.report
    tabs = view.report_tabs()
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        table.title for table in report.tables
    ]
    expected = {
        "distribution_now": QPieSeries,
        "distribution_over_time": QStackedBarSeries,
        "time_in_tier": QBarSeries,
        "sla_compliance": QBarSeries,
        "backlog_ageing": QStackedBarSeries,
        "escalation_trend": QLineSeries,
    }
    for tab in tabs:
        if tab.table.key == "escalation_rates":
            assert tab.chart is None and tab.chart_view is None  # numbers only
            continue
        (series,) = tab.chart.series()
        assert type(series) is expected[tab.table.key], tab.table.key
        assert tab.model.rowCount() == len(tab.table.rows)
        assert tab.model.columnCount() == len(tab.table.columns)


def test_stacked_bars_carry_one_set_per_tier_with_the_table_values(view: Any) -> None:
    view.refresh()
    tab = next(tab for tab in view.report_tabs() if tab.table.key == "distribution_over_time")
    (series,) = tab.chart.series()
    assert [bar_set.label() for bar_set in series.barSets()] == list(TIERS)
    l2 = series.barSets()[1]
    assert [l2.at(i) for i in range(l2.count())] == [row[2] for row in tab.table.rows]
    x_axis = tab.chart.axes(Qt.Orientation.Horizontal)[0]
    assert x_axis.categories()[:2] == ["Jan 5", "Jan 12"]


def test_shares_are_drawn_as_percentages_and_the_pie_labels_its_slices(view: Any) -> None:
    view.refresh()
    tabs = {tab.table.key: tab for tab in view.report_tabs()}
    (sla,) = tabs["sla_compliance"].chart.series()
    assert sla.barSets()[0].at(0) == pytest.approx(100 * 1830 / 1950)
    (pie,) = tabs["distribution_now"].chart.series()
    assert [pie_slice.label() for pie_slice in pie.slices()] == [
        "L1  32%",
        "L2  48%",
        "L3  15%",
        "Vendor  5%",
    ]


def test_the_numbers_read_as_in_the_workbook(view: Any) -> None:
    view.refresh()
    tab = next(tab for tab in view.report_tabs() if tab.table.key == "escalation_rates")
    model = tab.model

    def shown(row: int, column: int) -> str:
        return model.data(model.index(row, column))

    assert [shown(0, column) for column in range(5)] == ["L1 → L2", "1,950", "1,115", "57.2%", "88"]
    assert shown(2, 4) == ""  # no figure
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Escalation rate"
    assert model.data(model.index(0, 3), SORT_ROLE) == pytest.approx(1115 / 1950)


def test_sorting_a_table_orders_numbers_as_numbers(view: Any) -> None:
    view.refresh()
    tab = next(tab for tab in view.report_tabs() if tab.table.key == "sla_compliance")

    def clocks() -> list[str]:
        return [tab.proxy.index(row, 0).data() for row in range(tab.proxy.rowCount())]

    assert clocks() == ["L1", "L2", "L3", "Vendor", "Customer"]  # the service's order first
    tab.table_view.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # "Met"
    assert clocks() == ["L1", "Customer", "L2", "L3", "Vendor"]


def test_findings_are_listed_above_the_reports(view: Any) -> None:
    view.refresh()
    assert view.insights_frame.isVisibleTo(view)
    text = view.insights_label.text()
    assert "L2 holds 48% of open tickets (target under 30%)." in text
    assert "&#x27;Password&#x27;" in text or "'Password'" in text


def test_a_refresh_keeps_the_chosen_report_tab(view: Any) -> None:
    view.refresh()
    view.tabs.setCurrentIndex(3)
    view.refresh()
    assert view.tabs.tabText(view.tabs.currentIndex()) == "SLA compliance"


def test_a_failed_load_is_said_in_words(qtbot: Any, recorder: Recorder, runner: Any) -> None:
    def refuse(_query: ReportQuery) -> Any:
        raise NotAllowed("Only supervisors and managers may read reports.")

    view = make_view(qtbot, recorder, runner, load=refuse)
    view.refresh()
    assert view.message_bar.text() == "Only supervisors and managers may read reports."
    assert view.refresh_button.isEnabled()
    assert not view.export_button.isEnabled()


@pytest.mark.parametrize("table", sample_report().tables, ids=lambda table: table.key)
def test_report_table_model_passes_the_model_tester(qtmodeltester: Any, table: Any) -> None:
    qtmodeltester.check(ReportTableModel(table))


def test_empty_report_table_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = ReportTableModel()
    qtmodeltester.check(model)
    model.set_table(sample_report().tables[0])
    qtmodeltester.check(model)


def test_a_changed_filter_loads_its_report_once_changes_settle(
    qtbot: Any, view: Any, recorder: Recorder
) -> None:
    view.show()
    qtbot.waitUntil(lambda: view.report is not None)
    assert view.export_button.isEnabled()
    view.from_edit.setDate(QDate(2026, 2, 10))
    choose(view.tier_combo, "L2")
    choose(view.priority_combo, "P1")
    # What is shown is no longer what the filters ask for: no export of it until it follows.
    assert not view.export_button.isEnabled()
    qtbot.waitUntil(lambda: len(recorder.queries) == 2)
    qtbot.wait(FILTER_SETTLE_MS + 200)
    assert len(recorder.queries) == 2  # one load for the three changes
    assert view.report.query == view.query() == recorder.queries[1]
    assert view.report.query.tiers == ("L2",) and view.report.query.priorities == ("P1",)
    assert "Priorities: P1 · Tiers: L2" in view.status_label.text()
    assert view.export_button.isEnabled()


def test_export_writes_the_shown_report_with_progress(
    qtbot: Any, view: Any, recorder: Recorder, tmp_path: Path
) -> None:
    view.from_edit.setDate(QDate(2026, 1, 5))
    view.refresh()
    view.choose_export_path = lambda suggested: tmp_path / "march"
    assert view.export_button.isEnabled()
    with qtbot.waitSignal(view.export_finished) as finished:
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "march.xlsx"
    assert finished.args == [path]
    assert recorder.exports == [(view.report.query, path)]
    assert recorder.exports[0][0].start == date(2026, 1, 5)
    assert (view.progress_bar.value(), view.progress_bar.maximum()) == (5_000, 5_000)
    assert view.progress_bar.format() == "5,000 of 5,000 tickets"
    assert view.status_label.text() == f"Exported to {path}"
    assert view.export_row.isHidden() and view.export_button.isEnabled()
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames[0] == "Summary" and workbook.sheetnames[-1] == "Tickets"
    workbook.close()


def test_the_export_suggests_a_name_from_the_range(view: Any) -> None:
    suggested: list[str] = []
    view.refresh()
    view.choose_export_path = lambda name: suggested.append(name)  # the person cancels: None
    view.export_button.click()
    assert suggested == ["tierdesk-report-2026-01-31-2026-03-01.xlsx"]
    assert view.export_row.isHidden()


def test_cancel_stops_the_export_and_says_no_file_was_written(
    qtbot: Any, recorder: Recorder, runner: Any, tmp_path: Path
) -> None:
    heard: list[bool] = []

    def export(_query: Any, path: Path, progress: Any, cancelled: Any) -> None:
        progress(2_000, 10_000)
        view.cancel_button.click()  # the person clicks Cancel while the export runs
        heard.append(cancelled())
        raise ExportCancelled()

    view = make_view(qtbot, recorder, runner, export=export)
    view.refresh()
    view.start_export(tmp_path / "report.xlsx")
    assert heard == [True]
    assert view.status_label.text() == "Export cancelled; no file was written."
    assert view.message_bar.text() == ""
    assert view.export_row.isHidden() and view.export_button.isEnabled()


def test_a_failed_export_is_said_in_words(
    qtbot: Any, recorder: Recorder, runner: Any, tmp_path: Path
) -> None:
    def export(*_args: Any) -> None:
        raise InvalidInput("path", "cannot write /nowhere/report.xlsx: No such file or directory")

    view = make_view(qtbot, recorder, runner, export=export)
    view.refresh()
    view.start_export(Path("/nowhere/report.xlsx"))
    assert view.message_bar.text() == (
        "The export failed: path: cannot write /nowhere/report.xlsx: No such file or directory"
    )
    assert view.export_button.isEnabled()


def test_export_on_a_worker_thread_reports_progress_on_the_gui_thread(
    qtbot: Any, recorder: Recorder, tmp_path: Path
) -> None:
    runner = OperationRunner()
    view = make_view(qtbot, recorder, runner)
    view.show_report(sample_report())
    shown: list[tuple[int, int]] = []
    view._relay.progressed.connect(lambda done, total: shown.append((done, total)))
    with qtbot.waitSignal(view.export_finished, timeout=60_000):
        view.start_export(tmp_path / "threaded.xlsx")
        assert not view.export_row.isHidden()  # the GUI thread is free while the export runs
        assert not view.export_button.isEnabled()
    assert shown[-1] == (5_000, 5_000)
    assert (tmp_path / "threaded.xlsx").exists()
    runner.wait_for_done()


def test_a_chart_of_nothing_but_zeros_draws_a_plain_scale(view: Any) -> None:
    """Qt warns about an empty value range (and a warning fails the test); none here."""
    table = replace(sample_report().table("sla_compliance"), rows=(("L1", 0, 0, None),))
    view.show_report(replace(sample_report(), tables=(table,)))
    (tab,) = view.report_tabs()
    (y_axis,) = tab.chart.axes(Qt.Orientation.Vertical)
    assert (y_axis.min(), y_axis.max()) == (0, 100)


def test_a_report_without_rows_shows_its_empty_table_and_no_chart(view: Any) -> None:
    table = replace(sample_report().table("distribution_now"), rows=())
    view.show_report(replace(sample_report(), tables=(table,), insights=()))
    (tab,) = view.report_tabs()
    assert tab.chart is None and tab.model.rowCount() == 0
    assert view.insights_label.text() == "No imbalance found against the thresholds set."


def test_stacked_bars_scale_to_the_tallest_stack(view: Any) -> None:
    view.refresh()
    tab = next(tab for tab in view.report_tabs() if tab.table.key == "distribution_over_time")
    (y_axis,) = tab.chart.axes(Qt.Orientation.Vertical)
    tallest = max(sum(row[1:]) for row in tab.table.rows)
    assert tallest <= y_axis.max() < tallest * 1.5
