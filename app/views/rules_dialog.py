"""The supervisors' rules dialog: the desk's rule set as an ordered list (drag to reorder, a
checkbox to enable or disable), the selected rule's editor, and the preview / replay panel.

The dialog reads the rule set and the desk's facts (tiers, categories, people, calendars) once,
off the GUI thread, and then checks the draft on the GUI thread as it is edited (a short pause
after the last change; the check needs no database): every problem is shown next to its field,
the rules with problems are marked in the list, loops between rules are explained at the top,
and Save stays disabled while anything is wrong. Save replaces the whole rule set in one
transaction (``RuleService.save``); if another supervisor saved meanwhile, nothing is written
and their change is shown, with Reload to load it. Agents and managers see it all read-only
(the preview still works: it writes nothing).

Open it with ``RulesDialog(rule_service, runner, preview, replay, role, login, parent).open()``;
``saved`` carries the ``RuleSetView`` of each save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import shiboken6
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models import Role
from app.services.errors import InvalidInput
from app.services.rules.definition import RuleSpec, rule_to_json
from app.services.rules.loops import find_loops
from app.services.rules.service import RULE_EDITORS, RuleService, RuleSetConflict, RuleSetView
from app.services.rules.validation import DeskFacts, InvalidRuleSet, RuleProblem, parse_rule_set
from app.views.item_models.rule_list_model import DraftRule, RuleListModel, new_rule_json
from app.views.message_bar import MessageBar
from app.views.operations import OperationRunner, describe_error
from app.views.rule_editor.rule_editor import RuleEditor
from app.views.rule_preview_panel import Preview, Replay, RulePreviewPanel
from app.views.theme import Tone, set_tone
from app.views.unsaved_changes import ask_to_discard

#: How long editing pauses before the draft is checked again.
CHECK_DELAY_MS = 300


class RulesDialog(QDialog):
    """The rule set, its editor and its preview (see the module's docstring)."""

    #: A save went through; carries the new ``RuleSetView``.
    saved = Signal(object)
    #: The draft was checked; carries the list of ``RuleProblem``s (empty: all valid).
    checked = Signal(object)

    def __init__(
        self,
        rule_service: RuleService,
        runner: OperationRunner,
        preview: Preview,
        replay: Replay,
        user_role: Role,
        login: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Business rules"))
        self.service, self.runner, self.login = rule_service, runner, login
        self.may_edit = user_role in RULE_EDITORS
        #: Asked before closing throws unsaved changes away: True to discard them.
        self.confirm_discard: Callable[[], bool] = lambda: ask_to_discard(self)
        self.rule_set: RuleSetView | None = None
        self.desk: DeskFacts | None = None
        self.problems: list[RuleProblem] = []
        self.loop_problems: list[RuleProblem] = []
        self._showing_row = -1
        self._saving = False
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_DELAY_MS)
        self.model = RuleListModel(parent=self)
        self.model.set_read_only(not self.may_edit)
        self.list_view = QListView()
        self.list_view.setModel(self.model)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setDragDropMode(
            QAbstractItemView.DragDropMode.InternalMove
            if self.may_edit
            else QAbstractItemView.DragDropMode.NoDragDrop
        )
        self.list_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list_view.setMinimumWidth(240)
        self.add_button = QPushButton(self.tr("Add"))
        self.duplicate_button = QPushButton(self.tr("Duplicate"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.editor: RuleEditor | None = None
        self.editor_area = QScrollArea()
        self.editor_area.setWidgetResizable(True)
        self.editor_area.setWidget(QLabel(self.tr("Loading the rules…")))
        self.preview_panel = RulePreviewPanel(self.draft_specs, preview, replay, runner)
        self.message_bar = MessageBar()
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        set_tone(self.warning_label, Tone.WARNING)
        self.warning_label.hide()
        self.read_only_label = QLabel(
            self.tr(
                "Read only: supervisors and admins change the rules. The preview writes nothing."
            )
        )
        self.read_only_label.setStyleSheet("color: palette(placeholder-text);")
        self.status_label = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button: QPushButton = self.buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.reload_button: QPushButton = self.buttons.addButton(
            self.tr("Reload"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.reload_button.setToolTip(
            self.tr("Discard your changes and load the saved rules again")
        )
        self.save_button.setEnabled(False)
        self._build_layout()
        self._connect()
        self._show_role()
        self.load()

    def _build_layout(self) -> None:
        list_buttons = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            list_buttons.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("Rules, in the order they run (drag to reorder):")))
        left_layout.addWidget(self.list_view, 1)
        left_layout.addLayout(list_buttons)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        right.addWidget(self.editor_area)
        right.addWidget(self.preview_panel)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([560, 300])  # the editor larger until there are results to show
        body = QSplitter(Qt.Orientation.Horizontal)
        body.setChildrenCollapsible(False)
        body.addWidget(left)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        body.setSizes([280, 1100])
        footer = QHBoxLayout()
        footer.addWidget(self.status_label, 1)
        footer.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.read_only_label)
        layout.addWidget(body, 1)
        layout.addLayout(footer)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(1400, 900)

    def has_unsaved_changes(self) -> bool:
        """Whether the list holds anything but the rule set last loaded or saved."""
        if not self.may_edit or self.rule_set is None:
            return False
        saved = [(draft.id, draft.raw) for draft in self._drafts_of(self.rule_set)]
        return [(draft.id, draft.raw) for draft in self.model.rules()] != saved

    def reject(self) -> None:
        """Close, Esc or the window's close button: unsaved changes are only thrown away when
        the person says so."""
        if self.has_unsaved_changes() and not self.confirm_discard():
            return
        super().reject()

    def done(self, result: int) -> None:  # Qt override: every way of closing ends here
        self.preview_panel.cancel()  # a replay still running stops; its result is dropped
        super().done(result)

    def _connect(self) -> None:
        self.list_view.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.model.rule_toggled.connect(self._on_model_rule_toggled)
        self.model.rules_reordered.connect(self._on_model_rules_reordered)
        self.model.draft_changed.connect(self.preview_panel.mark_stale)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.duplicate_button.clicked.connect(self._on_duplicate_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.reload_button.clicked.connect(self._on_reload_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self.check_timer.timeout.connect(self.check_now)

    def _show_role(self) -> None:
        for widget in (self.add_button, self.duplicate_button, self.delete_button):
            widget.setVisible(self.may_edit)
        self.save_button.setVisible(self.may_edit)
        self.reload_button.setVisible(self.may_edit)
        self.read_only_label.setVisible(not self.may_edit)

    # ---------------------------------------------------------------------------- work
    def load(self) -> None:
        """Read the rule set and the desk's facts off the GUI thread."""
        self.save_button.setEnabled(False)
        service = self.service
        self.runner.run(lambda: (service.list(), service.desk_facts()), self._on_loaded,
                        self._on_failed)  # fmt: skip

    def current_row(self) -> int:
        index = self.list_view.currentIndex()
        return index.row() if index.isValid() else -1

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.list_view.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        else:
            self._show_rule(-1)

    def check_now(self) -> list[RuleProblem]:
        """Check the whole draft now; show each problem at its field, loops at the top, and
        allow Save only when there is none."""
        self.check_timer.stop()
        if self.desk is None:
            return []
        raws = [rule.raw for rule in self.model.rules()]
        specs, problems = parse_rule_set(raws, self.desk)
        self.loop_problems = [] if problems else find_loops(specs, self.desk)
        self.problems = problems + self.loop_problems
        by_row: list[list[str]] = [[] for _ in raws]
        for problem in self.problems:
            if 0 <= problem.index < len(by_row):
                by_row[problem.index].append(f"{problem.path}: {problem.message}")
        self.model.set_problems(by_row)
        self._show_current_problems()
        if self.loop_problems:
            self.message_bar.show_message(
                self.tr("The rules cannot be saved as they are:")
                + "\n"
                + "\n".join(problem.message for problem in self.loop_problems)
            )
        elif self.message_bar.property("loops"):
            self.message_bar.clear()
        self.message_bar.setProperty("loops", bool(self.loop_problems))
        self._update_save_button()
        self.checked.emit(list(self.problems))
        return list(self.problems)

    def draft_specs(self) -> list[RuleSpec]:
        """The draft as rules (for the preview), or ``InvalidInput`` when it has problems."""
        if self.desk is None:
            raise InvalidInput("rules", self.tr("the rules are still loading"))
        self.check_now()
        raws = [rule.raw for rule in self.model.rules()]
        specs, problems = parse_rule_set(raws, self.desk)
        if problems:
            count = len(problems)
            raise InvalidInput(
                "rules",
                (
                    self.tr(
                        "the draft has {count} problem; it is shown next to its field. Fix it to "
                        "preview the rules."
                    )
                    if count == 1
                    else self.tr(
                        "the draft has {count} problems; each is shown next to its field. Fix "
                        "them to preview the rules."
                    )
                ).format(count=count),
            )
        drafts = self.model.rules()
        pairs = zip(specs, drafts, strict=True)
        return [replace(spec, id=draft.id, version=draft.version) for spec, draft in pairs]

    def _set_saving(self, saving: bool) -> None:
        """While a save runs, nothing else may change the draft or start another save: the
        save's result replaces the list, and a second save would meet the first as a
        conflict."""
        self._saving = saving
        for widget in (self.list_view, self.editor_area, self.reload_button, self.add_button,
                       self.duplicate_button, self.delete_button):  # fmt: skip
            widget.setEnabled(not saving)
        self._update_save_button()

    def _update_save_button(self) -> None:
        count = len(self.problems)
        ready = self.may_edit and self.rule_set is not None and not count and not self._saving
        self.save_button.setEnabled(ready)
        self.save_button.setToolTip(
            ""
            if not count
            else (
                self.tr("{count} problem to fix first")
                if count == 1
                else self.tr("{count} problems to fix first")
            ).format(count=count)
        )
        if count:
            rules = len({problem.index for problem in self.problems})
            problems = (
                self.tr("{count} problem") if count == 1 else self.tr("{count} problems")
            ).format(count=count)
            in_rules = (self.tr("{rules} rule") if rules == 1 else self.tr("{rules} rules")).format(
                rules=rules
            )
            self.status_label.setText(
                self.tr("⚠ {problems} in {rules}: Save is disabled until they are fixed.").format(
                    problems=problems, rules=in_rules
                )
            )
        elif self.rule_set is not None:
            self.status_label.setText(
                (
                    self.tr("{count} rule, no problems.")
                    if self.model.rowCount() == 1
                    else self.tr("{count} rules, no problems.")
                ).format(count=self.model.rowCount())
            )

    def _show_rule(self, row: int) -> None:
        """Load the rule at ``row`` into the editor (-1: none)."""
        self._showing_row = row
        editor = self.editor
        if editor is None:
            return
        has_rule = 0 <= row < self.model.rowCount()
        editor.setEnabled(has_rule)
        self.duplicate_button.setEnabled(has_rule)
        self.delete_button.setEnabled(has_rule)
        if has_rule:
            editor.load(self.model.rule_at(row).raw)
            self._show_current_problems()

    def _show_current_problems(self) -> None:
        row = self.current_row()
        if self.editor is None or row < 0:
            return
        own = [(p.path, p.message) for p in self.problems if p.index == row]
        self.editor.show_problems(own)

    def _make_editor(self, desk: DeskFacts) -> None:
        editor = RuleEditor(desk)
        editor.set_read_only(not self.may_edit)
        editor.edited.connect(self._on_editor_edited)
        old = self.editor_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.editor_area.setWidget(editor)
        self.editor = editor

    def _unique_name(self, base: str) -> str:
        taken = {rule.name.casefold() for rule in self.model.rules()}
        if base.casefold() not in taken:
            return base
        number = 2
        while f"{base} {number}".casefold() in taken:
            number += 1
        return f"{base} {number}"

    def _drafts_of(self, view: RuleSetView) -> list[DraftRule]:
        return [DraftRule(rule_to_json(rule.spec), rule.id, rule.version) for rule in view.rules]

    # --------------------------------------------------------------------------- slots
    def _on_loaded(self, loaded: tuple[RuleSetView, DeskFacts]) -> None:
        if not shiboken6.isValid(self):
            return  # the dialog was closed (and deleted) while the work ran
        self.rule_set, self.desk = loaded
        self.message_bar.clear()
        self.message_bar.setProperty("loops", False)
        self._make_editor(self.desk)
        self.model.set_rules(self._drafts_of(self.rule_set))
        self._show_warning(self.rule_set)
        self.select_row(0)
        self.check_now()

    def _show_warning(self, view: RuleSetView) -> None:
        warning = view.warning
        self.warning_label.setText(f"⚠ {warning[:1].upper()}{warning[1:]}" if warning else "")
        self.warning_label.setVisible(bool(warning))

    def _on_failed(self, error: Exception) -> None:
        if not shiboken6.isValid(self):
            return  # the dialog was closed (and deleted) while the work ran
        if self._saving:
            self._set_saving(False)
        self.message_bar.setProperty("loops", False)
        if isinstance(error, RuleSetConflict):
            self.message_bar.show_message(
                self.tr(
                    "Not saved: {reason}\nPress Reload to load their version (your changes are "
                    "discarded), then make your changes again."
                ).format(reason=error)
            )
            self.reload_button.setFocus()
        elif isinstance(error, InvalidRuleSet):
            self.message_bar.show_message(
                self.tr(
                    "Not saved: the rules no longer pass the check (the desk changed meanwhile?):"
                )
                + "\n"
                + "\n".join(str(problem) for problem in error.problems)
            )
        else:
            self.message_bar.show_message(describe_error(error))
        self._update_save_button()

    def _on_saved(self, view: RuleSetView) -> None:
        if not shiboken6.isValid(self):
            return  # the dialog was closed (and deleted) while the work ran
        self._set_saving(False)
        self.rule_set = view
        row = self.current_row()
        self.model.set_rules(self._drafts_of(view))
        self._show_warning(view)
        self.select_row(min(max(row, 0), self.model.rowCount() - 1))
        self.check_now()
        self.status_label.setText(
            (
                self.tr("Saved: rule set version {version}, {count} rule.")
                if len(view.rules) == 1
                else self.tr("Saved: rule set version {version}, {count} rules.")
            ).format(version=view.version, count=len(view.rules))
        )
        self.saved.emit(view)

    @Slot(QModelIndex, QModelIndex)
    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_rule(current.row() if current.isValid() else -1)

    @Slot()
    def _on_editor_edited(self) -> None:
        row = self.current_row()
        if self.editor is None or row < 0 or not self.may_edit:
            return
        self.model.replace_raw(row, self.editor.to_json())
        self.save_button.setEnabled(False)  # until the check says the draft is whole
        self.check_timer.start()

    @Slot(int)
    def _on_model_rule_toggled(self, row: int) -> None:
        if row == self.current_row() and self.editor is not None:
            self.editor.enabled_check.blockSignals(True)
            self.editor.enabled_check.setChecked(self.model.rule_at(row).enabled)
            self.editor.enabled_check.blockSignals(False)
        self.check_timer.start()

    @Slot(int)
    def _on_model_rules_reordered(self, first: int) -> None:
        self.select_row(first)
        self.check_now()  # problems name rules by position

    @Slot()
    def _on_add_button_clicked(self) -> None:
        row = self.model.insert_rule(
            self.current_row() + 1, DraftRule(new_rule_json(self._unique_name(self.tr("New rule"))))
        )
        self.select_row(row)
        self.check_now()
        if self.editor is not None:
            self.editor.name_edit.setFocus()
            self.editor.name_edit.selectAll()

    @Slot()
    def _on_duplicate_button_clicked(self) -> None:
        row = self.current_row()
        if row < 0:
            return
        name = self._unique_name(
            self.tr("Copy of {name}").format(name=self.model.rule_at(row).name)
        )
        self.select_row(self.model.duplicate_rule(row, name))
        self.check_now()

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        row = self.current_row()
        if row < 0:
            return
        self.model.delete_rule(row)
        self.select_row(min(row, self.model.rowCount() - 1))
        self.check_now()

    @Slot()
    def _on_save_button_clicked(self) -> None:
        if self.rule_set is None or not self.may_edit:
            return
        if self.check_now():
            return  # refused: the problems are shown at their fields
        specs = self.draft_specs()
        service, login, version = self.service, self.login, self.rule_set.version
        self._set_saving(True)
        self.runner.run(lambda: service.save(login, version, specs), self._on_saved,
                        self._on_failed)  # fmt: skip

    @Slot()
    def _on_reload_button_clicked(self) -> None:
        self.load()


__all__ = ["RulesDialog"]
