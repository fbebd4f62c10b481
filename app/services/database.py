"""Opening the database: URL checks, connection set-up, schema migrations and units of work.

TierDesk runs on an embedded SQLite file (one desk) or on a shared PostgreSQL server (a team).
``open_database`` returns a ``Database`` whose ``read()`` and ``write()`` context managers each
run one transaction. On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` so that two
processes never both read a ticket and then race to write it; on PostgreSQL writers lock the rows
they change (``SELECT ... FOR UPDATE``) inside an ordinary transaction.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, exc, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.services.errors import DatabaseError, NotAllowed, SchemaTooNew

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "models" / "migrations"
URL_HELP = "expected sqlite:///PATH/TO/FILE.db or postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
SQLITE_BUSY_TIMEOUT_MS = 15_000
WAL_SWITCH_RETRY_S = 0.05
#: Page cache of a writing connection, at most (SQLite's default is 2 MiB; readers keep it).
SQLITE_WRITE_CACHE_KIB = 65_536
#: A commit checkpoints the write-ahead log itself only past this many pages (80 MiB of 4 KiB
#: pages; SQLite's default is 1,000): ``Database.checkpoint`` does it after each pass instead.
SQLITE_AUTOCHECKPOINT_PAGES = 20_000
MIN_SQLITE = (3, 35)  # UPDATE ... RETURNING
MIGRATION_LOCK = 7_413_210_001  # any fixed numbers, the same for every TierDesk
SETUP_LOCK = 7_413_210_002
#: PostgreSQL's SQLSTATE for "permission denied" (grants, row-level security).
INSUFFICIENT_PRIVILEGE = "42501"
CREATE_HINT = "create it with `main.py --db URL migrate` or by starting the desktop app"
POSTGRES_CONNECT_TIMEOUT_S = 5


def default_database_url() -> str:
    """The embedded database in the user's data folder, e.g. ``~/.local/share/TierDesk``."""
    folder = Path(user_data_dir("TierDesk", appauthor=False))
    return f"sqlite:///{folder / 'tierdesk.db'}"


def database_url_from(
    argument: str | None, remembered: Callable[[], str | None] | None = None
) -> str:
    """The URL to use: ``--db`` if given, else ``TIERDESK_DB``, else the connection the
    desktop app remembers (``remembered``, asked only when needed), else the embedded default."""
    return (
        argument
        or os.environ.get("TIERDESK_DB")
        or (remembered() if remembered is not None else None)
        or default_database_url()
    )


def _masked(raw: str) -> str:
    """The URL as typed, with any password replaced, for messages."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", raw)


def parse_database_url(raw: str) -> URL:
    """Check a database URL and normalise it to a driver TierDesk ships (psycopg 3)."""
    shown = _masked(raw)
    try:
        url = make_url(raw.strip())
    except (exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseError(f"database URL {shown!r} is not a URL; {URL_HELP}") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise DatabaseError(
                f"database URL {shown!r} names no file; an in-memory database would vanish "
                f"on exit. {URL_HELP}"
            )
        return url.set(drivername="sqlite")
    if backend in ("postgresql", "postgres"):
        if not url.database:
            raise DatabaseError(f"database URL {shown!r} names no database; {URL_HELP}")
        return url.set(drivername="postgresql+psycopg")
    raise DatabaseError(f"database URL {shown!r}: {backend!r} is not supported; {URL_HELP}")


@dataclass
class Database:
    """An open TierDesk database and the way to run units of work on it."""

    url: URL
    engine: Engine
    write_engine: Engine  # the same engine on PostgreSQL; BEGIN IMMEDIATE on SQLite

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def describe(self) -> str:
        """Where the data lives, in words for a status bar or an error."""
        if self.is_sqlite:
            return f"embedded file {self.url.database}"
        port = self.url.port or 5432
        return f"server {self.url.host or 'localhost'}:{port}/{self.url.database}"

    def __post_init__(self) -> None:
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self.write_engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read-only unit of work."""
        with self._database_errors(), self._reader.begin() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work that changes data: all of it commits, or none of it does."""
        with self._database_errors(), self._writer.begin() as session:
            yield session

    @contextmanager
    def _database_errors(self) -> Iterator[None]:
        """A refusal by the database's privileges becomes ``NotAllowed``. A lost server, a file
        locked for too long or a full disk become a ``DatabaseError`` with the database's own
        words (an embedded file's read-only, locked, full or damaged state in ours, see
        ``_sqlite_problem``); the transaction has been rolled back by then."""
        try:
            yield
        except exc.DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
                # The database's own refusal (its grants and row policies, see migration 0007),
                # where the service's checks would have said the same in other words.
                raise NotAllowed(f"the database refused it: {_first_line(error)}") from error
            problem = _sqlite_problem(self, error)
            if problem is None and not isinstance(error, exc.OperationalError | exc.InterfaceError):
                raise  # an integrity error and the like: the caller's to handle
            raise DatabaseError(problem or f"{self.describe()}: {_first_line(error)}") from error

    def checkpoint(self) -> None:
        """On the embedded file, copy what the write-ahead log holds back into the database
        without waiting for anyone (``PRAGMA wal_checkpoint(PASSIVE)``); nothing on a server.

        SQLite checkpoints by itself only once the log is large (``SQLITE_AUTOCHECKPOINT_PAGES``),
        so that a commit such as an escalation pass's does not pay for copying back every
        page it wrote; the deadline timer calls this after each pass, on its own thread."""
        if not self.is_sqlite:
            return
        with self._database_errors(), self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        self.engine.dispose()
        self.write_engine.dispose()


def open_database(raw_url: str, *, migrate: bool = True, create: bool = True) -> Database:
    """Connect, refuse a database that is not TierDesk's or is newer than this app, and (by
    default) migrate it to the latest schema. With ``create=False`` a missing or empty database
    is refused instead of created, so that a mistyped URL does not make a new desk."""
    url = parse_database_url(raw_url)
    if url.get_backend_name() == "sqlite":
        engine, write_engine = _sqlite_engines(url, create=create)
    else:
        engine = create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S},
        )
        write_engine = engine
    database = Database(url=url, engine=engine, write_engine=write_engine)
    try:
        with database._database_errors():
            check_schema_is_usable(database, create=create)
            if migrate:
                migrate_to_latest(database)
            if database.is_sqlite:
                _use_write_ahead_log(database)
    except BaseException:
        database.close()
        raise
    return database


def _sqlite_engines(url: URL, *, create: bool) -> tuple[Engine, Engine]:
    """A reading and a writing engine on one SQLite file (see the module docstring)."""
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise DatabaseError(
            f"this Python's SQLite is {sqlite3.sqlite_version}; TierDesk needs 3.35 or newer"
        )
    path = Path(str(url.database)).expanduser()
    if not create and not path.exists():
        raise DatabaseError(f"no TierDesk database at {path}; {CREATE_HINT}")
    if path.exists():
        _refuse_read_only(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Owner-only from the first byte: the file holds the whole desk. (SQLite gives the
            # -wal, -shm and -journal files it creates beside it the file's own mode.)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as error:
        raise DatabaseError(f"cannot create the database file {path}: {error.strerror}") from None
    url = url.set(database=str(path))
    engines = []
    for begin_statement, cache_kib in (
        ("BEGIN", None),
        ("BEGIN IMMEDIATE", SQLITE_WRITE_CACHE_KIB),
    ):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine, begin_statement, cache_kib)
        engines.append(engine)
    return engines[0], engines[1]


def _refuse_read_only(path: Path) -> None:
    """Refuse, touching nothing, a file TierDesk could read but never save to, rather than fail
    at the first save. SQLite also needs the folder: it keeps its write-ahead log (``-wal``,
    ``-shm``) beside the file. (Root passes ``os.access`` whatever the mode bits say; a write
    then still fails and ``_sqlite_problem`` words it.)"""
    folder = path.parent
    if not os.access(path, os.W_OK):
        reason = "TierDesk saves every change into it; make it writable, or open a writable copy"
    elif not os.access(folder, os.W_OK | os.X_OK):
        reason = (
            f"its folder {folder} is not writable, and SQLite keeps its write-ahead log beside "
            "the file; make the folder writable, or copy the file into one that is"
        )
    else:
        return
    raise DatabaseError(f"the database file {path} is read-only: {reason}. Nothing was changed.")


def _sqlite_problem(database: Database, error: exc.DBAPIError) -> str | None:
    if not database.is_sqlite:
        return None
    return sqlite_problem(str(database.url.database), error.orig)


def sqlite_problem(path: str, error: BaseException | None) -> str | None:
    """What is wrong with the embedded file at ``path``, in words a user can act on, from the
    SQLite error's result code (``None`` for anything else): read-only, locked past the busy
    timeout, full, or not a database / damaged. SQLite rolls the failed transaction back, so
    nothing was saved."""
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    primary, said = code & 0xFF, str(error).strip()  # extended codes keep the primary low
    if primary == sqlite3.SQLITE_READONLY:
        return (
            f"the database file {path} is read-only: {said}; nothing was saved. "
            "Make the file and its folder writable, or open a writable copy"
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return f"{path} is locked by another program; try again"
    if primary == sqlite3.SQLITE_FULL:
        return f"{path} cannot grow: {said}; nothing was saved. Free some disk space and try again"
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return (
            f"{path} is not a TierDesk database or is damaged; restore it from a backup "
            '(see README, "Backing up and restoring")'
        )
    return None


def _configure_sqlite(engine: Engine, begin_statement: str, cache_kib: int | None) -> None:
    """Foreign keys, a busy timeout, and transactions we control ourselves. (Write-ahead
    logging is switched on once the file is known to be TierDesk's: it changes the file.)

    pysqlite's own transaction handling defers BEGIN and would defeat ``BEGIN IMMEDIATE``, so
    the driver is put in autocommit mode and SQLAlchemy's begin emits the statement we choose.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if cache_kib is not None:
            # A write such as an escalation pass dirties thousands of pages: with SQLite's 2 MiB
            # default they spill into the log mid-transaction and are read back. (Readers keep
            # the default: the reports measured slower with the larger cache.)
            cursor.execute(f"PRAGMA cache_size=-{cache_kib}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_AUTOCHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin_statement)


def _script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(_alembic_config())


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def current_revisions(database: Database) -> tuple[str, ...]:
    """The migration revisions the database is at (empty for a new database)."""
    with _connect(database) as connection:
        return tuple(MigrationContext.configure(connection).get_current_heads())


def latest_revision() -> str:
    head = _script_directory().get_current_head()
    assert head is not None
    return head


def check_schema_is_usable(database: Database, *, create: bool = True) -> None:
    """Refuse, writing nothing, a database migrated by a newer TierDesk, one that holds another
    application's tables, or (unless ``create``) one that has no TierDesk schema yet."""
    with _connect(database) as connection:
        revisions = MigrationContext.configure(connection).get_current_heads()
        tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    if not revisions:
        if tables:
            listed = ", ".join(sorted(tables)[:5])
            raise DatabaseError(
                f"{database.describe()} holds tables of another application ({listed}); "
                "TierDesk needs a database of its own. Nothing was changed."
            )
        if not create:
            raise DatabaseError(f"no TierDesk database at {database.describe()}; {CREATE_HINT}")
    script = _script_directory()
    for revision in revisions:
        try:
            known = script.get_revision(revision)
        except Exception:  # alembic raises several kinds for an unknown id
            known = None
        if known is None:
            raise SchemaTooNew(
                f"the database at {database.describe()} has schema revision {revision!r}, newer "
                f"than this TierDesk understands (up to {script.get_current_head()!r}). Nothing "
                "was changed; install the newer TierDesk that last used this database."
            )


def migrate_to_latest(database: Database) -> None:
    """Apply every pending migration in one transaction.

    Several desktops may start at once: the migration runs under the database's write lock
    (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), and whoever comes second finds
    the schema already at the latest revision and does nothing.
    """
    if current_revisions(database) == (latest_revision(),):
        return
    config = _alembic_config()
    with database.write_engine.connect() as connection, connection.begin():
        if not database.is_sqlite:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def serialise_setup_changes(session: Session) -> None:
    """Make set-up changes (ladder, categories, people, a demo load) take turns, so that a
    "does it exist yet?" check stays true until the change commits. SQLite write transactions
    already take turns; on PostgreSQL a transaction-scoped advisory lock does it."""
    if session.get_bind().dialect.name != "sqlite":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SETUP_LOCK})


def _use_write_ahead_log(database: Database) -> None:
    """Readers do not block the writer and the writer does not block readers (persistent).

    The switch needs the file to itself for a moment, and SQLite may refuse it at once with
    "database is locked" rather than wait, when another desktop starting at the same time holds
    a lock it cannot wait for without deadlocking (about 1 start in 180 with six starting at
    once). So a refused switch is tried again, for as long as any other wait for the file."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        connection = database.engine.raw_connection()  # outside any transaction, as required
        try:
            connection.cursor().execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        finally:
            connection.close()
        time.sleep(WAL_SWITCH_RETRY_S)


@contextmanager
def _connect(database: Database) -> Iterator[Any]:
    try:
        connection = database.engine.connect()
    except exc.DBAPIError as error:  # unreachable server, or a file that is not a database
        problem = _sqlite_problem(database, error)
        raise DatabaseError(
            problem or f"cannot open {database.describe()}: {_first_line(error)}"
        ) from None
    with connection:
        yield connection


def _first_line(error: exc.DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig else str(error)
