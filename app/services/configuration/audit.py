"""Who changed the configuration, and what: the ``config_changes`` log (``ConfigChange``).

Every save records one row (when, who, the changes in words), so that a supervisor whose save
meets a conflict is told "sara renamed tier L2 to 'Desktop support'". ``DeskConfiguration
.revision`` is the id of the last row when the configuration was read: the rows after it are
what others did since.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ConfigChange, User


def current_revision(session: Session) -> int:
    """The id of the last recorded change (0: none yet)."""
    return int(session.scalar(select(func.max(ConfigChange.id))) or 0)


def record_changes(
    session: Session, actor_id: int | None, at: datetime, changes: list[str] | tuple[str, ...]
) -> None:
    if changes:
        session.add(ConfigChange(at=at, actor_id=actor_id, changes=list(changes)))
        session.flush()


def authors_since(session: Session, revision: int) -> dict[str, str]:
    """Each change recorded after ``revision`` (in words) and the login of who made it; the
    latest author wins where the same words were recorded twice."""
    rows = session.execute(
        select(ConfigChange.actor_id, ConfigChange.changes)
        .where(ConfigChange.id > revision)
        .order_by(ConfigChange.id)
    ).all()
    logins = _logins(session, {row.actor_id for row in rows if row.actor_id is not None})
    return {
        str(change): logins.get(row.actor_id, "someone") for row in rows for change in row.changes
    }


def _logins(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.login).where(User.id.in_(ids)))
    return {user_id: login for user_id, login in rows.tuples()}
