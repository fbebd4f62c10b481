"""Checks of user-supplied values, each failing with ``InvalidInput`` naming the field."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from app.services.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)

TITLE_MAX = 200
REQUESTER_MAX = 120
DESCRIPTION_MAX = 20_000
NOTE_MAX = 2_000
COMMENT_MAX = 20_000


def clean_text(field: str, value: str | None, *, max_length: int, required: bool = True) -> str:
    """Trimmed text; refuses missing (when required), blank-only or over-long values."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(field, "must not be empty")
    if "\x00" in text:
        raise InvalidInput(field, "contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(field, "contains bytes that are not valid text") from None
    if len(text) > max_length:
        raise InvalidInput(field, f"is {len(text)} characters long; at most {max_length} allowed")
    return text


def parse_choice(field: str, enum_class: type[E], value: str | E) -> E:
    """An enum member from its value (case-insensitive, ``-`` or space for ``_``)."""
    if isinstance(value, enum_class):
        return value
    normalised = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    for member in enum_class:
        if member.value.lower() == normalised:
            return member
    allowed = ", ".join(member.value for member in enum_class)
    raise InvalidInput(field, f"{value!r} is not one of: {allowed}")
