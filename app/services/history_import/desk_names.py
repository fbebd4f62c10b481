"""The desk's side of the names an imported log uses: categories and people looked up (any
letter case for categories, by login for people), and those the mapping allows created, inside
the import's transaction. A person made from a source value gets a login derived from it
(``Resolver 89`` -> ``resolver.89``) and works the tiers where the log shows them holding
tickets; the person the history is recorded as (``imported_by``) is created disabled.
"""

from __future__ import annotations

import re
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Category, Role, User
from app.services.desk import CATEGORY_NAME_MAX, DISPLAY_NAME_MAX, LOGIN_MAX, Ladder
from app.services.errors import InvalidInput, NotAllowed
from app.services.history_import.mapping import Mapping
from app.services.history_import.rows import SourceRow

Tickets = MappingOf[str, list[SourceRow]]


@dataclass
class DeskNames:
    """Looks up and creates the categories and people of one import."""

    session: Session
    ladder: Ladder
    mapping: Mapping
    categories_created: list[str] = field(default_factory=list)
    users_created: list[str] = field(default_factory=list)

    def find(self, tickets: Tickets, name: str) -> dict[str, int | None]:
        """Each ``category`` (or ``assignee``) text the rows use -> its id on the desk, or
        ``None`` where the desk lacks it."""
        used = {text for rows in tickets.values() for row in rows if (text := getattr(row, name))}
        if name == "category":
            existing = self._categories()
            return {text: existing.get(text.strip().casefold()) for text in used}
        logins = {text: login_for(text) for text in used}
        rows = self.session.execute(
            select(User.login, User.id).where(User.login.in_(set(logins.values())))
        )
        found = dict(rows.tuples().all())
        return {text: found.get(login) for text, login in logins.items()}

    def create_categories(self, resolved: dict[str, int | None]) -> dict[str, int]:
        """``resolved`` with the missing categories created (resolvable from the mapping's
        ``category.min_tier``, else the lowest tier)."""
        lowest = self.ladder.find(self.mapping.category.min_tier or self.ladder.tiers[0].code)
        made: dict[str, Category] = {}
        for text in sorted(text for text, found in resolved.items() if found is None):
            name = _category_name(text)
            if name.casefold() not in made:
                made[name.casefold()] = Category(
                    name=name, description="Created by a history import.", min_tier_id=lowest.id
                )
                self.session.add(made[name.casefold()])
                self.categories_created.append(name)
        self.session.flush()
        return {
            text: found if found is not None else made[_category_name(text).casefold()].id
            for text, found in resolved.items()
        }

    def default_category(self) -> int:
        """The mapping's ``category.default``, created if allowed (asked only when a ticket's
        first row has no category)."""
        name = self.mapping.category.default
        if name is None:
            raise InvalidInput("category.default", "is needed: a ticket's first row has none")
        found = self._categories().get(name.strip().casefold())
        if found is not None:
            return found
        if not self.mapping.category.create_missing:
            raise InvalidInput("category.default", f"no category called {name!r} on the desk")
        return self.create_categories({name: None})[name]

    def create_users(
        self, resolved: dict[str, int | None], tickets: Tickets, tier_ids: dict[str, int]
    ) -> dict[str, int]:
        """``resolved`` with the missing people created: agents of the tiers where the rows
        show them holding tickets."""
        worked: dict[str, set[int]] = {}
        for rows in tickets.values():
            for row in rows:
                if row.assignee and row.tier and resolved.get(row.assignee) is None:
                    worked.setdefault(row.assignee, set()).add(tier_ids[row.tier])
        missing = sorted(text for text, found in resolved.items() if found is None)
        if missing:
            self._check_may_add_people(missing)
        made: dict[str, User] = {}
        for text in missing:
            login = login_for(text)
            if login not in made:
                held = worked.get(text, set())
                made[login] = User(
                    login=login,
                    display_name=text.strip()[:DISPLAY_NAME_MAX],
                    role=Role.AGENT,
                    tiers=[tier for tier in self.ladder.tiers if tier.id in held],
                )
                self.session.add(made[login])
                self.users_created.append(login)
        self.session.flush()
        return {
            text: found if found is not None else made[login_for(text)].id
            for text, found in resolved.items()
        }

    def _check_may_add_people(self, names: list[str]) -> None:
        """On PostgreSQL only admins add people (migration 0007): a supervisor's import that
        needs new people is refused before anything is written, naming them and the way out."""
        session = self.session
        if session.get_bind().dialect.name != "postgresql":
            return
        if session.scalar(select(func.has_table_privilege("users", "INSERT"))):
            return
        raise NotAllowed(
            f"the log names {len(names)} {'person' if len(names) == 1 else 'people'} the desk "
            f"does not have (first: {names[0]!r}); "
            "only an admin's login adds people: import as an admin, or create them first "
            "(admin create-user)"
        )

    def importing_user(self) -> int:
        """The person history events are recorded as: ``imported_by``, created (disabled, so
        nobody signs in as it) when the desk has nobody of that login."""
        login = login_for(self.mapping.imported_by)
        found = self.session.scalar(select(User.id).where(User.login == login))
        if found is not None:
            return int(found)
        self._check_may_add_people([f"{self.mapping.imported_by} (imported_by)"])
        user = User(login=login, display_name="History import", role=Role.AGENT, active=False)
        self.session.add(user)
        self.session.flush()
        self.users_created.append(login)
        return user.id

    def _categories(self) -> dict[str, int]:
        # Compared in Python, as desk.find_category does: SQLite's lower() folds ASCII only.
        categories = self.session.scalars(select(Category)).unique()
        return {category.name.casefold(): category.id for category in categories}


def used_by(resolved: dict[str, int | None], tickets: Tickets, name: str) -> dict[str, int | None]:
    """The part of ``resolved`` that the rows of ``tickets`` use (only those are created)."""
    used = {getattr(row, name) for rows in tickets.values() for row in rows}
    return {text: found for text, found in resolved.items() if text in used}


def login_for(value: str) -> str:
    """A login made from a source value: lower case, words joined by dots, within the width
    (``Resolver 89`` -> ``resolver.89``)."""
    words = re.split(r"\s+", value.strip().casefold())
    return ".".join(word for word in words if word)[:LOGIN_MAX] or "unknown"


def _category_name(text: str) -> str:
    return text.strip()[:CATEGORY_NAME_MAX]
