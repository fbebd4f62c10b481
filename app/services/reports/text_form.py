"""The report as plain text for a terminal: each table under its title, columns aligned,
shares as percentages and hours with one decimal, then the insights."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.services.report_tables import ColumnKind, DeskReport, ReportTable


def report_as_text(report: DeskReport) -> str:
    query = report.query
    span = f"{query.start or 'the first ticket'} to {query.end or 'today'}"
    lines = [f"TierDesk report, {span}, generated {report.generated_at:%Y-%m-%d %H:%M} UTC"]
    filters = [
        f"{name}: {', '.join(values)}"
        for name, values in (
            ("categories", query.categories),
            ("priorities", query.priorities),
            ("tiers", query.tiers),
        )
        if values
    ]
    if filters:
        lines.append("Only " + "; ".join(filters))
    for table in report.tables:
        lines += ["", *table_as_text(table)]
    lines += ["", "Insights"]
    lines += [f"  - {insight.text}" for insight in report.insights] or ["  (none)"]
    return "\n".join(lines)


def table_as_text(table: ReportTable) -> list[str]:
    header = [column.title for column in table.columns]
    cells = [
        [_cell(value, column.kind) for value, column in zip(row, table.columns, strict=True)]
        for row in table.rows
    ]
    widths = [max(len(text) for text in column) for column in zip(header, *cells, strict=True)]
    numeric = [column.kind not in (ColumnKind.TEXT, ColumnKind.DATE) for column in table.columns]

    def line(texts: list[str]) -> str:
        parts = [
            text.rjust(width) if right else text.ljust(width)
            for text, width, right in zip(texts, widths, numeric, strict=True)
        ]
        return "  " + "  ".join(parts).rstrip()

    body = [line(row) for row in cells] or ["  (no data)"]
    return [f"{table.title} [{table.key}]", line(header), *body]


def _cell(value: Any, kind: ColumnKind) -> str:
    if value is None:
        return "-"
    if kind == ColumnKind.SHARE:
        return f"{value:.1%}"
    if kind == ColumnKind.HOURS:
        return f"{value:.1f}"
    if kind == ColumnKind.COUNT:
        return f"{value:,}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
