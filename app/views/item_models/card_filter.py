"""Which cards the board shows: the filter bar's choice as plain data, decided without Qt.

``CardFilter`` matches one ``CardView`` (``app.services.board``): a search text (every word in
the key, title or requester), "my tickets" (assigned to the person), "my tiers" (at a tier the
person works), one tier, category, priority and status, and "breached / at risk" (the tier
clock breached or past its warning instant at ``now``). ``TierColumnModel.set_filter`` applies
it to a column; this module imports no Qt so it can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from app.models import Priority, TicketStatus
from app.services.board import CardView


def clock_at_risk(card: CardView, now: datetime) -> bool:
    """Whether the card's tier clock is breached or past its warning instant at ``now`` (a
    paused clock is at risk only once its target is used up). The same rule as the card's
    amber and red colours (``card_delegate.clock_look``)."""
    if not card.has_clock:
        return False
    if card.clock_breached or (card.clock_due_at is not None and now >= card.clock_due_at):
        return True
    if card.clock_paused:
        target = card.clock_target_seconds
        return bool(target) and card.clock_used_seconds >= target
    return card.clock_warn_at is not None and now >= card.clock_warn_at


@dataclass(frozen=True)
class CardFilter:
    """Which cards to show; ``None`` (or empty) means "any". ``status`` None shows every
    status: the board already sets finished tickets apart in its Resolved column."""

    text: str = ""
    assignee: str | None = None  # a login: "my tickets"
    tiers: frozenset[str] | None = None  # "my tiers": the tiers the person works
    tier: str | None = None
    category: str | None = None
    priority: Priority | None = None
    status: TicketStatus | None = None
    at_risk: bool = False

    @property
    def is_active(self) -> bool:
        """Whether the filter hides anything at all."""
        return replace(self, text=self.text.strip()) != CardFilter()

    def accepts(self, card: CardView, now: datetime) -> bool:
        """Whether ``card`` passes every choice of the filter at ``now``."""
        if self.assignee is not None and card.assignee != self.assignee:
            return False
        if self.tiers is not None and card.tier not in self.tiers:
            return False
        if self.tier is not None and card.tier != self.tier:
            return False
        if self.category is not None and card.category != self.category:
            return False
        if self.priority is not None and card.priority != self.priority:
            return False
        if self.status is not None and card.status != self.status:
            return False
        if self.at_risk and not clock_at_risk(card, now):
            return False
        words = self.text.casefold().split()
        if words:
            haystack = f"{card.key} {card.title} {card.requester}".casefold()
            return all(word in haystack for word in words)
        return True


__all__ = ["CardFilter", "clock_at_risk"]
