"""Business rules stored as validated data (a JSON definition), never as code, with what they did.

- ``Rule``: one rule of the desk's ordered rule set. ``version`` grows by one with every change
  to the rule; the version that fired is written into the ticket history with the rule's id.
- ``RuleSetState``: one row for the whole rule set: its ``version`` grows with every save, so
  that a supervisor saving a rule set someone else changed since they read it is refused.
- ``RuleFiring``: a time-based rule looked at a ticket for one episode of its condition (e.g.
  the stay at one tier that started at ``episode_at``); the unique key makes it happen once.
- ``RuleNotification``: a person a rule notified, once per firing and person, for desktops to
  show and the mailer to send (ordered by ``id`` as ``sla_alerts`` are).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime
from app.models.ticket import BigId


class Rule(Base):
    """One rule: ``definition`` holds its trigger, conditions, actions and stop flag as JSON
    (see ``app.services.rules.definition``); ``position`` orders the rule set."""

    __tablename__ = "rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RuleSetState(Base):
    """The rule set as a whole (a single row, ``id`` 1): ``version`` grows with every save."""

    __tablename__ = "rule_set_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    #: A new random token on every save: what a process's cache of the compiled rules is keyed
    #: by (a version number alone repeats when a database is emptied and set up again).
    token: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: What the last save changed, in words, shown to whoever's save it conflicts with.
    summary: Mapped[str] = mapped_column(Text, default="")


class RuleFiring(Base):
    """A time-based rule's look at a ticket for one episode; ``acted`` when its conditions held
    and it changed or told something. Rules may be deleted later: ``rule_id`` keeps no key."""

    __tablename__ = "rule_firings"
    __table_args__ = (UniqueConstraint("rule_id", "ticket_id", "episode_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rule_id: Mapped[int] = mapped_column(Integer)
    rule_version: Mapped[int] = mapped_column(Integer)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    episode_at: Mapped[datetime] = mapped_column(UtcDateTime)
    fired_at: Mapped[datetime] = mapped_column(UtcDateTime)
    acted: Mapped[bool] = mapped_column(Boolean)


class RuleNotification(Base):
    """A person a rule's ``notify`` action told about a ticket."""

    __tablename__ = "rule_notifications"
    __table_args__ = (Index("ix_rule_notifications_user_id_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rule_id: Mapped[int | None] = mapped_column(Integer)
    rule_version: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    fired_at: Mapped[datetime] = mapped_column(UtcDateTime)
