"""Readable in both themes: problems shown in the configuration dialog (a red cell, a red line
under a field, the list under a table) keep a contrast of at least 4.5:1 (WCAG AA for text),
and check boxes and radio buttons, checked or not, stand out from what is behind them by at
least 3:1 (WCAG for the parts of a control). The colours are read off the widgets as drawn or
styled, not off the palette files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from app.services.configuration import ConfigurationService, Problem
from app.services.sla_policy import SlaPolicyService
from app.views.config_pages.categories_page import CategoriesPage
from app.views.config_pages.policy_page import PolicyPage
from app.views.config_pages.tiers_page import VENDOR, WIP, TiersPage
from app.views.configuration_dialog import ConfigurationDialog
from app.views.theme import Theme, apply_theme, current_theme
from tests.factories import Desk

TEXT_CONTRAST = 4.5
CONTROL_CONTRAST = 3.0


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: QColor, second: QColor) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_the_wcag_ratio():
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


@pytest.fixture(params=[Theme.LIGHT, Theme.DARK], ids=["light", "dark"])
def theme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[Theme]:
    """The application in the theme, as ``apply_theme`` leaves it; restored afterwards."""
    before = (
        qapp.palette(),
        qapp.styleSheet(),
        qapp.style().name(),
        qapp.property("tierdesk_theme"),
    )
    apply_theme(qapp, request.param)
    yield request.param
    qapp.setPalette(before[0])
    qapp.setStyleSheet(before[1])
    qapp.setStyle(before[2])
    qapp.setProperty("tierdesk_theme", before[3])


@pytest.fixture
def dialog(qtbot, gui_desk: Desk, runner, theme: Theme) -> ConfigurationDialog:
    SlaPolicyService(gui_desk.database, gui_desk.clock).install_default("Europe/Berlin")
    service = ConfigurationService(gui_desk.database, gui_desk.clock)
    made = ConfigurationDialog(service, "sara", runner)
    qtbot.addWidget(made)
    made.show()
    return made


Page = TypeVar("Page")


def page_of(dialog: ConfigurationDialog, kind: type[Page]) -> Page:
    return next(page for page in dialog.pages if isinstance(page, kind))


def text_colours(widget: QWidget) -> tuple[QColor, QColor]:
    """The colour a label's text is drawn in (its style sheet's) and the window behind it."""
    widget.ensurePolished()
    palette = widget.palette()
    return palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)


def test_the_theme_in_use_is_the_one_applied(theme):
    assert current_theme() == theme


def test_a_cell_in_error_is_readable(dialog, theme):
    tiers = page_of(dialog, TiersPage)
    dialog.show_problems([Problem("tiers", "tiers[1].wip_limit", "must be at least 1")])
    item = tiers.table.item(1, WIP)
    assert item is not None and item.toolTip() == "must be at least 1"
    background, text = item.background().color(), item.foreground().color()
    window = dialog.palette().color(QPalette.ColorRole.Base)
    assert contrast(text, background) >= TEXT_CONTRAST
    assert background != window  # still marked, not merely readable
    assert tiers.problems_label.isVisibleTo(dialog)  # also listed under the table
    assert contrast(*text_colours(tiers.problems_label)) >= TEXT_CONTRAST


def test_a_field_in_error_is_readable(dialog, theme):
    policy = page_of(dialog, PolicyPage)
    dialog.show_problems([Problem("policy", "policy.name", "a policy needs a name")])
    error = policy.fields["policy.name"].error
    assert error.text() == "a policy needs a name"
    assert contrast(*text_colours(error)) >= TEXT_CONTRAST


def test_a_target_in_error_stays_marked_when_its_page_is_shown(dialog, theme):
    """Showing a page follows the ladder (its grids are filled again): the red cell must not
    vanish while its message is still listed under the grids."""
    policy = page_of(dialog, PolicyPage)
    table = policy.tables["tier_minutes"]
    table.item(0, 0).setText("abc")
    dialog.show_problems(
        [Problem("policy", "policy.tier_minutes.L1.P1", "not a number of minutes")]
    )
    dialog.show_page(page_of(dialog, TiersPage))
    dialog.show_page(policy)
    item = policy.tables["tier_minutes"].item(0, 0)
    assert (item.text(), item.toolTip()) == ("abc", "not a number of minutes")
    assert contrast(item.foreground().color(), item.background().color()) >= TEXT_CONTRAST
    assert item.background().color() != table.palette().color(QPalette.ColorRole.Base)


def test_a_combo_box_in_error_is_readable(dialog, theme):
    categories = page_of(dialog, CategoriesPage)
    dialog.show_problems([Problem("categories", "categories[0].min_tier", "no such tier")])
    dialog.show_page(categories)
    marked, plain = categories._combo(0), categories._combo(1)
    assert marked is not None and plain is not None and marked.toolTip() == "no such tier"
    background, text = band_colours(marked)
    assert contrast(text, background) >= TEXT_CONTRAST
    assert background.red() > background.green() + 20  # red: the problem is seen at a glance
    assert not band_colours(plain)[0].red() > band_colours(plain)[0].green() + 20


def band_colours(combo: QWidget) -> tuple[QColor, QColor]:
    """A combo box's background (the commonest colour of a band through its middle, left of
    the arrow) and its text (the colour there that differs most from it)."""
    image = combo.grab().toImage()
    band = QRect(2, image.height() // 2 - 3, image.width() - 27, 7)
    background = most_common_colour(image, band)
    text = max(pixels(image, band), key=lambda colour: contrast(colour, background))
    return background, text


def pixels(image: QImage, area: QRect) -> list[QColor]:
    return [
        image.pixelColor(x, y)
        for x in range(max(area.left(), 0), min(area.right(), image.width() - 1) + 1)
        for y in range(max(area.top(), 0), min(area.bottom(), image.height() - 1) + 1)
    ]


def most_common_colour(image: QImage, area: QRect) -> QColor:
    found = [colour.name() for colour in pixels(image, area)]
    return QColor(max(set(found), key=found.count))


def indicator_contrast(widget: QCheckBox | QRadioButton) -> float:
    """How far the drawn indicator of ``widget`` stands out from the window behind it: the
    largest contrast of any of its pixels (its border, or its fill when checked)."""
    widget.resize(120, 30)
    option = QStyleOptionButton()
    option.initFrom(widget)
    element = (
        QStyle.SubElement.SE_CheckBoxIndicator
        if isinstance(widget, QCheckBox)
        else QStyle.SubElement.SE_RadioButtonIndicator
    )
    area = widget.style().subElementRect(element, option, widget)
    window = widget.palette().color(QPalette.ColorRole.Window)
    return max(contrast(colour, window) for colour in pixels(widget.grab().toImage(), area))


@pytest.mark.parametrize("checked", [False, True], ids=["unchecked", "checked"])
@pytest.mark.parametrize("kind", [QCheckBox, QRadioButton])
def test_check_boxes_and_radio_buttons_stand_out(qtbot, theme, kind, checked):
    button = kind("Retired")
    qtbot.addWidget(button)
    button.setChecked(checked)
    assert indicator_contrast(button) >= CONTROL_CONTRAST


@pytest.mark.parametrize("row", [0, 3], ids=["unchecked", "checked"])
def test_check_boxes_in_tables_stand_out(dialog, theme, row):
    """The tier ladder's Vendor column: L1 is no vendor tier, the last tier is."""
    table = page_of(dialog, TiersPage).table
    item = table.item(row, VENDOR)
    assert item is not None and item.flags() & Qt.ItemFlag.ItemIsUserCheckable
    cell = table.visualItemRect(item).adjusted(2, 2, -2, -2)  # clear of the grid lines
    image = table.viewport().grab().toImage()
    base = table.palette().color(QPalette.ColorRole.Base)
    assert max(contrast(colour, base) for colour in pixels(image, cell)) >= CONTROL_CONTRAST
