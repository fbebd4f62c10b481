"""What rules told people (``notify`` actions, and the move cap's reports to supervisors), for a
desktop to show after the last one it showed, as ``NotificationService`` does for SLA alerts."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.models import RuleNotification, Ticket
from app.services.database import Database
from app.services.ticket_change import active_user


@dataclass(frozen=True)
class RuleNotice:
    id: int
    key: str
    ticket_title: str
    rule_id: int | None
    rule_version: int
    message: str
    fired_at: datetime


class RuleNoticeService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def latest_id(self) -> int:
        """Where a desktop starts listening when someone signs in."""
        with self.database.read() as session:
            return int(session.scalar(select(func.max(RuleNotification.id))) or 0)

    def for_user(
        self, login: str, after_id: int, limit: int = 100, shown: Collection[int] = ()
    ) -> list[RuleNotice]:
        """The notices for ``login`` after ``after_id``, oldest first, but for those ``shown``
        already (see ``news_cursor``: a lower id can commit late)."""
        with self.database.read() as session:
            user = active_user(session, login, field="user")
            query = (
                select(RuleNotification, Ticket.key, Ticket.title)
                .join(Ticket, Ticket.id == RuleNotification.ticket_id)
                .where(RuleNotification.user_id == user.id, RuleNotification.id > after_id)
            )
            if shown:
                query = query.where(RuleNotification.id.not_in(list(shown)))
            rows = session.execute(query.order_by(RuleNotification.id).limit(limit))
            return [
                RuleNotice(n.id, key, title, n.rule_id, n.rule_version, n.message, n.fired_at)
                for n, key, title in rows
            ]
