"""The history import dialog: imports through the runner with progress, shows the result and the
rejected rows in a table, and a cancel leaves the desk as it was."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.services.history_import import BadRow, HistoryImporter
from app.views.import_dialog import HistoryImportDialog
from app.views.item_models.bad_rows_model import BadRowsModel
from app.views.operations import OperationRunner
from tests.factories import database_snapshot

LOG = """key,at,state,tier,owner,category
HIST-1,2026-01-05 09:00,open,L1,lena,Printer
HIST-1,2026-01-05 10:00,in_progress,L2,tom,Printer
HIST-2,2026-01-05 09:30,open,L1,?,Printer
HIST-2,2026-01-05 11:00,resolved,L1,omar,Printer
"""
MAPPING = {
    "format": {"date_format": "%Y-%m-%d %H:%M", "missing": ["?"]},
    "key": "key",
    "time": "at",
    "status": {"column": "state"},
    "category": {"column": "category"},
    "assignee": {"column": "owner"},
    "tier": "tier",
    "imported_by": "ada",
}


@pytest.fixture
def files(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(LOG, encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    return str(log), str(mapping)


@pytest.fixture
def dialog(qtbot, gui_desk, runner, files):
    view = HistoryImportDialog(HistoryImporter(gui_desk.database), runner, None, *files)
    qtbot.addWidget(view)
    return view


def test_bad_rows_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(BadRowsModel([BadRow(3, "INC1", "no date"), BadRow(9, "", "no key")]))
    qtmodeltester.check(BadRowsModel())


def test_import_needs_both_paths(dialog):
    assert dialog.import_button.isEnabled()
    dialog.mapping_edit.clear()
    assert not dialog.import_button.isEnabled()


def test_an_import_shows_progress_and_the_result(qtbot, dialog, gui_desk):
    phases: list[str] = []
    dialog.import_progressed.connect(lambda phase, done, total: phases.append(phase))
    with qtbot.waitSignal(dialog.imported) as imported:
        dialog.import_button.click()
    assert imported.args[0].tickets_created == 2
    assert {"reading", "checking", "writing"} <= set(phases)
    assert "imported 2 tickets" in dialog.status_label.text()
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum()
    assert not dialog.bad_rows_view.isVisibleTo(dialog)
    assert gui_desk.tickets.get("HIST-1").ticket.tier == "L2"


def test_rejected_rows_are_listed_and_nothing_is_written(dialog, gui_desk, files):
    with open(files[0], "a", encoding="utf-8") as log:
        log.write(
            "HIST-3,yesterday,open,L1,?,Printer\nHIST-3,2026-01-05 12:00,parked,L1,?,Printer\n"
        )
    before = database_snapshot(gui_desk.database)
    dialog.import_button.click()
    model = dialog.bad_rows_model
    assert model.rowCount() == 2
    assert [model.index(row, 0).data() for row in range(2)] == ["6", "7"]
    assert model.index(1, 1).data() == "HIST-3" and "'parked'" in model.index(1, 2).data()
    assert dialog.bad_rows_view.isVisibleTo(dialog)
    assert "nothing imported" in dialog.status_label.text()
    assert database_snapshot(gui_desk.database) == before


def test_cancel_during_the_import_writes_nothing(dialog, gui_desk):
    before = database_snapshot(gui_desk.database)

    def cancel_when_writing(phase: str, done: int, total: int) -> None:
        if phase == "writing":
            dialog.close_button.click()  # "Cancel import" while running

    dialog.import_progressed.connect(cancel_when_writing)
    dialog.import_button.click()
    assert not dialog.running
    assert "Cancelled" in dialog.status_label.text()
    assert database_snapshot(gui_desk.database) == before
    assert dialog.close_button.text() == "Close"


def test_an_invalid_mapping_is_shown_naming_the_key(dialog, files):
    with open(files[1], "w", encoding="utf-8") as mapping:
        json.dump({**MAPPING, "tier": {"column": "tier", "counts": {"x": "L1"}}}, mapping)
    dialog.import_button.click()
    assert "tier.counts.x" in dialog.status_label.text()
    assert not dialog.running and dialog.import_button.isEnabled()


def test_the_import_runs_off_the_gui_thread(qtbot, gui_desk, files):
    runner = OperationRunner()
    view = HistoryImportDialog(HistoryImporter(gui_desk.database), runner, None, *files)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.imported, timeout=30_000):
        view.import_button.click()
        assert view.running  # the click returned before the import finished
        assert view.buttons.button(QDialogButtonBox.StandardButton.Close).text() == (
            "Cancel import"
        )
    runner.wait_for_done()
    assert not view.running
