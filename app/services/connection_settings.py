"""Which database the desktop app connects to, and where that database's password is kept.

A connection is edited as ``ConnectionParts`` (an embedded file, or a PostgreSQL server's host,
port, database, user and password) and stored as a URL *without* its password; the password
goes to the operating system's keychain through ``keyring`` under ``KEYCHAIN_SERVICE`` and
``password_key(...)``. ``check_connection`` tries a URL without changing anything and says in
plain words what worked or what is wrong. No Qt here: the dialog in ``app.views`` uses these.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import keyring
import keyring.errors
from sqlalchemy import text
from sqlalchemy.engine import URL

from app.services.database import (
    Database,
    current_revisions,
    latest_revision,
    open_database,
    parse_database_url,
)
from app.services.errors import DatabaseError, SchemaTooNew, TierDeskError

KEYCHAIN_SERVICE = "TierDesk"
DEFAULT_PORT = 5432


class ConnectionKind(StrEnum):
    EMBEDDED = "embedded"
    SERVER = "server"


class KeychainError(TierDeskError):
    """The OS keychain could not store or give back a password (e.g. none on this machine)."""


@dataclass(frozen=True)
class ConnectionParts:
    """A database connection as a person edits it; ``query`` keeps URL options as they were."""

    kind: ConnectionKind
    path: str = ""
    host: str = "localhost"
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    password: str = ""
    query: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)

    @property
    def keychain_key(self) -> str:
        """The name of this connection's password in the keychain."""
        return password_key(self.user, self.host, self.port, self.database)


def password_key(user: str, host: str, port: int, database: str) -> str:
    """The keychain entry's name for a server password: ``user@host:port/database``."""
    return f"{user}@{host}:{port}/{database}"


def build_url(parts: ConnectionParts, *, with_password: bool = True) -> str:
    """The URL for these parts; special characters in the user and password are escaped."""
    if parts.kind is ConnectionKind.EMBEDDED:
        path = parts.path.strip()
        return f"sqlite:///{Path(path).expanduser()}" if path else "sqlite:///"
    url = URL.create(
        "postgresql+psycopg",
        username=parts.user.strip() or None,
        password=(parts.password or None) if with_password else None,
        host=parts.host.strip() or None,
        port=parts.port,
        database=parts.database.strip() or None,
        query=dict(parts.query),
    )
    return url.render_as_string(hide_password=False)


def split_url(raw_url: str) -> ConnectionParts:
    """The parts of a database URL; raises ``DatabaseError`` for one TierDesk cannot use."""
    url = parse_database_url(raw_url)
    if url.get_backend_name() == "sqlite":
        return ConnectionParts(ConnectionKind.EMBEDDED, path=str(url.database))
    return ConnectionParts(
        ConnectionKind.SERVER,
        host=url.host or "localhost",
        port=url.port or DEFAULT_PORT,
        database=url.database or "",
        user=url.username or "",
        password=url.password or "",
        query=dict(url.query),
    )


def without_password(raw_url: str) -> str:
    """The URL with no password at all: what may be written to a settings file."""
    return build_url(split_url(raw_url), with_password=False)


def masked(raw_url: str) -> str:
    """The URL with any password shown as ``***``, for screens and messages."""
    return parse_database_url(raw_url).render_as_string(hide_password=True)


def load_password(key: str) -> str | None:
    """The password kept in the keychain under ``key``, or None if there is none."""
    try:
        return keyring.get_password(KEYCHAIN_SERVICE, key)
    except keyring.errors.KeyringError as error:
        raise KeychainError(f"cannot read the password from the keychain: {error}") from None


def save_password(key: str, password: str) -> None:
    """Keep ``password`` in the keychain under ``key``; an empty password removes the entry."""
    try:
        if password:
            keyring.set_password(KEYCHAIN_SERVICE, key, password)
        elif keyring.get_password(KEYCHAIN_SERVICE, key) is not None:
            keyring.delete_password(KEYCHAIN_SERVICE, key)
    except keyring.errors.KeyringError as error:
        raise KeychainError(
            f"The password could not be kept in the keychain ({error}). It is used for this "
            "session only; TierDesk will ask for it again next time."
        ) from None


def with_stored_password(raw_url: str, load: Callable[[str], str | None] = load_password) -> str:
    """A remembered URL with its password put back from the keychain, when there is one.

    A keychain that cannot be read leaves the URL without a password: the server then says
    so, and the person can enter it again in the connection dialog."""
    parts = split_url(raw_url)
    if parts.kind is ConnectionKind.EMBEDDED or parts.password:
        return raw_url
    try:
        password = load(parts.keychain_key)
    except KeychainError:
        return raw_url
    if not password:
        return raw_url
    return build_url(dataclasses.replace(parts, password=password))


@dataclass(frozen=True)
class ConnectionCheck:
    """What a connection test found: ``ready`` when the desk can be used as it is; otherwise
    the database was reached but TierDesk still has to set it up or migrate it."""

    text: str
    ready: bool


def check_connection(raw_url: str) -> ConnectionCheck:
    """Try ``raw_url`` without creating or migrating anything; the outcome in plain words.

    Raises ``DatabaseError`` (or ``SchemaTooNew``) with a plain explanation when the database
    cannot be used."""
    try:
        database = open_database(raw_url, migrate=False, create=False)
    except SchemaTooNew:
        raise
    except DatabaseError as error:
        parts = split_url(raw_url)  # parses: the database answered
        if NO_DESK_YET in str(error).lower() and parts.kind is ConnectionKind.SERVER:
            return ConnectionCheck(
                f"Connected to the server {parts.host}:{parts.port}/{parts.database}, but it "
                "holds no TierDesk desk yet; TierDesk sets one up when it first starts on it.",
                ready=False,
            )
        raise DatabaseError(explain_connection_error(str(error))) from None
    try:
        up_to_date = current_revisions(database) == (latest_revision(),)
        where = database.describe()
    finally:
        database.close()
    if up_to_date:
        return ConnectionCheck(f"Connected to the {where}: its TierDesk desk is ready.", True)
    return ConnectionCheck(
        f"Connected to the {where}. Its TierDesk schema is older than this app; "
        "TierDesk brings it up to date when it starts on it.",
        ready=False,
    )


#: How ``open_database(create=False)`` says that the database is there but empty.
NO_DESK_YET = "no tierdesk database"


#: Words of the server or driver (all must appear), and what they mean for a person.
_EXPLANATIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("password authentication failed",), "The server refused the user name or password."),
    (("no password supplied",), "The server wants a password for this user."),
    (("role", "does not exist"), "The server has no database user of that name."),
    (("database", "does not exist"), "The server has no database of that name."),
    (("connection refused",), "Nothing answers at that host and port: is the server running?"),
    (("could not translate host name",), "That host name is not known on this network."),
    (("name or service not known",), "That host name is not known on this network."),
    (("timeout",), "The server did not answer in time: check the host, port and firewall."),
    (
        (NO_DESK_YET,),
        "There is no TierDesk desk there yet; TierDesk sets one up when it first starts on it.",
    ),
)


def explain_connection_error(message: str) -> str:
    """A connection failure's message with a plain first sentence in front of it."""
    lowered = message.lower()
    for words, explanation in _EXPLANATIONS:
        if all(word in lowered for word in words):
            return f"{explanation}\n\nDetails: {message}"
    return message


def database_login(database: Database) -> str:
    """The login the server knows this connection by: the URL's user, else ``current_user``
    (e.g. a URL without a user name, where the driver uses the operating system account)."""
    if database.url.username:
        return database.url.username
    with database.read() as session:
        return str(session.execute(text("SELECT current_user")).scalar_one())
