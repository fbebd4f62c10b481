"""The SLA policy page: the tier x priority grid of tier-clock targets, the tiers' response
targets, the customer SLA per priority (minutes of business time; an empty cell runs no
clock), the warning share, the calendar, and the statuses that stop the clocks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models import Priority
from app.services.configuration import (
    CalendarConfig,
    DeskConfiguration,
    PolicyConfig,
    Problem,
    TierConfig,
)
from app.services.configuration.snapshot import PAUSABLE_STATUSES
from app.views.config_pages.base import (
    ConfigPage,
    FieldWithError,
    clear_marks,
    mark_cell,
)
from app.views.config_pages.categories_page import tier_key

PRIORITIES = tuple(priority.value for priority in Priority)
CUSTOMER_ROWS = (
    ("first_response", QT_TRANSLATE_NOOP("PolicyPage", "First response")),
    ("resolution", QT_TRANSLATE_NOOP("PolicyPage", "Resolution")),
)
GRIDS = (
    (
        "tier_minutes",
        QT_TRANSLATE_NOOP("PolicyPage", "Tier clock: minutes at the tier before it escalates"),
    ),
    (
        "response_minutes",
        QT_TRANSLATE_NOOP(
            "PolicyPage", "Tier response: minutes until someone at the tier responds"
        ),
    ),
    ("customer_minutes", QT_TRANSLATE_NOOP("PolicyPage", "Customer SLA, from creation")),
)


class MinutesTable(QTableWidget):
    """One grid of targets: a row per tier (or customer clock), a column per priority."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(PRIORITIES), parent)
        self.setHorizontalHeaderLabels(PRIORITIES)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.rows: list[tuple[object, str]] = []  # (key, label) per row

    def fill(
        self, rows: Sequence[tuple[object, str]], values: Mapping[Any, Mapping[str, Any]]
    ) -> None:
        marked = self._marked_items()  # a problem shown stays shown when the rows follow
        self.rows = list(rows)
        self.setRowCount(len(rows))
        self.setVerticalHeaderLabels([label for _key, label in rows])
        for row, (key, _label) in enumerate(rows):
            for column, priority in enumerate(PRIORITIES):
                value = values.get(key, {}).get(priority)
                item = QTableWidgetItem("" if value is None else str(value))
                if (key, priority) in marked:
                    was = marked[(key, priority)]
                    item.setToolTip(was.toolTip())
                    item.setBackground(was.background())
                    item.setForeground(was.foreground())
                self.setItem(row, column, item)
        height = self.horizontalHeader().height() + sum(
            self.rowHeight(row) for row in range(len(rows))
        )
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)

    def _marked_items(self) -> dict[tuple[object, str], QTableWidgetItem]:
        """Copies of the cells that show a problem (``mark_cell``), by row key and priority."""
        marked: dict[tuple[object, str], QTableWidgetItem] = {}
        for row, (key, _label) in enumerate(self.rows):
            for column, priority in enumerate(PRIORITIES):
                item = self.item(row, column)
                if item is not None and item.toolTip():
                    marked[(key, priority)] = item.clone()
        return marked

    def texts(self) -> dict[object, dict[str, str]]:
        """The cells' texts by row key and priority (empty cells left out)."""
        found: dict[object, dict[str, str]] = {}
        for row, (key, _label) in enumerate(self.rows):
            for column, priority in enumerate(PRIORITIES):
                item = self.item(row, column)
                text = item.text().strip() if item is not None else ""
                if text:
                    found.setdefault(key, {})[priority] = text
        return found

    def row_of(self, label: str) -> int | None:
        for row, (_key, shown) in enumerate(self.rows):
            if shown.casefold() == label.casefold():
                return row
        return None


def _minutes(text: str) -> Any:
    # Text that is no whole number goes to the service as it is: it says what is wrong there.
    return int(text) if text.lstrip("-").isdigit() else text


class PolicyPage(ConfigPage):
    """Edits ``DeskConfiguration.policy`` (see ``ConfigPage``)."""

    title = str(QT_TRANSLATE_NOOP("PolicyPage", "SLA policy"))
    page = "policy"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loaded: PolicyConfig | None = None
        self._version = 0
        self.enabled_check = QCheckBox(self.tr("This desk runs an SLA policy"))
        self.name_edit = QLineEdit()
        self.calendar_combo = QComboBox()
        self.warning_spin = QSpinBox()
        self.warning_spin.setRange(1, 99)
        self.warning_spin.setSuffix(self.tr(" % of the target"))
        self.version_label = QLabel()
        self.fields = {
            "policy.name": FieldWithError(self.name_edit),
            "policy.calendar": FieldWithError(self.calendar_combo),
            "policy.warning_percent": FieldWithError(self.warning_spin),
        }
        self.tables = {name: MinutesTable() for name, _title in GRIDS}
        self.pause_checks: dict[str, dict[str, QCheckBox]] = {
            "pause_all": {s.value: QCheckBox(s.value.replace("_", " ")) for s in PAUSABLE_STATUSES},
            "pause_tier": {
                s.value: QCheckBox(s.value.replace("_", " ")) for s in PAUSABLE_STATUSES
            },
        }
        self.pause_fields = {
            "pause_all": FieldWithError(self._row_of(self.pause_checks["pause_all"])),
            "pause_tier": FieldWithError(self._row_of(self.pause_checks["pause_tier"])),
        }
        self._build_layout()
        self.enabled_check.toggled.connect(self._on_enabled_check_toggled)

    def _row_of(self, checks: Mapping[str, QCheckBox]) -> QWidget:
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        for check in checks.values():
            layout.addWidget(check)
        layout.addStretch(1)
        return box

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.fields["policy.name"])
        form.addRow(self.tr("&Calendar:"), self.fields["policy.calendar"])
        form.addRow(self.tr("&Warn at:"), self.fields["policy.warning_percent"])
        form.addRow(self.tr("Version:"), self.version_label)
        grids = QGroupBox(self.tr("Targets in business minutes (an empty cell runs no clock)"))
        grid_layout = QGridLayout(grids)
        for index, (name, title) in enumerate(GRIDS):
            grid_layout.addWidget(QLabel(self.tr(str(title))), 2 * index, 0)
            grid_layout.addWidget(self.tables[name], 2 * index + 1, 0)
        pauses = QGroupBox(self.tr("Clocks stand still while a ticket is"))
        pause_form = QFormLayout(pauses)
        pause_form.addRow(self.tr("every clock:"), self.pause_fields["pause_all"])
        pause_form.addRow(self.tr("tier clocks (internal tiers):"), self.pause_fields["pause_tier"])
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled_check)
        layout.addLayout(form)
        layout.addWidget(grids)
        layout.addWidget(pauses)
        layout.addWidget(self.problems_label)
        layout.addStretch(1)

    # ------------------------------------------------------------------------------ page
    def load(self, config: DeskConfiguration) -> None:
        policy = config.policy
        self._loaded = policy
        self.enabled_check.setChecked(policy is not None)
        shown = policy or PolicyConfig(
            name=self.tr("Standard"), calendar=config.calendars[0].name if config.calendars else ""
        )
        self._version = shown.version
        self.version_label.setText(
            self.tr(
                "{version} (saving a change makes version {next}; running clocks keep theirs)"
            ).format(version=shown.version, next=shown.version + 1)
            if policy
            else self.tr("none yet")
        )
        self.name_edit.setText(shown.name)
        chosen = next((c for c in config.calendars if c.name == shown.calendar), None)
        self._fill_calendars(
            config.calendars, chosen.id if chosen and chosen.id is not None else shown.calendar
        )
        self.warning_spin.setValue(min(max(int(shown.warning_percent), 1), 99))
        by_code = {tier.code: tier_key(tier) for tier in config.tiers}
        tiers = config.active_tiers
        for name in ("tier_minutes", "response_minutes"):
            values = {by_code.get(code, code): row for code, row in getattr(shown, name).items()}
            self.tables[name].fill(self._tier_rows(tiers), values)
        self.tables["customer_minutes"].fill(
            [(key, self.tr(str(label))) for key, label in CUSTOMER_ROWS],
            dict(shown.customer_minutes),
        )
        for field, statuses in (("pause_all", shown.pause_all), ("pause_tier", shown.pause_tier)):
            for value, check in self.pause_checks[field].items():
                check.setChecked(value in {str(status) for status in statuses})
        self._on_enabled_check_toggled(policy is not None)
        self.clear_problems()

    def _tier_rows(self, tiers: Sequence[TierConfig]) -> list[tuple[object, str]]:
        return [(tier_key(tier), tier.code) for tier in tiers]

    def _fill_calendars(self, calendars: Sequence[CalendarConfig], current: object) -> None:
        """Offer ``calendars`` (remembered by id, so that a renamed one stays chosen)."""
        self.calendar_combo.clear()
        for calendar in calendars:
            key = calendar.id if calendar.id is not None else calendar.name
            self.calendar_combo.addItem(calendar.name, key)
        index = self.calendar_combo.findData(current)
        if index < 0:
            index = self.calendar_combo.findText(str(current))
        if index < 0 and current:
            self.calendar_combo.addItem(str(current), current)
            index = self.calendar_combo.count() - 1
        self.calendar_combo.setCurrentIndex(max(index, 0))

    def sync(self, draft: DeskConfiguration) -> None:
        """Rows for the ladder's tiers now (values kept by tier), the calendars' names now."""
        for name in ("tier_minutes", "response_minutes"):
            table = self.tables[name]
            table.fill(self._tier_rows(draft.active_tiers), table.texts())
        self._fill_calendars(draft.calendars, self.calendar_combo.currentData())

    def save(self, draft: DeskConfiguration) -> DeskConfiguration:
        if not self.enabled_check.isChecked():
            return replace(draft, policy=None)
        codes = {tier_key(tier): tier.code for tier in draft.tiers}

        def grid(name: str) -> dict[str, dict[str, Any]]:
            return {
                codes.get(key, str(key)): {p: _minutes(text) for p, text in cells.items()}
                for key, cells in self.tables[name].texts().items()
            }

        policy = PolicyConfig(
            name=self.name_edit.text().strip(),
            calendar=self.calendar_combo.currentText(),
            warning_percent=self.warning_spin.value(),
            tier_minutes=grid("tier_minutes"),
            response_minutes=grid("response_minutes"),
            customer_minutes=grid("customer_minutes"),
            pause_all=self._statuses("pause_all"),
            pause_tier=self._statuses("pause_tier"),
            version=self._version,
        )
        return replace(draft, policy=policy)

    def _statuses(self, field: str) -> Any:
        chosen = [s for s in PAUSABLE_STATUSES if self.pause_checks[field][s.value].isChecked()]
        return tuple(chosen)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.enabled_check.setEnabled(not read_only)
        self._on_enabled_check_toggled(self.enabled_check.isChecked())

    def place_problem(self, problem: Problem) -> bool:
        if problem.field in self.fields:
            self.fields[problem.field].show_error(problem.message)
            return True
        for name in ("pause_all", "pause_tier"):
            if problem.field == f"policy.{name}":
                self.pause_fields[name].show_error(problem.message)
                return True
        for name, table in self.tables.items():
            prefix = f"policy.{name}."
            if problem.field.startswith(prefix):
                row_label, _, priority = problem.field[len(prefix) :].rpartition(".")
                row = table.row_of(row_label)
                if row is not None and priority in PRIORITIES:
                    mark_cell(table, row, PRIORITIES.index(priority), problem.message)
                return False
        return False

    def describe(self, problem: Problem) -> str:
        for name, title in GRIDS:
            prefix = f"policy.{name}."
            if problem.field.startswith(prefix):
                return self.tr("{grid}, {cell}: {message}").format(
                    grid=self.tr(str(title)).split(":")[0],
                    cell=problem.field[len(prefix) :],
                    message=problem.message,
                )
        return problem.message

    def clear_problems(self) -> None:
        super().clear_problems()
        for field in (*self.fields.values(), *self.pause_fields.values()):
            field.clear_error()
        for table in self.tables.values():
            clear_marks(table)

    # --------------------------------------------------------------------------- slots
    @Slot(bool)
    def _on_enabled_check_toggled(self, enabled: bool) -> None:
        editable = enabled and not self.read_only
        for widget in (self.name_edit, self.calendar_combo, self.warning_spin):
            widget.setEnabled(editable)
        for table in self.tables.values():
            table.setEnabled(enabled)
            table.setEditTriggers(
                QTableWidget.EditTrigger.AllEditTriggers
                if editable
                else QTableWidget.EditTrigger.NoEditTriggers
            )
        for checks in self.pause_checks.values():
            for check in checks.values():
                check.setEnabled(editable)
