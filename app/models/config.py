"""The configuration log: who changed the desk's set-up (tiers, categories, calendars, SLA
policy, rules), when, and what, in words. A save that meets someone else's save names them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime


class ConfigChange(Base):
    """One save of the desk's configuration: when, who (none for an import into a desk without
    people yet), and the changes in words ("renamed tier L2 to 'Desktop support'")."""

    __tablename__ = "config_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changes: Mapped[list[str]] = mapped_column(JSON)
