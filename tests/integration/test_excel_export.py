"""The Excel export, re-opened with openpyxl: the sheets, their formatting, the native charts
and the numbers a manager reads; a Tickets sheet with no row cap; and a file that appears
whole or not at all. The export renders a ``DeskReport`` and needs no database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.chart import BarChart, LineChart, PieChart
from openpyxl.worksheet import _writer as openpyxl_writer

from app.services import excel_tickets
from app.services.errors import InvalidInput
from app.services.excel_export import SERIES_COLOURS, ExportCancelled, export_workbook
from app.services.report_tables import Column, ColumnKind, ReportQuery, ReportTable
from app.services.reports import ReportService
from tests.factories import Desk
from tests.report_samples import TICKET_COLUMNS, sample_report, ticket_rows

HEADER_ROW = 4
FIRST_ROW = 5


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "report.xlsx"
    export_workbook(sample_report(), TICKET_COLUMNS, list(ticket_rows(250)), path)
    return path


@pytest.fixture(scope="module")
def workbook(workbook_path: Path) -> Any:
    return openpyxl.load_workbook(workbook_path)


def sheet_of(workbook: Any, key: str) -> Any:
    return workbook[sample_report().table(key).title]


def test_summary_first_then_one_sheet_per_table_then_tickets(workbook: Any) -> None:
    titles = [table.title for table in sample_report().tables]
    assert workbook.sheetnames == ["Summary", *titles, "Tickets"]


def test_summary_states_range_filters_time_and_findings(tmp_path: Path) -> None:
    query = ReportQuery(
        start=date(2026, 1, 5), end=date(2026, 3, 1), categories=("Password",), tiers=("L2", "L3")
    )
    path = tmp_path / "filtered.xlsx"
    export_workbook(sample_report(query), TICKET_COLUMNS, ticket_rows(3), path)
    summary = openpyxl.load_workbook(path)["Summary"]
    labelled = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}
    assert labelled["Range"] == "2026-01-05 to 2026-03-01"
    assert labelled["Filters"] == "Categories: Password · Tiers: L2, L3"
    assert labelled["Generated"] == "2026-03-02 08:30 UTC"
    texts = [row[1] for row in summary.iter_rows(values_only=True)]
    for insight in sample_report().insights:
        assert insight.text in texts
    assert "Every ticket in the range: 3 tickets." in texts


def test_summary_links_to_every_sheet(workbook: Any) -> None:
    summary = workbook["Summary"]
    links = [row[0].hyperlink.location for row in summary.iter_rows() if row[0].hyperlink]
    assert links == [f"'{name}'!A1" for name in workbook.sheetnames[1:]]


def test_summary_says_so_when_nothing_is_out_of_balance(tmp_path: Path) -> None:
    path = tmp_path / "calm.xlsx"
    export_workbook(replace(sample_report(), insights=()), TICKET_COLUMNS, [], path)
    texts = [row[1] for row in openpyxl.load_workbook(path)["Summary"].iter_rows(values_only=True)]
    assert "No imbalance found against the thresholds set." in texts


@pytest.mark.parametrize("table", sample_report().tables, ids=lambda table: table.key)
def test_table_sheet_holds_the_numbers_with_formats(workbook: Any, table: ReportTable) -> None:
    sheet = workbook[table.title]
    assert sheet["A1"].value == table.title
    assert sheet["A2"].value == table.description
    header = sheet[HEADER_ROW]
    assert [cell.value for cell in header] == [column.title for column in table.columns]
    assert all(cell.font.b and cell.fill.fgColor.rgb.endswith("2F6FD6") for cell in header)
    expected_formats = {
        ColumnKind.COUNT: "#,##0",
        ColumnKind.SHARE: "0.0%",
        ColumnKind.HOURS: "0.0",
        ColumnKind.DATE: "yyyy-mm-dd",
    }
    for offset, row in enumerate(table.rows):
        cells = sheet[FIRST_ROW + offset]
        for column, value, cell in zip(table.columns, row, cells, strict=False):
            if value is None:
                assert cell.value is None
                continue
            if column.kind == ColumnKind.DATE:
                assert cell.value.date() == value  # Excel keeps days as midnight instants
            else:
                assert cell.value == pytest.approx(value)
            if column.kind in expected_formats:
                assert cell.number_format == expected_formats[column.kind], column.key
    assert sheet.freeze_panes == f"A{FIRST_ROW}"
    last_column = openpyxl.utils.get_column_letter(len(table.columns))
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:{last_column}{HEADER_ROW + len(table.rows)}"


def test_column_widths_fit_headers(workbook: Any) -> None:
    sheet = sheet_of(workbook, "time_in_tier")
    table = sample_report().table("time_in_tier")
    for index, column in enumerate(table.columns, 1):
        width = sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width
        assert len(column.title) < width <= 60


def chart_of(workbook: Any, key: str) -> Any:
    charts = sheet_of(workbook, key)._charts
    assert len(charts) == 1
    return charts[0]


def test_distribution_now_is_a_pie_over_the_open_counts(workbook: Any) -> None:
    chart = chart_of(workbook, "distribution_now")
    name = sample_report().table("distribution_now").title
    assert isinstance(chart, PieChart)
    (series,) = chart.series
    assert series.val.numRef.f == f"'{name}'!$B$5:$B$8"
    assert series.cat.numRef.f == f"'{name}'!$A$5:$A$8"
    assert series.tx.strRef.f == f"'{name}'!B4"
    assert chart.dataLabels.showPercent


def test_distribution_over_time_is_a_stacked_column_chart_per_tier(workbook: Any) -> None:
    chart = chart_of(workbook, "distribution_over_time")
    name = sample_report().table("distribution_over_time").title
    assert isinstance(chart, BarChart)
    assert (chart.type, chart.grouping, chart.overlap) == ("col", "stacked", 100)
    assert [series.tx.strRef.f for series in chart.series] == [
        f"'{name}'!{column}4" for column in "BCDE"
    ]
    assert chart.series[3].val.numRef.f == f"'{name}'!$E$5:$E$12"
    assert chart.series[0].cat.numRef.f == f"'{name}'!$A$5:$A$12"
    assert chart.anchor._from.col == 6 and chart.anchor._from.row == HEADER_ROW - 1  # G4


def test_charts_colour_tiers_as_the_reports_view_does(workbook: Any) -> None:
    bars = chart_of(workbook, "distribution_over_time")
    assert [series.graphicalProperties.solidFill.srgbClr for series in bars.series] == list(
        SERIES_COLOURS[:4]
    )
    (pie,) = chart_of(workbook, "distribution_now").series
    assert [point.graphicalProperties.solidFill.srgbClr for point in pie.dPt] == list(
        SERIES_COLOURS[:4]
    )


def test_time_in_tier_and_sla_are_clustered_bars_and_the_trend_a_line(workbook: Any) -> None:
    time_in_tier = chart_of(workbook, "time_in_tier")
    assert isinstance(time_in_tier, BarChart) and time_in_tier.grouping == "clustered"
    assert len(time_in_tier.series) == 2
    sla = chart_of(workbook, "sla_compliance")
    assert isinstance(sla, BarChart)
    assert sla.series[0].val.numRef.f.endswith("!$D$5:$D$9")
    assert sla.y_axis.number_format.formatCode == "0%"
    assert isinstance(chart_of(workbook, "escalation_trend"), LineChart)


def test_a_table_without_chart_spec_gets_no_chart(workbook: Any) -> None:
    assert sheet_of(workbook, "escalation_rates")._charts == []


def test_an_empty_table_says_so_and_draws_nothing(tmp_path: Path) -> None:
    empty = replace(sample_report().table("time_in_tier"), rows=())
    path = tmp_path / "empty.xlsx"
    export_workbook(replace(sample_report(), tables=(empty,)), TICKET_COLUMNS, [], path)
    sheet = openpyxl.load_workbook(path)[empty.title]
    assert sheet["A5"].value == "No figures for this range."
    assert sheet._charts == []


def test_sheet_names_are_made_valid_and_unique(tmp_path: Path) -> None:
    table = sample_report().table("escalation_rates")
    tables = (
        replace(table, title="Escalations L1/L2 [per category]: a very long title"),
        replace(table, title="Escalations L1/L2 [per category]: a very long title"),
        replace(table, title="Tickets"),
    )
    path = tmp_path / "names.xlsx"
    export_workbook(replace(sample_report(), tables=tables), TICKET_COLUMNS, [], path)
    assert openpyxl.load_workbook(path).sheetnames == [
        "Summary",
        "Escalations L1-L2 -per…",  # whole words, within Excel's 31 characters
        "Escalations L1-L2 -per… (2)",
        "Tickets (2)",
        "Tickets",
    ]


def ticket_sheet(path: Path) -> Any:
    return openpyxl.load_workbook(path)["Tickets"]


def test_tickets_sheet_has_every_row_formatted_with_header_frozen_and_filtered(
    workbook: Any,
) -> None:
    sheet = workbook["Tickets"]
    assert sheet.max_row == 251
    assert [cell.value for cell in sheet[1]] == [column.title for column in TICKET_COLUMNS]
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L251"
    first = next(ticket_rows(1))
    row = sheet[2]
    assert [cell.value for cell in row[:7]] == list(first[:7])
    assert row[7].value == first[7] and row[7].number_format == "yyyy-mm-dd hh:mm"
    assert row[9].number_format == "#,##0"
    assert row[11].value == first[11] and row[11].number_format == "0.0"
    assert sheet["I4"].value is None  # every third ticket is still open: no resolved time


def test_ticket_text_stays_text_and_dates_have_no_time_zone(tmp_path: Path) -> None:
    columns = (
        Column("title", "Title", ColumnKind.TEXT),
        Column("opened", "Opened", ColumnKind.DATE),
        Column("due", "Due", ColumnKind.DATE),
        Column("share", "Share", ColumnKind.SHARE),
    )
    aware = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    rows = [
        ('=HYPERLINK("http://x")', aware, date(2026, 1, 9), 0.25),
        ("bell\x07 and tab\tkept", None, None, None),
    ]
    path = tmp_path / "text.xlsx"
    export_workbook(sample_report(), columns, rows, path)
    sheet = ticket_sheet(path)
    assert sheet["A2"].value == '=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == aware.astimezone().replace(tzinfo=None)
    assert sheet["C2"].value == datetime(2026, 1, 9) and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].number_format == "0.0%"
    assert sheet["A3"].value == "bell and tab\tkept"


def test_the_slower_public_path_writes_the_same_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel_tickets, "ROW_HOOK", "_no_such_hook")
    path = tmp_path / "public.xlsx"
    export_workbook(sample_report(), TICKET_COLUMNS, list(ticket_rows(20)), path)
    sheet = ticket_sheet(path)
    expected = list(ticket_rows(20))
    assert [cell.value for cell in sheet[21]] == list(expected[19])
    assert sheet["H2"].number_format == "yyyy-mm-dd hh:mm" and sheet["L2"].number_format == "0.0"


@pytest.mark.slow
def test_one_hundred_thousand_tickets_are_all_written(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    export_workbook(sample_report(), TICKET_COLUMNS, ticket_rows(100_000), path)
    big = openpyxl.load_workbook(path, read_only=True)
    sheet = big["Tickets"]
    count = sum(1 for _ in sheet.iter_rows(min_row=2, max_col=1, values_only=True))
    last = next(sheet.iter_rows(min_row=100_001, max_row=100_001, max_col=1, values_only=True))
    big.close()
    assert count == 100_000
    assert last == ("TD-100000",)


def test_progress_counts_rows_up_to_the_total(tmp_path: Path) -> None:
    heard: list[tuple[int, int]] = []
    export_workbook(
        sample_report(),
        TICKET_COLUMNS,
        ticket_rows(5_000),
        tmp_path / "progress.xlsx",
        progress=lambda done, total: heard.append((done, total)),
        ticket_count=5_000,
    )
    assert heard == [(0, 5_000), (2_000, 5_000), (4_000, 5_000), (5_000, 5_000)]


def test_progress_total_is_unknown_for_an_iterator_until_the_end(tmp_path: Path) -> None:
    heard: list[tuple[int, int]] = []
    rows = ticket_rows(2_500)
    export_workbook(
        sample_report(),
        TICKET_COLUMNS,
        rows,
        tmp_path / "p.xlsx",
        progress=lambda *p: heard.append(p),
    )
    assert heard == [(0, 0), (2_000, 0), (2_500, 2_500)]


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_cancel_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"last month's report")
    started = set(openpyxl_writer.ALL_TEMP_FILES)
    heard: list[int] = []
    with pytest.raises(ExportCancelled, match="no file was written"):
        export_workbook(
            sample_report(),
            TICKET_COLUMNS,
            ticket_rows(10_000),
            target,
            progress=lambda done, _total: heard.append(done),
            cancelled=lambda: bool(heard) and heard[-1] >= 2_000,
        )
    assert heard[-1] == 2_000  # stopped at the first check after the wish, not at the end
    assert leftovers(tmp_path) == ["report.xlsx"]
    assert target.read_bytes() == b"last month's report"
    streaming_files = [Path(name) for name in openpyxl_writer.ALL_TEMP_FILES if name not in started]
    assert not any(path.exists() for path in streaming_files)


def test_a_failing_row_source_leaves_no_file(tmp_path: Path) -> None:
    def rows() -> Iterator[tuple[Any, ...]]:
        yield from ticket_rows(3_000)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        export_workbook(sample_report(), TICKET_COLUMNS, rows(), tmp_path / "report.xlsx")
    assert leftovers(tmp_path) == []


def test_a_missing_folder_is_invalid_input_naming_the_path(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "report.xlsx"
    with pytest.raises(InvalidInput, match="no such folder") as raised:
        export_workbook(sample_report(), TICKET_COLUMNS, [], target)
    assert raised.value.field == "path"
    assert str(target) in str(raised.value)


def test_a_folder_as_target_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="is a folder"):
        export_workbook(sample_report(), TICKET_COLUMNS, [], tmp_path)
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")
    export_workbook(sample_report(), TICKET_COLUMNS, ticket_rows(5), target)
    assert ticket_sheet(target).max_row == 6
    assert leftovers(tmp_path) == ["report.xlsx"]


def test_a_row_source_is_closed_when_the_export_is_cancelled(tmp_path: Path) -> None:
    closed: list[bool] = []

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            yield from ticket_rows(10_000)
        finally:
            closed.append(True)  # a database cursor's transaction would end here

    with pytest.raises(ExportCancelled):
        export_workbook(
            sample_report(), TICKET_COLUMNS, rows(), tmp_path / "r.xlsx", cancelled=lambda: True
        )
    assert closed == [True]


def test_long_summary_text_wraps_in_rows_tall_enough(tmp_path: Path) -> None:
    long = replace(sample_report().table("time_in_tier"), description="Hours in tier. " * 20)
    path = tmp_path / "long.xlsx"
    export_workbook(replace(sample_report(), tables=(long,)), TICKET_COLUMNS, [], path)
    summary = openpyxl.load_workbook(path)["Summary"]
    (row,) = [row for row in summary.iter_rows() if row[1].value == long.description]
    assert row[1].alignment.wrap_text
    assert summary.row_dimensions[row[1].row].height == 45  # 300 characters: three lines


def test_a_report_of_a_real_desk_exports_on_each_database(desk: Desk, tmp_path: Path) -> None:
    """The reports service's own tables and ticket stream, through the export."""
    keys = [desk.ticket(title=f"VPN drops #{number}").key for number in range(4)]
    keys.append(desk.resolved_ticket(title="=1+1 is not a formula").key)
    service = ReportService(desk.database, desk.clock)
    query = ReportQuery()
    report = service.build(query)
    columns, rows = service.ticket_rows(query)
    path = tmp_path / "desk.xlsx"
    export_workbook(report, columns, rows, path, ticket_count=service.count_tickets(query))
    workbook = openpyxl.load_workbook(path)
    assert len(workbook.sheetnames) == len(report.tables) + 2
    tickets = workbook["Tickets"]
    assert [cell.value for cell in tickets[1]] == [column.title for column in columns]
    assert sorted(row[0] for row in tickets.iter_rows(min_row=2, values_only=True)) == sorted(keys)
    titles = [row[1] for row in tickets.iter_rows(min_row=2, values_only=True)]
    assert "=1+1 is not a formula" in titles
    now = report.table("distribution_now")
    sheet = workbook.worksheets[1 + report.tables.index(now)]
    figures = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=5)]
    assert figures == [tuple(row) for row in now.rows]
