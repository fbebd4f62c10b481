"""The JSON form of a ``DeskReport`` (what ``report --json`` prints; keys documented in the
README): query, generation instant, every table as title, description, columns and rows keyed
by column, and the insights."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from app.services.report_tables import DeskReport, ReportTable


def report_as_json(report: DeskReport) -> dict[str, Any]:
    return {
        "query": {key: _plain(value) for key, value in asdict(report.query).items()},
        "generated_at": report.generated_at.isoformat(),
        "reports": {table.key: table_as_json(table) for table in report.tables},
        "insights": [
            {
                "key": insight.key,
                "text": insight.text,
                "measured": insight.measured,
                "threshold": insight.threshold,
            }
            for insight in report.insights
        ],
    }


def table_as_json(table: ReportTable) -> dict[str, Any]:
    return {
        "title": table.title,
        "description": table.description,
        "columns": [
            {"key": column.key, "title": column.title, "kind": column.kind.value}
            for column in table.columns
        ],
        "rows": [
            {key: _plain(value) for key, value in record.items()} for record in table.records()
        ],
        "chart": None
        if table.chart is None
        else {
            "kind": table.chart.kind.value,
            "category": table.chart.category,
            "series": list(table.chart.series),
        },
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value
