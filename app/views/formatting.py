"""How values read on screen: statuses, roles, instants and ages."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.models import Level, Role, TicketStatus
from app.services.dto import UserView

_STATUS_LABELS = {
    TicketStatus.NEW: QT_TRANSLATE_NOOP("formatting", "New"),
    TicketStatus.OPEN: QT_TRANSLATE_NOOP("formatting", "Open"),
    TicketStatus.IN_PROGRESS: QT_TRANSLATE_NOOP("formatting", "In progress"),
    TicketStatus.WAITING_ON_CUSTOMER: QT_TRANSLATE_NOOP("formatting", "Waiting on customer"),
    TicketStatus.WAITING_ON_VENDOR: QT_TRANSLATE_NOOP("formatting", "Waiting on vendor"),
    TicketStatus.RESOLVED: QT_TRANSLATE_NOOP("formatting", "Resolved"),
    TicketStatus.CLOSED: QT_TRANSLATE_NOOP("formatting", "Closed"),
}
_ROLE_LABELS = {
    Role.AGENT: QT_TRANSLATE_NOOP("formatting", "Agent"),
    Role.SUPERVISOR: QT_TRANSLATE_NOOP("formatting", "Supervisor"),
    Role.MANAGER: QT_TRANSLATE_NOOP("formatting", "Manager"),
    Role.ADMIN: QT_TRANSLATE_NOOP("formatting", "Admin"),
}
_LEVEL_LABELS = {
    Level.HIGH: QT_TRANSLATE_NOOP("formatting", "High"),
    Level.MEDIUM: QT_TRANSLATE_NOOP("formatting", "Medium"),
    Level.LOW: QT_TRANSLATE_NOOP("formatting", "Low"),
}
#: Ages by unit: (seconds in the unit, largest amount shown in it, the words).
_AGE_UNITS = (
    (60, 60, QT_TRANSLATE_NOOP("formatting", "{amount} min ago")),
    (3600, 48, QT_TRANSLATE_NOOP("formatting", "{amount} h ago")),
    (86_400, 14, QT_TRANSLATE_NOOP("formatting", "{amount} d ago")),
    (604_800, None, QT_TRANSLATE_NOOP("formatting", "{amount} wk ago")),
)


def _tr(text: object) -> str:
    """``text`` (marked with ``QT_TRANSLATE_NOOP``) in the desktop's language."""
    return QCoreApplication.translate("formatting", str(text))


def status_label(status: TicketStatus) -> str:
    """``waiting_on_customer`` reads "Waiting on customer" (in the desktop's language)."""
    label = _STATUS_LABELS.get(status)
    return _tr(label) if label else status.value.replace("_", " ").capitalize()


def local_time(instant: datetime) -> str:
    """An aware instant in the desktop's own time zone, to the minute."""
    return instant.astimezone().strftime("%Y-%m-%d %H:%M")


def age(instant: datetime, now: datetime) -> str:
    """How long ago, in the largest unit that fits: "just now", "12 min", "5 h", "3 d", "7 wk"."""
    seconds = max((now - instant).total_seconds(), 0)
    if seconds < 60:
        return QCoreApplication.translate("formatting", "just now")
    for size, limit, words in _AGE_UNITS:
        amount = int(seconds // size)
        if limit is None or amount < limit:
            return _tr(words).format(amount=amount)
    raise AssertionError("unreachable")


def level_label(level: Level) -> str:
    """An impact or urgency level as the form shows it: "High", "Medium", "Low"."""
    label = _LEVEL_LABELS.get(level)
    return _tr(label) if label else level.value.capitalize()


def role_label(role: Role) -> str:
    label = _ROLE_LABELS.get(role)
    return _tr(label) if label else role.value.capitalize()


def user_scope(user: UserView) -> str:
    """Which tiers someone works: "L1, L2", "all tiers" (supervisors, admins), or none."""
    if user.role == Role.MANAGER:
        return QCoreApplication.translate("formatting", "reads every tier")
    if user.tiers:
        return ", ".join(user.tiers)
    if user.role == Role.AGENT:
        return QCoreApplication.translate("formatting", "no tier yet")
    return QCoreApplication.translate("formatting", "all tiers")


def user_summary(user: UserView) -> str:
    """ "Lena Lindqvist (Agent · L1)": who someone is, in one line."""
    return f"{user.display_name} ({role_label(user.role)} · {user_scope(user)})"
