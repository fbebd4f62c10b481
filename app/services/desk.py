"""The desk's set-up: the tier ladder, categories and people, and the lookups every service uses.

``Ladder`` is the active tiers in order; moves, escalation and reports reason about positions on
it rather than about raw tier ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Category, Role, Tier, TierKind, User
from app.services.database import Database, serialise_setup_changes
from app.services.dto import CategoryView, TierView, UserView
from app.services.errors import InvalidInput, NotFound
from app.services.validation import clean_text

DEFAULT_LADDER: tuple[tuple[str, str, TierKind, str], ...] = (
    ("L1", "Service desk", TierKind.INTERNAL, "Password resets, access, how-to, known errors."),
    ("L2", "Desktop & apps", TierKind.INTERNAL, "Diagnosis on devices and business apps."),
    ("L3", "Engineering", TierKind.INTERNAL, "Servers, network, databases, code fixes."),
    ("Vendor", "External vendor", TierKind.VENDOR, "Hardware warranty, licensed software bugs."),
)

#: Categories of a desk started empty: one per internal tier, to be refined by a supervisor.
STARTER_CATEGORIES = (
    ("Account & access", "L1", "Passwords, locked accounts, permissions."),
    ("Desktop & apps", "L2", "Laptops, printers and business applications."),
    ("Servers & network", "L3", "Servers, network, databases."),
)

#: Column widths of the schema (``app.models.desk``): longer values are refused, not truncated.
CATEGORY_NAME_MAX = 80
LOGIN_MAX = 64
DISPLAY_NAME_MAX = 120
EMAIL_MAX = 254


@dataclass(frozen=True)
class Ladder:
    """The active tiers, lowest first."""

    tiers: tuple[Tier, ...]

    @classmethod
    def load(cls, session: Session) -> Ladder:
        rows = session.scalars(select(Tier).where(Tier.retired.is_(False)).order_by(Tier.position))
        return cls(tuple(rows))

    @classmethod
    def held(cls, session: Session) -> Ladder:
        """The ladder for a change that moves or places tickets, held as it is until the
        change commits: on PostgreSQL the active tiers are share-locked first, so a supervisor
        retiring a tier (which locks them for update) waits for the change or is waited for,
        and never retires a tier a ticket is entering at that moment. (SQLite writers take
        turns already.)"""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(
                select(Tier.id).where(Tier.retired.is_(False)).with_for_update(read=True)
            )
        return cls.load(session)

    def index_of(self, tier_id: int) -> int:
        for index, tier in enumerate(self.tiers):
            if tier.id == tier_id:
                return index
        raise NotFound(f"tier id {tier_id} is not on the active ladder")

    def find(self, code: str, field: str = "tier") -> Tier:
        """The tier with this code or name (case-insensitive)."""
        wanted = code.strip().casefold()
        for tier in self.tiers:
            if wanted in (tier.code.casefold(), tier.name.casefold()):
                return tier
        known = ", ".join(tier.code for tier in self.tiers) or "none defined"
        raise InvalidInput(field, f"no active tier called {code!r} (tiers: {known})")

    def by_id(self, tier_id: int) -> Tier:
        return self.tiers[self.index_of(tier_id)]


def lock_tiers(session: Session) -> None:
    """Lock every tier for a change of the ladder (see ``Ladder.held``); PostgreSQL only."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Tier.id).with_for_update())


def find_category(session: Session, name: str, field: str = "category") -> Category:
    category = _category_named(session, name)
    if category is None:
        known = ", ".join(session.scalars(select(Category.name).order_by(Category.name)))
        raise InvalidInput(field, f"no category called {name!r} (categories: {known})")
    return category


def _category_named(session: Session, name: str) -> Category | None:
    """The category with this name in any letter case, compared in Python: SQLite's ``lower``
    folds ASCII letters only, which would make "Équipement" unfindable there."""
    wanted = name.strip().casefold()
    for category in session.scalars(select(Category)).unique():
        if category.name.casefold() == wanted:
            return category
    return None


def find_user(session: Session, login: str, field: str = "user") -> User:
    user = session.scalar(select(User).where(User.login == login.strip()))
    if user is None:
        raise NotFound(f"{field}: no user with login {login!r}")
    return user


def tier_view(tier: Tier) -> TierView:
    return TierView(
        id=tier.id,
        code=tier.code,
        name=tier.name,
        description=tier.description,
        position=tier.position,
        kind=tier.kind,
        wip_limit=tier.wip_limit,
        retired=tier.retired,
    )


def user_view(user: User) -> UserView:
    return UserView(
        id=user.id,
        login=user.login,
        display_name=user.display_name,
        role=user.role,
        tiers=tuple(tier.code for tier in sorted(user.tiers, key=lambda t: t.position)),
        active=user.active,
        email=user.email,
    )


def clean_email(email: str) -> str:
    """An e-mail address as stored: trimmed, one ``@`` with text on both sides, no spaces."""
    clean = clean_text("email", email, max_length=EMAIL_MAX)
    local, at, domain = clean.partition("@")
    if not at or not local or "." not in domain or "@" in domain or any(c.isspace() for c in clean):
        raise InvalidInput("email", f"{clean!r} is not an e-mail address (name@example.org)")
    return clean


def clean_login_name(login: str) -> str:
    """A login as stored: one word, trimmed, within the column's width."""
    clean = login.strip()
    if not clean or any(character.isspace() for character in clean):
        raise InvalidInput("login", f"{login!r} must be one word without spaces")
    return clean_text("login", clean, max_length=LOGIN_MAX)


def add_default_ladder(session: Session) -> list[Tier]:
    """L1, L2, L3 and Vendor, in the caller's transaction, on a desk without tiers."""
    serialise_setup_changes(session)
    if session.scalar(select(func.count()).select_from(Tier)):
        raise InvalidInput("tiers", "this desk already has a tier ladder")
    tiers = [
        Tier(code=code, name=name, description=text, position=index, kind=kind)
        for index, (code, name, kind, text) in enumerate(DEFAULT_LADDER, start=1)
    ]
    session.add_all(tiers)
    session.flush()
    return tiers


class DeskService:
    """Reads the desk's set-up and creates its first pieces (ladder, categories, people).

    The configuration dialogs of a later issue will add editing with validation and audit.
    """

    def __init__(self, database: Database) -> None:
        self.database = database

    def tiers(self) -> list[TierView]:
        with self.database.read() as session:
            return [tier_view(tier) for tier in Ladder.load(session).tiers]

    def categories(self) -> list[CategoryView]:
        with self.database.read() as session:
            rows = session.scalars(select(Category).order_by(Category.name))
            return [
                CategoryView(c.id, c.name, c.description, c.min_tier.code) for c in rows.unique()
            ]

    def users(self, *, active_only: bool = True) -> list[UserView]:
        with self.database.read() as session:
            query = select(User).order_by(User.display_name)
            if active_only:
                query = query.where(User.active.is_(True))
            return [user_view(user) for user in session.scalars(query)]

    def user(self, login: str) -> UserView:
        with self.database.read() as session:
            return user_view(find_user(session, login))

    def is_empty(self) -> bool:
        """True for a desk with no tiers yet (a new database)."""
        with self.database.read() as session:
            return session.scalar(select(func.count()).select_from(Tier)) == 0

    def create_default_ladder(self) -> list[TierView]:
        """L1, L2, L3 and Vendor, on a desk that has no tiers yet."""
        with self.database.write() as session:
            return [tier_view(tier) for tier in add_default_ladder(session)]

    def create_starter_desk(self, admin_login: str, admin_name: str = "") -> bool:
        """The default ladder, the starter categories and an administrator, in one transaction.

        Returns False, changing nothing, when the desk already has a ladder (another desktop
        set it up a moment earlier: its set-up is the desk's)."""
        with self.database.write() as session:
            try:
                tiers = {tier.code: tier for tier in add_default_ladder(session)}
            except InvalidInput:
                return False
            for name, code, description in STARTER_CATEGORIES:
                session.add(Category(name=name, description=description, min_tier=tiers[code]))
            login = clean_login_name(admin_login)
            name = clean_text(
                "display_name", admin_name, max_length=DISPLAY_NAME_MAX, required=False
            )
            session.add(User(login=login, display_name=name or login, role=Role.ADMIN))
            return True

    def add_category(self, name: str, min_tier: str, description: str = "") -> CategoryView:
        with self.database.write() as session:
            serialise_setup_changes(session)
            tier = Ladder.load(session).find(min_tier, field="min_tier")
            clean = clean_text("name", name, max_length=CATEGORY_NAME_MAX)
            if _category_named(session, clean) is not None:
                raise InvalidInput("name", f"a category called {clean!r} already exists")
            category = Category(name=clean, description=description, min_tier_id=tier.id)
            session.add(category)
            session.flush()
            return CategoryView(category.id, clean, description, tier.code)

    def set_email(self, login: str, email: str | None) -> UserView:
        """Where the person's SLA notifications are mailed; ``None`` or "" stops mailing."""
        with self.database.write() as session:
            user = find_user(session, login)
            user.email = clean_email(email) if email else None
            return user_view(user)

    def add_user(
        self, login: str, display_name: str, role: Role, tiers: Sequence[str] = ()
    ) -> UserView:
        with self.database.write() as session:
            serialise_setup_changes(session)
            clean_login = clean_login_name(login)
            clean_name = clean_text(
                "display_name", display_name, max_length=DISPLAY_NAME_MAX, required=False
            )
            if session.scalar(select(User).where(User.login == clean_login)):
                raise InvalidInput("login", f"a user with login {clean_login!r} already exists")
            ladder = Ladder.load(session)
            user = User(
                login=clean_login,
                display_name=clean_name or clean_login,
                role=role,
                tiers=[ladder.find(code, field="tiers") for code in tiers],
            )
            session.add(user)
            session.flush()
            return user_view(user)
