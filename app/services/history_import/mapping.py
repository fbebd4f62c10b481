"""The mapping file of a history import: which columns of an exported event log hold what, and
how to read them. It is JSON (documented in the README, "Importing history"); ``load_mapping``
checks every key and refuses the file with ``InvalidInput`` naming the offending key path (e.g.
``status.values.Active``), so that a typo never turns into a half-understood import.

Each row of the log is the ticket's values after one change (a ServiceNow audit export, a Jira
changelog flattened to snapshots). Values go through the field's ``values`` table when it has
one; otherwise they must already be TierDesk's own (``in_progress``, ``P2``, ``high``, ``L2``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.models import Level, Priority, TicketStatus
from app.services.errors import InvalidInput
from app.services.json_files import read_json_file
from app.services.rules.definition import NUL_MESSAGE, nul_paths, shown

#: ``{column}`` placeholders of a text template (title, description, requester).
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

ORDERS = ("file", "time")
BAD_ROW_POLICIES = ("abort", "skip_ticket")


@dataclass(frozen=True)
class FileFormat:
    """How to read the file: text encoding (a UTF-8 byte-order mark is always skipped), CSV
    delimiter, XLSX sheet, date formats (``strptime`` patterns tried in turn, or ``iso``), the
    time zone of naive times, and the markers of a missing value (besides the empty cell)."""

    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str | None = None
    date_formats: tuple[str, ...] = ("iso",)
    time_zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    missing: frozenset[str] = frozenset({""})


@dataclass(frozen=True)
class ValueField:
    """A field read from ``column`` (or fixed at ``default`` when there is no column), through
    an optional ``values`` table of source value -> TierDesk value. ``None`` as a table value
    means "not a change": the row keeps the ticket's previous value."""

    column: str | None
    values: dict[str, str | None] | None = None
    default: str | None = None


@dataclass(frozen=True)
class NamedField(ValueField):
    """A category or a person: ``values`` maps source values to desk names (category names,
    logins); a name the desk lacks is created when ``create_missing``, else the row is bad."""

    create_missing: bool = False
    min_tier: str | None = None  # categories created: lowest tier authorised to resolve them


@dataclass(frozen=True)
class TierRule:
    """How a row's tier is found: from ``column``'s value, looked up in ``values`` (exact),
    ``suffixes`` (the value ends with it) or ``counts`` (a whole number: the entry with the
    largest threshold not above it), else by the ``otherwise`` rule, else the value itself as a
    tier code or name. ``missing``: the tier of a row whose value is missing (without it the
    row keeps the previous tier, and a ticket's first row takes the lowest tier)."""

    column: str
    values: dict[str, str] | None = None
    suffixes: dict[str, str] | None = None
    counts: tuple[tuple[int, str], ...] | None = None
    missing: str | None = None
    otherwise: TierRule | None = None

    def tier_codes(self) -> set[str]:
        """Every tier code the rule can produce (checked against the ladder before reading)."""
        codes = set((self.values or {}).values()) | set((self.suffixes or {}).values())
        codes |= {code for _, code in self.counts or ()}
        if self.missing:
            codes.add(self.missing)
        if self.otherwise:
            codes |= self.otherwise.tier_codes()
        return codes


@dataclass(frozen=True)
class Mapping:
    """A whole mapping file, checked."""

    format: FileFormat
    key: str
    time: str
    created_at: str | None
    order: str
    bad_rows: str
    title: str
    description: str
    requester: str
    status: ValueField
    impact: ValueField
    urgency: ValueField
    priority: ValueField | None
    category: NamedField
    assignee: NamedField | None
    tier: TierRule
    imported_by: str
    comments: str | None = None  # column of comment text

    def columns(self) -> set[str]:
        """Every column the mapping reads (each must be in the file's header)."""
        names = {self.key, self.time, self.tier.column}
        names |= {name for name in (self.created_at, self.comments) if name}
        for value_field in (self.status, self.impact, self.urgency, self.priority, self.category):
            if value_field is not None and value_field.column:
                names.add(value_field.column)
        if self.assignee is not None and self.assignee.column:
            names.add(self.assignee.column)
        rule: TierRule | None = self.tier
        while rule is not None:
            names.add(rule.column)
            rule = rule.otherwise
        for template in (self.title, self.description, self.requester):
            names |= set(PLACEHOLDER.findall(template))
        return names


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file; ``InvalidInput`` names the key that is wrong."""
    return parse_mapping(read_json_file(path, "mapping"))


_TOP_KEYS = {
    "format", "key", "time", "created_at", "order", "bad_rows", "title", "description",
    "requester", "status", "impact", "urgency", "priority", "category", "assignee", "tier",
    "imported_by", "comments", "comment",
}  # fmt: skip


def parse_mapping(raw: Any) -> Mapping:
    """A ``Mapping`` from the decoded JSON object (see ``load_mapping``)."""
    top = _object(raw, "mapping")
    _known_keys(top, _TOP_KEYS, "")
    for path in nul_paths(top):
        raise InvalidInput(path, NUL_MESSAGE)
    key = _text(top, "key", "key", required=True)
    time = _text(top, "time", "time", required=True)
    status = _value_field(top, "status", TicketStatus, required=True)
    assert status is not None
    if status.column is None:
        raise InvalidInput("status.column", "the status must come from a column")
    impact = _value_field(top, "impact", Level) or ValueField(None, None, Level.MEDIUM.value)
    urgency = _value_field(top, "urgency", Level) or ValueField(None, None, Level.MEDIUM.value)
    category = _named_field(top, "category", required=True)
    assert category is not None
    if category.column is None and category.default is None:
        raise InvalidInput("category", "give a column, or a default category for every ticket")
    if "tier" not in top:
        raise InvalidInput("tier", "is required: the column (or rule) that gives each row's tier")
    return Mapping(
        format=_file_format(top.get("format", {})),
        key=key,
        time=time,
        created_at=_text(top, "created_at", "created_at") or None,
        order=_choice(top, "order", ORDERS),
        bad_rows=_choice(top, "bad_rows", BAD_ROW_POLICIES),
        title=_text(top, "title", "title") or "{" + key + "}",
        description=_text(top, "description", "description"),
        requester=_text(top, "requester", "requester") or "Imported requester",
        status=status,
        impact=impact,
        urgency=urgency,
        priority=_value_field(top, "priority", Priority),
        category=category,
        assignee=_named_field(top, "assignee"),
        tier=_tier_rule(top["tier"], "tier"),
        imported_by=_text(top, "imported_by", "imported_by") or "import",
        comments=_comments_column(top),
    )


# ------------------------------------------------------------------------------ the parts
def _comments_column(top: dict[str, Any]) -> str | None:
    if "comments" not in top:
        return None
    section = _object(top["comments"], "comments")
    _known_keys(section, {"column"}, "comments.")
    return _text(section, "column", "comments.column", required=True)


def _file_format(raw: Any) -> FileFormat:
    section = _object(raw, "format")
    _known_keys(
        section,
        {"encoding", "delimiter", "sheet", "date_format", "time_zone", "missing"},
        "format.",
    )
    encoding = _text(section, "encoding", "format.encoding") or "utf-8"
    try:
        "".encode(encoding)
    except LookupError:
        raise InvalidInput("format.encoding", f"{encoding!r} is not a known encoding") from None
    delimiter = _text(section, "delimiter", "format.delimiter") or ","
    if len(delimiter) != 1:
        raise InvalidInput("format.delimiter", f"{delimiter!r} must be one character")
    formats = section.get("date_format", "iso")
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(formats, list) or not formats or not all(isinstance(f, str) for f in formats):
        raise InvalidInput("format.date_format", "must be a strptime pattern, 'iso', or a list")
    zone_name = _text(section, "time_zone", "format.time_zone") or "UTC"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("format.time_zone", f"{zone_name!r} is not an IANA zone") from None
    missing = section.get("missing", [])
    if isinstance(missing, str):
        missing = [missing]
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        raise InvalidInput("format.missing", "must be a string or a list of strings")
    return FileFormat(
        encoding=encoding,
        delimiter=delimiter,
        sheet=_text(section, "sheet", "format.sheet") or None,
        date_formats=tuple(formats),
        time_zone=zone,
        missing=frozenset(m.strip() for m in missing) | {""},
    )


def _value_field(
    top: dict[str, Any], name: str, allowed: type[Any], required: bool = False
) -> ValueField | None:
    if name not in top:
        if required:
            raise InvalidInput(name, "is required")
        return None
    section = _object(top[name], name)
    _known_keys(section, {"column", "values", "default"}, f"{name}.")
    column = _text(section, "column", f"{name}.column") or None
    values = _table(section, f"{name}.values", allowed, nullable=True)
    default = _text(section, "default", f"{name}.default") or None
    if default is not None:
        _check_value(default, allowed, f"{name}.default")
    if column is None and default is None:
        raise InvalidInput(name, "give a column or a default")
    return ValueField(column, values, default)


def _named_field(top: dict[str, Any], name: str, required: bool = False) -> NamedField | None:
    if name not in top:
        if required:
            raise InvalidInput(name, "is required")
        return None
    section = _object(top[name], name)
    _known_keys(section, {"column", "values", "default", "create_missing", "min_tier"}, f"{name}.")
    create = section.get("create_missing", False)
    if not isinstance(create, bool):
        raise InvalidInput(f"{name}.create_missing", "must be true or false")
    return NamedField(
        column=_text(section, "column", f"{name}.column") or None,
        values=_table(section, f"{name}.values", None, nullable=True),
        default=_text(section, "default", f"{name}.default") or None,
        create_missing=create,
        min_tier=_text(section, "min_tier", f"{name}.min_tier") or None,
    )


def _tier_rule(raw: Any, path: str) -> TierRule:
    if isinstance(raw, str):  # shorthand: the column holds tier codes or names
        raw = {"column": raw}
    section = _object(raw, path)
    _known_keys(section, {"column", "values", "suffixes", "counts", "missing", "otherwise"}, path)
    column = _text(section, "column", f"{path}.column", required=True)
    kinds = [kind for kind in ("values", "suffixes", "counts") if kind in section]
    if len(kinds) > 1:
        raise InvalidInput(path, f"give one of values, suffixes or counts, not {kinds}")
    counts = None
    if "counts" in section:
        table = _table(section, f"{path}.counts", None, nullable=False) or {}
        pairs = []
        for threshold, code in table.items():
            if not re.fullmatch(r"-?\d{1,18}", threshold.strip()):  # int() takes 4,300 digits
                raise InvalidInput(f"{path}.counts.{threshold[:40]}", "must be a whole number")
            pairs.append((int(threshold), str(code)))
        if not pairs:
            raise InvalidInput(f"{path}.counts", "must not be empty")
        counts = tuple(sorted(pairs))
    otherwise = section.get("otherwise")
    return TierRule(
        column=column,
        values=_code_table(section, f"{path}.values"),
        suffixes=_code_table(section, f"{path}.suffixes"),
        counts=counts,
        missing=_text(section, "missing", f"{path}.missing") or None,
        otherwise=None if otherwise is None else _tier_rule(otherwise, f"{path}.otherwise"),
    )


# ------------------------------------------------------------------------------ checking
def _object(raw: Any, path: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InvalidInput(path, f"must be a JSON object, not {type(raw).__name__}")
    return raw


def _known_keys(section: dict[str, Any], known: set[str], prefix: str) -> None:
    unknown = sorted(set(section) - known)
    if unknown:
        where = prefix.rstrip(".") or "mapping"
        name = unknown[0] if unknown[0].strip() else repr(unknown[0])  # a blank key, visibly
        raise InvalidInput(
            f"{prefix}{name}", f"is not a key of {where} (known: {', '.join(sorted(known))})"
        )


def _text(section: dict[str, Any], key: str, path: str, required: bool = False) -> str:
    value = section.get(key)
    if value is None:
        if required:
            raise InvalidInput(path, "is required")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInput(path, "must be a non-empty string")
    return value


def _choice(section: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = section.get(key, allowed[0])
    if value not in allowed:
        raise InvalidInput(key, f"{shown(value)} is not one of: {', '.join(allowed)}")
    return str(value)


def _table(
    section: dict[str, Any], path: str, allowed: type[Any] | None, nullable: bool
) -> dict[str, str | None] | None:
    raw = section.get(path.rsplit(".", 1)[1])
    if raw is None:
        return None
    table = _object(raw, path)
    for source, target in table.items():
        if target is None and nullable:
            continue
        if not isinstance(target, str) or not target.strip():
            raise InvalidInput(f"{path}.{source}", "must be a non-empty string")
        if allowed is not None:
            _check_value(target, allowed, f"{path}.{source}")
    return {str(source).strip(): target for source, target in table.items()}


def _code_table(section: dict[str, Any], path: str) -> dict[str, str] | None:
    """A table whose targets are tier codes (never ``null``)."""
    table = _table(section, path, None, nullable=False)
    return None if table is None else {source: str(target) for source, target in table.items()}


def _check_value(value: str, allowed: type[Any], path: str) -> None:
    choices = [member.value for member in allowed]
    if value not in choices:
        raise InvalidInput(path, f"{value!r} is not one of: {', '.join(choices)}")
