"""The supervisors' rules dialog: the ordered list (drag to reorder, enable / disable), the
editor that builds a rule and saves it, problems shown at their fields with nothing saved, a
concurrent save met with a conflict, read-only for agents and managers, and the preview /
replay panel calling its callables with the draft. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.models import Role
from app.services.preview_results import (
    PlannedAction,
    PreviewResult,
    ReplayedMove,
    ReplayResult,
)
from app.services.report_tables import (
    ChartKind,
    ChartSpec,
    Column,
    ColumnKind,
    ReportTable,
)
from app.services.rules.definition import RuleSpec
from app.services.rules.service import RuleService, rules_from_json
from app.views.item_models.rule_list_model import (
    MIME_TYPE,
    DraftRule,
    RuleListModel,
    new_rule_json,
)
from app.views.operations import OperationRunner, SynchronousOperationRunner
from app.views.rule_editor.condition_builder import ConditionRow
from app.views.rule_editor.widgets import ValueListEdit, problem_of, set_combo_value
from app.views.rules_dialog import RulesDialog
from tests.factories import T0, Desk, database_snapshot

ROLES = {"sara": Role.SUPERVISOR, "ada": Role.ADMIN, "lena": Role.AGENT, "max": Role.MANAGER}


def rule(name: str, actions: list[dict[str, Any]], **parts: Any) -> dict[str, Any]:
    return {
        "name": name,
        "trigger": parts.get("trigger", {"on": "created"}),
        "conditions": parts.get("conditions", []),
        "actions": actions,
        "stop": parts.get("stop", False),
    }


STANDARD_RULES = [
    rule("Laptops to L2", [{"do": "move", "to": "L2"}],
         trigger={"on": "updated", "fields": ["category"]},
         conditions=[{"field": "category", "op": "in", "value": ["Laptop"]}]),
    rule("P1 to supervisors", [{"do": "notify", "supervisors": True, "users": [], "tiers": []}],
         conditions=[{"field": "priority", "op": "in", "value": ["P1"]}]),
    rule("VPN comment", [{"do": "comment", "text": "See the VPN runbook"}],
         conditions=[{"any": [{"field": "title", "op": "regex", "value": "(?i)vpn"},
                              {"field": "description", "op": "contains", "value": "VPN"}]}]),
]  # fmt: skip


@pytest.fixture
def service(desk: Desk) -> RuleService:
    service = RuleService(desk.database, desk.clock)
    service.save("sara", service.list().version, rules_from_json(STANDARD_RULES))
    return service


class Calls:
    """Fake preview and replay callables that record the drafts they were given."""

    def __init__(self) -> None:
        self.previewed: list[list[RuleSpec]] = []
        self.replayed: list[tuple[list[RuleSpec], int]] = []

    def preview(self, rules: list[RuleSpec]) -> PreviewResult:
        self.previewed.append(rules)
        return PreviewResult(
            at=T0,
            tickets_examined=12,
            actions=(
                PlannedAction("T-1", "Laptop broken", "L1", rules[0].name, "move to L2"),
                PlannedAction("T-7", "Laptop slow", "L1", rules[0].name, "move to L2"),
            ),
        )

    def replay(self, rules: list[RuleSpec], days: int, progress, cancelled) -> ReplayResult:
        self.replayed.append((rules, days))
        for done in range(1, 5):
            progress(done, 4)
        return replay_result(cancelled())


def replay_result(cancelled: bool = False) -> ReplayResult:
    distribution = ReportTable(
        key="distribution",
        title="Open tickets per tier",
        description="Actual and replayed.",
        columns=(
            Column("tier", "Tier", ColumnKind.TEXT),
            Column("actual", "Actual", ColumnKind.COUNT),
            Column("replayed", "Replayed", ColumnKind.COUNT),
        ),
        rows=(("L1", 10, 7), ("L2", 4, 7)),
        chart=ChartSpec(ChartKind.BAR, "tier", ("actual", "replayed")),
    )
    compliance = ReportTable(
        key="compliance",
        title="Clocks met",
        description="Share met.",
        columns=(
            Column("tier", "Tier", ColumnKind.TEXT),
            Column("actual", "Actual", ColumnKind.SHARE),
            Column("replayed", "Replayed", ColumnKind.SHARE),
        ),
        rows=(("L1", 0.8, 0.9),),
    )
    move = ReplayedMove(T0, "T-3", "L1", "L2", "Laptops to L2")
    return ReplayResult(
        start=T0 - timedelta(days=30), end=T0, tickets_replayed=40, events_replayed=300,
        added=(move,), removed=(), distribution=distribution, compliance=compliance,
        cancelled=cancelled,
    )  # fmt: skip


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def open_dialog(qtbot, service: RuleService, calls: Calls):
    def open_as(login: str, runner: OperationRunner | None = None) -> RulesDialog:
        dialog = RulesDialog(
            service, runner or SynchronousOperationRunner(), calls.preview, calls.replay,
            ROLES[login], login,
        )  # fmt: skip
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return open_as


def stored(service: RuleService) -> list[tuple[str, bool]]:
    return [(rule.name, rule.enabled) for rule in service.list().rules]


def names(model: RuleListModel) -> list[str]:
    return [rule.name for rule in model.rules()]


# ------------------------------------------------------------------------------ the list
def test_the_list_model_passes_the_model_tester(qtmodeltester) -> None:
    model = RuleListModel([DraftRule(new_rule_json(f"Rule {n}")) for n in range(4)])
    qtmodeltester.check(model, force_py=True)  # it keeps watching the moves below
    model.move_rows([0], 3)
    assert names(model) == ["Rule 1", "Rule 2", "Rule 0", "Rule 3"]
    # QListView's own internal move goes through moveRows (rows 2-3 to the top)
    assert model.moveRows(QModelIndex(), 2, 2, QModelIndex(), 0)
    assert names(model) == ["Rule 0", "Rule 3", "Rule 1", "Rule 2"]
    assert not model.moveRows(QModelIndex(), 1, 1, QModelIndex(), 1)  # onto itself


def test_dragging_a_rule_reorders_the_list_and_the_save(open_dialog, service) -> None:
    dialog = open_dialog("sara")
    model = dialog.model
    assert names(model) == ["Laptops to L2", "P1 to supervisors", "VPN comment"]
    data = model.mimeData([model.index(0)])
    assert data.hasFormat(MIME_TYPE)
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert names(model) == ["P1 to supervisors", "VPN comment", "Laptops to L2"]
    # Qt's startDrag then calls removeRows on the source: it must not remove anything
    assert not model.removeRows(0, 1)
    assert model.rowCount() == 3
    assert dialog.editor.name_edit.text() == "Laptops to L2"  # the dragged rule stays selected
    # a drop onto a rule goes before it
    data = model.mimeData([model.index(2)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index(0))
    assert names(model) == ["Laptops to L2", "P1 to supervisors", "VPN comment"]
    model.dropMimeData(model.mimeData([model.index(2)]), Qt.DropAction.MoveAction, 0, 0,
                       QModelIndex())  # fmt: skip
    dialog.save_button.click()
    assert [name for name, _ in stored(service)] == [
        "VPN comment", "Laptops to L2", "P1 to supervisors",
    ]  # fmt: skip


def test_the_checkbox_disables_a_rule(open_dialog, service) -> None:
    dialog = open_dialog("sara")
    index = dialog.model.index(1)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert dialog.model.setData(index, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    dialog.select_row(1)
    assert not dialog.editor.enabled_check.isChecked()
    dialog.save_button.click()
    assert stored(service)[1] == ("P1 to supervisors", False)
    assert dialog.model.index(1).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked


# ---------------------------------------------------------------------------- the editor
def test_a_rule_built_in_the_editor_is_saved(open_dialog, service, qtbot) -> None:
    dialog = open_dialog("sara")
    dialog.add_button.click()
    editor = dialog.editor
    assert dialog.current_row() == 1  # added after the selected rule
    editor.name_edit.setText("Printers wait for the vendor")
    set_combo_value(editor.trigger.on_box, "updated")
    editor.trigger.fields_edit.set_values(["status", "category"])
    editor.conditions.add_condition_button.click()
    row = editor.conditions.items[0]
    assert isinstance(row, ConditionRow)
    row.value_editor.set_values(["Printer"])
    editor.conditions.add_group_button.click()
    group = editor.conditions.items[1]
    set_combo_value(group.mode_box, "none")
    inner = group.items[0]
    set_combo_value(inner.field_box, "assignee")
    set_combo_value(inner.op_box, "is_set")
    action = editor.action_list.rows[0]
    set_combo_value(action.kind_box, "assign")
    set_combo_value(action.slots["to"], "tom")
    editor.action_list.add_button.click()
    set_combo_value(editor.action_list.rows[1].kind_box, "set_status")
    set_combo_value(editor.action_list.rows[1].slots["to"], "waiting_on_vendor")
    editor.stop_check.setChecked(True)
    qtbot.waitUntil(dialog.save_button.isEnabled)  # the check runs after a pause in editing
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()

    saved = service.list().rules[1]
    assert saved.name == "Printers wait for the vendor"
    assert saved.spec.definition == rules_from_json([{
        "name": "x",
        "trigger": {"on": "updated", "fields": ["status", "category"]},
        "conditions": [
            {"field": "category", "op": "in", "value": ["Printer"]},
            {"not": {"field": "assignee", "op": "is_set"}},
        ],
        "actions": [{"do": "assign", "to": "tom"}, {"do": "set_status", "to": "waiting_on_vendor"}],
        "stop": True,
    }])[0].definition  # fmt: skip
    assert len(service.list().rules) == 4


def test_a_loaded_rule_round_trips_unchanged(open_dialog, service) -> None:
    """Opening and saving without an edit changes no rule (its version stays)."""
    dialog = open_dialog("sara")
    before = [(rule.id, rule.version) for rule in service.list().rules]
    for row in range(dialog.model.rowCount()):
        dialog.select_row(row)  # the editor writes nothing back unless edited
    dialog.save_button.click()
    assert [(rule.id, rule.version) for rule in service.list().rules] == before


def test_invalid_input_is_shown_at_the_field_and_nothing_is_saved(open_dialog, desk) -> None:
    dialog = open_dialog("sara")
    editor = dialog.editor
    snapshot = database_snapshot(desk.database)
    # rule 1: an unknown category
    editor.conditions.items[0].value_editor.set_values(["Laptop", "Lapptop"])
    dialog.check_now()
    value_editor = editor.conditions.items[0].value_editor
    assert "unknown category 'Lapptop'" in problem_of(value_editor)
    assert "Lapptop" in editor.conditions.items[0].errors.text()
    assert not editor.conditions.items[0].errors.isHidden()
    assert not dialog.save_button.isEnabled()
    # rule 2: no action at all
    dialog.select_row(1)
    dialog.editor.action_list.rows[0].remove_button.click()
    dialog.check_now()
    assert "at least one action" in dialog.editor.action_list.errors.text()
    # rule 3: a regular expression that does not compile
    dialog.select_row(2)
    row = dialog.editor.conditions.items[0].items[0]
    row.value_editor.setText("(unclosed")
    dialog.check_now()
    assert "invalid regular expression" in problem_of(row.value_editor)
    assert not row.errors.isHidden()
    # the list marks the three rules; Save refuses even when clicked
    marked = [dialog.model.index(r).data(Qt.ItemDataRole.DisplayRole) for r in range(3)]
    assert [text.startswith("⚠") for text in marked] == [True, True, True]
    assert "3 problems in 3 rules" in dialog.status_label.text()
    dialog._on_save_button_clicked()
    assert database_snapshot(desk.database) == snapshot
    # fixing them clears the marks
    row.value_editor.setText("(?i)vpn")
    dialog.check_now()
    assert problem_of(row.value_editor) == ""
    assert row.errors.isHidden()


def test_an_empty_name_and_a_duplicate_name_are_shown_at_the_name(open_dialog) -> None:
    dialog = open_dialog("sara")
    dialog.select_row(2)
    dialog.editor.name_edit.setText("Laptops to L2")
    dialog.check_now()
    assert "another rule" in problem_of(dialog.editor.name_edit)
    dialog.editor.name_edit.setText("  ")
    dialog.check_now()
    assert "non-empty" in dialog.editor.name_errors.text()
    assert not dialog.save_button.isEnabled()


def test_a_loop_between_rules_is_explained_at_the_top(open_dialog, service, desk) -> None:
    dialog = open_dialog("sara")
    snapshot = database_snapshot(desk.database)
    dialog.add_button.click()
    dialog.editor.name_edit.setText("Back to L1")
    trigger = dialog.editor.trigger
    set_combo_value(trigger.on_box, "time")
    set_combo_value(trigger.measure_box, "in_tier")
    trigger.amount_spin.setValue(4)
    set_combo_value(trigger.unit_box, "60")
    set_combo_value(dialog.editor.action_list.rows[0].slots["to"], "L1")
    dialog.editor.conditions.add_condition_button.click()
    dialog.editor.conditions.items[0].value_editor.set_values(["Laptop"])
    dialog.check_now()
    text = dialog.message_bar.text()
    assert "“Laptops to L2”" in text and "“Back to L1”" in text and "loop" in text
    assert not dialog.save_button.isEnabled()
    dialog._on_save_button_clicked()
    assert database_snapshot(desk.database) == snapshot
    # make the conditions exclusive: the loop and the message go
    dialog.editor.conditions.items[0].value_editor.set_values(["Printer"])
    dialog.check_now()
    assert dialog.message_bar.text() == ""
    assert dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert service.list().rules[1].definition.trigger.minutes == 240


def test_a_concurrent_save_shows_the_other_change_and_offers_reload(
    open_dialog, service, desk
) -> None:
    desk.desk.add_user("paul", "Paul Supervisor", Role.SUPERVISOR, ())
    dialog = open_dialog("sara")
    # another supervisor saves meanwhile, from another desktop
    other = RuleService(desk.database, desk.clock)
    specs = [rule.spec for rule in other.list().rules]
    other.save("paul", other.list().version, specs[:2])  # removes "VPN comment"
    dialog.editor.name_edit.setText("Laptops go to L2")
    dialog.check_now()
    snapshot = database_snapshot(desk.database)
    dialog.save_button.click()

    text = dialog.message_bar.text()
    assert "changed by paul" in text and "removed “VPN comment”" in text
    assert "Reload" in text and dialog.reload_button.isVisible()
    assert database_snapshot(desk.database) == snapshot
    dialog.reload_button.click()
    assert names(dialog.model) == ["Laptops to L2", "P1 to supervisors"]
    assert dialog.message_bar.text() == ""
    dialog.editor.name_edit.setText("Laptops go to L2")
    dialog.check_now()
    dialog.save_button.click()
    assert [name for name, _ in stored(service)] == ["Laptops go to L2", "P1 to supervisors"]


def test_deleting_every_rule_saves_an_empty_rule_set(open_dialog, service) -> None:
    dialog = open_dialog("sara")
    for _ in range(3):
        dialog.delete_button.click()
    assert dialog.model.rowCount() == 0
    assert not dialog.editor.isEnabled() and not dialog.delete_button.isEnabled()
    dialog.save_button.click()
    assert stored(service) == []


@pytest.mark.parametrize("login", ["lena", "max"])
def test_agents_and_managers_see_the_rules_read_only(open_dialog, login) -> None:
    dialog = open_dialog(login)
    assert dialog.read_only_label.isVisible()
    assert not dialog.save_button.isVisible() and not dialog.add_button.isVisible()
    assert dialog.model.rowCount() == 3
    flags = dialog.model.flags(dialog.model.index(0))
    assert not flags & Qt.ItemFlag.ItemIsUserCheckable
    assert not flags & Qt.ItemFlag.ItemIsDragEnabled
    assert not dialog.model.setData(
        dialog.model.index(0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
    )
    assert not dialog.model.dropMimeData(
        dialog.model.mimeData([dialog.model.index(0)]), Qt.DropAction.MoveAction, 3, 0,
        QModelIndex(),
    )  # fmt: skip
    editor = dialog.editor
    assert editor.name_edit.text() == "Laptops to L2"
    assert not editor.name_edit.isEnabled()
    assert not editor.conditions.items[0].value_editor.line_edit.isEnabled()
    assert not editor.conditions.items[0].value_editor.pick_button.isEnabled()  # its menu too
    assert not editor.action_list.add_button.isVisible()
    assert dialog.preview_panel.preview_button.isEnabled()  # previews write nothing


# ------------------------------------------------------------------ preview and replay
def test_preview_calls_the_callable_with_the_draft_and_lists_its_actions(
    open_dialog, calls
) -> None:
    dialog = open_dialog("sara")
    dialog.editor.name_edit.setText("Laptops to L2 (draft)")
    panel = dialog.preview_panel
    assert calls.previewed == []
    panel.preview_button.click()
    assert [spec.name for spec in calls.previewed[0]] == [
        "Laptops to L2 (draft)", "P1 to supervisors", "VPN comment",
    ]  # fmt: skip
    assert calls.previewed[0][0].id is not None  # the stored rule it is a draft of
    assert panel.tab_titles() == ["Would act on"]
    table = panel.tabs.widget(0).model
    assert table.rowCount() == 2
    assert table.index(0, 4).data() == "move to L2"
    assert "2 actions on 2 of 12 open tickets" in panel.status_label.text()


def test_preview_refuses_a_draft_with_problems(open_dialog, calls) -> None:
    dialog = open_dialog("sara")
    dialog.editor.action_list.rows[0].remove_button.click()
    dialog.preview_panel.preview_button.click()
    assert calls.previewed == []
    assert "1 problem" in dialog.preview_panel.status_label.text()


def test_replay_shows_the_moves_and_the_tables(open_dialog, calls) -> None:
    dialog = open_dialog("sara")
    panel = dialog.preview_panel
    assert panel.days_spin.value() == 30
    panel.days_spin.setValue(14)
    with_finished = []
    panel.replay_finished.connect(with_finished.append)
    panel.replay_button.click()
    assert [spec.name for spec in calls.replayed[0][0]] == names(dialog.model)
    assert calls.replayed[0][1] == 14
    assert len(with_finished) == 1
    assert panel.tab_titles() == ["Added (1)", "Removed (0)", "Distribution", "Compliance"]
    added = panel.tabs.widget(0).model
    assert added.index(0, 1).data() == "T-3" and added.index(0, 3).data() == "L2"
    assert panel.tabs.widget(2).chart is not None  # the distribution has its chart
    assert panel.tabs.widget(3).model.index(0, 2).data() == "90.0%"
    assert "1 move added, 0 removed" in panel.status_label.text()
    assert panel.progress_bar.isHidden() and panel.cancel_button.isHidden()
    dialog.editor.name_edit.setText("Renamed")
    assert "The draft changed since" in panel.status_label.text()


@pytest.mark.parametrize("change", ["switch off", "add", "duplicate", "delete", "reorder"])
def test_results_shown_are_marked_stale_by_any_change_to_the_rule_list(open_dialog, change) -> None:
    dialog = open_dialog("sara")
    panel = dialog.preview_panel
    panel.replay_button.click()
    dialog.select_row(2)  # looking at another rule changes nothing
    assert "The draft changed since" not in panel.status_label.text()
    {
        "switch off": lambda: dialog.model.setData(
            dialog.model.index(1), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
        ),
        "add": dialog.add_button.click,
        "duplicate": dialog.duplicate_button.click,
        "delete": dialog.delete_button.click,
        "reorder": lambda: dialog.model.move_rows([0], 3),
    }[change]()
    assert "The draft changed since" in panel.status_label.text()


def test_closing_asks_before_unsaved_changes_are_thrown_away(open_dialog, service, qtbot) -> None:
    dialog = open_dialog("sara")
    answers: list[bool] = []

    def answer(discard: bool) -> None:
        dialog.confirm_discard = lambda: answers.append(discard) or discard

    answer(False)
    for row in range(dialog.model.rowCount()):
        dialog.select_row(row)  # looking at the rules changes nothing
    dialog.select_row(0)
    dialog.editor.name_edit.setText("Laptops to L2 at once")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers == [False] and dialog.isVisible()
    assert dialog.editor.name_edit.text() == "Laptops to L2 at once"  # kept editing
    qtbot.waitUntil(dialog.save_button.isEnabled)  # once the draft is checked
    dialog.save_button.click()
    assert stored(service)[0] == ("Laptops to L2 at once", True)
    dialog.reject()  # saved: nothing to ask about
    assert answers == [False] and not dialog.isVisible()

    dialog = open_dialog("sara")
    answer(True)
    dialog.model.setData(
        dialog.model.index(1), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
    )
    dialog.reject()
    assert answers == [False, True] and not dialog.isVisible()
    assert stored(service)[1] == ("P1 to supervisors", True)  # discarded, not saved


def test_a_value_with_an_ampersand_is_shown_and_picked_as_itself(qtbot) -> None:
    edit = ValueListEdit(["Email & calendar", "Printing"])
    qtbot.addWidget(edit)
    email = edit.menu.actions()[0]
    assert email.iconText() == "Email & calendar"  # not "Email  calendar", nor a shortcut
    email.setChecked(True)
    assert edit.values() == ["Email & calendar"]
    edit.set_values(["Printing", "Email & calendar"])
    email.setChecked(False)
    assert edit.values() == ["Printing"]
    edit.set_values(["Email & calendar"])
    edit.menu.aboutToShow.emit()
    assert email.isChecked() and not edit.menu.actions()[1].isChecked()


def test_replay_runs_off_the_gui_thread_and_cancel_stops_it(open_dialog, calls, qtbot) -> None:
    gui_thread = threading.get_ident()
    seen: dict[str, Any] = {}

    def slow_replay(rules, days, progress, cancelled) -> ReplayResult:
        seen["thread"] = threading.get_ident()
        done = 0
        while not cancelled() and done < 10_000:
            done += 1
            progress(done, 10_000)
            time.sleep(0.002)
        seen["done"] = done
        return replay_result(cancelled=cancelled())

    runner = OperationRunner()
    dialog = open_dialog("sara", runner)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
    panel = dialog.preview_panel
    panel._replay = slow_replay
    panel.replay_button.click()
    assert panel.cancel_button.isVisible() and not panel.replay_button.isEnabled()
    qtbot.waitUntil(lambda: panel.progress_bar.value() > 0)
    with qtbot.waitSignal(panel.replay_finished, timeout=10_000) as finished:
        panel.cancel_button.click()
    assert finished.args[0].cancelled
    assert seen["thread"] != gui_thread and seen["done"] < 10_000
    assert "cancelled" in panel.status_label.text()
    assert panel.cancel_button.isHidden() and panel.replay_button.isEnabled()
    runner.wait_for_done()


def test_times_are_shown_as_when_they_happened() -> None:
    """The moves table keeps the minute of each move (not just the day)."""
    from app.views.rule_preview_panel import moves_table

    move = ReplayedMove(datetime(2026, 3, 2, 9, 41), "T-9", "L1", "L3", "Database to L3")
    table = moves_table("added", "Added", (move,), "added")
    from app.views.item_models.report_table_model import ReportTableModel

    assert ReportTableModel(table).index(0, 0).data() == "2026-03-02 09:41"
