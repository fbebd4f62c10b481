"""The shape every report takes on its way out: a titled table of figures with, optionally, the
chart that draws it. The reports service fills these; the reports view (QtCharts), the Excel
export (native charts) and ``report --json`` all render the same tables, so that every chart's
numbers are always available as a table and the three outputs cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class ColumnKind(StrEnum):
    """How a column's values are formatted (in the view, in Excel and in JSON)."""

    TEXT = "text"  # tier codes, categories, priorities, transitions
    COUNT = "count"  # whole numbers
    SHARE = "share"  # a fraction between 0 and 1, shown as a percentage
    HOURS = "hours"  # a duration in hours, one decimal
    DATE = "date"  # a calendar day (the start of the period for a time series)


class ChartKind(StrEnum):
    BAR = "bar"
    STACKED_BAR = "stacked_bar"  # one bar per category, one segment per series
    PIE = "pie"  # one series: its values as slices, labelled by the category column
    LINE = "line"


@dataclass(frozen=True)
class Column:
    key: str  # stable, used as the JSON key
    title: str  # shown to people
    kind: ColumnKind


@dataclass(frozen=True)
class ChartSpec:
    """A chart over its table: one point per row, labelled by the ``category`` column, one
    series per column named in ``series``."""

    kind: ChartKind
    category: str
    series: tuple[str, ...]
    y_title: str = ""


@dataclass(frozen=True)
class ReportTable:
    key: str  # stable, e.g. "distribution_now"; the JSON key and the Excel sheet's identity
    title: str
    description: str  # one sentence saying what the figures mean
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]  # one value per column; None where there is no figure
    chart: ChartSpec | None = None

    def column_index(self, key: str) -> int:
        return next(i for i, column in enumerate(self.columns) if column.key == key)

    def records(self) -> Iterator[dict[str, Any]]:
        """The rows as dictionaries keyed by column key (the JSON form)."""
        keys = [column.key for column in self.columns]
        for row in self.rows:
            yield dict(zip(keys, row, strict=True))


@dataclass(frozen=True)
class Insight:
    """A plain-language finding, e.g. "L2 holds 48% of open tickets (target under 30%)"."""

    key: str  # which check found it, e.g. "tier_share"
    text: str
    measured: float
    threshold: float


@dataclass(frozen=True)
class ReportQuery:
    """What the reports cover: events from ``start`` (inclusive) to ``end`` (inclusive, whole
    days in the desk's time zone), optionally only some categories, priorities or tiers."""

    start: date | None = None
    end: date | None = None
    categories: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    period: str = "day"  # "day" or "week": the step of the time series


@dataclass(frozen=True)
class DeskReport:
    query: ReportQuery
    generated_at: datetime
    tables: tuple[ReportTable, ...]
    insights: tuple[Insight, ...] = field(default=())

    def table(self, key: str) -> ReportTable:
        return next(table for table in self.tables if table.key == key)
