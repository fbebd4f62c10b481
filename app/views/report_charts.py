"""QtCharts drawings of report tables: a ``ChartSpec`` (bar, stacked bar, pie, line) over its
``ReportTable`` becomes a ``QChart``, coloured for the application's light or dark palette.

Shares (0 to 1) are drawn as percentages; a missing figure (None) is drawn as zero in bars and
left out of lines and pies.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import (
    QAbstractSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QLineSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QApplication

from app.services.excel_export import SERIES_COLOURS as EXCEL_COLOURS
from app.services.report_tables import ChartKind, ColumnKind, ReportTable
from app.views.item_models.report_table_model import format_value

#: One colour per series, the same in light and dark and in the Excel export.
SERIES_COLOURS = tuple(f"#{colour}" for colour in EXCEL_COLOURS)
RENDER_HINT = QPainter.RenderHint.Antialiasing


def build_chart(table: ReportTable, palette: QPalette | None = None) -> QChart | None:
    """The table's chart, or None when it has no ChartSpec or no rows."""
    spec = table.chart
    if spec is None or not table.rows:
        return None
    chart = QChart()
    chart.setTitle(table.title)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    category_column = table.column_index(spec.category)
    category_kind = table.columns[category_column].kind
    categories = [_category_label(category_kind, row[category_column]) for row in table.rows]
    if spec.kind == ChartKind.PIE:
        chart.addSeries(_pie(table, spec.series[0], categories))
        chart.legend().setVisible(False)  # each slice is labelled
    else:
        drawn = _series(table, spec.kind, spec.series)
        for series in drawn:
            chart.addSeries(series)
        stacked = spec.kind == ChartKind.STACKED_BAR
        _add_axes(chart, drawn, table, spec.series, categories, spec.y_title, stacked)
        chart.legend().setVisible(len(spec.series) > 1)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    apply_palette(chart, palette or QApplication.palette())
    return chart


def apply_palette(chart: QChart, palette: QPalette) -> None:
    """Colours from the application's palette, so that the chart sits in light or dark."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    grid = palette.color(QPalette.ColorRole.Mid)
    chart.setBackgroundBrush(window)
    chart.setBackgroundRoundness(0)
    chart.setTitleBrush(text)
    title_font = QFont(chart.titleFont())
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    chart.legend().setLabelColor(text)
    for axis in chart.axes():
        axis.setLabelsColor(text)
        axis.setTitleBrush(text)
        axis.setGridLineColor(grid)
        axis.setLinePenColor(grid)
    for series in chart.series():
        if isinstance(series, QPieSeries):
            for pie_slice in series.slices():
                pie_slice.setLabelColor(text)
                pie_slice.setBorderColor(window)


def _series(table: ReportTable, kind: ChartKind, keys: tuple[str, ...]) -> list[QAbstractSeries]:
    if kind == ChartKind.LINE:
        return [_line(table, key, number) for number, key in enumerate(keys)]
    bars: QBarSeries | QStackedBarSeries
    bars = QStackedBarSeries() if kind == ChartKind.STACKED_BAR else QBarSeries()
    for number, key in enumerate(keys):
        column = table.column_index(key)
        scale = _scale(table.columns[column].kind)
        bar_set = QBarSet(table.columns[column].title)
        bar_set.setColor(QColor(SERIES_COLOURS[number % len(SERIES_COLOURS)]))
        bar_set.setBorderColor(bar_set.color())
        for row in table.rows:
            bar_set.append(float(row[column] or 0) * scale)
        bars.append(bar_set)
    return [bars]


def _line(table: ReportTable, key: str, number: int) -> QLineSeries:
    column = table.column_index(key)
    scale = _scale(table.columns[column].kind)
    line = QLineSeries()
    line.setName(table.columns[column].title)
    line.setColor(QColor(SERIES_COLOURS[number % len(SERIES_COLOURS)]))
    line.setPointsVisible(True)
    for index, row in enumerate(table.rows):
        if row[column] is not None:
            line.append(float(index), float(row[column]) * scale)
    return line


def _pie(table: ReportTable, key: str, categories: list[str]) -> QPieSeries:
    column = table.column_index(key)
    pie = QPieSeries()
    pie.setPieSize(0.7)
    total = sum(float(row[column] or 0) for row in table.rows)
    for number, (label, row) in enumerate(zip(categories, table.rows, strict=True)):
        value = float(row[column] or 0)
        if value <= 0:
            continue
        share = value / total if total else 0.0
        pie_slice = pie.append(f"{label}  {share:.0%}", value)
        pie_slice.setColor(QColor(SERIES_COLOURS[number % len(SERIES_COLOURS)]))
        pie_slice.setLabelVisible(True)
    return pie


def _add_axes(
    chart: QChart,
    drawn: list[QAbstractSeries],
    table: ReportTable,
    keys: tuple[str, ...],
    categories: list[str],
    y_title: str,
    stacked: bool,
) -> None:
    x_axis = QBarCategoryAxis()
    x_axis.append(categories)
    y_axis = QValueAxis()
    kind = table.columns[table.column_index(keys[0])].kind
    y_axis.setLabelFormat(_label_format(kind))
    if y_title:
        y_axis.setTitleText(y_title)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    for series in drawn:
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
    top = _highest(table, keys, stacked)
    if top > 0:
        y_axis.setRange(0, top)
        y_axis.applyNiceNumbers()
    else:  # nothing to draw: a plain scale rather than Qt's warning about an empty range
        y_axis.setRange(0, 100 if kind == ColumnKind.SHARE else 1)


def _highest(table: ReportTable, keys: tuple[str, ...], stacked: bool) -> float:
    """The top of the value axis: the tallest bar, stack or point, as drawn."""
    columns = [table.column_index(key) for key in keys]
    scales = [_scale(table.columns[column].kind) for column in columns]
    heights = [
        [float(row[column] or 0) * scale for column, scale in zip(columns, scales, strict=True)]
        for row in table.rows
    ]
    return max((sum(values) if stacked else max(values) for values in heights), default=0.0)


#: The months' short names under the bars, January first.
MONTHS = (
    QT_TRANSLATE_NOOP("report_charts", "Jan"),
    QT_TRANSLATE_NOOP("report_charts", "Feb"),
    QT_TRANSLATE_NOOP("report_charts", "Mar"),
    QT_TRANSLATE_NOOP("report_charts", "Apr"),
    QT_TRANSLATE_NOOP("report_charts", "May"),
    QT_TRANSLATE_NOOP("report_charts", "Jun"),
    QT_TRANSLATE_NOOP("report_charts", "Jul"),
    QT_TRANSLATE_NOOP("report_charts", "Aug"),
    QT_TRANSLATE_NOOP("report_charts", "Sep"),
    QT_TRANSLATE_NOOP("report_charts", "Oct"),
    QT_TRANSLATE_NOOP("report_charts", "Nov"),
    QT_TRANSLATE_NOOP("report_charts", "Dec"),
)


def _category_label(kind: ColumnKind, value: object) -> str:
    """Short labels under the bars: "Jan 5" for a day (the range shows the year)."""
    if kind == ColumnKind.DATE and isinstance(value, date):
        month = QCoreApplication.translate("report_charts", str(MONTHS[value.month - 1]))
        return QCoreApplication.translate("report_charts", "{month} {day}").format(
            month=month, day=value.day
        )
    return format_value(kind, value)


def _scale(kind: ColumnKind) -> float:
    return 100.0 if kind == ColumnKind.SHARE else 1.0


def _label_format(kind: ColumnKind) -> str:
    if kind == ColumnKind.SHARE:
        return "%.0f%%"
    if kind == ColumnKind.HOURS:
        return "%.0f h"
    return "%.0f"
