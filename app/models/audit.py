"""The rule audit: every save of a rule, before and after, by whom and when; append-only.

Rows are written by the database itself (a trigger on ``rules``, migration 0007), so a rule
changed outside TierDesk (``psql``) is recorded too, and the database refuses to change or
delete them, for every role the app uses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime


class RuleVersion(Base):
    """One save of one rule: ``before`` is None for a new rule, ``after`` None for a deleted
    one. ``actor_id`` is the TierDesk user the app named (the rule's ``updated_by``);
    ``database_login`` the login that made the change (on SQLite: empty)."""

    __tablename__ = "rule_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    database_login: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
