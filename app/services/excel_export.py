"""A desk report as an Excel workbook: a Summary sheet (range, filters, findings, a list of the
sheets), one sheet per report table with its native Excel chart beside it, and a Tickets sheet
with every ticket in range, however many.

The whole workbook is written in openpyxl's write-only mode, so that 100,000 tickets and more
stream to disk in near-constant memory. Write-only sheets take their column widths and frozen
panes before the first row (openpyxl writes them at the top of the sheet's XML), the autofilter
and charts any time before saving. Styled values go in as ``WriteOnlyCell``s
(``excel_cells``); the Tickets sheet (``excel_tickets``) reuses one styled cell per column
rather than making one per value, which keeps the export close to the cost of writing the bare
values.

The file appears whole or not at all: the workbook is saved to a hidden file beside the target
and renamed over it at the end; a failure or a cancel removes the partial file.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Iterable, Sequence, Sized
from datetime import UTC
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from app.services.errors import InvalidInput
from app.services.excel_cells import (
    LABEL_FONT,
    LINK_FONT,
    NOTE_FONT,
    NUMBER_FORMATS,
    TITLE_FONT,
    TOP,
    WRAPPED,
    header_cell,
    number_format,
    print_landscape,
    styled,
    value_cell,
    widths,
)
from app.services.excel_tickets import Cancelled, ExportCancelled, Progress, write_tickets
from app.services.file_beside import move_over, new_file_beside
from app.services.report_tables import (
    ChartKind,
    Column,
    ColumnKind,
    DeskReport,
    ReportQuery,
    ReportTable,
)

#: One colour per chart series, in order (tiers keep theirs); the reports view uses the same.
SERIES_COLOURS = ("2F6FD6", "E0793A", "3AA676", "9B59B6", "C0392B", "7F8C8D")
AXIS_FORMATS = {ColumnKind.SHARE: "0%", ColumnKind.HOURS: "0", ColumnKind.COUNT: "#,##0"}
SUMMARY_SHEET = "Summary"
TICKETS_SHEET = "Tickets"
TABLE_HEADER_ROW = 4  # title, description, a blank line, then the table
SUMMARY_TEXT_WIDTH = 100  # characters in the Summary's text column
CHARACTERS_PER_WIDTH = 1.15  # a column width counts "0"s; text averages narrower letters
LINE_HEIGHT = 15  # points per line of 11 pt text
SHEET_NAME_LIMIT = 31  # Excel's
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def export_workbook(
    report: DeskReport,
    ticket_columns: tuple[Column, ...],
    ticket_rows: Iterable[tuple[Any, ...]],
    path: Path,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    ticket_count: int | None = None,
) -> None:
    """Write ``report`` and the tickets to the workbook at ``path``, replacing any file there.

    ``progress(done, total)`` hears how many ticket rows are written, every few thousand;
    ``total`` is ``ticket_count`` (or the length of ``ticket_rows`` where it has one), else 0
    for unknown. When ``cancelled()`` turns true the export stops with ``ExportCancelled`` and
    leaves no file. An unwritable ``path`` is ``InvalidInput`` naming it."""
    target = Path(path)
    part = _part_file_beside(target)
    workbook = Workbook(write_only=True)
    try:
        names = _SheetNames()
        table_sheets = [(names.take(table.title), table) for table in report.tables]
        for name, table in table_sheets:
            _write_table_sheet(workbook.create_sheet(name), table)
        total = ticket_count
        if total is None:
            total = len(ticket_rows) if isinstance(ticket_rows, Sized) else 0
        written = write_tickets(
            workbook.create_sheet(TICKETS_SHEET),
            ticket_columns,
            ticket_rows,
            total,
            progress or (lambda _done, _total: None),
            cancelled or (lambda: False),
        )
        contents = [(name, table.description) for name, table in table_sheets]
        contents.append((TICKETS_SHEET, f"Every ticket in the range: {written:,} tickets."))
        _write_summary(workbook.create_sheet(SUMMARY_SHEET, 0), report, contents)
        workbook.save(part)
        move_over(part, target, "path")
    except OSError as error:  # a full disk, a folder gone meanwhile
        _discard(workbook, part)
        raise InvalidInput("path", f"cannot write {target}: {error.strerror}") from error
    except BaseException:
        _discard(workbook, part)
        raise


class _SheetNames:
    """Unique sheet names Excel accepts: no ``[]:*?/\\``, at most 31 characters. "Summary"
    and "Tickets" are kept for the sheets of that name."""

    def __init__(self) -> None:
        self._taken: set[str] = {SUMMARY_SHEET.lower(), TICKETS_SHEET.lower()}

    def take(self, wanted: str) -> str:
        base = _NOT_IN_SHEET_NAMES.sub("-", wanted).strip("' ") or "Report"
        name, number = _shortened(base, SHEET_NAME_LIMIT), 2
        while name.lower() in self._taken:
            suffix = f" ({number})"
            name = _shortened(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
            number += 1
        self._taken.add(name.lower())
        return name


def _shortened(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut after a whole word and marked with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" -") + "…"


def _part_file_beside(target: Path) -> Path:
    """``file_beside.new_file_beside``, after refusing a folder as the target."""
    try:  # a name too long for the system raises here
        is_folder = target.is_dir()
    except OSError as error:
        raise InvalidInput("path", f"cannot write {target}: {error.strerror}") from error
    if is_folder:
        raise InvalidInput("path", f"{target} is a folder; choose a file name ending in .xlsx")
    return new_file_beside(target, "path")


def _discard(workbook: Any, part: Path) -> None:
    """Remove the partial file and the sheets' streaming files (openpyxl keeps each
    write-only sheet in a temporary file until the workbook is saved)."""
    part.unlink(missing_ok=True)
    for sheet in workbook.worksheets:
        writer = getattr(sheet, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            rows = getattr(sheet, "_rows", None)
            if rows is not None:  # ends the sheet's row stream before its file closes
                rows.close()
        with contextlib.suppress(Exception):
            writer.xf.close()
        with contextlib.suppress(OSError):
            os.remove(writer.out)


# --- Summary ---------------------------------------------------------------------------------


def _write_summary(sheet: Any, report: DeskReport, contents: Sequence[tuple[str, str]]) -> None:
    print_landscape(sheet)
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = SUMMARY_TEXT_WIDTH
    query = report.query
    generated = report.generated_at
    if generated.tzinfo is not None:
        generated = generated.astimezone(UTC)
    rows: list[list[Any]] = [
        [styled(sheet, "TierDesk distribution report", font=TITLE_FONT)],
        [],
        [_label(sheet, "Range"), describe_range(query)],
        [_label(sheet, "Filters"), describe_filters(query)],
        [_label(sheet, "Time series"), f"per {query.period}"],
        [_label(sheet, "Generated"), f"{generated:%Y-%m-%d %H:%M} UTC"],
        [],
    ]
    findings = [insight.text for insight in report.insights] or [
        "No imbalance found against the thresholds set."
    ]
    for number, text in enumerate(findings):
        rows.append([_label(sheet, "Findings") if number == 0 else None, text])
    rows.append([])
    rows.append([header_cell(sheet, "Sheet"), header_cell(sheet, "What it shows")])
    for name, description in contents:
        link = styled(sheet, name, font=LINK_FONT, alignment=TOP)
        link.hyperlink = Hyperlink(ref="", location=f"'{name}'!A1", display=name)
        rows.append([link, description])
    long = SUMMARY_TEXT_WIDTH * CHARACTERS_PER_WIDTH  # characters on one line
    for number, row in enumerate(rows, 1):
        if len(row) == 2 and isinstance(row[1], str) and len(row[1]) > long:
            # Long text wraps in its column; the row is given the height of its lines, which
            # a write-only sheet must state (spreadsheets do not fit rows on opening).
            lines = math.ceil(len(row[1]) / long)
            sheet.row_dimensions[number].height = LINE_HEIGHT * lines
            row[1] = styled(sheet, row[1], alignment=WRAPPED)
        sheet.append(row)


def _label(sheet: Any, text: str) -> Any:
    return styled(sheet, text, font=LABEL_FONT)


def describe_range(query: ReportQuery) -> str:
    """ "2026-01-05 to 2026-03-01", "from 2026-01-05", "up to 2026-03-01" or "all time"."""
    if query.start and query.end:
        return f"{query.start:%Y-%m-%d} to {query.end:%Y-%m-%d}"
    if query.start:
        return f"from {query.start:%Y-%m-%d}"
    if query.end:
        return f"up to {query.end:%Y-%m-%d}"
    return "all time"


def describe_filters(query: ReportQuery) -> str:
    """ "Categories: Password · Tiers: L2, L3", or "none (all tickets)"."""
    parts = [
        f"{label}: {', '.join(values)}"
        for label, values in (
            ("Categories", query.categories),
            ("Priorities", query.priorities),
            ("Tiers", query.tiers),
        )
        if values
    ]
    return " · ".join(parts) or "none (all tickets)"


# --- One sheet per report table --------------------------------------------------------------


def _write_table_sheet(sheet: Any, table: ReportTable) -> None:
    print_landscape(sheet)
    for index, width in enumerate(widths(table.columns, table.rows), 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{TABLE_HEADER_ROW + 1}"
    sheet.append([styled(sheet, table.title, font=TITLE_FONT)])
    sheet.append([styled(sheet, table.description, font=NOTE_FONT)])
    sheet.append([])
    sheet.append([header_cell(sheet, column.title, column.kind) for column in table.columns])
    formats = [number_format(column.kind) for column in table.columns]
    for row in table.rows:
        sheet.append(
            [value_cell(sheet, value, fmt) for value, fmt in zip(row, formats, strict=True)]
        )
    if not table.rows:
        sheet.append([styled(sheet, "No figures for this range.", font=NOTE_FONT)])
        return
    last_row = TABLE_HEADER_ROW + len(table.rows)
    sheet.auto_filter.ref = f"A{TABLE_HEADER_ROW}:{get_column_letter(len(table.columns))}{last_row}"
    if table.chart is not None:
        anchor = f"{get_column_letter(len(table.columns) + 2)}{TABLE_HEADER_ROW}"
        sheet.add_chart(_chart(sheet, table), anchor)


def _chart(sheet: Any, table: ReportTable) -> Any:
    """The table's ChartSpec as a native Excel chart over the sheet's own cells."""
    spec = table.chart
    assert spec is not None
    first, last = TABLE_HEADER_ROW + 1, TABLE_HEADER_ROW + len(table.rows)
    chart: Any
    if spec.kind == ChartKind.PIE:
        chart = PieChart()
        chart.dataLabels = DataLabelList(
            showPercent=True, showVal=False, showCatName=False, showSerName=False
        )
        chart.dataLabels.showLegendKey = False
    elif spec.kind == ChartKind.LINE:
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "col"
        if spec.kind == ChartKind.STACKED_BAR:
            chart.grouping = "stacked"
            chart.overlap = 100
    for key in spec.series:
        column = table.column_index(key) + 1
        data = Reference(sheet, min_col=column, min_row=TABLE_HEADER_ROW, max_row=last)
        chart.add_data(data, titles_from_data=True)
    _colour(chart, spec.kind, len(table.rows))
    category = table.column_index(spec.category) + 1
    chart.set_categories(Reference(sheet, min_col=category, min_row=first, max_row=last))
    chart.title = table.title
    if spec.kind != ChartKind.PIE:
        value_kind = table.columns[table.column_index(spec.series[0])].kind
        chart.y_axis.title = spec.y_title or None
        chart.y_axis.number_format = AXIS_FORMATS.get(value_kind, "General")
        # openpyxl 3.1 leaves the axes' "delete" unset, which recent Excel reads as hidden.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        if len(spec.series) == 1:
            chart.legend = None  # the title says what the one series is
        if table.columns[category - 1].kind == ColumnKind.DATE:
            chart.x_axis.number_format = NUMBER_FORMATS[ColumnKind.DATE]
    chart.width = max(16.0, min(32.0, 1.2 * len(table.rows) + 6))
    chart.height = 8.5
    return chart


def _colour(chart: Any, kind: ChartKind, points: int) -> None:
    """The reports view's colours: per slice in a pie, per series otherwise."""
    if kind == ChartKind.PIE:
        for series in chart.series:
            for index in range(points):
                point = DataPoint(idx=index)
                point.graphicalProperties.solidFill = SERIES_COLOURS[index % len(SERIES_COLOURS)]
                point.graphicalProperties.line.solidFill = "FFFFFF"
                series.dPt.append(point)
        return
    for index, series in enumerate(chart.series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        if kind == ChartKind.LINE:
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 28575  # 2.25 pt
            series.smooth = False
        else:
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour


__all__ = ["ExportCancelled", "describe_filters", "describe_range", "export_workbook"]
