"""Schema migrations: a new database is brought to the latest revision at start-up; a database
from a newer TierDesk is refused untouched; the ticket history refuses rewrites by itself."""

import os
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, exc, inspect, text

from app.models import Base
from app.services.database import (
    current_revisions,
    latest_revision,
    open_database,
    parse_database_url,
)
from app.services.errors import SchemaTooNew
from tests.factories import database_snapshot, engine_snapshot, make_desk

FUTURE_REVISION = "0999_from_a_newer_tierdesk"
SCHEMA_TABLES = set(Base.metadata.tables) | {"alembic_version"}


def bare_engine(url):
    """An engine on the database that bypasses TierDesk (no migrations, no checks)."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(parsed)


def table_names(engine):
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_empty_database_is_migrated_to_the_latest_revision(empty_database_url):
    database = open_database(empty_database_url)
    try:
        assert current_revisions(database) == (latest_revision(),)
        assert table_names(database.engine) == SCHEMA_TABLES
        desk = make_desk(database)
        assert desk.ticket().key == "TD-1001"  # the migration set up the key counter too
    finally:
        database.close()


def test_migrated_schema_matches_the_models(empty_database_url):
    database = open_database(empty_database_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        database.close()


def test_opening_a_current_database_again_changes_nothing(empty_database_url):
    database = open_database(empty_database_url)
    make_desk(database).ticket()
    before = database_snapshot(database)
    database.close()
    again = open_database(empty_database_url)
    try:
        assert database_snapshot(again) == before
        assert current_revisions(again) == (latest_revision(),)
    finally:
        again.close()


def test_opening_without_migrating_leaves_a_new_database_empty(empty_database_url):
    database = open_database(empty_database_url, migrate=False)
    try:
        assert current_revisions(database) == ()
        assert table_names(database.engine) == set()
    finally:
        database.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_new_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "nested" / "folder" / "desk.db"
    open_database(f"sqlite:///{path}").close()
    assert path.exists()
    assert os.stat(path).st_mode & 0o077 == 0


def stamp(engine, revision, *, create=False):
    with engine.begin() as connection:
        if create:
            connection.execute(
                text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
            )
            connection.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
        else:
            connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


@pytest.mark.parametrize("migrate", [True, False])
def test_empty_database_of_a_newer_tierdesk_is_refused_and_not_written(empty_database_url, migrate):
    engine = bare_engine(empty_database_url)
    try:
        stamp(engine, FUTURE_REVISION, create=True)
        before = engine_snapshot(engine)
        with pytest.raises(SchemaTooNew) as caught:
            open_database(empty_database_url, migrate=migrate)
        assert engine_snapshot(engine) == before
        assert table_names(engine) == {"alembic_version"}
    finally:
        engine.dispose()
    message = str(caught.value)
    assert repr(FUTURE_REVISION) in message
    assert "newer than this TierDesk understands" in message
    assert repr(latest_revision()) in message
    assert "Nothing was changed" in message


def test_populated_database_of_a_newer_tierdesk_is_refused_and_not_written(empty_database_url):
    database = open_database(empty_database_url)
    desk = make_desk(database)
    desk.tickets.take("lena", desk.ticket().key, 1)
    stamp(database.engine, FUTURE_REVISION)
    before = database_snapshot(database)
    database.close()

    with pytest.raises(SchemaTooNew, match=FUTURE_REVISION):
        open_database(empty_database_url)

    engine = bare_engine(empty_database_url)
    try:
        assert engine_snapshot(engine) == before
    finally:
        engine.dispose()


# -------------------------------------------------------------------- append-only history
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ticket_events SET note = 'rewritten' WHERE id = :id",
        "UPDATE ticket_events SET actor_id = NULL",
        "DELETE FROM ticket_events WHERE id = :id",
        "DELETE FROM ticket_events",
    ],
)
def test_history_cannot_be_rewritten_even_with_sql(desk, statement):
    key = desk.ticket().key
    desk.tickets.take("lena", key, 1)
    before = database_snapshot(desk.database)
    with desk.database.engine.connect() as connection:
        first_id = connection.execute(text("SELECT min(id) FROM ticket_events")).scalar()
    with (
        pytest.raises(exc.DBAPIError, match="ticket history is append-only"),
        desk.database.engine.begin() as connection,
    ):
        connection.execute(text(statement), {"id": first_id})
    assert database_snapshot(desk.database) == before
    assert len(desk.tickets.get(key).events) == 3


def test_history_still_takes_new_events(desk):
    key = desk.ticket().key
    desk.tickets.comment("lena", key, "appending is what history is for")
    assert [e.ticket_version for e in desk.tickets.get(key).events] == [1, 2]
