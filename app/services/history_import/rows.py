"""The first step of an import, without the database: every row of the log read through the
mapping into a ``SourceRow`` (TierDesk values, or ``None`` where the row keeps the ticket's
previous value), grouped by ticket, in history order. Rows that cannot be read (a date that
does not parse, a value the mapping does not know, a time before the ticket's previous row)
become ``BadRow``s with their file row number and the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Generic, NamedTuple, TypeVar

from app.models import Level, Priority, TicketStatus
from app.services.errors import InvalidInput
from app.services.history_import.mapping import (
    PLACEHOLDER,
    Mapping,
    NamedField,
    TierRule,
    ValueField,
)
from app.services.history_import.readers import Cell, EventLog, TimeParser

E = TypeVar("E", bound=StrEnum)
#: Rows read between two calls of the progress callback and the cancellation hook.
PROGRESS_EVERY = 5_000


class SourceRow(NamedTuple):
    """One row of the log in TierDesk's terms; ``None`` keeps the ticket's previous value
    (``assignee`` ``None`` means nobody)."""

    number: int
    at: datetime
    status: TicketStatus | None
    impact: Level | None
    urgency: Level | None
    priority: Priority | None
    category: str | None
    assignee: str | None
    tier: str | None
    comment: str | None = None


@dataclass(frozen=True)
class TicketHead:
    """What a ticket takes from its first row in the file only."""

    title: str
    description: str
    requester: str
    created_at: datetime | None


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be imported: its file row number (the header is row 1), the ticket
    key it names (if any) and why."""

    row: int
    key: str
    reason: str


@dataclass
class ParsedLog:
    """The log grouped by ticket key, in the order tickets first appear."""

    rows_read: int = 0
    tickets: dict[str, list[SourceRow]] = field(default_factory=dict)
    heads: dict[str, TicketHead] = field(default_factory=dict)
    bad_rows: list[BadRow] = field(default_factory=list)


class RowError(ValueError):
    """A row's value cannot be read; the message is the reason shown to the user."""


def parse_log(
    log: EventLog,
    mapping: Mapping,
    checkpoint: Callable[[], None] = lambda: None,
) -> ParsedLog:
    """Read every row of ``log`` through ``mapping``; ``checkpoint`` is called every
    ``PROGRESS_EVERY`` rows (it reports progress and may raise to cancel)."""
    reader = _RowReader(log.columns, mapping)
    parsed = ParsedLog()
    for number, cells in log.rows():
        parsed.rows_read += 1
        if parsed.rows_read % PROGRESS_EVERY == 0:
            checkpoint()
        key = reader.key(cells)
        if not key:
            parsed.bad_rows.append(BadRow(number, "", f"no ticket key in {mapping.key!r}"))
            continue
        if any("\x00" in cell for cell in cells if isinstance(cell, str)):
            # not text, and no database stores it (PostgreSQL refuses NUL in text)
            reason = "contains a NUL character (byte 0x00), which is not text"
            parsed.bad_rows.append(BadRow(number, key.replace("\x00", "\\x00"), reason))
            if "\x00" not in key:
                parsed.tickets.setdefault(key, [])
            continue
        try:
            row = reader.row(number, cells)
            if key not in parsed.heads:
                parsed.heads[key] = reader.head(cells)
        except RowError as error:
            parsed.bad_rows.append(BadRow(number, key, str(error)))
            parsed.tickets.setdefault(key, [])
            continue
        parsed.tickets.setdefault(key, []).append(row)
    for key, rows in parsed.tickets.items():
        if mapping.order == "time":
            rows.sort(key=lambda row: (row.at, row.number))
        else:
            parsed.bad_rows.extend(_out_of_order(key, rows))
    return parsed


def _out_of_order(key: str, rows: list[SourceRow]) -> list[BadRow]:
    bad = []
    latest = rows[0] if rows else None
    for row in rows[1:]:
        assert latest is not None
        if row.at < latest.at:
            bad.append(
                BadRow(
                    row.number,
                    key,
                    f"out of order: {row.at:%Y-%m-%d %H:%M} UTC is before row {latest.number} "
                    f"of the same ticket ({latest.at:%Y-%m-%d %H:%M} UTC); "
                    'sort the file, or set "order": "time"',
                )
            )
        else:
            latest = row
    return bad


class _RowReader:
    """Reads one row's cells through the mapping, remembering each distinct value's meaning."""

    def __init__(self, columns: Sequence[str], mapping: Mapping) -> None:
        missing_columns = sorted(mapping.columns() - set(columns))
        if missing_columns:
            raise InvalidInput(
                _field_naming(mapping, missing_columns[0]),
                f"the file has no column {missing_columns[0]!r} "
                f"(its columns: {', '.join(columns)})",
            )
        self.index = {name: position for position, name in enumerate(columns)}
        self.mapping = mapping
        self.missing = mapping.format.missing
        self.time = TimeParser(mapping.format)
        self._key = self.index[mapping.key]
        self._at = self.index[mapping.time]
        self.status: _Lookup[TicketStatus] = _Lookup(mapping.status, TicketStatus, "status", self)
        self.impact: _Lookup[Level] = _Lookup(mapping.impact, Level, "impact", self)
        self.urgency: _Lookup[Level] = _Lookup(mapping.urgency, Level, "urgency", self)
        self.priority: _Lookup[Priority] = _Lookup(mapping.priority, Priority, "priority", self)

    def text(self, cells: Sequence[Cell], column: str) -> str | None:
        """The cell's text, ``None`` when missing (empty, a missing-value marker, no cell)."""
        position = self.index[column]
        cell = cells[position] if position < len(cells) else None
        if cell is None:
            return None
        text = cell.isoformat(" ") if isinstance(cell, datetime) else cell.strip()
        return None if text in self.missing else text

    def key(self, cells: Sequence[Cell]) -> str:
        cell = cells[self._key] if self._key < len(cells) else None
        return "" if cell is None else str(cell).strip()

    def row(self, number: int, cells: Sequence[Cell]) -> SourceRow:
        return SourceRow(
            number=number,
            at=self._instant(cells, self.mapping.time),
            status=self.status(cells),
            impact=self.impact(cells),
            urgency=self.urgency(cells),
            priority=self.priority(cells),
            category=self._named(cells, self.mapping.category),
            assignee=self._named(cells, self.mapping.assignee),
            tier=self._tier(cells, self.mapping.tier),
            comment=self.text(cells, self.mapping.comments) if self.mapping.comments else None,
        )

    def head(self, cells: Sequence[Cell]) -> TicketHead:
        mapping = self.mapping
        created = mapping.created_at
        return TicketHead(
            title=self._template(cells, mapping.title),
            description=self._template(cells, mapping.description),
            requester=self._template(cells, mapping.requester),
            created_at=self._instant(cells, created) if created else None,
        )

    def _instant(self, cells: Sequence[Cell], column: str) -> datetime:
        position = self.index[column]
        cell = cells[position] if position < len(cells) else None
        if cell is None or (isinstance(cell, str) and cell.strip() in self.missing):
            raise RowError(f"no date in {column!r}")
        try:
            return self.time(cell)
        except ValueError as error:
            raise RowError(f"{column}: {error}") from None

    def _named(self, cells: Sequence[Cell], spec: NamedField | None) -> str | None:
        if spec is None:
            return None
        if spec.column is None:
            return spec.default
        raw = self.text(cells, spec.column)
        if raw is None:
            return None
        if spec.values is not None and raw in spec.values:
            return spec.values[raw]
        return raw

    def _tier(self, cells: Sequence[Cell], rule: TierRule) -> str | None:
        raw = self.text(cells, rule.column)
        if raw is None:
            return rule.missing
        if rule.values is not None and raw in rule.values:
            return rule.values[raw]
        if rule.suffixes:
            for suffix in sorted(rule.suffixes, key=len, reverse=True):
                if raw.endswith(suffix):
                    return rule.suffixes[suffix]
        if rule.counts:
            try:
                count = int(raw)
            except ValueError:
                raise RowError(f"{rule.column}: {raw!r} is not a whole number") from None
            reached = [code for threshold, code in rule.counts if threshold <= count]
            if reached:
                return reached[-1]
        if rule.otherwise is not None:
            return self._tier(cells, rule.otherwise)
        if rule.values is not None or rule.suffixes or rule.counts:
            raise RowError(f"{rule.column}: no tier for {raw!r} in the mapping's tier rule")
        return raw

    def _template(self, cells: Sequence[Cell], template: str) -> str:
        return PLACEHOLDER.sub(lambda match: self.text(cells, match.group(1)) or "", template)


class _Lookup(Generic[E]):
    """One enum field: a cell's text to a member through the mapping's table (or the value
    itself), each distinct text worked out once."""

    def __init__(
        self, spec: ValueField | None, kind: type[E], name: str, reader: _RowReader
    ) -> None:
        self.spec, self.kind, self.name, self.reader = spec, kind, name, reader
        self.known: dict[str, E | None] = {}
        self.fixed = None if spec is None or spec.default is None else kind(spec.default)

    def __call__(self, cells: Sequence[Cell]) -> E | None:
        spec = self.spec
        if spec is None or spec.column is None:
            return self.fixed if spec is not None else None
        raw = self.reader.text(cells, spec.column)
        if raw is None:
            return None
        if raw in self.known:
            return self.known[raw]
        value = self.known[raw] = self._meaning(raw)
        return value

    def _meaning(self, raw: str) -> E | None:
        assert self.spec is not None
        table = self.spec.values
        if table is not None:
            if raw not in table:
                known = ", ".join(repr(value) for value in table)
                raise RowError(f"{self.name}: unknown value {raw!r} (the mapping knows {known})")
            target = table[raw]
            return None if target is None else self.kind(target)
        wanted = raw.lower().replace(" ", "_").replace("-", "_")
        for member in self.kind:
            if member.value.lower() == wanted:
                return member
        allowed = ", ".join(member.value for member in self.kind)
        raise RowError(
            f"{self.name}: {raw!r} is not one of {allowed}; map it in {self.name}.values"
        )


def _field_naming(mapping: Mapping, column: str) -> str:
    """The mapping key that names ``column`` (for the error about a column the file lacks)."""
    for name in ("key", "time", "created_at", "comments"):
        if getattr(mapping, name) == column:
            return "comments.column" if name == "comments" else name
    for name in ("status", "impact", "urgency", "priority", "category", "assignee"):
        spec = getattr(mapping, name)
        if spec is not None and spec.column == column:
            return f"{name}.column"
    for name in ("title", "description", "requester"):
        if "{" + column + "}" in getattr(mapping, name):
            return name
    return "tier.column"
