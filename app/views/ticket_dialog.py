"""One ticket, to read and to work: its fields (edited with validation shown next to each),
assignment, status, comments, and the timeline of its history and SLA clocks.

Save sends only the fields the person changed, naming the version the dialog loaded. When
someone else changed the ticket meanwhile the service refuses (``ConflictError``); the dialog
then loads the current ticket and shows what the other person changed, field by field next to
the person's own edit, which stays in the form until they choose: keep their changes (saved
on top of the new version) or discard them and reload. Nothing is silently lost.

Every service call goes through the ``OperationRunner``; refusals are shown in the dialog.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import fields

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.models import Level, Priority, TicketStatus
from app.services.desk import DeskService
from app.services.dto import CategoryView, TicketDetail, TicketView, UserView
from app.services.errors import ConflictError, DatabaseError, InvalidInput
from app.services.priority import priority_for
from app.services.tickets import WORKING_STATUSES, TicketService
from app.services.validation import (
    DESCRIPTION_MAX,
    REQUESTER_MAX,
    TITLE_MAX,
    clean_text,
)
from app.views.formatting import level_label, local_time, status_label
from app.views.message_bar import MessageBar
from app.views.operations import OperationRunner, describe_error
from app.views.theme import Tone, set_tone
from app.views.ticket_conflict import ShownNames, conflict_text
from app.views.ticket_details_view import TicketDetailsView
from app.views.ticket_form import (
    FormValues,
    field_label,
    may_change,
    works_tier,
)

LEVELS = (Level.HIGH, Level.MEDIUM, Level.LOW)


class TicketDialog(QDialog):
    """The ticket dialog. Open it with ``open()`` or ``show()``; listen to ``ticket_changed``.

    ``detail`` is the ticket as loaded; the dialog loads categories and people itself.
    """

    #: A change was saved; carries the changed ``TicketView``.
    ticket_changed = Signal(object)

    def __init__(
        self,
        detail: TicketDetail,
        user: UserView,
        tickets: TicketService,
        desk: DeskService,
        runner: OperationRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.detail = detail
        self.user = user
        self.tickets = tickets
        self.desk = desk
        self.runner = runner
        self.categories: list[CategoryView] = []
        self.people: list[UserView] = []
        #: While a conflict is shown: the refusal and the ticket as it is now.
        self.conflict: ConflictError | None = None
        self.conflict_detail: TicketDetail | None = None
        self._build_widgets()
        self._build_layout()
        self._connect()
        self._show_detail(detail)
        self.runner.run(self.desk.categories, self._on_categories_loaded)
        self.runner.run(self.desk.users, self._on_people_loaded)

    # ------------------------------------------------------------------------------ widgets
    def _build_widgets(self) -> None:
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.read_only_label = QLabel()
        set_tone(self.read_only_label, Tone.WARNING)
        self.read_only_label.setWordWrap(True)
        self.message_bar = MessageBar()
        self.done_label = QLabel()
        set_tone(self.done_label, Tone.SUCCESS)
        self.errors: dict[str, QLabel] = {}
        self.title_edit = QLineEdit()
        self.requester_edit = QLineEdit()
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.category_combo = QComboBox()
        self.impact_combo = _level_combo()
        self.urgency_combo = _level_combo()
        self.priority_combo = QComboBox()
        self.priority_combo.addItem("", None)  # automatic; its text follows impact x urgency
        for priority in Priority:
            self.priority_combo.addItem(
                self.tr("{priority} (set by hand)").format(priority=priority.value), priority.value
            )
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Close"))
        self.assignee_label = QLabel()
        self.assignee_combo = QComboBox()
        self.assign_button = QPushButton(self.tr("Assign"))
        self.take_button = QPushButton(self.tr("&Take"))
        self.unassign_button = QPushButton(self.tr("Unassign"))
        self.status_label = QLabel()
        self.status_combo = QComboBox()
        for status in TicketStatus:
            if status in WORKING_STATUSES:
                self.status_combo.addItem(status_label(status), status.value)
        self.set_status_button = QPushButton(self.tr("Set status"))
        self.resolution_edit = QPlainTextEdit()
        self.resolution_edit.setPlaceholderText(
            self.tr("How was it resolved? Required to resolve.")
        )
        self.resolution_edit.setTabChangesFocus(True)
        self.resolve_button = QPushButton(self.tr("&Resolve"))
        self.reopen_note_edit = QLineEdit()
        self.reopen_note_edit.setPlaceholderText(self.tr("Why it is reopened (optional)"))
        self.reopen_button = QPushButton(self.tr("Reopen"))
        self.close_ticket_button = QPushButton(self.tr("Close ticket"))
        self.comments_browser = QTextBrowser()
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setPlaceholderText(self.tr("Write a comment"))
        self.comment_edit.setTabChangesFocus(True)
        self.comment_button = QPushButton(self.tr("Add comment"))
        self.timeline_view = TicketDetailsView([])
        self.timeline_view.heading.hide()  # the dialog's own heading says the same
        self._build_conflict_panel()

    def _build_conflict_panel(self) -> None:
        self.conflict_panel = QFrame()
        self.conflict_panel.setObjectName("conflictPanel")  # its colours: the theme's base.qss
        self.conflict_label = QLabel()
        self.conflict_label.setTextFormat(Qt.TextFormat.RichText)
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keep_button = QPushButton(self.tr("Keep my changes"))
        self.discard_button = QPushButton(self.tr("Discard mine and reload"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.keep_button)
        layout = QVBoxLayout(self.conflict_panel)
        layout.addWidget(self.conflict_label)
        layout.addLayout(buttons)
        self.conflict_panel.hide()

    def _with_error(self, name: str, widget: QWidget) -> QWidget:
        """The widget with a hidden error line under it, for the field called ``name``."""
        error = QLabel()
        set_tone(error, Tone.ERROR)
        error.setWordWrap(True)
        error.setTextFormat(Qt.TextFormat.PlainText)
        error.hide()
        self.errors[name] = error
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(error)
        return box

    def _build_layout(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.addTab(self._fields_page(), self.tr("&Fields"))
        self.tabs.addTab(self._assignment_page(), self.tr("&Assignment"))
        self.tabs.addTab(self._status_page(), self.tr("Stat&us"))
        self.tabs.addTab(self._comments_page(), self.tr("&Comments"))
        self.tabs.addTab(self.timeline_view, self.tr("Time&line"))
        buttons = QDialogButtonBox()
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        bottom = QHBoxLayout()
        bottom.addWidget(self.done_label, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.read_only_label)
        layout.addWidget(self.conflict_panel)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message_bar)
        layout.addLayout(bottom)
        self.resize(720, 640)

    def _fields_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(self.tr("&Title:"), self._with_error("title", self.title_edit))
        form.addRow(self.tr("&Requester:"), self._with_error("requester", self.requester_edit))
        form.addRow(self.tr("Cate&gory:"), self._with_error("category", self.category_combo))
        form.addRow(self.tr("&Impact:"), self._with_error("impact", self.impact_combo))
        form.addRow(self.tr("Urge&ncy:"), self._with_error("urgency", self.urgency_combo))
        form.addRow(self.tr("&Priority:"), self._with_error("priority", self.priority_combo))
        form.addRow(
            self.tr("&Description:"), self._with_error("description", self.description_edit)
        )
        return page

    def _assignment_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        form.addRow(self.tr("Assigned to:"), self.assignee_label)
        row = QHBoxLayout()
        row.addWidget(self.assignee_combo, 1)
        row.addWidget(self.assign_button)
        form.addRow(self.tr("Give it to:"), self._with_error("assignee", _boxed(row)))
        others = QHBoxLayout()
        others.addWidget(self.take_button)
        others.addWidget(self.unassign_button)
        others.addStretch(1)
        form.addRow("", _boxed(others))
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addStretch(1)  # rows at the top, not spread over the page
        return page

    def _status_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        form.addRow(self.tr("Status:"), self.status_label)
        row = QHBoxLayout()
        row.addWidget(self.status_combo, 1)
        row.addWidget(self.set_status_button)
        form.addRow(self.tr("Working status:"), self._with_error("status", _boxed(row)))
        self.resolution_edit.setMaximumHeight(120)
        form.addRow(self.tr("Resolution:"), self._with_error("resolution", self.resolution_edit))
        resolve = QHBoxLayout()
        resolve.addStretch(1)
        resolve.addWidget(self.resolve_button)
        form.addRow("", _boxed(resolve))
        reopen = QHBoxLayout()
        reopen.addWidget(self.reopen_note_edit, 1)
        reopen.addWidget(self.reopen_button)
        reopen.addWidget(self.close_ticket_button)
        form.addRow(self.tr("Reopen / close:"), self._with_error("note", _boxed(reopen)))
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addStretch(1)  # rows at the top, not spread over the page
        return page

    def _comments_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.comments_browser, 2)
        layout.addWidget(self._with_error("comment", self.comment_edit), 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.comment_button)
        layout.addLayout(row)
        return page

    def _connect(self) -> None:
        self.impact_combo.currentIndexChanged.connect(self._on_level_combo_changed)
        self.urgency_combo.currentIndexChanged.connect(self._on_level_combo_changed)
        for edit in (self.title_edit, self.requester_edit):
            edit.textEdited.connect(self._on_form_edited)
        self.description_edit.textChanged.connect(self._on_form_edited)
        for combo in (self.category_combo, self.impact_combo, self.urgency_combo):
            combo.activated.connect(self._on_form_edited)
        self.priority_combo.activated.connect(self._on_form_edited)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.keep_button.clicked.connect(self._on_keep_button_clicked)
        self.discard_button.clicked.connect(self._on_discard_button_clicked)
        self.take_button.clicked.connect(self._on_take_button_clicked)
        self.assign_button.clicked.connect(self._on_assign_button_clicked)
        self.unassign_button.clicked.connect(self._on_unassign_button_clicked)
        self.set_status_button.clicked.connect(self._on_set_status_button_clicked)
        self.resolve_button.clicked.connect(self._on_resolve_button_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_button_clicked)
        self.close_ticket_button.clicked.connect(self._on_close_ticket_button_clicked)
        self.comment_button.clicked.connect(self._on_comment_button_clicked)

    # -------------------------------------------------------------------------- the form
    @property
    def ticket(self) -> TicketView:
        """The ticket as the dialog last loaded it (the version a save names)."""
        return self.detail.ticket

    def form_values(self) -> FormValues:
        """What the form says now (texts trimmed)."""
        priority = self.priority_combo.currentData()
        return FormValues(
            title=self.title_edit.text().strip(),
            description=self.description_edit.toPlainText().strip(),
            requester=self.requester_edit.text().strip(),
            category=str(self.category_combo.currentData() or self.ticket.category),
            impact=Level(self.impact_combo.currentData()),
            urgency=Level(self.urgency_combo.currentData()),
            priority=Priority(priority) if priority else None,
        )

    def edited_fields(self) -> list[str]:
        """The fields the person changed from the loaded ticket."""
        return self.form_values().differing(FormValues.of(self.ticket))

    def _set_form(self, values: FormValues, only: Sequence[str]) -> None:
        """Put ``values`` into the named fields of the form, leaving the others as they are."""
        if "title" in only:
            self.title_edit.setText(values.title)
        if "requester" in only:
            self.requester_edit.setText(values.requester)
        if "description" in only and self.description_edit.toPlainText() != values.description:
            self.description_edit.setPlainText(values.description)
        if "category" in only:
            self._select_category(values.category)
        if "impact" in only:
            self.impact_combo.setCurrentIndex(self.impact_combo.findData(values.impact.value))
        if "urgency" in only:
            self.urgency_combo.setCurrentIndex(self.urgency_combo.findData(values.urgency.value))
        if "priority" in only:
            wanted = values.priority.value if values.priority else None
            self.priority_combo.setCurrentIndex(self.priority_combo.findData(wanted))

    def _select_category(self, name: str) -> None:
        index = self.category_combo.findData(name)
        if index < 0:  # not loaded yet, or removed meanwhile: still show what the ticket has
            self.category_combo.addItem(name, name)
            index = self.category_combo.count() - 1
        self.category_combo.setCurrentIndex(index)

    def problems(self) -> list[tuple[str, str]]:
        """What the dialog refuses by itself in the edited fields: (field, message)."""
        found: list[tuple[str, str]] = []
        values = self.form_values()
        limits = {
            "title": (TITLE_MAX, True),
            "requester": (REQUESTER_MAX, True),
            "description": (DESCRIPTION_MAX, False),
        }
        for name in self.edited_fields():
            if name in limits:
                limit, required = limits[name]
                try:
                    clean_text(name, getattr(values, name), max_length=limit, required=required)
                except InvalidInput as error:
                    found.append(
                        (
                            name,
                            self.tr("The {field} {problem}.").format(
                                field=field_label(name), problem=error.message
                            ),
                        )
                    )
        return found

    # ------------------------------------------------------------------------ showing
    def _show_detail(self, detail: TicketDetail, keep: Sequence[str] = ()) -> None:
        """Show ``detail``; the fields named in ``keep`` keep what the person typed."""
        self.detail = detail
        ticket = detail.ticket
        self.setWindowTitle(f"{ticket.key} · {ticket.title}")
        about = self.tr("{status} at {tier} · {priority} · version {version} · updated {updated}")
        self.heading.setText(
            f"<h3 style='margin: 0'>{html.escape(ticket.key)} · {html.escape(ticket.title)}</h3>"
            "<span style='color: gray'>"
            + about.format(
                status=html.escape(status_label(ticket.status)),
                tier=html.escape(ticket.tier),
                priority=ticket.priority.value,
                version=ticket.version,
                updated=html.escape(local_time(ticket.updated_at)),
            )
            + "</span>"
        )
        values = FormValues.of(ticket)
        self._set_form(values, [n for n in _FIELD_NAMES if n not in keep])
        self._on_level_combo_changed()
        self.assignee_label.setText(ticket.assignee_name or self.tr("nobody"))
        self.status_label.setText(status_label(ticket.status))
        index = self.status_combo.findData(ticket.status.value)
        self.status_combo.setCurrentIndex(max(index, 0))
        self._fill_assignees()
        self._show_comments(detail)
        self.timeline_view.show_detail(detail)
        self.tabs.setTabText(3, self.tr("&Comments ({count})").format(count=len(detail.comments)))
        self._update_enabled()

    def _show_comments(self, detail: TicketDetail) -> None:
        if not detail.comments:
            none_yet = self.tr("No comments yet.")
            self.comments_browser.setHtml(f"<p style='color: gray'>{none_yet}</p>")
            return
        self.comments_browser.setHtml(
            "".join(
                f"<p><b>{html.escape(c.author_name)}</b> <span style='color: gray'>"
                f"{html.escape(local_time(c.created_at))}</span><br>"
                f"<span style='white-space: pre-wrap'>{html.escape(c.body)}</span></p>"
                for c in detail.comments
            )
        )

    def _fill_assignees(self) -> None:
        chosen = self.assignee_combo.currentData() or self.ticket.assignee
        self.assignee_combo.clear()
        for person in self.people:
            if person.active and works_tier(person, self.ticket.tier):
                self.assignee_combo.addItem(person.display_name, person.login)
        index = self.assignee_combo.findData(chosen)
        if index >= 0:
            self.assignee_combo.setCurrentIndex(index)

    def _update_enabled(self) -> None:
        ticket = self.ticket
        why_not = may_change(self.user, ticket)
        self.read_only_label.setText(why_not or "")
        self.read_only_label.setVisible(why_not is not None)
        editable = why_not is None and self.conflict is None
        closed = ticket.status == TicketStatus.CLOSED
        working = not ticket.status.is_finished
        for widget in (
            self.title_edit,
            self.requester_edit,
            self.description_edit,
            self.category_combo,
            self.impact_combo,
            self.urgency_combo,
            self.priority_combo,
        ):
            widget.setEnabled(why_not is None and not closed)
        self.save_button.setEnabled(editable and not closed)
        self.assignee_combo.setEnabled(editable and working)
        self.assign_button.setEnabled(editable and working)
        self.take_button.setEnabled(editable and working and ticket.assignee != self.user.login)
        self.unassign_button.setEnabled(editable and working and ticket.assignee is not None)
        self.status_combo.setEnabled(editable and working)
        self.set_status_button.setEnabled(editable and working)
        self.resolution_edit.setEnabled(editable and working)
        self.resolve_button.setEnabled(editable and working)
        self.reopen_note_edit.setEnabled(editable and not working)
        self.reopen_button.setEnabled(editable and not working)
        self.close_ticket_button.setEnabled(editable and ticket.status == TicketStatus.RESOLVED)
        self.comment_edit.setEnabled(editable and not closed)
        self.comment_button.setEnabled(editable and not closed)

    def _clear_problems(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.message_bar.clear()
        self.done_label.clear()

    def show_error(self, error: Exception) -> None:
        """Show a refusal next to the field it names, or in the message line."""
        label = self.errors.get(error.field) if isinstance(error, InvalidInput) else None
        if isinstance(error, InvalidInput) and label is not None:
            self._show_problem(error.field, f"{error.field.capitalize()}: {error.message}")
        else:
            self.message_bar.show_message(describe_error(error))

    def _show_problem(self, field: str, text: str) -> None:
        label = self.errors[field]
        label.setText(text)
        label.show()
        page = label.parentWidget()
        while page is not None and self.tabs.indexOf(page) < 0:
            page = page.parentWidget()
        if page is not None:
            self.tabs.setCurrentWidget(page)

    # ------------------------------------------------------------------------- running
    def _run_change(
        self,
        change: Callable[[], TicketView],
        done: str,
        *,
        keep_edits: bool = True,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Run a change of the loaded ticket, then reload it; ``keep_edits`` keeps what the
        person typed in the fields, ``then`` runs after success (e.g. to clear a note)."""
        self._clear_problems()

        def changed(ticket: TicketView) -> None:
            if then is not None:
                then()
            self.done_label.setText(done)
            self.ticket_changed.emit(ticket)
            self._reload(keep=self.edited_fields() if keep_edits else ())

        self.runner.run(change, changed, self._on_change_failed)

    def _reload(self, keep: Sequence[str] = ()) -> None:
        key = self.ticket.key
        self.runner.run(
            lambda: self.tickets.get(key),
            lambda detail: self._show_detail(detail, keep),
            self.show_error,
        )

    def _on_change_failed(self, error: Exception) -> None:
        if isinstance(error, DatabaseError):  # the server went away: say so, keep the edits
            self.message_bar.show_message(
                self.tr(
                    "Not saved: {why}. What you typed is kept here; try again once the database "
                    "answers."
                ).format(why=describe_error(error))
            )
            return
        if not isinstance(error, ConflictError):
            self.show_error(error)
            return
        key = self.ticket.key
        self.runner.run(
            lambda: self.tickets.get(key),
            lambda detail: self._show_conflict(error, detail),
            self.show_error,
        )

    def _save(self) -> None:
        names = self.edited_fields()
        if not names:
            self.done_label.setText(self.tr("Nothing to save."))
            return
        changes = self.form_values().changes(names)
        login, key, version = self.user.login, self.ticket.key, self.ticket.version
        self._run_change(
            lambda: self.tickets.edit(login, key, version, changes),
            self.tr("Saved."),
            keep_edits=False,
        )

    # ------------------------------------------------------------------------ conflicts
    def _show_conflict(self, error: ConflictError, current: TicketDetail) -> None:
        """Someone else changed the ticket: say what, and let the person choose."""
        self.conflict, self.conflict_detail = error, current
        names = ShownNames.of(self.categories, self.people)
        text = conflict_text(self.ticket, self.form_values(), error, current, names)
        self.conflict_label.setText(text)
        self.conflict_panel.show()
        self._update_enabled()

    def _end_conflict(self) -> TicketDetail:
        assert self.conflict_detail is not None
        current = self.conflict_detail
        self.conflict = self.conflict_detail = None
        self.conflict_panel.hide()
        return current

    # ---------------------------------------------------------------------------- slots
    def _on_categories_loaded(self, categories: list[CategoryView]) -> None:
        self.categories = categories
        chosen = self.form_values().category
        self.category_combo.clear()
        for category in categories:
            self.category_combo.addItem(
                self.tr("{name}  (resolved at {tier}+)").format(
                    name=category.name, tier=category.min_tier
                )
            )
            self.category_combo.setItemData(self.category_combo.count() - 1, category.name)
        self._select_category(chosen)

    def _on_people_loaded(self, people: list[UserView]) -> None:
        self.people = people
        self._fill_assignees()

    @Slot()
    def _on_level_combo_changed(self) -> None:
        impact = Level(self.impact_combo.currentData())
        urgency = Level(self.urgency_combo.currentData())
        derived = priority_for(impact, urgency)
        self.priority_combo.setItemText(
            0, self.tr("Automatic (impact × urgency): {priority}").format(priority=derived.value)
        )

    @Slot()
    def _on_form_edited(self) -> None:
        for name in _FIELD_NAMES:
            self.errors[name].hide()  # the person is fixing it; old complaints would mislead
        self.done_label.clear()

    @Slot()
    def _on_save_button_clicked(self) -> None:
        self._clear_problems()
        problems = self.problems()
        if problems:
            for field, text in problems:
                self._show_problem(field, text)
            return
        self._save()

    @Slot()
    def _on_keep_button_clicked(self) -> None:
        edited = self.edited_fields()
        current = self._end_conflict()
        self._show_detail(current, keep=edited)
        self._update_enabled()
        if self.edited_fields():
            self._save()
        else:
            self.done_label.setText(
                self.tr("Loaded the new version; none of your edits differ from it.")
            )

    @Slot()
    def _on_discard_button_clicked(self) -> None:
        self._show_detail(self._end_conflict())
        self._clear_problems()
        self.done_label.setText(self.tr("Reloaded; your edits were discarded."))

    @Slot()
    def _on_take_button_clicked(self) -> None:
        login, key, version = self.user.login, self.ticket.key, self.ticket.version
        self._run_change(lambda: self.tickets.take(login, key, version), self.tr("You took it."))

    @Slot()
    def _on_assign_button_clicked(self) -> None:
        login, key, version = self.user.login, self.ticket.key, self.ticket.version
        assignee = self.assignee_combo.currentData()
        if not assignee:
            self._show_problem("assignee", self.tr("Choose someone who works this tier."))
            return
        done = self.tr("Assigned to {person}.").format(person=self.assignee_combo.currentText())
        self._run_change(lambda: self.tickets.assign(login, key, version, assignee), done)

    @Slot()
    def _on_unassign_button_clicked(self) -> None:
        login, key, version = self.user.login, self.ticket.key, self.ticket.version
        self._run_change(
            lambda: self.tickets.assign(login, key, version, None), self.tr("Unassigned.")
        )

    @Slot()
    def _on_set_status_button_clicked(self) -> None:
        login, key, version = self.user.login, self.ticket.key, self.ticket.version
        status = TicketStatus(self.status_combo.currentData())
        done = self.tr("Status set to {status}.").format(status=status_label(status).lower())
        self._run_change(lambda: self.tickets.change_status(login, key, version, status), done)

    @Slot()
    def _on_resolve_button_clicked(self) -> None:
        note = self.resolution_edit.toPlainText().strip()
        if not note:
            self._show_problem(
                "resolution", self.tr("Write how it was resolved: the note is required.")
            )
            return
        login, key, version = self.user.login, self.ticket.key, self.ticket.version
        self._run_change(
            lambda: self.tickets.resolve(login, key, version, note),
            self.tr("Resolved."),
            then=self.resolution_edit.clear,
        )

    @Slot()
    def _on_reopen_button_clicked(self) -> None:
        note = self.reopen_note_edit.text().strip() or None
        login, key, version = self.user.login, self.ticket.key, self.ticket.version
        self._run_change(
            lambda: self.tickets.reopen(login, key, version, note),
            self.tr("Reopened."),
            then=self.reopen_note_edit.clear,
        )

    @Slot()
    def _on_close_ticket_button_clicked(self) -> None:
        login, key, version = self.user.login, self.ticket.key, self.ticket.version
        self._run_change(lambda: self.tickets.close(login, key, version), self.tr("Closed."))

    @Slot()
    def _on_comment_button_clicked(self) -> None:
        body = self.comment_edit.toPlainText().strip()
        if not body:
            self._show_problem("comment", self.tr("Write the comment first."))
            return
        login, key = self.user.login, self.ticket.key
        self._run_change(
            lambda: self.tickets.comment(login, key, body),
            self.tr("Comment added."),
            then=self.comment_edit.clear,
        )


_FIELD_NAMES = tuple(f.name for f in fields(FormValues))


def _level_combo() -> QComboBox:
    combo = QComboBox()
    for level in LEVELS:
        combo.addItem(level_label(level), level.value)
    return combo


def _boxed(layout: QHBoxLayout) -> QWidget:
    layout.setContentsMargins(0, 0, 0, 0)
    box = QWidget()
    box.setLayout(layout)
    return box


__all__ = ["TicketDialog"]
