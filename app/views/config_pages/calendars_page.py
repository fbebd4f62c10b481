"""The business calendars page: for each calendar its name, IANA time zone, working hours per
weekday ("08:00-12:00, 13:00-18:00"; empty: closed) and holidays, which can be filled in from
the ``holidays`` package for a country (and region) and year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time
from zoneinfo import available_timezones

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.business_time import WEEKDAY_NAMES
from app.services.configuration import CalendarConfig, DeskConfiguration, Problem
from app.services.configuration.edits import public_holidays
from app.services.errors import InvalidInput
from app.views.config_pages.base import ConfigPage, FieldWithError, index_in

DATE_ROLE = Qt.ItemDataRole.UserRole


@dataclass
class _CalendarForm:
    """A calendar as the page holds it while it is edited: hours as typed."""

    id: int | None
    name: str
    time_zone: str
    hours: list[str]
    holidays: set[date] = field(default_factory=set)


def hours_text(windows: tuple[tuple[time, time], ...]) -> str:
    def hm(moment: time, end: bool) -> str:
        return "24:00" if end and moment == time(0) else moment.strftime("%H:%M")

    return ", ".join(f"{hm(start, False)}-{hm(end, True)}" for start, end in windows)


def parse_hours(text: str) -> tuple[tuple[time, time], ...]:
    """``"08:00-12:00, 13:00-18:00"`` as windows; raises ValueError saying what is wrong."""
    windows = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        start, dash, end = part.partition("-")
        if not dash:
            raise ValueError(
                QCoreApplication.translate(
                    "CalendarsPage", "{part} is not a window such as 08:00-18:00"
                ).format(part=repr(part))
            )
        windows.append((_time(start.strip()), _time(end.strip())))
    return tuple(windows)


def _time(text: str) -> time:
    if text == "24:00":
        return time(0)
    try:
        return time.fromisoformat(text) if len(text) == 5 else time.fromisoformat(f"0{text}")
    except ValueError:
        raise ValueError(
            QCoreApplication.translate("CalendarsPage", "{text} is not a time of day HH:MM").format(
                text=repr(text)
            )
        ) from None


#: The weekdays as the form and the holiday list name them, Monday first.
WEEKDAY_LABELS = (
    QT_TRANSLATE_NOOP("CalendarsPage", "Monday"),
    QT_TRANSLATE_NOOP("CalendarsPage", "Tuesday"),
    QT_TRANSLATE_NOOP("CalendarsPage", "Wednesday"),
    QT_TRANSLATE_NOOP("CalendarsPage", "Thursday"),
    QT_TRANSLATE_NOOP("CalendarsPage", "Friday"),
    QT_TRANSLATE_NOOP("CalendarsPage", "Saturday"),
    QT_TRANSLATE_NOOP("CalendarsPage", "Sunday"),
)


class CalendarsPage(ConfigPage):
    """Edits ``DeskConfiguration.calendars`` (see ``ConfigPage``)."""

    title = str(QT_TRANSLATE_NOOP("CalendarsPage", "Business calendars"))
    page = "calendars"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._forms: list[_CalendarForm] = []
        self._current = -1
        self._problems: list[Problem] = []
        self.calendar_list = QListWidget()
        self.calendar_list.setMaximumWidth(200)
        self.add_button = QPushButton(self.tr("Add calendar"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.name_edit = QLineEdit()
        self.zone_combo = QComboBox()
        self.zone_combo.setEditable(True)
        self.zone_combo.addItems(sorted(available_timezones()))
        self.hours_edits = [QLineEdit() for _ in WEEKDAY_NAMES]
        for edit in self.hours_edits:
            edit.setPlaceholderText(self.tr("closed  (e.g. 08:00-12:00, 13:00-18:00)"))
        self.holiday_list = QListWidget()
        self.holiday_list.setMinimumHeight(120)
        self.holiday_date = QDateEdit(QDate.currentDate())
        self.holiday_date.setCalendarPopup(True)
        self.holiday_date.setDisplayFormat("yyyy-MM-dd")
        self.add_holiday_button = QPushButton(self.tr("Add"))
        self.remove_holiday_button = QPushButton(self.tr("Remove selected"))
        self.country_edit = QLineEdit()
        self.country_edit.setPlaceholderText(self.tr("country, e.g. DE"))
        self.country_edit.setMaximumWidth(140)
        self.region_edit = QLineEdit()
        self.region_edit.setPlaceholderText(self.tr("region (optional)"))
        self.region_edit.setMaximumWidth(140)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(1950, 2150)
        self.year_spin.setValue(QDate.currentDate().year())
        self.import_button = QPushButton(self.tr("Import public holidays"))
        import_row = QWidget()
        import_layout = QHBoxLayout(import_row)
        import_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.country_edit, self.region_edit, self.year_spin, self.import_button):
            import_layout.addWidget(widget)
        import_layout.addStretch(1)
        self.import_field = FieldWithError(import_row)
        self.fields: dict[str, FieldWithError] = {
            "name": FieldWithError(self.name_edit),
            "time_zone": FieldWithError(self.zone_combo),
            **{
                f"hours.{day}": FieldWithError(edit)
                for day, edit in zip(WEEKDAY_NAMES, self.hours_edits, strict=True)
            },
        }
        self._build_layout()
        self._connect()

    def _build_layout(self) -> None:
        left = QVBoxLayout()
        left.addWidget(self.calendar_list, 1)
        left.addWidget(self.add_button)
        left.addWidget(self.remove_button)
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.fields["name"])
        form.addRow(self.tr("&Time zone:"), self.fields["time_zone"])
        for day, label in zip(WEEKDAY_NAMES, WEEKDAY_LABELS, strict=True):
            form.addRow(
                self.tr("{day}:").format(day=self.tr(str(label))), self.fields[f"hours.{day}"]
            )
        holidays = QGroupBox(self.tr("Holidays (no working time all day)"))
        holiday_layout = QVBoxLayout(holidays)
        self.holidays_field = FieldWithError(self.holiday_list)
        holiday_layout.addWidget(self.holidays_field)
        add_row = QHBoxLayout()
        add_row.addWidget(self.holiday_date)
        add_row.addWidget(self.add_holiday_button)
        add_row.addWidget(self.remove_holiday_button)
        add_row.addStretch(1)
        holiday_layout.addLayout(add_row)
        holiday_layout.addWidget(self.import_field)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(holidays, 1)
        right.addWidget(self.problems_label)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right, 1)

    def _connect(self) -> None:
        self.calendar_list.currentRowChanged.connect(self._on_calendar_list_current_row_changed)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.add_holiday_button.clicked.connect(self._on_add_holiday_button_clicked)
        self.remove_holiday_button.clicked.connect(self._on_remove_holiday_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.name_edit.textEdited.connect(self._on_name_edit_text_edited)

    # ------------------------------------------------------------------------------ page
    def load(self, config: DeskConfiguration) -> None:
        self._forms = [
            _CalendarForm(c.id, c.name, c.time_zone, [hours_text(w) for w in c.hours],
                          set(c.holidays))
            for c in config.calendars
        ]  # fmt: skip
        self._current = -1
        self._problems = []
        self._refill_list(0)
        self.clear_problems()

    def check(self) -> list[Problem]:
        self._commit()
        problems = []
        for index, form in enumerate(self._forms):
            for day, text in zip(WEEKDAY_NAMES, form.hours, strict=True):
                try:
                    parse_hours(text)
                except ValueError as error:
                    problems.append(
                        Problem("calendars", f"calendars[{index}].hours.{day}", str(error))
                    )
        return problems

    def save(self, draft: DeskConfiguration) -> DeskConfiguration:
        self._commit()
        calendars = []
        for form in self._forms:
            hours = []
            for text in form.hours:
                try:
                    hours.append(parse_hours(text))
                except ValueError:  # reported by check()
                    hours.append(())
            calendars.append(
                CalendarConfig(
                    form.id,
                    form.name.strip(),
                    form.time_zone.strip(),
                    tuple(hours),
                    tuple(sorted(form.holidays)),
                )  # fmt: skip
            )
        return replace(draft, calendars=tuple(calendars))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for widget in (
            self.name_edit, *self.hours_edits, self.add_button, self.remove_button,
            self.add_holiday_button, self.remove_holiday_button, self.import_button,
            self.country_edit, self.region_edit, self.year_spin, self.holiday_date,
        ):  # fmt: skip
            widget.setEnabled(not read_only)
        self.zone_combo.setEnabled(not read_only)

    def show_problems(self, problems: Sequence[Problem]) -> None:
        self._problems = list(problems)
        self._show_current_problems()
        self._mark_list()

    def clear_problems(self) -> None:
        super().clear_problems()
        for widget in (*self.fields.values(), self.holidays_field, self.import_field):
            widget.clear_error()

    # ------------------------------------------------------------------------- helpers
    def select(self, index: int) -> None:
        self.calendar_list.setCurrentRow(index)

    def current_form(self) -> _CalendarForm | None:
        return self._forms[self._current] if 0 <= self._current < len(self._forms) else None

    def _show_current_problems(self) -> None:
        self.clear_problems()
        unplaced = []
        for problem in self._problems:
            where = index_in(problem.field, "calendars")
            if where is None:
                unplaced.append(problem.message)
                continue
            index, name = where
            if index != self._current:
                continue
            if name in self.fields:
                self.fields[name].show_error(problem.message)
            elif name.startswith("holidays"):
                self.holidays_field.show_error(problem.message)
            else:
                unplaced.append(problem.message)
        self.problems_label.setText("\n".join(unplaced))
        self.problems_label.setVisible(bool(unplaced))

    def _mark_list(self) -> None:
        troubled = set()
        for problem in self._problems:
            where = index_in(problem.field, "calendars")
            if where is not None:
                troubled.add(where[0])
        for row in range(self.calendar_list.count()):
            item = self.calendar_list.item(row)
            name = self._forms[row].name or self.tr("(no name)")
            item.setText(f"⚠ {name}" if row in troubled else name)

    def _refill_list(self, select: int) -> None:
        self.calendar_list.blockSignals(True)
        self.calendar_list.clear()
        for form in self._forms:
            self.calendar_list.addItem(QListWidgetItem(form.name))
        self.calendar_list.blockSignals(False)
        self._current = -1
        if self._forms:
            self.calendar_list.setCurrentRow(min(select, len(self._forms) - 1))
        else:
            self._show_form(None)

    def _commit(self) -> None:
        form = self.current_form()
        if form is None:
            return
        form.name = self.name_edit.text()
        form.time_zone = self.zone_combo.currentText()
        form.hours = [edit.text() for edit in self.hours_edits]

    def _show_form(self, form: _CalendarForm | None) -> None:
        self.name_edit.setText(form.name if form else "")
        self.zone_combo.setEditText(form.time_zone if form else "")
        for index, edit in enumerate(self.hours_edits):
            edit.setText(form.hours[index] if form else "")
        self._show_holidays()

    def _show_holidays(self) -> None:
        self.holiday_list.clear()
        form = self.current_form()
        for day in sorted(form.holidays if form else ()):
            weekday = self.tr(str(WEEKDAY_LABELS[day.weekday()]))
            item = QListWidgetItem(f"{day.isoformat()}  {weekday}")
            item.setData(DATE_ROLE, day.isoformat())
            self.holiday_list.addItem(item)

    # --------------------------------------------------------------------------- slots
    @Slot(int)
    def _on_calendar_list_current_row_changed(self, row: int) -> None:
        self._commit()
        self._current = row
        self._show_form(self.current_form())
        self._show_current_problems()

    @Slot(str)
    def _on_name_edit_text_edited(self, text: str) -> None:
        item = self.calendar_list.item(self._current)
        if item is not None:
            item.setText(text)

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self._commit()
        zone = self.zone_combo.currentText() or "UTC"
        office = ["08:00-18:00"] * 5 + ["", ""]
        self._forms.append(_CalendarForm(None, self.tr("New calendar"), zone, office))
        self._refill_list(len(self._forms) - 1)
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        if self.current_form() is None:
            return
        del self._forms[self._current]
        self._refill_list(max(self._current - 1, 0))

    @Slot()
    def _on_add_holiday_button_clicked(self) -> None:
        form = self.current_form()
        if form is not None:
            form.holidays.add(self.holiday_date.date().toPython())  # type: ignore[arg-type]
            self._show_holidays()

    @Slot()
    def _on_remove_holiday_button_clicked(self) -> None:
        form = self.current_form()
        if form is None:
            return
        for item in self.holiday_list.selectedItems():
            form.holidays.discard(date.fromisoformat(str(item.data(DATE_ROLE))))
        self._show_holidays()

    @Slot()
    def _on_import_button_clicked(self) -> None:
        """Public holidays of the country (and region) and year, added to the calendar's."""
        form = self.current_form()
        if form is None:
            return
        self.import_field.clear_error()
        try:
            found = public_holidays(
                self.country_edit.text(), self.year_spin.value(), self.region_edit.text() or None
            )
        except InvalidInput as error:
            self.import_field.show_error(f"{error.field}: {error.message}")
            return
        form.holidays |= {day for day, _name in found}
        self._show_holidays()
