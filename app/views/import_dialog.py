"""The history import dialog: choose an event log and its mapping, import with a progress bar and
a cancel button, then read the result and the rejected rows.

The import runs through the window's ``OperationRunner`` (never on the GUI thread). Progress
crosses back as a queued signal; cancelling sets a flag the importer checks between chunks, and a
cancelled import writes nothing (it is one transaction). Open it with ``open()``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.services.history_import import (
    HistoryImporter,
    ImportCancelled,
    ImportProgress,
    ImportReport,
)
from app.services.history_import.importer import describe_import
from app.views.item_models.bad_rows_model import BadRowsModel
from app.views.operations import OperationRunner, describe_error


class _ProgressRelay(QObject):
    """Carries the importer's progress from the worker thread to the GUI thread (queued)."""

    progressed = Signal(str, int, int)


class HistoryImportDialog(QDialog):
    """Imports a ticket history file through a mapping (``import-history`` with a window)."""

    #: An import wrote tickets; carries its report (the window may reload its views).
    imported = Signal(object)
    #: The running import reached (phase, done, total), on the GUI thread.
    import_progressed = Signal(str, int, int)

    def __init__(
        self,
        importer: HistoryImporter,
        runner: OperationRunner,
        parent: QWidget | None = None,
        file: str = "",
        mapping: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import ticket history"))
        self.importer = importer
        self.runner = runner
        self._cancel = threading.Event()
        self._running = False
        self._relay = _ProgressRelay(self)
        self.file_edit = QLineEdit(file)
        self.file_edit.setPlaceholderText(self.tr("CSV, CSV.GZ or XLSX event log"))
        self.file_button = QPushButton(self.tr("Browse…"))
        self.mapping_edit = QLineEdit(mapping)
        self.mapping_edit.setPlaceholderText(self.tr("mapping.json"))
        self.mapping_button = QPushButton(self.tr("Browse…"))
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.status_label = QLabel(self.tr("Choose a file and its mapping."))
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.bad_rows_model = BadRowsModel(parent=self)
        self.bad_rows_view = QTableView()
        self.bad_rows_view.setModel(self.bad_rows_model)
        self.bad_rows_view.verticalHeader().hide()
        self.bad_rows_view.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )
        self.bad_rows_view.setVisible(False)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self._lay_out()
        self._connect_signals()
        self._on_paths_changed()

    def _lay_out(self) -> None:
        form = QFormLayout()
        for label, edit, button in (
            (self.tr("History file:"), self.file_edit, self.file_button),
            (self.tr("Mapping:"), self.mapping_edit, self.mapping_button),
        ):
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(button)
            form.addRow(label, row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.bad_rows_view, 1)
        layout.addStretch(1)  # takes the table's room while there is no table
        layout.addWidget(self.buttons)
        self._layout = layout
        self.resize(640, 420)

    def _connect_signals(self) -> None:
        self.file_edit.textChanged.connect(self._on_paths_changed)
        self.mapping_edit.textChanged.connect(self._on_paths_changed)
        self.file_button.clicked.connect(self._on_file_button_clicked)
        self.mapping_button.clicked.connect(self._on_mapping_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        self._relay.progressed.connect(self._on_relay_progressed)

    # ------------------------------------------------------------------------------ running
    @property
    def running(self) -> bool:
        return self._running

    @Slot()
    def _on_import_button_clicked(self) -> None:
        if self._running or not self.import_button.isEnabled():
            return
        file, mapping = self.file_edit.text().strip(), self.mapping_edit.text().strip()
        self._cancel.clear()
        self._set_running(True)
        self.bad_rows_model.set_rows(())
        self._show_bad_rows(False)
        self.progress_bar.setRange(0, 0)  # busy until the first progress report
        self.status_label.setText(self._phase_text("reading"))
        relay, cancel, importer = self._relay, self._cancel, self.importer
        self.runner.run(
            lambda: importer.run(
                file,
                mapping,
                progress=lambda step: relay.progressed.emit(step.phase, step.done, step.total),
                cancelled=cancel.is_set,
            ),
            self._on_import_finished,
            self._on_import_failed,
        )

    def cancel_import(self) -> None:
        """Ask the running import to stop at its next chunk; it then writes nothing."""
        if self._running:
            self._cancel.set()
            self.close_button.setEnabled(False)
            self.status_label.setText(self.tr("Cancelling…"))

    @Slot(str, int, int)
    def _on_relay_progressed(self, phase: str, done: int, total: int) -> None:
        if not self._running or self._cancel.is_set():
            return
        step = ImportProgress(phase, done, total)
        scale = max(step.total, 1)
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(min(1000, step.done * 1000 // scale))
        self.status_label.setText(self._phase_text(step.phase))
        self.import_progressed.emit(phase, done, total)

    def _on_import_finished(self, report: ImportReport) -> None:
        if not isValid(self):  # closed while the import ran
            return
        self._set_running(False)
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(1000 if report.applied else 0)
        self.status_label.setText("\n".join(describe_import(report, bad_rows_shown=0)))
        self.bad_rows_model.set_rows(report.bad_rows)
        self._show_bad_rows(bool(report.bad_rows))
        if report.applied and report.tickets_created:
            self.imported.emit(report)

    def _on_import_failed(self, error: Exception) -> None:
        if not isValid(self):
            return
        self._set_running(False)
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        if isinstance(error, ImportCancelled):
            self.status_label.setText(self.tr("Cancelled: nothing was imported."))
        else:
            self.status_label.setText(describe_error(error))

    def _phase_text(self, phase: str) -> str:
        texts = {
            "reading": self.tr("Reading the file…"),
            "checking": self.tr("Checking every ticket…"),
            "writing": self.tr("Writing tickets and history…"),
            "clocks": self.tr("Starting the SLA clocks of open tickets…"),
        }
        return texts.get(phase, phase)

    def _show_bad_rows(self, visible: bool) -> None:
        self.bad_rows_view.setVisible(visible)
        self._layout.setStretch(self._layout.indexOf(self.bad_rows_view) + 1, 0 if visible else 1)

    def _set_running(self, running: bool) -> None:
        self._running = running
        for widget in (self.file_edit, self.mapping_edit, self.file_button, self.mapping_button):
            widget.setEnabled(not running)
        self.close_button.setEnabled(True)
        self.close_button.setText(self.tr("Cancel import") if running else self.tr("Close"))
        self._on_paths_changed()

    # ------------------------------------------------------------------------------ closing
    @Slot()
    def _on_close_button_clicked(self) -> None:
        if self._running:
            self.cancel_import()
        else:
            self.reject()

    def reject(self) -> None:
        """Escape or the window's close button: cancel a running import first."""
        if self._running:
            self.cancel_import()
            return
        super().reject()

    # ------------------------------------------------------------------------------ choosing
    @Slot()
    def _on_paths_changed(self) -> None:
        ready = bool(self.file_edit.text().strip() and self.mapping_edit.text().strip())
        self.import_button.setEnabled(ready and not self._running)

    @Slot()
    def _on_file_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Ticket history to import"),
            str(Path(self.file_edit.text()).parent) if self.file_edit.text() else "",
            self.tr("Event logs (*.csv *.gz *.xlsx);;All files (*)"),
        )
        if path:
            self.file_edit.setText(path)

    @Slot()
    def _on_mapping_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Mapping of the file's columns"),
            str(Path(self.mapping_edit.text()).parent) if self.mapping_edit.text() else "",
            self.tr("Mapping (*.json);;All files (*)"),
        )
        if path:
            self.mapping_edit.setText(path)
