"""What a person does to tickets from the main window: open one, take, escalate, hand back,
resolve and comment, each a ``QAction`` that runs the service call on the operation runner.

Each change names the ticket version the selected row showed, so a ticket changed by someone
else meanwhile is refused with what changed (``ConflictError``) instead of being overwritten.
Outcomes are reported with ``ticket_changed`` and ``change_refused``; the window shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

from app.models import Role, TicketStatus
from app.services.desk import DeskService
from app.services.dto import CategoryView, TicketView, UserView
from app.services.tickets import NewTicket, TicketService
from app.views.new_ticket_dialog import NewTicketDialog
from app.views.note_dialog import NoteDialog
from app.views.operations import OperationRunner
from app.views.resources import resource_icon

Change = Callable[[TicketView], TicketView]
NoteChange = Callable[[TicketView, str], TicketView]


@dataclass(frozen=True)
class _NoteRequest:
    """A change waiting for its note: the ticket as the row showed it, and what to do."""

    ticket: TicketView
    change: NoteChange
    done: str


class TicketActions(QObject):
    """The ticket actions of one signed-in person; iterating gives those on a selected ticket.

    ``selected_ticket`` tells which ticket the actions apply to (the window's selection).
    """

    #: A change was saved; carries the changed ``TicketView`` and what to tell the person.
    ticket_changed = Signal(object, str)
    #: The service refused a change; carries the error. Nothing was written.
    change_refused = Signal(object)

    def __init__(
        self,
        window: QWidget,
        user: UserView,
        runner: OperationRunner,
        tickets: TicketService,
        desk: DeskService,
        selected_ticket: Callable[[], TicketView | None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.user = user
        self.runner = runner
        self.tickets = tickets
        self.desk = desk
        self.selected_ticket = selected_ticket
        self.new_ticket_dialog: NewTicketDialog | None = None
        self._note_request: _NoteRequest | None = None
        self._create_actions()

    def _action(
        self,
        text: str,
        shortcut: str,
        tip: str,
        icon: QStyle.StandardPixmap | str,
        slot: Callable[[], None],
    ) -> QAction:
        """``icon``: one of the style's standard icons, or the name of an SVG of ours."""
        if isinstance(icon, str):
            action = QAction(resource_icon(icon), text, self)
        else:
            action = QAction(self.window.style().standardIcon(icon), text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({action.shortcut().toString()})")
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def _create_actions(self) -> None:
        icon = QStyle.StandardPixmap
        self.new_ticket_action = self._action(
            self.tr("&New ticket"),
            "Ctrl+N",
            self.tr("Open a new ticket"),
            icon.SP_FileDialogNewFolder,
            self._on_new_ticket_action_triggered,
        )
        self.take_action = self._action(
            self.tr("&Take"),
            "Ctrl+T",
            self.tr("Assign the ticket to yourself"),
            icon.SP_DialogYesButton,
            self._on_take_action_triggered,
        )
        self.escalate_action = self._action(
            self.tr("&Escalate"),
            "Ctrl+E",
            self.tr("Move the ticket one tier up"),
            "escalate.svg",  # the style's arrows are black: invisible on the dark theme
            self._on_escalate_action_triggered,
        )
        self.hand_back_action = self._action(
            self.tr("&Hand back"),
            "Ctrl+B",
            self.tr("Move it one tier down, saying why"),
            "hand-back.svg",
            self._on_hand_back_action_triggered,
        )
        self.resolve_action = self._action(
            self.tr("&Resolve"),
            "Ctrl+R",
            self.tr("Resolve it with a resolution note"),
            icon.SP_DialogApplyButton,
            self._on_resolve_action_triggered,
        )
        self.comment_action = self._action(
            self.tr("&Comment"),
            "Ctrl+M",
            self.tr("Add a comment"),
            icon.SP_FileDialogDetailedView,
            self._on_comment_action_triggered,
        )

    def __iter__(self) -> Iterator[QAction]:
        """The actions on the selected ticket, in toolbar order."""
        yield from (
            self.take_action,
            self.escalate_action,
            self.hand_back_action,
            self.resolve_action,
            self.comment_action,
        )

    # ---------------------------------------------------------------------------- enabling
    def update(self, ticket: TicketView | None, ladder: list[str]) -> None:
        """Offer only what makes sense for ``ticket`` on this ladder (tier codes, lowest
        first); the service still decides, e.g. which tier may resolve which category."""
        self.new_ticket_action.setEnabled(self.user.role != Role.MANAGER)
        if ticket is None or not self.works_tier_of(ticket):
            for action in self:
                action.setEnabled(False)
            return
        working = not ticket.status.is_finished
        self.escalate_action.setEnabled(working and bool(ladder) and ticket.tier != ladder[-1])
        self.hand_back_action.setEnabled(working and bool(ladder) and ticket.tier != ladder[0])
        self.resolve_action.setEnabled(working)
        self.take_action.setEnabled(working and ticket.assignee != self.user.login)
        self.comment_action.setEnabled(ticket.status != TicketStatus.CLOSED)

    def works_tier_of(self, ticket: TicketView) -> bool:
        """Whether the person may change tickets at this ticket's tier at all."""
        if self.user.role == Role.MANAGER:
            return False
        return self.user.role != Role.AGENT or ticket.tier in self.user.tiers

    # ---------------------------------------------------------------------------- changing
    def _change(self, done: str, change: Change) -> None:
        """Run a change on the selected ticket; ``done`` says what happened, with ``{key}``
        and ``{tier}`` filled in from the changed ticket."""
        ticket = self.selected_ticket()
        if ticket is not None:
            self._run(lambda: change(ticket), done)

    def _run(self, change: Callable[[], TicketView], done: str) -> None:
        def changed(result: TicketView) -> None:
            self.ticket_changed.emit(result, done.format(key=result.key, tier=result.tier))

        self.runner.run(change, changed, self.change_refused.emit)

    def _note_then_change(
        self, title: str, prompt: str, action_text: str, done: str, change: NoteChange
    ) -> None:
        """Ask for a note, then change the ticket that was selected when the action began."""
        ticket = self.selected_ticket()
        if ticket is None:
            return
        self._note_request = _NoteRequest(ticket, change, done)
        dialog = NoteDialog(self.window, title.format(key=ticket.key), prompt, action_text)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Bound slots only: PySide may crash deleting a dialog connected to a closure.
        dialog.submitted.connect(self._on_note_dialog_submitted)
        dialog.open()

    @Slot(str)
    def _on_note_dialog_submitted(self, note: str) -> None:
        request, self._note_request = self._note_request, None
        if request is not None:
            self._run(lambda: request.change(request.ticket, note), request.done)

    @Slot()
    def _on_take_action_triggered(self) -> None:
        login = self.user.login
        self._change(
            self.tr("You took {key}"), lambda t: self.tickets.take(login, t.key, t.version)
        )

    @Slot()
    def _on_escalate_action_triggered(self) -> None:
        login = self.user.login
        self._change(
            self.tr("Escalated {key} to {tier}"),
            lambda t: self.tickets.escalate(login, t.key, t.version),
        )

    @Slot()
    def _on_hand_back_action_triggered(self) -> None:
        login = self.user.login
        self._note_then_change(
            self.tr("Hand back {key}"),
            self.tr("Why does it go back a tier? The tier below will read this."),
            self.tr("Hand back"),
            self.tr("Handed {key} back to {tier}"),
            lambda t, note: self.tickets.hand_back(login, t.key, t.version, note),
        )

    @Slot()
    def _on_resolve_action_triggered(self) -> None:
        login = self.user.login
        self._note_then_change(
            self.tr("Resolve {key}"),
            self.tr("How was it resolved? The requester and the next agent will read this."),
            self.tr("Resolve"),
            self.tr("Resolved {key}"),
            lambda t, note: self.tickets.resolve(login, t.key, t.version, note),
        )

    @Slot()
    def _on_comment_action_triggered(self) -> None:
        login = self.user.login
        # Comments only append, so they do not name the version: nothing can be overwritten.
        self._note_then_change(
            self.tr("Comment on {key}"),
            self.tr("Your comment:"),
            self.tr("Add comment"),
            self.tr("Commented on {key}"),
            lambda t, body: self.tickets.comment(login, t.key, body),
        )

    # -------------------------------------------------------------------------- new ticket
    @Slot()
    def _on_new_ticket_action_triggered(self) -> None:
        self.runner.run(self.desk.categories, self._open_new_ticket_dialog)

    def _open_new_ticket_dialog(self, categories: list[CategoryView]) -> None:
        dialog = NewTicketDialog(categories, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(self._on_new_ticket_dialog_submitted)
        dialog.finished.connect(self._on_new_ticket_dialog_finished)
        self.new_ticket_dialog = dialog
        dialog.open()

    @Slot(object)
    def _on_new_ticket_dialog_submitted(self, new: NewTicket) -> None:
        dialog = self.new_ticket_dialog
        if dialog is None:
            return
        login = self.user.login

        def created(ticket: TicketView) -> None:
            dialog.accept()
            self.ticket_changed.emit(
                ticket, self.tr("Opened {key} at {tier}").format(key=ticket.key, tier=ticket.tier)
            )

        self.runner.run(lambda: self.tickets.create(login, new), created, dialog.show_error)

    @Slot()
    def _on_new_ticket_dialog_finished(self) -> None:
        self.new_ticket_dialog = None
