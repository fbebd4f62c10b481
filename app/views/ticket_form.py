"""The ticket dialog's form as values, and who may change a ticket: plain Python (no widgets),
so the rules for what Save sends and what a conflict shows are easy to read and test.

``FormValues`` holds the editable fields as the form (or a ticket) has them; ``differing`` tells
which fields an edit changed, ``changes`` turns them into the ``TicketChanges`` Save sends (only
those), ``shown`` writes a value for the conflict panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.models import Level, Priority, Role
from app.services.dto import TicketView, UserView
from app.services.tickets import TicketChanges

FIELD_LABELS = {
    "title": QT_TRANSLATE_NOOP("ticket_form", "title"),
    "description": QT_TRANSLATE_NOOP("ticket_form", "description"),
    "requester": QT_TRANSLATE_NOOP("ticket_form", "requester"),
    "category": QT_TRANSLATE_NOOP("ticket_form", "category"),
    "category_id": QT_TRANSLATE_NOOP("ticket_form", "category"),
    "impact": QT_TRANSLATE_NOOP("ticket_form", "impact"),
    "urgency": QT_TRANSLATE_NOOP("ticket_form", "urgency"),
    "priority": QT_TRANSLATE_NOOP("ticket_form", "priority"),
}
#: Longer values are cut in the conflict panel; the form holds them in full.
SHOWN_CHARS = 80


@dataclass(frozen=True)
class FormValues:
    """The editable fields as the form (or a ticket) has them; ``priority`` None = automatic."""

    title: str
    description: str
    requester: str
    category: str
    impact: Level
    urgency: Level
    priority: Priority | None

    @classmethod
    def of(cls, ticket: TicketView) -> FormValues:
        return cls(
            ticket.title,
            ticket.description,
            ticket.requester,
            ticket.category,
            ticket.impact,
            ticket.urgency,
            ticket.priority if ticket.priority_overridden else None,
        )

    def differing(self, other: FormValues) -> list[str]:
        """Names of the fields whose values differ from ``other``'s, in form order."""
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(other, f.name)]

    def changes(self, names: Sequence[str]) -> TicketChanges:
        """A ``TicketChanges`` carrying only the named fields."""
        values: dict[str, Any] = {n: getattr(self, n) for n in names if n != "priority"}
        if "priority" in names:
            if self.priority is None:
                values["priority_from_matrix"] = True
            else:
                values["priority"] = self.priority
        return TicketChanges(**values)

    def shown(self, name: str) -> str:
        value = getattr(self, name)
        if name == "priority":
            if value is None:
                return QCoreApplication.translate("ticket_form", "automatic")
            return str(value.value)
        return short_text(value.value if isinstance(value, Level) else str(value))


def field_label(name: str) -> str:
    """A field's name in the conflict panel's words, e.g. "title"; unknown names as they are."""
    label = FIELD_LABELS.get(name)
    return QCoreApplication.translate("ticket_form", str(label)) if label else name


def short_text(text: str) -> str:
    """One line of at most ``SHOWN_CHARS`` characters for the conflict panel."""
    text = " ".join(text.split()) or QCoreApplication.translate("ticket_form", "(empty)")
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def may_change(user: UserView, ticket: TicketView) -> str | None:
    """Why ``user`` may not change ``ticket``, or None when they may."""
    if user.role == Role.MANAGER:
        return QCoreApplication.translate(
            "ticket_form", "Read only: managers read tickets; they do not change them."
        )
    if user.role == Role.AGENT and ticket.tier not in user.tiers:
        worked = ", ".join(user.tiers) or QCoreApplication.translate("ticket_form", "no tier")
        return QCoreApplication.translate(
            "ticket_form", "Read only: {key} is at {tier} and you work {worked}."
        ).format(key=ticket.key, tier=ticket.tier, worked=worked)
    return None


def works_tier(user: UserView, tier: str) -> bool:
    """Whether ``user`` may be given tickets at ``tier``."""
    if user.role in (Role.SUPERVISOR, Role.ADMIN):
        return True
    return user.role == Role.AGENT and tier in user.tiers
