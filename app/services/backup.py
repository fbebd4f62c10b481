"""Backing up and restoring the embedded database file, safely while desktops use it.

``backup_file`` copies a live SQLite file with SQLite's online backup API, in steps of pages,
from one read snapshot: desktops and the worker go on writing (write-ahead logging lets them),
and the copy is the desk as it was at one instant. The copy is written to a temporary file
beside the target, checked, flushed to disk and only then renamed, so a crash or a full disk
never leaves a half-written backup under the name asked for. It is readable by its owner only.

``restore_file`` puts a backup back, but only while no program has the database open: it takes
SQLite's exclusive lock first and keeps it until the copy is in place, so no desktop can read a
half-restored desk or write into it meanwhile.

A PostgreSQL database is backed up with ``pg_dump`` (see README, "Backing up and restoring").
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.services.database import (
    SQLITE_BUSY_TIMEOUT_MS,
    Database,
    parse_database_url,
    sqlite_problem,
)
from app.services.errors import DatabaseError, InvalidInput
from app.services.file_beside import move_over, new_file_beside

PAGES_PER_STEP = 1024  # 4 MiB with TierDesk's 4 KiB pages: a progress line every few ms
README_SECTION = 'see README, "Backing up and restoring"'
COMPANIONS = ("-wal", "-shm", "-journal")

#: Told the pages copied so far and the pages to copy in all, after each step.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CopyReport:
    """What a backup or restore copied: from where, to where, how many pages and bytes."""

    source: str
    target: str
    pages: int
    bytes: int
    set_aside: str | None = None  # a restore's damaged database, kept under this name


def backup_file(
    database: Database, target: Path, *, force: bool = False, progress: Progress | None = None
) -> CopyReport:
    """Copy the embedded database to ``target`` (see the module docstring). Refuses a
    PostgreSQL database, an existing ``target`` unless ``force``, and the database itself."""
    source = embedded_path(database, "backup")
    target = Path(os.path.abspath(target.expanduser()))
    _check_target(source, target, force=force)
    partial = new_file_beside(target, "FILE", private=True)
    try:
        with (
            _sqlite(f"{Path(source).as_uri()}?mode=rw", source, uri=True) as reader,  # no create
            _sqlite(str(partial), str(target)) as writer,
        ):
            # One read snapshot for the whole copy: with it open, writers elsewhere go on (WAL)
            # and the backup never restarts, however busy the desk.
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM sqlite_schema").fetchone()
            pages = _copy_pages(reader, writer, progress)
            reader.execute("COMMIT")
            writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
            _check_copy(writer, source, target)
        _flush(partial)
        if not force and target.exists():  # someone made it while we copied
            raise InvalidInput("FILE", f"{target} appeared while copying; nothing was replaced")
        move_over(partial, target, "FILE")
        _flush_folder(target.parent)
    finally:
        _remove_with_companions(partial)
    return CopyReport(str(source), str(target), pages, target.stat().st_size)


def restore_file(
    backup: Path, database_path: str, *, force: bool = False, progress: Progress | None = None
) -> CopyReport:
    """Put the backup ``backup`` in place of the embedded database at ``database_path``.

    Refused, with nothing changed, when ``backup`` is not a sound TierDesk database, when the
    database exists and ``force`` is not given (restoring replaces the whole desk), or while
    any program has the database open (a desktop, the worker, a command)."""
    backup = Path(os.path.abspath(backup.expanduser()))
    target = Path(os.path.abspath(Path(database_path).expanduser()))
    try:
        found = backup.is_file()
    except OSError as error:  # a name too long for the system
        raise InvalidInput("FILE", f"cannot read {backup}: {error.strerror}") from None
    if not found:
        raise InvalidInput("FILE", f"no backup file at {backup}")
    if backup == target:
        raise InvalidInput("FILE", f"{backup} is the database itself; name a backup file")
    if target.exists() and not force:
        raise InvalidInput(
            "--force",
            f"restoring replaces the whole desk in {target} with {backup}; back it up first if "
            "you may want it, then add --force",
        )
    set_aside: Path | None = None
    with _sqlite(f"{backup.as_uri()}?mode=ro", str(backup), uri=True) as source:
        _check_is_tierdesk(source, backup)
        try:
            pages = _copy_into_locked(source, target, progress)
        except _Damaged:
            # Nothing can use a file whose header or schema is garbage: keep it for a
            # post-mortem, under another name, and restore into a new file.
            set_aside = _free_name(target, ".damaged")
            os.replace(target, set_aside)
            for suffix in COMPANIONS:
                if Path(f"{target}{suffix}").exists():
                    os.replace(f"{target}{suffix}", f"{set_aside}{suffix}")
            pages = _copy_into_locked(source, target, progress)
    aside = None if set_aside is None else str(set_aside)
    return CopyReport(str(backup), str(target), pages, target.stat().st_size, aside)


class _Damaged(Exception):
    """The file to restore into is not a database, or its first pages are damaged."""


def _copy_into_locked(source: sqlite3.Connection, target: Path, progress: Progress | None) -> int:
    """Copy ``source`` into ``target`` (created owner-only if missing) under the exclusive
    lock; the copy is one transaction of ``target``'s, so a crash half-way leaves it as it was."""
    created = not target.exists()
    if created:
        os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    try:
        with _sqlite(str(target), str(target), timeout_s=0) as writer:
            _lock_exclusively(writer, target)
            return _copy_pages(source, writer, progress)
    except BaseException:
        if created:
            _remove_with_companions(target)
        raise


def _free_name(path: Path, suffix: str) -> Path:
    """``path`` + ``suffix`` (+ ``-2``, ``-3``... if taken): a name nothing else uses."""
    candidate, number = Path(f"{path}{suffix}"), 1
    while candidate.exists():
        number += 1
        candidate = Path(f"{path}{suffix}-{number}")
    return candidate


# ------------------------------------------------------------------------------ helpers
def embedded_path(database: Database | str, verb: str) -> str:
    """The embedded file's path, from an open database or (for a file that may be missing or
    damaged, not opened) its URL; a PostgreSQL database is refused, pointing to pg_dump."""
    url = parse_database_url(database) if isinstance(database, str) else database.url
    if url.get_backend_name() != "sqlite":
        raise InvalidInput(
            "--db",
            f"{verb} copies the embedded database file; {url.host or 'localhost'}/"
            f"{url.database} is a PostgreSQL database: use pg_dump -Fc / pg_restore "
            f"({README_SECTION})",
        )
    return str(Path(str(url.database)).expanduser())


def _check_target(source: str, target: Path, *, force: bool) -> None:
    try:  # a name too long for the system raises here
        is_folder, parent_ok = target.is_dir(), target.parent.is_dir()
    except OSError as error:
        raise InvalidInput("FILE", f"cannot use {target}: {error.strerror}") from None
    if is_folder:
        raise InvalidInput("FILE", f"{target} is a folder; name the backup file to write")
    if not parent_ok:
        raise InvalidInput("FILE", f"the folder {target.parent} does not exist")
    if str(target) == source or (target.exists() and os.path.samefile(target, source)):
        raise InvalidInput("FILE", f"{target} is the database itself; name another file")
    if any(str(target) == source + suffix for suffix in COMPANIONS):
        raise InvalidInput("FILE", f"{target} is one of the database's own files")
    if target.exists() and not force:
        raise InvalidInput(
            "FILE", f"{target} exists; name a new file, or add --force to replace it"
        )


@contextlib.contextmanager
def _sqlite(
    name: str, shown: str, *, uri: bool = False, timeout_s: float | None = None
) -> Iterator[sqlite3.Connection]:
    """A plain connection whose errors read like the app's (``sqlite_problem``); closed after."""
    timeout = SQLITE_BUSY_TIMEOUT_MS / 1000 if timeout_s is None else timeout_s
    connection: sqlite3.Connection | None = None
    try:
        connection = sqlite3.connect(name, timeout=timeout, isolation_level=None, uri=uri)
        yield connection
    except sqlite3.Error as error:
        problem = sqlite_problem(shown, error)
        raise DatabaseError(problem or f"{shown}: {error}") from None
    except OSError as error:
        raise DatabaseError(f"{shown}: {error.strerror}") from None
    finally:
        if connection is not None:
            connection.close()


def _copy_pages(
    source: sqlite3.Connection, target: sqlite3.Connection, progress: Progress | None
) -> int:
    """Copy every page, ``PAGES_PER_STEP`` at a time, telling ``progress``; the page count."""
    copied = {"total": 0}

    def step(_status: int, remaining: int, total: int) -> None:
        copied["total"] = total
        if progress is not None:
            progress(total - remaining, total)

    source.backup(target, pages=PAGES_PER_STEP, progress=step, name="main")
    return copied["total"]


def _check_copy(copy: sqlite3.Connection, source: str, target: Path) -> None:
    """A damaged page is copied as it is: check the copy, and say it is the original's fault."""
    verdict = copy.execute("PRAGMA quick_check").fetchone()
    if verdict is None or verdict[0] != "ok":
        raise DatabaseError(
            f"{source} is not a TierDesk database or is damaged: its copy fails SQLite's check "
            f"({verdict[0] if verdict else 'no answer'}); no backup was written to {target}. "
            f"Restore it from an earlier backup ({README_SECTION})"
        )


def _check_is_tierdesk(source: sqlite3.Connection, backup: Path) -> None:
    """Refuse a file that is not a database, is damaged, or holds no TierDesk schema."""
    verdict = source.execute("PRAGMA quick_check").fetchone()
    tables = {row[0] for row in source.execute("SELECT name FROM sqlite_schema")}
    if verdict is None or verdict[0] != "ok" or not {"alembic_version", "tickets"} <= tables:
        raise InvalidInput(
            "FILE", f"{backup} is not a TierDesk backup or is damaged; nothing was changed"
        )


def _lock_exclusively(connection: sqlite3.Connection, target: Path) -> None:
    """Take SQLite's exclusive lock on ``target`` and keep it until ``connection`` closes
    (``locking_mode=EXCLUSIVE``); refused at once while any other connection has it open."""
    try:
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        connection.execute("COMMIT")
    except sqlite3.Error as error:
        code = error.sqlite_errorcode & 0xFF
        if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            raise _Damaged from None
        if code not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise
        raise DatabaseError(
            f"{target} is in use (a desktop, the worker or another program has it open); close "
            "them and try again. Nothing was changed."
        ) from None


def _flush(path: Path) -> None:
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


def _flush_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no folder handles to flush)."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _remove_with_companions(path: Path) -> None:
    for name in (str(path), *(str(path) + suffix for suffix in COMPANIONS)):
        with contextlib.suppress(FileNotFoundError):
            os.remove(name)
