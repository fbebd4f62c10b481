"""Database fixtures: every database test runs on a real SQLite file and on the real PostgreSQL
server. PostgreSQL tests are skipped, with the reason, only where no server answers; when
``TIERDESK_REQUIRE_POSTGRES=1`` (as in CI) an unreachable server fails them instead."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

# No display is needed to test: Qt renders offscreen unless a caller chose otherwise.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import create_engine, text

from app.models import Base
from app.services.database import Database, open_database
from app.services.people import drop_group_roles
from tests.factories import Desk, make_desk
from tests.keychains import FailingKeyring, MemoryKeyring

POSTGRES_URL = os.environ.get(
    "TIERDESK_TEST_POSTGRES", "postgresql+psycopg://root@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("TIERDESK_REQUIRE_POSTGRES") == "1"


def postgres_unavailable_reason() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to reach the server is a reason to skip
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {str(error).splitlines()[0]}"
    return None


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A private, migrated schema on the test server for this test session, dropped after."""
    reason = postgres_unavailable_reason()
    if reason:
        if REQUIRE_POSTGRES:
            pytest.fail(f"{reason} (TIERDESK_REQUIRE_POSTGRES=1 forbids skipping)")
        pytest.skip(reason)
    schema = f"tierdesk_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, pool_pre_ping=True)  # survives a server restart
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    open_database(url).close()
    yield url
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        drop_group_roles(connection, schema)  # roles outlive schemas: the migration's too
    admin.dispose()


def _truncate_all(database: Database) -> None:
    """Back to a freshly migrated state: no rows, but the ticket counter the migration made.
    (TRUNCATE, unlike DELETE, passes the history's append-only triggers.)"""
    tables = ", ".join(
        table.name for table in Base.metadata.sorted_tables if table.name != "key_counters"
    )
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        connection.execute(text("UPDATE key_counters SET last_number = 1000"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'desk.db'}"


@pytest.fixture
def postgres_url(postgres_schema_url: str) -> Iterator[str]:
    """The session's PostgreSQL schema, emptied before each test."""
    database = open_database(postgres_schema_url, migrate=False)
    _truncate_all(database)
    database.close()
    yield postgres_schema_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """A migrated, empty database URL: a SQLite file, then the PostgreSQL server."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = open_database(database_url)
    yield database
    database.close()


@pytest.fixture
def desk(database: Database) -> Desk:
    """The standard test desk (see ``tests.factories``) on each database."""
    return make_desk(database)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, not even migrated: a SQLite file that does not exist yet
    (in a folder that does not exist yet), or a new empty schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new-folder' / 'desk.db'}"
        return
    request.getfixturevalue("postgres_schema_url")  # skips (or fails) without a server
    schema = f"tierdesk_empty_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, pool_pre_ping=True)  # survives a server restart
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        drop_group_roles(connection, schema)  # roles outlive schemas: the migration's too
    admin.dispose()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A keychain in memory in place of the OS's, for the test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def failing_keyring() -> Iterator[FailingKeyring]:
    """No usable keychain, for the test."""
    previous = keyring.get_keyring()
    backend = FailingKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
