"""The selected ticket in full: its fields, description, comments and the history timeline."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.dto import EventView, TicketDetail, TicketView
from app.views.formatting import local_time, status_label


class TicketDetailsView(QWidget):
    """Shows one ``TicketDetail``; the given actions appear as buttons above it."""

    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: TicketDetail | None = None
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
        self.heading.setText("<h3 style='color: gray'>No ticket selected</h3>")
        self.browser.setHtml(
            "<p style='color: gray'>Select a ticket in the list to see its fields, comments "
            "and history.</p>"
        )

    def show_loading(self, ticket: TicketView) -> None:
        """Show what the row knows while the full ticket loads."""
        self.detail = None
        self.heading.setText(_heading(ticket))
        self.browser.setHtml(_fields_html(ticket) + "<p style='color: gray'>Loading history…</p>")

    def show_detail(self, detail: TicketDetail) -> None:
        self.detail = detail
        self.heading.setText(_heading(detail.ticket))
        self.browser.setHtml(
            _fields_html(detail.ticket) + _description_html(detail) + _timeline_html(detail)
        )

    def text(self) -> str:
        """Everything shown, as plain text (for tests and copying)."""
        return f"{self.heading.text()}\n{self.browser.toPlainText()}"


def _e(text: object) -> str:
    return html.escape(str(text))


def _heading(ticket: TicketView) -> str:
    return f"<h3>{_e(ticket.key)} · {_e(ticket.title)}</h3>"


def _fields_html(ticket: TicketView) -> str:
    how = "set by hand" if ticket.priority_overridden else "impact × urgency"
    rows = [
        ("Status", status_label(ticket.status)),
        ("Tier", ticket.tier),
        ("Priority", f"{ticket.priority.value} ({how})"),
        ("Impact / urgency", f"{ticket.impact.value} / {ticket.urgency.value}"),
        ("Category", ticket.category),
        ("Requester", ticket.requester),
        ("Assignee", ticket.assignee_name or "nobody"),
        ("Created", local_time(ticket.created_at)),
        ("Updated", local_time(ticket.updated_at)),
    ]
    if ticket.resolved_at:
        rows.append(("Resolved", local_time(ticket.resolved_at)))
    if ticket.reopen_count:
        rows.append(("Reopened", f"{ticket.reopen_count}×"))
    rows.append(("Version", str(ticket.version)))
    cells = "".join(
        f"<tr><td style='color: gray; padding-right: 12px'>{_e(name)}</td><td>{_e(value)}</td></tr>"
        for name, value in rows
    )
    return f"<table cellspacing='2'>{cells}</table>"


def _description_html(detail: TicketDetail) -> str:
    text = detail.ticket.description or "(no description)"
    parts = [f"<h4>Description</h4><p style='white-space: pre-wrap'>{_e(text)}</p>"]
    parts.append(f"<h4>Comments ({len(detail.comments)})</h4>")
    if not detail.comments:
        parts.append("<p style='color: gray'>No comments yet.</p>")
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
    return f"<h4>History ({count} event{'s' if count != 1 else ''})</h4><ul>{items}</ul>"


def _event_html(event: EventView) -> str:
    """The event's summary, after its time in the desktop's time zone."""
    return f"<span style='color: gray'>{_e(local_time(event.at))}</span> {_e(event.summary())}"
