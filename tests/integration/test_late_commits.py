"""A desktop shows a rule notice whose transaction commits after a higher id was read: on the
real PostgreSQL server, two connections writing at once, as two desktops would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from app.services.database import open_database
from app.services.news_cursor import NewsCursor
from app.services.rules.notices import RuleNoticeService
from tests.factories import Desk, make_desk

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_desk(postgres_url: str) -> Iterator[Desk]:
    database = open_database(postgres_url)
    yield make_desk(database)
    database.close()


def test_a_notice_committed_late_under_a_lower_id_is_shown(pg_desk):
    ticket = pg_desk.ticket()
    notices = RuleNoticeService(pg_desk.database)
    cursor = NewsCursor(notices.latest_id())
    notify = text(
        "INSERT INTO rule_notifications (ticket_id, user_id, rule_version, message, fired_at) "
        "SELECT :ticket, id, 1, :message, now() FROM users WHERE login = 'lena' RETURNING id"
    )

    def read() -> list[str]:
        horizon = notices.latest_id()
        found = notices.for_user("lena", cursor.after_id, shown=cursor.shown)
        fresh = set(cursor.advance(horizon, [notice.id for notice in found]))
        return [notice.message for notice in found if notice.id in fresh]

    slow = pg_desk.database.engine.connect()
    try:
        slow_transaction = slow.begin()
        low = slow.execute(notify, {"ticket": ticket.id, "message": "slow"}).scalar_one()
        with pg_desk.database.engine.begin() as quick:
            high = quick.execute(notify, {"ticket": ticket.id, "message": "quick"}).scalar_one()
        assert low < high
        assert read() == ["quick"]
        slow_transaction.commit()
    finally:
        slow.close()
    assert read() == ["slow"]
    assert read() == []
