"""Declarative base, constraint naming and the UTC timestamp type shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, DateTime, Dialect, Enum, MetaData, Table, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

#: Stable constraint names, so that Alembic migrations (and SQLite batch mode) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """An instant stored as naive UTC and always returned as an aware UTC ``datetime``.

    SQLite has no time-zone-aware type, and desktops in different zones share one database, so
    every instant is normalised to UTC on the way in and tagged as UTC on the way out.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given where an aware instant is needed")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant = datetime.fromisoformat(value) if isinstance(value, str) else value
        assert isinstance(instant, datetime)
        return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def enum_column(enum_class: type[StrEnum]) -> Enum:
    """A portable enum column: VARCHAR holding the enum's values.

    Its CHECK constraint is added by ``_check_enum_values`` below, written as ``a = 'x' OR ...``
    rather than SQLAlchemy's ``IN ('x', ...)``: SQLite rebuilds a temporary table for an IN list
    on every inserted row, which made bulk loads twice as slow.
    """
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


@event.listens_for(Column, "after_parent_attach")
def _check_enum_values(column: Column[Any], table: object) -> None:
    """Give every enum column of a TierDesk table a CHECK constraint listing its allowed values.
    (Tables of other metadata, such as those a migration builds, spell out their constraints.)"""
    if not isinstance(table, Table) or not isinstance(column.type, Enum):
        return
    if table.metadata is not Base.metadata:
        return
    allowed = " OR ".join(f"{column.name} = '{value}'" for value in column.type.enums)
    table.append_constraint(CheckConstraint(allowed, name=f"{column.name}_allowed"))


class Base(DeclarativeBase):
    """Base of every TierDesk table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
