"""How values read on screen: statuses, roles, instants and ages."""

from __future__ import annotations

from datetime import datetime

from app.models import Role, TicketStatus
from app.services.dto import UserView


def status_label(status: TicketStatus) -> str:
    """``waiting_on_customer`` reads "Waiting on customer"."""
    return status.value.replace("_", " ").capitalize()


def local_time(instant: datetime) -> str:
    """An aware instant in the desktop's own time zone, to the minute."""
    return instant.astimezone().strftime("%Y-%m-%d %H:%M")


def age(instant: datetime, now: datetime) -> str:
    """How long ago, in the largest unit that fits: "just now", "12 min", "5 h", "3 d", "7 wk"."""
    seconds = max((now - instant).total_seconds(), 0)
    if seconds < 60:
        return "just now"
    for unit, size, limit in (
        ("min", 60, 60),
        ("h", 3600, 48),
        ("d", 86_400, 14),
        ("wk", 604_800, None),
    ):
        amount = int(seconds // size)
        if limit is None or amount < limit:
            return f"{amount} {unit} ago"
    raise AssertionError("unreachable")


def role_label(role: Role) -> str:
    return role.value.capitalize()


def user_scope(user: UserView) -> str:
    """Which tiers someone works: "L1, L2", "all tiers" (supervisors, admins), or none."""
    if user.role == Role.MANAGER:
        return "reads every tier"
    if user.tiers:
        return ", ".join(user.tiers)
    return "no tier yet" if user.role == Role.AGENT else "all tiers"


def user_summary(user: UserView) -> str:
    """ "Lena Lindqvist (Agent · L1)": who someone is, in one line."""
    return f"{user.display_name} ({role_label(user.role)} · {user_scope(user)})"
