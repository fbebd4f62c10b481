"""The supervisors' configuration dialog: tier ladder, categories, SLA policy and business
calendars as option pages (``app.views.config_pages``) over one ``ConfigurationService``.

It loads the configuration once (off the GUI thread) and keeps it as the snapshot the save is
compared with. Save asks every page for its part of the draft and its own problems, has the
service check the whole draft, and saves only when no page has a problem: each problem is shown
next to its field, the pages with problems are marked in the list and the first is shown. If
someone else saved meanwhile, the save is refused and their changes are shown with a Reload
button; nothing is written. People who may not change the configuration (agents, managers) see
it read-only.

Open it with ``ConfigurationDialog(service, login, runner, parent).open()``; ``saved`` carries
the ``SaveResult`` of a save. A save may finish after the dialog was closed (and deleted, its
signal with it): whoever must hear of every save passes ``on_saved``, which the runner calls
whether or not the dialog is still there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QSize, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.configuration import (
    ConfigurationConflict,
    ConfigurationInvalid,
    ConfigurationService,
    DeskConfiguration,
    Problem,
    SaveResult,
)
from app.views.config_pages import (
    CalendarsPage,
    CategoriesPage,
    ConfigPage,
    PolicyPage,
    TiersPage,
)
from app.views.message_bar import MessageBar
from app.views.operations import OperationRunner, describe_error
from app.views.unsaved_changes import ask_to_discard

#: The order pages put their part into the draft: what others refer to goes first.
SAVE_ORDER = ("tiers", "calendars", "categories", "policy")


class ConfigurationDialog(QDialog):
    """The desk's configuration, page by page (see the module's docstring)."""

    #: A save went through; carries its ``SaveResult``.
    saved = Signal(object)

    def __init__(
        self,
        service: ConfigurationService,
        login: str,
        runner: OperationRunner,
        parent: QWidget | None = None,
        on_saved: Callable[[SaveResult], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Desk configuration"))
        self.service, self.login, self.runner = service, login, runner
        #: Told of each save that goes through, even one that ends after the dialog closed.
        self.on_saved = on_saved
        self.snapshot: DeskConfiguration | None = None
        self.may_edit = False
        #: Asked before closing throws unsaved changes away: True to discard them.
        self.confirm_discard: Callable[[], bool] = lambda: ask_to_discard(self)
        self.pages: list[ConfigPage] = [
            TiersPage(),
            CategoriesPage(),
            PolicyPage(),
            CalendarsPage(),
        ]
        self.page_list = QListWidget()
        self.page_list.setMaximumWidth(190)
        self.stack = QStackedWidget()
        for page in self.pages:
            self.page_list.addItem(page.shown_title)
            self.stack.addWidget(page)
        self.message_bar = MessageBar()
        self.read_only_label = QLabel(
            self.tr("Read only: supervisors and admins change the desk's configuration.")
        )
        self.read_only_label.setStyleSheet("color: palette(placeholder-text);")
        self.read_only_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button: QPushButton = self.buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.reload_button: QPushButton = self.buttons.addButton(
            self.tr("Reload"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.reload_button.setToolTip(
            self.tr("Discard your changes and load the configuration again")
        )
        self.save_button.setEnabled(False)
        self._build_layout()
        self._connect()
        self.load()

    def _build_layout(self) -> None:
        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.read_only_label)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.page_list.setCurrentRow(0)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(1100, 760)

    def _connect(self) -> None:
        self.page_list.currentRowChanged.connect(self._on_page_list_current_row_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.reload_button.clicked.connect(self._on_reload_button_clicked)
        self.buttons.rejected.connect(self.reject)

    # ---------------------------------------------------------------------------- work
    def load(self) -> None:
        """Read the configuration (and whether this person may change it) off the GUI thread."""
        self.save_button.setEnabled(False)
        login, service = self.login, self.service
        self.runner.run(
            lambda: (service.load(), service.may_edit(login)), self._on_loaded, self._on_failed
        )

    def draft(self) -> DeskConfiguration:
        """The configuration as the pages say it now."""
        assert self.snapshot is not None
        draft = self.snapshot
        # the ladder and the calendars first: categories and the policy follow them
        for page in sorted(self.pages, key=lambda page: SAVE_ORDER.index(page.page)):
            page.sync(draft)
            draft = page.save(draft)
        return draft

    def has_unsaved_changes(self) -> bool:
        """Whether the pages hold anything but the configuration loaded: a changed value, or
        one typed that is not a value yet (which the draft cannot hold)."""
        if not self.may_edit or self.snapshot is None:
            return False
        return any(page.check() for page in self.pages) or self.draft() != self.snapshot

    def reject(self) -> None:
        """Close, Esc or the window's close button: unsaved changes are only thrown away when
        the person says so."""
        if self.has_unsaved_changes() and not self.confirm_discard():
            return
        super().reject()

    def show_page(self, page: ConfigPage) -> None:
        self.page_list.setCurrentRow(self.pages.index(page))

    def current_page(self) -> ConfigPage:
        return self.pages[self.stack.currentIndex()]

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Each problem at its field, on its page; the pages with problems marked in the list
        and the first of them shown."""
        first: ConfigPage | None = None
        for index, page in enumerate(self.pages):
            own = [problem for problem in problems if problem.page == page.page]
            page.show_problems(own)
            self.page_list.item(index).setText(f"⚠ {page.shown_title}" if own else page.shown_title)
            if own and first is None:
                first = page
        others = [p for p in problems if p.page not in {page.page for page in self.pages}]
        count = len(problems)
        text = (
            self.tr("{count} problem: nothing was saved. It is shown next to its field.")
            if count == 1
            else self.tr("{count} problems: nothing was saved. Each is shown next to its field.")
        ).format(count=count)
        if others:
            text += "\n" + "\n".join(str(problem) for problem in others)
        self.message_bar.show_message(text)
        if first is not None:
            self.show_page(first)

    def _clear_problems(self) -> None:
        self.message_bar.clear()
        for index, page in enumerate(self.pages):
            page.clear_problems()
            self.page_list.item(index).setText(page.shown_title)

    # --------------------------------------------------------------------------- slots
    def _on_loaded(self, loaded: tuple[DeskConfiguration, bool]) -> None:
        if not shiboken6.isValid(self):
            return  # the dialog was closed (and deleted) while the work ran
        self.snapshot, self.may_edit = loaded
        self._clear_problems()
        for page in self.pages:
            page.load(self.snapshot)
            page.set_read_only(not self.may_edit)
        self.read_only_label.setVisible(not self.may_edit)
        self.save_button.setVisible(self.may_edit)
        self.save_button.setEnabled(self.may_edit)
        self.reload_button.setVisible(self.may_edit)

    def _on_failed(self, error: Exception) -> None:
        if not shiboken6.isValid(self):
            return  # the dialog was closed (and deleted) while the work ran
        self._set_saving(False)
        self.save_button.setEnabled(self.may_edit and self.snapshot is not None)
        if isinstance(error, ConfigurationInvalid):
            self.show_problems(error.problems)
        elif isinstance(error, ConfigurationConflict):
            text = str(error)
            self.message_bar.show_message(
                f"{text[:1].upper()}{text[1:]}\n"
                + self.tr("Press Reload to load their version, then make your changes again.")
            )
        else:
            self.message_bar.show_message(describe_error(error))

    @Slot(int)
    def _on_page_list_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        if self.snapshot is not None:
            self.pages[row].sync(self.draft())
        self.stack.setCurrentIndex(row)

    @Slot()
    def _on_save_button_clicked(self) -> None:
        if self.snapshot is None or not self.may_edit:
            return
        self._clear_problems()
        own = [problem for page in self.pages for problem in page.check()]
        draft, snapshot, login, service = self.draft(), self.snapshot, self.login, self.service
        on_saved, dialog_saved = self.on_saved, self._on_saved
        self._set_saving(True)

        def saved(result: SaveResult) -> None:
            # Holds no more of the dialog than its handler, which checks that it still exists.
            if on_saved is not None:
                on_saved(result)
            dialog_saved(result)

        def checked(found: list[Problem]) -> None:
            if not shiboken6.isValid(self):
                return  # the dialog was closed (and deleted) while the work ran
            problems = own + _not_covered(found, own)
            if problems:
                self._set_saving(False)
                self.show_problems(problems)
                return
            self.runner.run(lambda: service.save(login, snapshot, draft), saved, self._on_failed)

        self.runner.run(lambda: service.check(draft), checked, self._on_failed)

    def _set_saving(self, saving: bool) -> None:
        """While the draft is checked and saved, it may not change under the save (nor be
        reloaded): what is saved is what the person saw."""
        for widget in (self.save_button, self.reload_button, self.stack, self.page_list):
            widget.setEnabled(not saving)

    def _on_saved(self, result: SaveResult) -> None:
        if not shiboken6.isValid(self):
            return  # the dialog was closed (and deleted) while the work ran
        self.snapshot = result.configuration
        self.saved.emit(result)
        self.accept()

    @Slot()
    def _on_reload_button_clicked(self) -> None:
        self.load()


def _not_covered(found: Sequence[Problem], own: Sequence[Problem]) -> list[Problem]:
    """The service's problems less those at (or inside) a field a page already reported."""
    fields = {problem.field for problem in own}
    return [
        problem
        for problem in found
        if not any(
            problem.field == f or problem.field.startswith((f + ".", f + "[")) for f in fields
        )
    ]


__all__ = ["ConfigurationDialog"]
