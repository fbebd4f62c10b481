"""The main window's Desk menu and Reports tab (``DeskTools``): who may use what, the Reports
tab built when first opened, taking the whole width, F5 there reloading the report, the
dialogs deleted when closed, and a configuration save that ends after its dialog closed still
reloading the window."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QDialog

from app.services.configuration import ConfigurationService
from app.services.sla_policy import SlaPolicyService
from app.views.config_pages.tiers_page import WIP, TiersPage
from app.views.configuration_dialog import ConfigurationDialog
from app.views.main_window import MainWindowView
from app.views.operations import SynchronousOperationRunner


def desk_actions(window: MainWindowView) -> dict[str, bool]:
    tools = window.desk_tools
    actions = (tools.configuration_action, tools.rules_action, tools.import_action)
    return {action.text(): action.isEnabled() for action in actions}


def test_the_desk_menu_offers_the_dialogs_and_import_to_supervisors_only(open_window):
    assert desk_actions(open_window("sara")) == {
        "Desk &configuration…": True,
        "Escalation &rules…": True,
        "&Import history…": True,
    }
    # Agents open the dialogs read-only; importing history is for supervisors and admins.
    assert desk_actions(open_window("lena"))["&Import history…"] is False
    menus = [action.text() for action in open_window("lena").menuBar().actions()]
    assert menus == ["&Desk"]


def test_the_reports_tab_is_built_when_opened_and_uses_the_whole_width(
    open_window, gui_desk, qtbot
):
    gui_desk.ticket()
    window = open_window("max")
    window.show()
    assert window.reports_view is None  # nothing of QtCharts at start
    window.views.setCurrentWidget(window.reports_tab)
    view = window.reports_view
    assert view is not None
    assert (window.filter_bar.isVisible(), window.details_view.isVisible()) == (False, False)
    qtbot.waitUntil(lambda: view.report is not None)  # loaded when first shown
    assert view.report is not None
    first = view.report.generated_at
    gui_desk.later(5)
    window.refresh_action.trigger()  # F5 on the Reports tab: the report again
    assert view.report.generated_at >= first
    assert view.report.table("distribution_now").rows[0] == ("L1", 1, 1.0)
    window.views.setCurrentIndex(0)
    assert (window.filter_bar.isVisible(), window.details_view.isVisible()) == (True, True)


def dialogs_of(window: MainWindowView) -> list[QDialog]:
    """The dialogs the window holds now, once Qt has deleted those that asked for it."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return window.findChildren(QDialog)


@pytest.mark.parametrize("action_name", ["configuration_action", "rules_action", "import_action"])
def test_a_desk_dialog_closed_is_gone_and_opens_again(open_window, action_name):
    """Each open makes a new dialog: closed, it must not stay behind as the window's child
    (three opens used to leave three hidden dialogs, with their editors, for the whole day)."""
    window = open_window("sara")
    tools = window.desk_tools
    before = dialogs_of(window)
    assert tools.open_dialog() is None
    for _ in range(3):
        getattr(tools, action_name).trigger()
        dialog = tools.open_dialog()
        assert dialog is not None and dialog.isVisible()
        assert dialogs_of(window) == [*before, dialog]
        dialog.reject()
        assert dialogs_of(window) == before
        assert tools.open_dialog() is None  # the old reference is not touched once deleted


class HeldOperationRunner(SynchronousOperationRunner):
    """Runs operations at once until ``holding``; then keeps them until ``release_next``, as a
    worker still busy while the person goes on clicking."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = False
        self.held: list[Callable[[], None]] = []

    def _start(self, job_id: int, operation: Callable[[], Any]) -> None:
        if self.holding:
            self.held.append(lambda: super(HeldOperationRunner, self)._start(job_id, operation))
        else:
            super()._start(job_id, operation)

    def release_next(self) -> None:
        self.held.pop(0)()


def test_a_configuration_save_ending_after_its_dialog_closed_still_reloads_the_window(
    open_window, gui_desk, qtbot
):
    SlaPolicyService(gui_desk.database, gui_desk.clock).install_default("Europe/Berlin")
    window = open_window("sara")
    tools = window.desk_tools
    tools.runner = held = HeldOperationRunner()
    tools.configuration_action.trigger()
    dialog = tools.open_dialog()
    assert isinstance(dialog, ConfigurationDialog)
    tiers = next(page for page in dialog.pages if isinstance(page, TiersPage))
    tiers.table.item(1, WIP).setText("12")
    held.holding = True
    dialog.save_button.click()
    held.release_next()  # the check passes; the save itself is still on its way
    assert len(held.held) == 1
    dialog.reject()
    dialogs_of(window)  # Qt deletes the closed dialog
    assert not shiboken6.isValid(dialog)
    with qtbot.waitSignal(tools.desk_changed, timeout=1000):
        held.release_next()
    assert ConfigurationService(gui_desk.database).load().tiers[1].wip_limit == 12
