"""How a board card looks: one ``QStyledItemDelegate`` paints every card of every column.

A card shows the key, the title (elided), a priority chip, the category, the assignee's
initials, the ticket's age, and its tier clock's time left as a bar and a label: green while
on time, amber past the warning threshold, red once breached, grey while paused. Time left is
worked out from the card's numbers and ``now()`` at paint time, so the board only has to
repaint every second; nothing is read from the database to do it.

The pure functions (``clock_look``, ``time_left``, ``time_left_label``, ``used_share``) hold
the rules and are tested without painting.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.models import Priority
from app.services.board import CardView
from app.views.formatting import age
from app.views.item_models.tier_column_model import CARD_ROLE
from app.views.theme import theme_colour

AnyIndex = QModelIndex | QPersistentModelIndex

CARD_HEIGHT = 84
CARD_WIDTH = 250
MARGIN = 4
PADDING = 8


class ClockLook(StrEnum):
    """The state a card's tier clock is shown in."""

    NONE = "none"  # the tier has no target for this ticket
    ON_TIME = "on_time"
    WARNING = "warning"
    BREACHED = "breached"
    PAUSED = "paused"


#: Status colours: the same in light and dark themes, chosen to read on both.
CLOCK_COLOURS = {
    ClockLook.ON_TIME: QColor("#2e9d4f"),
    ClockLook.WARNING: QColor("#e69b00"),
    ClockLook.BREACHED: QColor("#d64541"),
    ClockLook.PAUSED: QColor("#8a8f98"),
    ClockLook.NONE: QColor("#8a8f98"),
}
#: The time-left label's text in the theme's colours (``theme_colour``): as text it needs 4.5:1,
#: which the bars' colours miss on one theme or the other (breached red: 4.0:1 on a dark card).
CLOCK_LABEL_COLOURS = {
    ClockLook.ON_TIME: "success_text",
    ClockLook.WARNING: "warning_text",
    ClockLook.BREACHED: "error_text",
}
#: The priority chips' fills, under white text: each keeps 4.5:1 or more (WCAG AA for text;
#: the lighter orange of the bars gave the "P2" 2.85:1).
PRIORITY_COLOURS = {
    Priority.P1: QColor("#c0392b"),
    Priority.P2: QColor("#b35900"),
    Priority.P3: QColor("#2e6bc6"),
    Priority.P4: QColor("#6b717a"),
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------------------- the rules
def clock_look(card: CardView, now: datetime) -> ClockLook:
    """Which colour the card's tier clock shows at ``now``."""
    if not card.has_clock:
        return ClockLook.NONE
    if card.clock_breached or (card.clock_due_at is not None and now >= card.clock_due_at):
        return ClockLook.BREACHED
    if card.clock_paused:
        if card.clock_target_seconds and card.clock_used_seconds >= card.clock_target_seconds:
            return ClockLook.BREACHED
        return ClockLook.PAUSED
    if card.clock_warn_at is not None and now >= card.clock_warn_at:
        return ClockLook.WARNING
    return ClockLook.ON_TIME


def time_left(card: CardView, now: datetime) -> timedelta | None:
    """Time until the tier clock runs out (negative once past it): until ``due_at`` while it
    runs, the unused share of its target while it is paused; None without a clock."""
    if not card.has_clock:
        return None
    if card.clock_due_at is not None:
        return card.clock_due_at - now
    return timedelta(seconds=card.clock_target_seconds - card.clock_used_seconds)


def _span(seconds: float) -> str:
    seconds = int(abs(seconds))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        template = QCoreApplication.translate("card_delegate", "{days}d {hours}h")
    elif hours:
        template = QCoreApplication.translate("card_delegate", "{hours}h {minutes:02d}m")
    else:
        template = QCoreApplication.translate("card_delegate", "{minutes}m {seconds:02d}s")
    return template.format(days=days, hours=hours, minutes=minutes, seconds=seconds)


def time_left_label(card: CardView, now: datetime) -> str:
    """ "1h 05m left", "12m 30s over", "paused · 20m 00s left", or "" without a clock."""
    left = time_left(card, now)
    if left is None:
        return ""
    seconds = left.total_seconds()
    if seconds > 0:
        template = QCoreApplication.translate("card_delegate", "{span} left")
    else:
        template = QCoreApplication.translate("card_delegate", "{span} over")
    text = template.format(span=_span(seconds))
    if card.clock_paused:
        return QCoreApplication.translate("card_delegate", "paused · {text}").format(text=text)
    return text


def used_share(card: CardView, now: datetime) -> float:
    """How much of the clock's allowance is spent, 0.0 to 1.0, for the bar. A running clock's
    share is measured in wall time from its start to its due instant (business hours stretch
    both alike), a paused one's in business seconds."""
    if not card.has_clock:
        return 0.0
    if card.clock_due_at is None or card.clock_started_at is None:
        target = card.clock_target_seconds
        return 1.0 if not target else min(max(card.clock_used_seconds / target, 0.0), 1.0)
    total = (card.clock_due_at - card.clock_started_at).total_seconds()
    if total <= 0:
        return 1.0
    spent = (now - card.clock_started_at).total_seconds()
    return min(max(spent / total, 0.0), 1.0)


# ----------------------------------------------------------------------------- painting
class TicketCardDelegate(QStyledItemDelegate):
    """Paints cards from ``CARD_ROLE``; every card has the same size (the views use uniform
    item sizes, so a column of 50,000 cards lays out at once)."""

    def __init__(
        self, parent: QWidget | None = None, now: Callable[[], datetime] = _utc_now
    ) -> None:
        super().__init__(parent)
        self.now = now

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(CARD_WIDTH, CARD_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        card = index.data(CARD_ROLE)
        if not isinstance(card, CardView):
            super().paint(painter, option, index)
            return
        painter.save()
        try:
            self._paint_card(painter, option, card)
        finally:
            painter.restore()

    def _paint_card(self, painter: QPainter, option: QStyleOptionViewItem, card: CardView) -> None:
        palette: QPalette = option.palette
        state = option.state
        rect: QRect = option.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        view = option.widget
        if isinstance(view, QAbstractItemView):  # cards fit the column, however wide it is
            rect.setRight(min(rect.right(), view.viewport().width() - 1 - MARGIN))
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)

        background = palette.color(QPalette.ColorRole.Base)
        border = palette.color(QPalette.ColorRole.Mid)
        if selected:
            background = palette.color(QPalette.ColorRole.Highlight)
            border = background.darker(120)
        elif hovered:
            background = palette.color(QPalette.ColorRole.AlternateBase)
            border = palette.color(QPalette.ColorRole.Highlight)
        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = QColor(text)
        muted.setAlpha(170)
        painter.setPen(border)
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(rect), 6, 6)

        inner = rect.adjusted(PADDING, PADDING - 2, -PADDING, -PADDING + 2)
        base_font = QFont(option.font)
        bold = QFont(base_font)
        bold.setBold(True)
        metrics = QFontMetrics(base_font)
        line = metrics.height()

        # First line: priority chip, key, and the assignee's initials on the right.
        chip = QRect(inner.left(), inner.top() + 1, 24, line - 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(PRIORITY_COLOURS[card.priority])
        painter.drawRoundedRect(QRectF(chip), 3, 3)
        small = QFont(base_font)
        small.setPointSizeF(max(base_font.pointSizeF() * 0.8, 6.0))
        small.setBold(True)
        painter.setFont(small)
        painter.setPen(QColor("white"))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, card.priority.value)

        # A circle around one initial, a pill around two: wide ones ("MW") must not spill out.
        initials = card.assignee_initials or ""
        width = max(line, QFontMetrics(small).horizontalAdvance(initials) + 6)
        avatar = QRect(inner.right() - width + 1, inner.top(), width, line)
        if initials:
            # The highlight colour reads in light and dark themes; on a selected (highlighted)
            # card the avatar turns to the base colours instead.
            fill, ink = QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText
            if selected:
                fill, ink = QPalette.ColorRole.Base, QPalette.ColorRole.Text
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(fill))
            painter.drawRoundedRect(QRectF(avatar), line / 2, line / 2)
            painter.setPen(palette.color(ink))
            painter.drawText(avatar, Qt.AlignmentFlag.AlignCenter, initials)

        painter.setFont(bold)
        painter.setPen(text)
        key_rect = QRect(chip.right() + 6, inner.top(), avatar.left() - chip.right() - 10, line)
        painter.drawText(key_rect, Qt.AlignmentFlag.AlignVCenter, card.key)

        # Second line: the title, elided.
        painter.setFont(base_font)
        title_rect = QRect(inner.left(), inner.top() + line + 2, inner.width(), line)
        title = metrics.elidedText(card.title, Qt.TextElideMode.ElideRight, title_rect.width())
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignVCenter, title)

        # Third line: category on the left, age on the right.
        now = self.now()
        painter.setPen(muted)
        info_rect = QRect(inner.left(), title_rect.bottom() + 2, inner.width(), line)
        age_text = age(card.created_at, now)
        age_width = metrics.horizontalAdvance(age_text) + 4
        category = metrics.elidedText(
            card.category, Qt.TextElideMode.ElideRight, info_rect.width() - age_width - 6
        )
        painter.drawText(info_rect, Qt.AlignmentFlag.AlignVCenter, category)
        painter.drawText(
            info_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, age_text
        )

        # Bottom: the tier clock's bar and label.
        if card.has_clock:
            label_pen = text if selected else None
            self._paint_clock(
                painter, card, now, inner, info_rect.bottom() + 3, small, palette, label_pen
            )

    def _paint_clock(
        self,
        painter: QPainter,
        card: CardView,
        now: datetime,
        inner: QRect,
        top: int,
        font: QFont,
        palette: QPalette,
        label_pen: QColor | None,
    ) -> None:
        look = clock_look(card, now)
        colour = CLOCK_COLOURS[look]
        label = time_left_label(card, now)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        label_width = metrics.horizontalAdvance(label) + 6
        bar_height = 6
        bottom = min(inner.bottom(), top + metrics.height())
        bar = QRect(
            inner.left(),
            bottom - (metrics.height() + bar_height) // 2,
            max(inner.width() - label_width, 20),
            bar_height,
        )
        groove = QColor(palette.color(QPalette.ColorRole.Mid))
        groove.setAlpha(110)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(groove)
        painter.drawRoundedRect(QRectF(bar), 3, 3)
        filled = QRect(bar)
        filled.setWidth(max(int(bar.width() * used_share(card, now)), 2))
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(filled), 3, 3)
        if label_pen is None and look in CLOCK_LABEL_COLOURS:
            label_pen = QColor(theme_colour(CLOCK_LABEL_COLOURS[look]))
        painter.setPen(label_pen or colour)  # on a highlighted card, the highlight's text
        label_rect = QRect(
            bar.right() + 4, bottom - metrics.height(), label_width, metrics.height()
        )
        painter.drawText(
            label_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, label
        )
