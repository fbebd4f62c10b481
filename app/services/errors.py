"""Errors a user may see. Each says what is wrong and where (field, value, ticket), so that the
GUI and the CLI can show it as it is, without a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.dto import EventView


class TierDeskError(Exception):
    """Base of every error meant for the user; ``str(error)`` is the message to show."""


class InvalidInput(TierDeskError):
    """A value given by the user is not acceptable. ``field`` names where it was given."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(TierDeskError):
    """A ticket, tier, category or user named by the user does not exist."""


class NotAllowed(TierDeskError):
    """The acting user may not do this (role, tier, or the ticket's state forbids it)."""


class ConflictError(TierDeskError):
    """Someone else changed the ticket since it was read; nothing was written.

    ``changes`` lists the history entries made since the version the writer had read, so the
    user sees who changed what and can reload or merge.
    """

    def __init__(
        self,
        ticket_key: str,
        expected_version: int,
        current_version: int,
        changes: Sequence[EventView],
    ) -> None:
        lines = [
            f"{ticket_key} was changed by someone else since you read it "
            f"(you read version {expected_version}, it is now at version {current_version}); "
            "nothing was saved:"
        ]
        lines += [f"  {change.at:%Y-%m-%d %H:%M} UTC {change.summary()}" for change in changes]
        super().__init__("\n".join(lines))
        self.ticket_key = ticket_key
        self.expected_version = expected_version
        self.current_version = current_version
        self.changes = tuple(changes)


class DatabaseError(TierDeskError):
    """The database cannot be used: unreachable, malformed URL, or a schema this app cannot use."""


class SchemaTooNew(DatabaseError):
    """The database was migrated by a newer TierDesk; this one refuses to touch it."""
