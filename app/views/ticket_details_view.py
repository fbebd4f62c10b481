"""The selected ticket in full: its fields, its SLA clocks ("why did this escalate?"), its
description, comments and the history timeline."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Qt, QUrl
from PySide6.QtGui import QAction, QBrush, QColor, QImage, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models import ClockKind
from app.services.dto import ClockTimeline, EventView, TicketDetail, TicketView
from app.services.sla_timeline import duration_text
from app.views.formatting import level_label, local_time, status_label
from app.views.theme import theme_colour

#: Size of a clock's bar in the SLA section, in logical pixels.
BAR_WIDTH, BAR_HEIGHT = 320, 14
SEGMENT_COLOURS = {
    "counting": "#43a047",
    "paused": "#9e9e9e",
    "outside_hours": "#eceff1",
    "collapsed": "#c5cae9",
}
#: Hatching over a segment's colour: outside hours and collapsed stretches are not clock time.
SEGMENT_HATCHING = {
    "outside_hours": ("#90a4ae", Qt.BrushStyle.BDiagPattern),
    "collapsed": ("#5c6bc0", Qt.BrushStyle.Dense6Pattern),
}
#: Counting past the due instant, the empty rest of a running clock's bar, and its outline.
OVERDUE_COLOUR, OUTLINE_COLOUR = "#e57373", "#b0bec5"  # time still to go: the palette's base
OVERDUE_STATES = frozenset({"overdue", "breached", "escalated"})
MARK_COLOURS = {"warning": "#f59e0b", "breach": "#d32f2f", "escalation": "#d32f2f"}
#: A mark's headline in the list under its bar, in theme colours (``theme_colour``): as text it
#: needs 4.5:1, which the ticks' colours miss (amber on white, red on the dark base).
MARK_TEXT_COLOURS = {"warning": "warning_text", "breach": "error_text", "escalation": "error_text"}
CLOCK_LABELS = {
    ClockKind.TIER: QT_TRANSLATE_NOOP("TicketDetailsView", "Tier clock"),
    ClockKind.TIER_RESPONSE: QT_TRANSLATE_NOOP("TicketDetailsView", "Tier response"),
    ClockKind.VENDOR: QT_TRANSLATE_NOOP("TicketDetailsView", "Vendor clock"),
    ClockKind.FIRST_RESPONSE: QT_TRANSLATE_NOOP("TicketDetailsView", "First response"),
    ClockKind.RESOLUTION: QT_TRANSLATE_NOOP("TicketDetailsView", "Resolution"),
}
#: A clock's state in words (``STATE_COLOURS`` colours it).
STATE_LABELS = {
    "running": QT_TRANSLATE_NOOP("TicketDetailsView", "running"),
    "met": QT_TRANSLATE_NOOP("TicketDetailsView", "met"),
    "paused": QT_TRANSLATE_NOOP("TicketDetailsView", "paused"),
    "stopped": QT_TRANSLATE_NOOP("TicketDetailsView", "stopped"),
    "overdue": QT_TRANSLATE_NOOP("TicketDetailsView", "overdue"),
    "breached": QT_TRANSLATE_NOOP("TicketDetailsView", "breached"),
    "escalated": QT_TRANSLATE_NOOP("TicketDetailsView", "escalated"),
}
#: Theme colour names (``theme_colour``), readable on light and dark; other states: plain text.
STATE_COLOURS = {
    "running": "success_text",
    "met": "success_text",
    "overdue": "error_text",
    "breached": "error_text",
    "escalated": "error_text",
}
#: Pauses listed per clock; the bar shows them all.
PAUSES_LISTED = 5


class TicketDetailsView(QWidget):
    """Shows one ``TicketDetail``; the given actions appear as buttons above it."""

    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: TicketDetail | None = None
        self.clock_bars: list[QImage] = []  # the bars of the clocks shown, in order
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(buttons)
        layout.addWidget(self.browser, 1)
        self.show_nothing()

    def show_nothing(self) -> None:
        self.detail = None
        nothing = self.tr("No ticket selected")
        self.heading.setText(f"<h3 style='color: gray'>{nothing}</h3>")
        hint = self.tr("Select a ticket in the list to see its fields, comments and history.")
        self.browser.setHtml(f"<p style='color: gray'>{hint}</p>")

    def show_loading(self, ticket: TicketView) -> None:
        """Show what the row knows while the full ticket loads."""
        self.detail = None
        self.heading.setText(_heading(ticket))
        loading = self.tr("Loading history…")
        self.browser.setHtml(_fields_html(ticket) + f"<p style='color: gray'>{loading}</p>")

    def show_detail(self, detail: TicketDetail) -> None:
        self.detail = detail
        self.heading.setText(_heading(detail.ticket))
        self._add_clock_bars(detail.clocks)
        self.browser.setHtml(
            _fields_html(detail.ticket)
            + _sla_html(detail.clocks)
            + _description_html(detail)
            + _timeline_html(detail)
        )

    def _add_clock_bars(self, clocks: Sequence[ClockTimeline]) -> None:
        """Paint each clock's bar into the document's images (``sla-bar:N``, reused from one
        ticket to the next so that they do not pile up)."""
        ratio = self.devicePixelRatioF()
        self.clock_bars = [paint_clock_bar(clock, ratio) for clock in clocks]
        document = self.browser.document()
        for index, image in enumerate(self.clock_bars):
            document.addResource(QTextDocument.ResourceType.ImageResource, _bar_url(index), image)

    def text(self) -> str:
        """Everything shown, as plain text (for tests and copying)."""
        return f"{self.heading.text()}\n{self.browser.toPlainText()}"


def _e(text: object) -> str:
    return html.escape(str(text))


def _heading(ticket: TicketView) -> str:
    return f"<h3>{_e(ticket.key)} · {_e(ticket.title)}</h3>"


def _tr(text: object) -> str:
    """``text`` (marked with ``QT_TRANSLATE_NOOP``) in the desktop's language."""
    return QCoreApplication.translate("TicketDetailsView", str(text))


def _fields_html(ticket: TicketView) -> str:
    if ticket.priority_overridden:
        how = QCoreApplication.translate("TicketDetailsView", "set by hand")
    else:
        how = QCoreApplication.translate("TicketDetailsView", "impact × urgency")
    rows = [
        (QCoreApplication.translate("TicketDetailsView", "Status"), status_label(ticket.status)),
        (QCoreApplication.translate("TicketDetailsView", "Tier"), ticket.tier),
        (
            QCoreApplication.translate("TicketDetailsView", "Priority"),
            f"{ticket.priority.value} ({how})",
        ),
        (
            QCoreApplication.translate("TicketDetailsView", "Impact / urgency"),
            f"{level_label(ticket.impact).lower()} / {level_label(ticket.urgency).lower()}",
        ),
        (QCoreApplication.translate("TicketDetailsView", "Category"), ticket.category),
        (QCoreApplication.translate("TicketDetailsView", "Requester"), ticket.requester),
        (
            QCoreApplication.translate("TicketDetailsView", "Assignee"),
            ticket.assignee_name or QCoreApplication.translate("TicketDetailsView", "nobody"),
        ),
        (
            QCoreApplication.translate("TicketDetailsView", "Created"),
            local_time(ticket.created_at),
        ),
        (
            QCoreApplication.translate("TicketDetailsView", "Updated"),
            local_time(ticket.updated_at),
        ),
    ]
    if ticket.resolved_at:
        rows.append(
            (
                QCoreApplication.translate("TicketDetailsView", "Resolved"),
                local_time(ticket.resolved_at),
            )
        )
    if ticket.reopen_count:
        rows.append(
            (QCoreApplication.translate("TicketDetailsView", "Reopened"), f"{ticket.reopen_count}×")
        )
    rows.append((QCoreApplication.translate("TicketDetailsView", "Version"), str(ticket.version)))
    cells = "".join(
        f"<tr><td style='color: gray; padding-right: 12px'>{_e(name)}</td><td>{_e(value)}</td></tr>"
        for name, value in rows
    )
    return f"<table cellspacing='2'>{cells}</table>"


def _description_html(detail: TicketDetail) -> str:
    text = detail.ticket.description or QCoreApplication.translate(
        "TicketDetailsView", "(no description)"
    )
    description = QCoreApplication.translate("TicketDetailsView", "Description")
    parts = [f"<h4>{description}</h4><p style='white-space: pre-wrap'>{_e(text)}</p>"]
    comments = QCoreApplication.translate("TicketDetailsView", "Comments ({count})")
    parts.append(f"<h4>{comments.format(count=len(detail.comments))}</h4>")
    if not detail.comments:
        none_yet = QCoreApplication.translate("TicketDetailsView", "No comments yet.")
        parts.append(f"<p style='color: gray'>{none_yet}</p>")
    for comment in detail.comments:
        parts.append(
            f"<p><b>{_e(comment.author_name)}</b> "
            f"<span style='color: gray'>{_e(local_time(comment.created_at))}</span><br>"
            f"<span style='white-space: pre-wrap'>{_e(comment.body)}</span></p>"
        )
    return "".join(parts)


def _timeline_html(detail: TicketDetail) -> str:
    items = "".join(f"<li>{_event_html(event)}</li>" for event in detail.events)
    count = len(detail.events)
    if count == 1:
        history = QCoreApplication.translate("TicketDetailsView", "History (1 event)")
    else:
        history = QCoreApplication.translate("TicketDetailsView", "History ({count} events)")
        history = history.format(count=count)
    return f"<h4>{history}</h4><ul>{items}</ul>"


def _event_html(event: EventView) -> str:
    """The event's summary, after its time in the desktop's time zone."""
    return f"<span style='color: gray'>{_e(local_time(event.at))}</span> {_e(event.summary())}"


# ------------------------------------------------------------------------------------- SLA
def paint_clock_bar(clock: ClockTimeline, device_pixel_ratio: float = 1.0) -> QImage:
    """The clock's life as a bar: green while counting (red once past its due instant), grey
    while paused, light and hatched outside working hours; an amber tick at a warning, a red
    one at a breach or escalation. A running clock's bar reaches to its due instant, the time
    still to go left empty, so that the green share is how far it has got."""
    image = QImage(
        round(BAR_WIDTH * device_pixel_ratio),
        round(BAR_HEIGHT * device_pixel_ratio),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(device_pixel_ratio)
    image.fill(Qt.GlobalColor.transparent)
    bar = QRectF(0, 3, BAR_WIDTH, BAR_HEIGHT - 6)
    start = clock.started_at
    end = clock.segments[-1].end if clock.segments else start
    if clock.stopped_at is None and clock.due_at is not None:
        end = max(end, clock.due_at)
    span = (end - start).total_seconds() or 1.0
    overdue_from = clock.due_at if clock.state in OVERDUE_STATES else None

    def x(instant: datetime) -> float:
        share = min(max((instant - start).total_seconds() / span, 0.0), 1.0)
        return bar.left() + bar.width() * share

    def fill(since: datetime, until: datetime, brush: QBrush | QColor) -> None:
        left = x(since)
        painter.fillRect(QRectF(left, bar.top(), max(x(until) - left, 1.0), bar.height()), brush)

    painter = QPainter(image)
    try:
        painter.fillRect(bar, QApplication.palette().color(QPalette.ColorRole.Base))
        for segment in clock.segments:
            fill(segment.start, segment.end, QColor(SEGMENT_COLOURS[segment.kind]))
            if segment.kind in SEGMENT_HATCHING:
                colour, style = SEGMENT_HATCHING[segment.kind]
                fill(segment.start, segment.end, QBrush(QColor(colour), style))
            if segment.kind == "counting" and overdue_from and overdue_from < segment.end:
                fill(max(segment.start, overdue_from), segment.end, QColor(OVERDUE_COLOUR))
        painter.setPen(QColor(OUTLINE_COLOUR))
        painter.drawRect(bar.adjusted(0.5, 0.5, -0.5, -0.5))
        for mark in clock.marks:
            if mark.kind in MARK_COLOURS:
                tick = min(max(x(mark.at) - 1.5, 0.0), BAR_WIDTH - 3.0)
                painter.fillRect(QRectF(tick, 0, 3, BAR_HEIGHT), QColor(MARK_COLOURS[mark.kind]))
    finally:
        painter.end()
    return image


def _bar_url(index: int) -> QUrl:
    return QUrl(f"sla-bar:{index}")


def _sla_html(clocks: Sequence[ClockTimeline]) -> str:
    if not clocks:
        title = QCoreApplication.translate("TicketDetailsView", "SLA clocks")
        none = QCoreApplication.translate("TicketDetailsView", "No SLA clock runs for this ticket.")
        return f"<h4>{title}</h4><p style='color: gray'>{none}</p>"
    swatches = [
        (
            SEGMENT_COLOURS["counting"],
            "■",
            QCoreApplication.translate("TicketDetailsView", "counting"),
        ),
        (OVERDUE_COLOUR, "■", QCoreApplication.translate("TicketDetailsView", "overdue")),
        (
            SEGMENT_COLOURS["paused"],
            "■",
            QCoreApplication.translate("TicketDetailsView", "paused"),
        ),
        (
            SEGMENT_HATCHING["outside_hours"][0],
            "▨",
            QCoreApplication.translate("TicketDetailsView", "outside hours"),
        ),
        (MARK_COLOURS["warning"], "▎", QCoreApplication.translate("TicketDetailsView", "warning")),
        (MARK_COLOURS["breach"], "▎", QCoreApplication.translate("TicketDetailsView", "breach")),
    ]
    legend = " &nbsp; ".join(
        f"<span style='color: {colour}'>{sign}</span> {_e(name)}" for colour, sign, name in swatches
    )
    title = QCoreApplication.translate("TicketDetailsView", "SLA clocks ({count})")
    parts = [f"<h4>{title.format(count=len(clocks))}</h4><p style='color: gray'>{legend}</p>"]
    parts += [_clock_html(index, clock) for index, clock in enumerate(clocks)]
    return "".join(parts)


def _clock_html(index: int, clock: ClockTimeline) -> str:
    """A clock's heading, bar and span, then what happened to it (marks and pauses)."""
    name = _tr(CLOCK_LABELS[clock.kind]) + (f" · {clock.tier}" if clock.tier else "")
    state_text = _tr(STATE_LABELS[clock.state]) if clock.state in STATE_LABELS else clock.state
    state = _e(state_text)
    if clock.state in STATE_COLOURS:
        state = f"<span style='color: {theme_colour(STATE_COLOURS[clock.state])}'>{state}</span>"
    terms = [
        f"{clock.policy} v{clock.policy_version}",
        QCoreApplication.translate("TicketDetailsView", "target {duration}").format(
            duration=duration_text(clock.target_minutes)
        ),
        QCoreApplication.translate("TicketDetailsView", "used {duration}").format(
            duration=duration_text(clock.used_minutes)
        ),
    ]
    if clock.due_at is not None:
        terms.append(
            QCoreApplication.translate("TicketDetailsView", "due {when}").format(
                when=_when(clock.due_at, clock.started_at)
            )
        )
    end = clock.segments[-1].end if clock.segments else clock.started_at
    now = QCoreApplication.translate("TicketDetailsView", " (now)")
    until = _when(end, clock.started_at) + ("" if clock.stopped_at else now)
    head = (
        f"<p style='margin-top: 10px; margin-bottom: 2px'><b>{_e(name)}</b> {state} "
        f"<span style='color: gray'>· {_e(' · '.join(terms))}</span><br>"
        f"<img src='{_bar_url(index).toString()}' width='{BAR_WIDTH}' height='{BAR_HEIGHT}'><br>"
        f"<span style='color: gray'>{_e(local_time(clock.started_at))} → {_e(until)}</span></p>"
    )
    items = [f"<li>{line}</li>" for line in _happenings(clock)]
    return head + (f"<ul style='margin-top: 0px'>{''.join(items)}</ul>" if items else "")


def _happenings(clock: ClockTimeline) -> list[str]:
    """Marks after the start and the pauses, in time order, as HTML lines."""
    dated: list[tuple[datetime, str]] = []
    for mark in clock.marks:
        if mark.kind == "started":
            continue
        headline = _e(mark.headline())
        if mark.kind in MARK_TEXT_COLOURS:
            colour = theme_colour(MARK_TEXT_COLOURS[mark.kind])
            headline = f"<span style='color: {colour}'>{headline}</span>"
        text = QCoreApplication.translate(
            "TicketDetailsView", "{headline} at {when} — {note}"
        ).format(headline=headline, when=_e(_when(mark.at, clock.started_at)), note=_e(mark.note))
        if mark.fired_at is not None and (mark.fired_at - mark.at).total_seconds() >= 60:
            recorded = QCoreApplication.translate("TicketDetailsView", "(recorded {when})").format(
                when=_when(mark.fired_at, mark.at)
            )
            text += f" <span style='color: gray'>{recorded}</span>"
        dated.append((mark.at, text))
    pauses = [segment for segment in clock.segments if segment.kind == "paused"]
    for segment in pauses[-PAUSES_LISTED:]:
        reason = (segment.reason or "").replace("_", " ")
        span = f"{_when(segment.start, clock.started_at)} → {_when(segment.end, segment.start)}"
        paused = QCoreApplication.translate("TicketDetailsView", "Paused {span} — {reason}")
        dated.append((segment.start, paused.format(span=_e(span), reason=_e(reason))))
    for segment in clock.segments:
        if segment.kind == "collapsed":
            span = f"{local_time(segment.start)} → {local_time(segment.end)}"
            folded = QCoreApplication.translate(
                "TicketDetailsView", "{what} folded together ({span})"
            )
            dated.append((segment.start, folded.format(what=_e(segment.reason), span=_e(span))))
    dated.sort(key=lambda pair: pair[0])
    lines = [text for _at, text in dated]
    if len(pauses) > PAUSES_LISTED:
        earlier = len(pauses) - PAUSES_LISTED
        not_listed = QCoreApplication.translate(
            "TicketDetailsView", "{count} earlier pauses not listed"
        ).format(count=earlier)
        lines.insert(0, f"<span style='color: gray'>{not_listed}</span>")
    return lines


def _when(instant: datetime, reference: datetime) -> str:
    """Local time of day, with the date when it differs from that of ``reference``."""
    local = instant.astimezone()
    if local.date() == reference.astimezone().date():
        return local.strftime("%H:%M")
    return local_time(instant)
