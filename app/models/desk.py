"""The desk's set-up: the tier ladder, problem types (categories) and the people who work it."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, enum_column
from app.models.enums import Role, TierKind

user_tiers = Table(
    "user_tiers",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("tier_id", ForeignKey("tiers.id", ondelete="CASCADE"), primary_key=True),
)


class Tier(Base):
    """One rung of the support ladder (L1, L2, L3, Vendor). ``position`` orders the ladder."""

    __tablename__ = "tiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[TierKind] = mapped_column(enum_column(TierKind))
    wip_limit: Mapped[int | None] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class Category(Base):
    """A problem type, naming the lowest tier authorised to resolve it."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    min_tier_id: Mapped[int] = mapped_column(ForeignKey("tiers.id"))

    min_tier: Mapped[Tier] = relationship(lazy="joined")


class User(Base):
    """A person who signs in to the desk, with a role and the tiers they work."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    #: Where SLA notifications are mailed, when the desk mails them; optional.
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    tiers: Mapped[list[Tier]] = relationship(secondary=user_tiers, lazy="selectin")
