"""The supervisors' configuration dialog: pages load the desk's set-up, a save goes through in
one piece, problems show next to their fields with nothing saved, a second supervisor's save
meets a conflict that shows the first one's change, and others see it read-only."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.services.configuration import ConfigurationService
from app.services.configuration.edits import change_tier
from app.services.sla_policy import SlaPolicyService
from app.views import unsaved_changes
from app.views.config_pages.calendars_page import CalendarsPage
from app.views.config_pages.categories_page import CategoriesPage
from app.views.config_pages.policy_page import PolicyPage
from app.views.config_pages.tiers_page import NAME, RETIRED, WIP, TiersPage
from app.views.configuration_dialog import ConfigurationDialog
from app.views.operations import SynchronousOperationRunner
from tests.factories import Desk, database_snapshot


@pytest.fixture
def service(gui_desk: Desk) -> ConfigurationService:
    SlaPolicyService(gui_desk.database, gui_desk.clock).install_default("Europe/Berlin")
    return ConfigurationService(gui_desk.database, gui_desk.clock)


@pytest.fixture
def open_dialog(qtbot, service: ConfigurationService, runner: SynchronousOperationRunner):
    def open_as(login: str) -> ConfigurationDialog:
        dialog = ConfigurationDialog(service, login, runner)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return open_as


def page_of(dialog: ConfigurationDialog, kind: type) -> object:
    return next(page for page in dialog.pages if isinstance(page, kind))


def set_cell(page: TiersPage, row: int, column: int, text: str) -> None:
    item = page.table.item(row, column)
    assert item is not None
    item.setText(text)


def test_pages_show_the_desk_set_up(open_dialog) -> None:
    dialog = open_dialog("sara")
    tiers = page_of(dialog, TiersPage)
    assert [tiers.table.item(row, 0).text() for row in range(tiers.table.rowCount())] == [
        "L1", "L2", "L3", "Vendor",
    ]  # fmt: skip
    categories = page_of(dialog, CategoriesPage)
    assert categories.table.rowCount() == 4
    policy = page_of(dialog, PolicyPage)
    assert policy.tables["tier_minutes"].item(0, 0).text() == "30"
    calendars = page_of(dialog, CalendarsPage)
    assert calendars.zone_combo.currentText() == "Europe/Berlin"
    assert calendars.hours_edits[0].text() == "08:00-18:00"
    assert dialog.save_button.isVisible() and dialog.read_only_label.isHidden()


def test_a_save_writes_every_page_in_one_go(open_dialog, service, qtbot) -> None:
    dialog = open_dialog("sara")
    tiers = page_of(dialog, TiersPage)
    set_cell(tiers, 1, NAME, "Desktop support")
    set_cell(tiers, 1, WIP, "12")
    dialog.show_page(page_of(dialog, PolicyPage))
    page_of(dialog, PolicyPage).tables["tier_minutes"].item(0, 0).setText("25")
    calendars = page_of(dialog, CalendarsPage)
    dialog.show_page(calendars)
    calendars.hours_edits[5].setText("09:00-13:00")
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert "renamed tier L2 to 'Desktop support'" in saved.args[0].changes
    config = service.load()
    assert (config.tiers[1].name, config.tiers[1].wip_limit) == ("Desktop support", 12)
    assert config.policy.tier_minutes["L1"]["P1"] == 25
    assert config.calendars[0].hours[5] != ()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_problems_show_at_their_fields_and_nothing_is_saved(
    open_dialog, gui_desk: Desk, qtbot
) -> None:
    gui_desk.ticket()  # an open ticket at L1
    dialog = open_dialog("sara")
    tiers = page_of(dialog, TiersPage)
    set_cell(tiers, 1, WIP, "lots")
    tiers.table.item(0, RETIRED).setCheckState(Qt.CheckState.Checked)
    calendars = page_of(dialog, CalendarsPage)
    calendars.zone_combo.setEditText("Mars/Olympus")
    calendars.hours_edits[1].setText("9 to 5")
    page_of(dialog, PolicyPage).tables["response_minutes"].item(1, 2).setText("-4")
    before = database_snapshot(gui_desk.database)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert database_snapshot(gui_desk.database) == before
    assert dialog.isVisible()
    assert dialog.current_page() is tiers  # the first page with a problem is shown
    assert "is not a number of tickets" in tiers.table.item(1, WIP).toolTip()
    assert "has 1 open ticket" in tiers.table.item(0, RETIRED).toolTip()
    assert "Tier L2, WIP limit" in tiers.problems_label.text()
    assert "nothing was saved" in dialog.message_bar.text()
    assert dialog.page_list.item(0).text().startswith("⚠")
    assert calendars.fields["time_zone"].error.text().startswith("'Mars/Olympus' is not")
    assert "'9 to 5' is not a window" in calendars.fields["hours.tuesday"].error.text()
    policy = page_of(dialog, PolicyPage)
    response = policy.tables["response_minutes"]
    assert [label for _key, label in response.rows] == ["L2", "L3", "Vendor"]  # L1 retired
    assert "-4 is not a number of minutes" in response.item(response.row_of("L2"), 2).toolTip()
    assert "L1" not in policy.problems_label.text()  # a retired tier's targets go with it
    # retiring L1 also leaves its categories without a tier: said on their page
    assert dialog.page_list.item(1).text().startswith("⚠")
    categories = page_of(dialog, CategoriesPage)
    assert "Category Password reset" in categories.problems_label.text()
    assert "tier L1 is retired" in categories.problems_label.text()


def test_second_supervisor_sees_the_first_ones_change(
    open_dialog, service: ConfigurationService, gui_desk: Desk
) -> None:
    dialog = open_dialog("sara")
    other = service.load()
    service.save("ada", other, change_tier(other, "L3", name="Platform"))
    set_cell(page_of(dialog, TiersPage), 1, NAME, "Mine")
    before = database_snapshot(gui_desk.database)

    dialog.save_button.click()

    assert "renamed tier L3 to 'Platform'" in dialog.message_bar.text()
    assert "Reload" in dialog.message_bar.text()
    assert database_snapshot(gui_desk.database) == before
    dialog.reload_button.click()
    assert page_of(dialog, TiersPage).table.item(2, NAME).text() == "Platform"
    assert page_of(dialog, TiersPage).table.item(1, NAME).text() == "Desktop & apps"


@pytest.mark.parametrize("login", ["lena", "max"])
def test_read_only_for_agents_and_managers(open_dialog, login: str) -> None:
    dialog = open_dialog(login)
    assert dialog.read_only_label.isVisible()
    assert not dialog.save_button.isVisible()
    tiers = page_of(dialog, TiersPage)
    assert tiers.table.editTriggers() == tiers.table.EditTrigger.NoEditTriggers
    assert not tiers.add_button.isEnabled()
    assert not page_of(dialog, CalendarsPage).import_button.isEnabled()


def test_holidays_are_imported_into_the_calendar(open_dialog, service, qtbot) -> None:
    dialog = open_dialog("ada")
    calendars = page_of(dialog, CalendarsPage)
    dialog.show_page(calendars)
    calendars.country_edit.setText("ZZ")
    calendars.import_button.click()
    assert "country" in calendars.import_field.error.text()
    calendars.country_edit.setText("DE")
    calendars.year_spin.setValue(2026)
    calendars.import_button.click()
    assert calendars.holiday_list.count() >= 9
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    assert date(2026, 12, 25) in service.load().calendars[0].holidays


def test_a_tier_added_on_the_ladder_page_appears_in_the_policy_grid(open_dialog) -> None:
    dialog = open_dialog("sara")
    tiers = page_of(dialog, TiersPage)
    tiers.add_button.click()
    policy = page_of(dialog, PolicyPage)
    dialog.show_page(policy)
    labels = [label for _key, label in policy.tables["tier_minutes"].rows]
    assert labels == ["L1", "L2", "L3", "L4", "Vendor"]
    assert policy.tables["tier_minutes"].item(0, 0).text() == "30"  # kept


def test_a_renamed_calendar_stays_the_policy_s_calendar(open_dialog, service, qtbot) -> None:
    dialog = open_dialog("sara")
    calendars = page_of(dialog, CalendarsPage)
    dialog.show_page(calendars)
    calendars.name_edit.setText("Berlin office")
    policy = page_of(dialog, PolicyPage)
    dialog.show_page(policy)
    assert policy.calendar_combo.currentText() == "Berlin office"
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save_button.click()
    assert "renamed calendar 'Office hours' to 'Berlin office'" in saved.args[0].changes
    config = service.load()
    assert config.policy.calendar == "Berlin office" and config.policy.version == 1


class Asked:
    """Stands in for the "discard unsaved changes?" question: records it, gives ``answer``."""

    def __init__(self, answer: bool) -> None:
        self.answer, self.times = answer, 0

    def __call__(self) -> bool:
        self.times += 1
        return self.answer


def test_closing_without_changes_asks_nothing(open_dialog) -> None:
    dialog = open_dialog("sara")
    dialog.confirm_discard = asked = Asked(False)
    dialog.show_page(page_of(dialog, CalendarsPage))  # looking around changes nothing
    dialog.reject()
    assert asked.times == 0 and dialog.result() == dialog.DialogCode.Rejected
    assert not dialog.isVisible()


@pytest.mark.parametrize("edit", ["a changed value", "a value not valid yet"])
def test_closing_with_unsaved_changes_asks_before_discarding_them(
    open_dialog, service, qtbot, edit: str
) -> None:
    dialog = open_dialog("sara")
    policy = page_of(dialog, PolicyPage)
    policy.tables["tier_minutes"].item(0, 0).setText("45" if edit == "a changed value" else "abc")
    dialog.confirm_discard = asked = Asked(False)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked.times == 1 and dialog.isVisible()  # kept editing: the edit is still there
    assert policy.tables["tier_minutes"].item(0, 0).text() in ("45", "abc")
    dialog.confirm_discard = asked = Asked(True)
    dialog.buttons.button(dialog.buttons.StandardButton.Close).click()
    assert asked.times == 1 and not dialog.isVisible()
    assert service.load().policy.tier_minutes["L1"]["P1"] == 30  # discarded, not saved


def test_a_reader_closes_without_being_asked(open_dialog) -> None:
    dialog = open_dialog("max")
    dialog.confirm_discard = asked = Asked(False)
    dialog.reject()
    assert asked.times == 0 and not dialog.isVisible()


@pytest.mark.parametrize(
    ("button", "discarded"), [("Discard changes", True), ("Keep editing", False)]
)
def test_the_question_discards_only_when_told_to(qtbot, button: str, discarded: bool) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        next(choice for choice in box.buttons() if choice.text() == button).click()

    QTimer.singleShot(0, answer)
    assert unsaved_changes.ask_to_discard(parent) is discarded
    assert seen == ["Your changes have not been saved. Discard them and close?"]
