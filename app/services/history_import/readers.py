"""Reading an exported event log row by row: CSV (plain, or gzip-compressed: recognised by its
magic bytes, whatever the file is called) or XLSX (openpyxl in read-only mode, so a large sheet
streams). Rows come with their file row number (the header is row 1), as text or, for XLSX
date cells, as ``datetime``; ``TimeParser`` turns a cell into an aware UTC instant.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from app.services.errors import InvalidInput
from app.services.history_import.mapping import FileFormat

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"  # XLSX is a zip archive

Cell = str | datetime | None


class EventLog(Protocol):
    """An open event log: its header, then ``(row number, cells)`` per data row."""

    columns: list[str]

    def rows(self) -> Iterator[tuple[int, Sequence[Cell]]]: ...

    def progress(self) -> tuple[int, int]:
        """How far reading has come: (done, total) in units of the reader's choice."""
        ...

    def close(self) -> None: ...


def open_event_log(path: str | Path, fmt: FileFormat) -> EventLog:
    """Open ``path`` as CSV (maybe gzip) or XLSX, by its content; ``InvalidInput`` (field
    ``file``) when it cannot be read or has no header row."""
    path = Path(path)
    try:
        with path.open("rb") as probe:
            magic = probe.read(4)
    except OSError as error:
        raise InvalidInput("file", f"cannot read {path}: {error.strerror}") from None
    if magic.startswith(ZIP_MAGIC):
        return XlsxLog(path, fmt)
    return CsvLog(path, fmt, compressed=magic.startswith(GZIP_MAGIC))


class CsvLog:
    """A CSV event log; progress is in bytes of the file as stored (compressed or not)."""

    def __init__(self, path: Path, fmt: FileFormat, compressed: bool) -> None:
        self.path = path
        self.compressed = compressed
        self._raw = path.open("rb")
        self._total = path.stat().st_size
        binary: IO[bytes] = (
            gzip.GzipFile(fileobj=self._raw) if compressed else self._raw  # type: ignore[assignment]
        )
        # utf-8-sig reads plain UTF-8 too: a byte-order mark is skipped whether or not declared.
        self.encoding = fmt.encoding
        if codecs.lookup(fmt.encoding).name == "utf-8":
            self.encoding = "utf-8-sig"
        text = io.TextIOWrapper(binary, encoding=self.encoding, newline="")
        self._reader = csv.reader(text, delimiter=fmt.delimiter)
        self._row = 1
        try:
            header = next(self._reader, None)
        except (UnicodeDecodeError, OSError, EOFError, zlib.error, csv.Error) as error:
            self.close()
            raise self._unreadable(error) from None
        if not header:
            self.close()
            raise InvalidInput("file", f"{path} is empty: no header row")
        self.columns = [name.strip() for name in header]

    def rows(self) -> Iterator[tuple[int, Sequence[Cell]]]:
        reader = self._reader
        try:
            for cells in reader:
                self._row += 1
                if cells:
                    yield self._row, cells
        except (UnicodeDecodeError, OSError, EOFError, zlib.error, csv.Error) as error:
            raise self._unreadable(error) from None

    def _unreadable(self, error: Exception) -> InvalidInput:
        if isinstance(error, UnicodeDecodeError):
            # Text is decoded ahead in blocks (fast); find the offending line only now.
            line = self._first_undecodable_line()
            where = f"line {line}" if line else f"near row {self._row + 1}"
            return InvalidInput(
                "format.encoding",
                f"{self.path}, {where}: not valid {error.encoding} text ({error.reason}); "
                "set format.encoding to the file's encoding",
            )
        return InvalidInput("file", f"{self.path}, row {self._row + 1}: {error}")

    def _first_undecodable_line(self) -> int | None:
        """The number of the first line that does not decode (``None`` for encodings whose
        newline is several bytes, where lines of bytes cannot be decoded one by one)."""
        if codecs.lookup(self.encoding).name.startswith(("utf-16", "utf-32")):
            return None
        decode = codecs.getincrementaldecoder(self.encoding)().decode
        with self.path.open("rb") as raw:
            binary: IO[bytes] = gzip.GzipFile(fileobj=raw) if self.compressed else raw  # type: ignore[assignment]
            try:
                for number, line in enumerate(binary, start=1):
                    try:
                        decode(line)
                    except UnicodeDecodeError:
                        return number
            except (OSError, EOFError, zlib.error):  # damaged gzip further on: no line to name
                return None
        return None

    def progress(self) -> tuple[int, int]:
        try:
            return self._raw.tell(), self._total
        except (OSError, ValueError):
            return self._total, self._total

    def close(self) -> None:
        self._raw.close()


class XlsxLog:
    """The first sheet (or ``format.sheet``) of an XLSX workbook; progress is in rows."""

    def __init__(self, path: Path, fmt: FileFormat) -> None:
        from openpyxl import load_workbook  # only imports of XLSX pay for openpyxl

        self.path = path
        try:
            self._book = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged archive
            raise InvalidInput("file", f"{path} is not a readable XLSX workbook: {error}") from None
        if fmt.sheet is not None and fmt.sheet not in self._book.sheetnames:
            names = ", ".join(self._book.sheetnames)
            self._book.close()
            raise InvalidInput("format.sheet", f"no sheet {fmt.sheet!r} in {path} ({names})")
        sheet = self._book[fmt.sheet] if fmt.sheet else self._book.worksheets[0]
        self._total = max(int(sheet.max_row or 0), 1)
        self._rows = sheet.iter_rows(values_only=True)
        header = next(self._rows, None)
        if not header or all(cell is None for cell in header):
            self._book.close()
            raise InvalidInput("file", f"{path} is empty: no header row")
        self.columns = ["" if cell is None else str(cell).strip() for cell in header]
        self._row = 1

    def rows(self) -> Iterator[tuple[int, Sequence[Cell]]]:
        for values in self._rows:
            self._row += 1
            if any(value is not None for value in values):
                yield self._row, [_cell_text(value) for value in values]

    def progress(self) -> tuple[int, int]:
        return min(self._row, self._total), self._total

    def close(self) -> None:
        self._book.close()


def _cell_text(value: Any) -> Cell:
    """A spreadsheet cell as the importer reads it: dates stay ``datetime``, whole numbers
    lose Excel's ``.0``, everything else becomes its text."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class TimeParser:
    """Cells to aware UTC instants, by the mapping's date formats and time zone; each distinct
    text is parsed once (an event log repeats its instants many times), and numeric patterns
    such as ``%d/%m/%Y %H:%M`` by a regular expression, several times faster than ``strptime``
    with the same refusals (no 31 February)."""

    def __init__(self, fmt: FileFormat) -> None:
        self.fmt = fmt
        self._known: dict[str, datetime] = {}
        self._parsers = [_parser_for(pattern) for pattern in fmt.date_formats]

    def __call__(self, cell: Cell) -> datetime:
        """The instant, or ``ValueError`` saying which formats were tried."""
        if isinstance(cell, datetime):
            return self._utc(cell)
        text = (cell or "").strip()
        known = self._known.get(text)
        if known is not None:
            return known
        for parse in self._parsers:
            try:
                parsed = parse(text)
            except ValueError:
                continue
            instant = self._known[text] = self._utc(parsed)
            return instant
        formats = " or ".join(self.fmt.date_formats)
        raise ValueError(f"{text!r} is not a date in the format {formats}")

    def _utc(self, value: datetime) -> datetime:
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.fmt.time_zone)
        try:
            return value.astimezone(UTC)
        except OverflowError:  # "0001-01-01" east of UTC: before the first instant there is
            raise ValueError(f"{value:%Y-%m-%d} is out of range") from None


#: strptime directives of plain numbers, as regular expressions (named after the directive).
_NUMERIC = {"d": r"\d{1,2}", "m": r"\d{1,2}", "Y": r"\d{4}", "H": r"\d{1,2}", "M": r"\d{1,2}",
            "S": r"\d{1,2}"}  # fmt: skip


def _parser_for(pattern: str) -> Callable[[str], datetime]:
    """A function parsing ``pattern`` (``iso``, or a ``strptime`` pattern)."""
    if pattern == "iso":
        return datetime.fromisoformat
    parts = [part for part in re.split(r"(%.)", pattern) if part]
    directives = [part[1] for part in parts if len(part) == 2 and part[0] == "%"]
    if set(directives) - set(_NUMERIC) or len(set(directives)) != len(directives):
        return lambda text: datetime.strptime(text, pattern)
    pieces = []
    for part in parts:
        if len(part) == 2 and part[0] == "%":
            pieces.append(f"(?P<{part[1]}>{_NUMERIC[part[1]]})")
        else:  # whitespace matches any run of whitespace, as in strptime
            pieces.append(r"\s+".join(re.escape(piece) for piece in re.split(r"\s+", part)))
    regex = "".join(pieces)
    compiled = re.compile(regex)

    def parse(text: str) -> datetime:
        match = compiled.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} does not match {pattern!r}")
        fields = match.groupdict()
        return datetime(
            int(fields["Y"]) if "Y" in fields else 1900,
            int(fields.get("m", 1)),
            int(fields.get("d", 1)),
            int(fields.get("H", 0)),
            int(fields.get("M", 0)),
            int(fields.get("S", 0)),
        )

    return parse
