"""How report values become cells of a write-only openpyxl sheet: the house style (Calibri,
a bold white-on-blue header), number formats by ``ColumnKind``, text that stays text, and
column widths that fit the figures. Shared by the report sheets and the Tickets sheet."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from app.services.report_tables import Column, ColumnKind

NUMBER_FORMATS = {
    ColumnKind.COUNT: "#,##0",
    ColumnKind.SHARE: "0.0%",
    ColumnKind.HOURS: "0.0",
    ColumnKind.DATE: "yyyy-mm-dd",
}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
NUMERIC_KINDS = frozenset({ColumnKind.COUNT, ColumnKind.SHARE, ColumnKind.HOURS})
FONT = "Calibri"  # Excel's default; named, so that other spreadsheets do not pick a serif
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F6FD6")
HEADER_ALIGNMENT = Alignment(vertical="center")
NUMBER_HEADER_ALIGNMENT = Alignment(vertical="center", horizontal="right")
TITLE_FONT = Font(name=FONT, bold=True, size=14)
NOTE_FONT = Font(name=FONT, italic=True, color="5A6270")
LABEL_FONT = Font(name=FONT, bold=True)
LINK_FONT = Font(name=FONT, color="2F6FD6", underline="single")
WRAPPED = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
MIN_WIDTH, MAX_WIDTH = 8, 60
_NUMBER = (int, float, Decimal)


def number_format(kind: ColumnKind) -> str | None:
    """The Excel number format of a column kind; None for text (General)."""
    return NUMBER_FORMATS.get(kind)


def header_cell(sheet: Any, title: str, kind: ColumnKind = ColumnKind.TEXT) -> Any:
    """A header cell, aligned like its column's values (numbers right, text left)."""
    cell = WriteOnlyCell(sheet, title)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = NUMBER_HEADER_ALIGNMENT if kind in NUMERIC_KINDS else HEADER_ALIGNMENT
    return cell


def styled(sheet: Any, value: Any, *, font: Any = None, alignment: Any = None) -> Any:
    cell = WriteOnlyCell(sheet, value)
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def value_cell(sheet: Any, value: Any, fmt: str | None) -> Any:
    """A figure as a cell of its format (instants as date and time); text as ``safe_text``."""
    if value is None or fmt is None:
        return safe_text(sheet, value)
    cell = WriteOnlyCell(sheet, naive(value))
    cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else fmt
    return cell


def safe_text(sheet: Any, value: Any) -> Any:
    """Text as text: without the control characters XML cannot carry, and never a formula
    (a title typed as "=HYPERLINK(...)" stays words)."""
    if not isinstance(value, str):
        return value
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def naive(value: Any) -> Any:
    """Excel has no time zones: an aware instant is written as the computer's local time."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


def widths(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> list[float]:
    """Column widths (in characters) fitting the header and the widest of ``rows``."""
    found = [len(column.title) + 4.0 for column in columns]  # bold header and filter button
    for row in rows:
        for index, (column, value) in enumerate(zip(columns, row, strict=False)):
            found[index] = max(found[index], _shown_length(column.kind, value) + 2.0)
    return [min(max(width, MIN_WIDTH), MAX_WIDTH) for width in found]


def _shown_length(kind: ColumnKind, value: Any) -> int:
    if value is None:
        return 0
    if kind == ColumnKind.DATE:
        return 16 if isinstance(value, datetime) else 10
    if kind == ColumnKind.COUNT and isinstance(value, _NUMBER):
        return len(f"{value:,.0f}")
    if kind == ColumnKind.SHARE and isinstance(value, _NUMBER):
        return len(f"{value:.1%}")
    if kind == ColumnKind.HOURS and isinstance(value, _NUMBER):
        return len(f"{value:.1f}")
    return len(str(value))


def print_landscape(sheet: Any) -> None:
    """Printed (or made a PDF) landscape, one page wide, charts and all."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
