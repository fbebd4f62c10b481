"""Light and dark themes from one style sheet and two palettes, and the main window's layout
(geometry, splitter, column widths) remembered between sessions."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.views.main_window import MainWindowView
from app.views.theme import (
    Theme,
    apply_theme,
    palette_of,
    style_sheet,
    theme_colour,
    theme_colours,
)


def test_both_themes_fill_every_placeholder_and_differ(qapp):
    light, dark = theme_colours(Theme.LIGHT), theme_colours(Theme.DARK)
    assert set(light) == set(dark)
    for colours in (light, dark):
        sheet = style_sheet(colours)
        assert re.search(r"\{[a-z_]+\}", sheet) is None  # every placeholder filled
    assert palette_of(dark).color(QPalette.ColorRole.Window).lightness() < 80
    assert palette_of(light).color(QPalette.ColorRole.Window).lightness() > 200


def test_applying_a_theme_sets_the_palette(qapp):
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = (app.palette(), app.styleSheet(), app.style().name(), app.property("tierdesk_theme"))
    try:
        apply_theme(app, Theme.DARK)
        assert app.palette().color(QPalette.ColorRole.Base).name() == "#16191e"
        assert "QHeaderView::section" in app.styleSheet()
        assert theme_colour("error_text") == theme_colours(Theme.DARK)["error_text"]
    finally:
        app.setPalette(before[0])
        app.setStyleSheet(before[1])
        app.setStyle(before[2])
        app.setProperty("tierdesk_theme", before[3])


def test_the_images_the_style_sheet_names_exist(qapp):
    """The check marks of check boxes: a missing file would leave checked boxes blank."""
    for theme in Theme:
        images = re.findall(r"url\(([^)]+)\)", style_sheet(theme_colours(theme)))
        assert images, "the indicators draw their marks from images"
        assert all(Path(image).is_file() for image in images), images


def test_the_window_remembers_its_layout(qtbot, gui_desk, runner, settings):
    def open_window() -> MainWindowView:
        window = MainWindowView(
            gui_desk.database, gui_desk.desk.user("lena"), runner, settings=settings
        )
        qtbot.addWidget(window)
        return window

    first = open_window()
    first.resize(701, 503)
    first.table_view.horizontalHeader().resizeSection(0, 141)
    first.close()
    second = open_window()
    assert (second.width(), second.height()) == (701, 503)
    assert second.table_view.horizontalHeader().sectionSize(0) == 141
