"""People and their database logins: an administrator adds, changes or disables a person.

On PostgreSQL each person signs in with their own login, and the database enforces what their
role may do (migration 0007): ``create_user`` creates or updates the login (a LOGIN role,
member of exactly one of the desk's group roles ``tierdesk_<database>_<schema>_<role>``) and
the TierDesk user in one transaction; ``disable_user`` revokes the membership, takes away the
right to log in when the login works no other desk, and marks the user inactive; their history
stays. On SQLite
there are no logins: only the TierDesk user is created or changed.

Creating logins takes a login that may create roles (the desk's owner, or one with CREATEROLE);
the database refuses others, and the refusal is reported as ``NotAllowed``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, exc, select, text
from sqlalchemy.orm import Session

from app.models import Role, User
from app.services.database import Database, serialise_setup_changes
from app.services.desk import (
    DISPLAY_NAME_MAX,
    Ladder,
    clean_login_name,
    find_user,
    user_view,
)
from app.services.dto import UserView
from app.services.errors import DatabaseError, InvalidInput, NotAllowed
from app.services.validation import clean_text

#: A login PostgreSQL and people can both type without quotes: lower case, digits, ``_.-``.
LOGIN_PATTERN = re.compile(r"[a-z_][a-z0-9_.\-]{0,62}")
GROUP_KINDS = ("agent", "supervisor", "manager", "admin", "worker")
INSUFFICIENT_PRIVILEGE = "42501"
#: PostgreSQL's longest name, in bytes: longer ones are cut short.
ROLE_NAME_MAX_BYTES = 63


@dataclass(frozen=True)
class PersonChange:
    """What ``create_user`` or ``disable_user`` did: the user as stored now, whether a database
    login was created, changed or disabled (never on SQLite), and that in words."""

    user: UserView
    database_login: bool
    summary: str


def group_role(database: str, schema: str, kind: str) -> str:
    """The name of a desk's group role, as migration 0007's SQL ``tierdesk_role_name_for``
    makes it (here too for when the desk's schema, and so that function, is gone)."""
    name = f"tierdesk_{database}_{schema}_{kind}"
    if len(name.encode()) <= ROLE_NAME_MAX_BYTES:
        return name
    digest = hashlib.md5(f"{database}/{schema}".encode(), usedforsecurity=False).hexdigest()
    return f"tierdesk_{digest[:12]}_{kind}"


def drop_group_roles(connection: Connection | Session, schema: str) -> None:
    """Drop the group roles of the desk in ``schema`` of the connection's database once the
    schema is gone (roles outlive schemas; for tests and for removing a desk). Logins are
    left alone."""
    database = str(connection.execute(text("SELECT current_database()")).scalar_one())
    for kind in GROUP_KINDS:
        name = _quoted(group_role(database, schema, kind))
        connection.execute(text(f"DROP ROLE IF EXISTS {name}"))


class PeopleService:
    """Adds, changes and disables people, with their database logins on PostgreSQL."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def create_user(
        self,
        login: str,
        display_name: str,
        role: Role,
        tiers: Sequence[str] | None = None,
    ) -> PersonChange:
        """Create the person, or update an existing one (name, role and, when given, tiers) and
        enable them again; on PostgreSQL the login too. ``tiers=None`` keeps a person's tiers."""
        clean_login = clean_login_name(login)
        name = clean_text("name", display_name, max_length=DISPLAY_NAME_MAX, required=False)
        with self._privileges(), self.database.write() as session:
            serialise_setup_changes(session)
            user = session.scalar(select(User).where(User.login == clean_login))
            created = user is None
            if user is None:
                user = User(login=clean_login, display_name=name or clean_login, role=role)
                session.add(user)
            elif name:
                user.display_name = name
            user.role = role
            user.active = True
            if tiers is not None or created:
                ladder = Ladder.load(session)
                user.tiers = [ladder.find(code.strip(), field="tiers") for code in tiers or ()]
            session.flush()
            on_server = not self.database.is_sqlite
            if on_server:
                _grant_login(session, clean_login, role)
            verb = "created" if created else "updated"
            where = (
                f"database login {clean_login!r} is a member of {role.value}s only"
                if on_server
                else "embedded database: no database logins on SQLite, TierDesk user only"
            )
            return PersonChange(user_view(user), on_server, f"{verb} {clean_login}; {where}")

    def disable_user(self, login: str) -> PersonChange:
        """Sign the person out for good: the login loses the desk's roles (and the right to log
        in, unless it works another desk), the user becomes inactive; the history keeps them."""
        with self._privileges(), self.database.write() as session:
            serialise_setup_changes(session)
            user = find_user(session, login, field="login")
            user.active = False
            on_server = not self.database.is_sqlite
            if on_server:
                _revoke_login(session, user.login)
            where = (
                f"database login {user.login!r} may no longer use this desk"
                if on_server
                else "embedded database: TierDesk user only"
            )
            return PersonChange(user_view(user), on_server, f"disabled {user.login}; {where}")

    @contextmanager
    def _privileges(self) -> Iterator[None]:
        """The database's refusal to create roles or change people becomes ``NotAllowed``."""
        try:
            yield
        except exc.DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
                first = str(error.orig).strip().splitlines()[0]
                raise NotAllowed(
                    f"the database login may not manage people ({first}); run admin commands "
                    "with a login that may create roles, such as the desk's owner"
                ) from None
            raise


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _desk_roles(session: Session) -> dict[str, str]:
    """This desk's group roles by kind; refuses a desk whose roles were never set up."""
    database, schema = session.execute(text("SELECT current_database(), current_schema()")).one()
    names = {kind: group_role(database, schema, kind) for kind in GROUP_KINDS}
    found = set(
        session.scalars(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
            {"names": list(names.values())},
        )
    )
    if found != set(names.values()):
        raise DatabaseError(
            f"this desk (schema {schema!r}) has no database roles: the login that migrated it "
            "could not create roles. Migrate it once as its owner with CREATEROLE."
        )
    return names


def _grant_login(session: Session, login: str, role: Role) -> None:
    if not LOGIN_PATTERN.fullmatch(login):
        raise InvalidInput(
            "login",
            f"{login!r} cannot be a database login: use lower-case letters, digits, '_', '.' "
            "or '-', starting with a letter or '_', at most 63 characters",
        )
    names = _desk_roles(session)
    if login in names.values():
        raise InvalidInput("login", f"{login!r} is one of the desk's group roles")
    quoted = _quoted(login)
    superuser = session.scalar(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = :login"), {"login": login}
    )
    if superuser is None:
        session.execute(text(f"CREATE ROLE {quoted} LOGIN"))
    elif not superuser:
        session.execute(text(f"ALTER ROLE {quoted} LOGIN"))
    for kind in ("agent", "supervisor", "manager", "admin"):
        if kind != role.value and _is_member(session, login, names[kind]):
            session.execute(text(f"REVOKE {_quoted(names[kind])} FROM {quoted}"))
    if not _is_member(session, login, names[role.value]):
        session.execute(text(f"GRANT {_quoted(names[role.value])} TO {quoted}"))


def _revoke_login(session: Session, login: str) -> None:
    names = _desk_roles(session)
    exists = session.scalar(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = :login"), {"login": login}
    )
    if exists is None:
        return  # a person who never had a login (e.g. made before roles existed)
    quoted = _quoted(login)
    for name in names.values():
        if _is_member(session, login, name):
            session.execute(text(f"REVOKE {_quoted(name)} FROM {quoted}"))
    other_desks = session.scalar(
        text(
            "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles r ON r.oid = m.member "
            "WHERE r.rolname = :login AND g.rolname LIKE 'tierdesk\\_%'"
        ),
        {"login": login},
    )
    is_me = session.scalar(text("SELECT current_user = :login"), {"login": login})
    if not exists and not other_desks and not is_me:  # never lock out a superuser or oneself
        session.execute(text(f"ALTER ROLE {quoted} NOLOGIN"))


def _is_member(session: Session, login: str, group: str) -> bool:
    return bool(
        session.scalar(
            text(
                "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles r ON r.oid = m.member WHERE g.rolname = :g AND r.rolname = :r"
            ),
            {"g": group, "r": login},
        )
    )
