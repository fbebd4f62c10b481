"""What a draft rule set would do, before it goes live: "Preview now" lists the open tickets it
would act on and what it would do to each; "Replay" runs the last N days of history under the
draft (off the GUI thread, with a progress bar and Cancel) and shows the moves it would have
added or removed and how the distribution by tier and SLA compliance would have differed.

The panel knows nothing of how previews are made: it takes two callables,
``preview(rules) -> PreviewResult`` and ``replay(rules, days, progress, cancelled) ->
ReplayResult``, where ``progress(done, total)`` may be called from the worker thread and
``cancelled()`` answers True once Cancel was pressed (the replay then returns a result with
``cancelled=True``, or raises). ``draft`` gives the rules to try, or raises ``InvalidInput``
saying why there are none. Results are shown as report tables (with their charts).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.preview_results import PreviewResult, ReplayedMove, ReplayResult
from app.services.report_tables import Column, ColumnKind, ReportTable
from app.services.rules.definition import RuleSpec
from app.views.operations import OperationRunner, describe_error
from app.views.reports_view import ReportTab

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Preview = Callable[[list[RuleSpec]], PreviewResult]
Replay = Callable[[list[RuleSpec], int, Progress, Cancelled], ReplayResult]
DraftRules = Callable[[], list[RuleSpec]]

DEFAULT_DAYS = 30
_TEXT = ColumnKind.TEXT


# A count and its noun in the form the count takes ("1 action", "2 actions"), as one text for
# each form so that translators see whole phrases; sentences that count more than one thing
# are put together from these.
def actions_text(count: int) -> str:
    return (
        QCoreApplication.translate("RulePreviewPanel", "{count} action")
        if count == 1
        else QCoreApplication.translate("RulePreviewPanel", "{count} actions")
    ).format(count=count)


def open_tickets_text(count: int) -> str:
    return (
        QCoreApplication.translate("RulePreviewPanel", "{count} open ticket")
        if count == 1
        else QCoreApplication.translate("RulePreviewPanel", "{count} open tickets")
    ).format(count=count)


def moves_text(count: int) -> str:
    return (
        QCoreApplication.translate("RulePreviewPanel", "{count} move")
        if count == 1
        else QCoreApplication.translate("RulePreviewPanel", "{count} moves")
    ).format(count=count)


def preview_table(result: PreviewResult) -> ReportTable:
    """The planned actions as a table: one row per ticket and action."""
    return ReportTable(
        key="preview",
        title=QCoreApplication.translate("RulePreviewPanel", "What the draft would do now"),
        description=QCoreApplication.translate(
            "RulePreviewPanel", "{actions} on the {tickets} examined at {at:%Y-%m-%d %H:%M}."
        ).format(
            actions=actions_text(len(result.actions)),
            tickets=open_tickets_text(result.tickets_examined),
            at=result.at,
        ),
        columns=(
            Column("key", QCoreApplication.translate("RulePreviewPanel", "Ticket"), _TEXT),
            Column("title", QCoreApplication.translate("RulePreviewPanel", "Title"), _TEXT),
            Column("tier", QCoreApplication.translate("RulePreviewPanel", "Tier now"), _TEXT),
            Column("cause", QCoreApplication.translate("RulePreviewPanel", "Rule"), _TEXT),
            Column("action", QCoreApplication.translate("RulePreviewPanel", "Would"), _TEXT),
        ),
        rows=tuple((a.key, a.title, a.tier, a.cause, a.action) for a in result.actions),
    )


def moves_table(key: str, title: str, moves: tuple[ReplayedMove, ...], what: str) -> ReportTable:
    return ReportTable(
        key=key,
        title=title,
        description=QCoreApplication.translate("RulePreviewPanel", "{moves} {what}.").format(
            moves=moves_text(len(moves)), what=what
        ),
        columns=(
            Column("at", QCoreApplication.translate("RulePreviewPanel", "When"), ColumnKind.DATE),
            Column("key", QCoreApplication.translate("RulePreviewPanel", "Ticket"), _TEXT),
            Column("from", QCoreApplication.translate("RulePreviewPanel", "From"), _TEXT),
            Column("to", QCoreApplication.translate("RulePreviewPanel", "To"), _TEXT),
            Column("cause", QCoreApplication.translate("RulePreviewPanel", "Cause"), _TEXT),
        ),
        rows=tuple((m.at, m.key, m.from_tier, m.to_tier, m.cause) for m in moves),
    )


class _ProgressRelay(QObject):
    """Carries the replay's progress from the worker thread to the GUI thread (queued)."""

    progressed = Signal(int, int)


class RulePreviewPanel(QWidget):
    """The preview and replay of the draft rules (see the module's docstring)."""

    #: A preview was shown; carries the ``PreviewResult``.
    preview_shown = Signal(object)
    #: A replay finished (or was cancelled) and was shown; carries the ``ReplayResult``.
    replay_finished = Signal(object)

    def __init__(
        self,
        draft: DraftRules,
        preview: Preview,
        replay: Replay,
        runner: OperationRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.draft, self._preview, self._replay, self.runner = draft, preview, replay, runner
        self._cancel = threading.Event()
        self._relay = _ProgressRelay(self)
        self.preview_button = QPushButton(self.tr("Preview now"))
        self.preview_button.setToolTip(
            self.tr("Which open tickets the draft would act on, and how")
        )
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 365)
        self.days_spin.setValue(DEFAULT_DAYS)
        self.days_spin.setSuffix(self.tr(" days"))
        self.replay_button = QPushButton(self.tr("Replay last"))
        self.replay_button.setToolTip(
            self.tr("Run the history of these days under the draft; nothing is written")
        )
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.hide()
        self.status_label = QLabel(self.tr("Try the draft before saving it: nothing is written."))
        self.status_label.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.hide()
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.preview_button)
        bar.addSpacing(16)
        bar.addWidget(self.replay_button)
        bar.addWidget(self.days_spin)
        bar.addWidget(self.progress_bar, 1)
        bar.addWidget(self.cancel_button)
        bar.addStretch(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)
        self.filler = QWidget()  # keeps the status under the buttons until tables are shown
        layout.addWidget(self.filler, 1)
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.replay_button.clicked.connect(self._on_replay_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self._relay.progressed.connect(self._on_relay_progressed)

    @property
    def busy(self) -> bool:
        return not self.cancel_button.isHidden() or not self.preview_button.isEnabled()

    def mark_stale(self) -> None:
        """The draft changed: say that the results shown are of an earlier draft."""
        if self.tabs.isHidden() or self.busy or self.status_label.property("stale"):
            return
        self.status_label.setProperty("stale", True)
        self.status_label.setText(
            f"{self.status_label.text()}\n"
            + self.tr(
                "⚠ The draft changed since: run it again to see the effect of your latest changes."
            )
        )

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    # --------------------------------------------------------------------------- work
    def _rules(self) -> list[RuleSpec] | None:
        try:
            return self.draft()
        except Exception as error:  # InvalidInput: the draft has problems
            self.status_label.setText(describe_error(error))
            return None

    @Slot()
    def _on_preview_button_clicked(self) -> None:
        rules = self._rules()
        if rules is None:
            return
        preview = self._preview
        self._set_running(True, replaying=False)
        self.status_label.setText(self.tr("Looking at the open tickets…"))
        self.runner.run(lambda: preview(rules), self._on_previewed, self._on_failed)

    def _on_previewed(self, result: PreviewResult) -> None:
        if not shiboken6.isValid(self):
            return  # the dialog was closed and deleted while the work ran
        self._set_running(False, replaying=False)
        self.status_label.setText(
            self.tr("Now, the draft would take {actions} on {tickets} of {examined}.").format(
                actions=actions_text(len(result.actions)),
                tickets=len({a.key for a in result.actions}),
                examined=open_tickets_text(result.tickets_examined),
            )
        )
        self._show_tables([(self.tr("Would act on"), preview_table(result))])
        self.preview_shown.emit(result)

    @Slot()
    def _on_replay_button_clicked(self) -> None:
        rules = self._rules()
        if rules is None:
            return
        days, replay, relay, cancel = (
            self.days_spin.value(),
            self._replay,
            self._relay,
            self._cancel,
        )
        cancel.clear()
        self._set_running(True, replaying=True)
        self.progress_bar.setRange(0, 0)  # busy until the first report
        self.status_label.setText(
            self.tr("Replaying the last {days} days under the draft…").format(days=days)
        )
        self.runner.run(
            lambda: replay(rules, days, relay.progressed.emit, cancel.is_set),
            self._on_replayed,
            self._on_failed,
        )

    def _on_replayed(self, result: ReplayResult) -> None:
        if not shiboken6.isValid(self):
            return  # the dialog was closed and deleted while the work ran
        self._set_running(False, replaying=True)
        if result.cancelled:
            self.status_label.setText(self.tr("Replay cancelled; nothing to show."))
            self.replay_finished.emit(result)
            return
        self.status_label.setText(
            self.tr(
                "Replayed {events} of {tickets} from {start:%Y-%m-%d} to {end:%Y-%m-%d}: "
                "{added} added, {removed} removed."
            ).format(
                events=(
                    self.tr("{count:,} event")
                    if result.events_replayed == 1
                    else self.tr("{count:,} events")
                ).format(count=result.events_replayed),
                tickets=(
                    self.tr("{count:,} ticket")
                    if result.tickets_replayed == 1
                    else self.tr("{count:,} tickets")
                ).format(count=result.tickets_replayed),
                start=result.start,
                end=result.end,
                added=moves_text(len(result.added)),
                removed=len(result.removed),
            )
        )
        self._show_tables(
            [
                (self.tr("Added ({count})").format(count=len(result.added)), moves_table(
                    "added", self.tr("Moves the draft would add"), result.added,
                    self.tr("the draft would have made that did not happen"),
                )),
                (self.tr("Removed ({count})").format(count=len(result.removed)), moves_table(
                    "removed", self.tr("Moves the draft would remove"), result.removed,
                    self.tr("happened that the draft would not have made"),
                )),
                (self.tr("Distribution"), result.distribution),
                (self.tr("Compliance"), result.compliance),
            ]
        )  # fmt: skip
        self.replay_finished.emit(result)

    def _on_failed(self, error: Exception) -> None:
        if not shiboken6.isValid(self):
            return  # the dialog was closed and deleted while the work ran
        replaying = not self.cancel_button.isHidden()
        self._set_running(False, replaying=replaying)
        if replaying and self._cancel.is_set():
            self.status_label.setText(self.tr("Replay cancelled; nothing to show."))
            return
        self.status_label.setText(describe_error(error))

    def cancel(self) -> None:
        """Ask a running replay to stop (it stops at its next check)."""
        self._cancel.set()

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        self.cancel()
        self.cancel_button.setEnabled(False)
        self.status_label.setText(self.tr("Cancelling…"))

    @Slot(int, int)
    def _on_relay_progressed(self, done: int, total: int) -> None:
        if self.cancel_button.isHidden():
            return
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(min(1000, done * 1000 // max(total, 1)))

    # ------------------------------------------------------------------------ showing
    def _set_running(self, running: bool, replaying: bool) -> None:
        self.preview_button.setEnabled(not running)
        self.replay_button.setEnabled(not running)
        self.days_spin.setEnabled(not running)
        self.progress_bar.setVisible(running and replaying)
        self.cancel_button.setVisible(running and replaying)
        self.cancel_button.setEnabled(True)
        self.status_label.setProperty("stale", False)
        if not running:
            self.progress_bar.setRange(0, 1000)

    def _show_tables(self, tables: list[tuple[str, ReportTable]]) -> None:
        self.status_label.setProperty("stale", False)
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if page is not None:
                page.deleteLater()
        for title, table in tables:
            self.tabs.addTab(ReportTab(table), title)
        self.tabs.show()
        self.filler.hide()
