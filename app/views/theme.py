"""Light and dark themes that follow the operating system's colour scheme.

A theme is a palette in ``resources/themes/<name>.json`` (colour names to ``#rrggbb``) and one
style sheet, ``resources/themes/base.qss``, whose ``{name}`` placeholders are filled from the
palette: one sheet, two palettes, so the themes cannot drift apart. Qt's Fusion style draws the
widgets the same way on Windows, macOS and Linux; the palette gives them their colours. When the
OS switches between light and dark while TierDesk runs, the theme follows.

Colours the Qt palette has no role for (a problem's red, the red background of a cell in
error) come from the theme's own names, so that they stay readable on either theme: best
through the style sheet (the message bar, a label given a ``Tone`` by ``set_tone``, a field
marked by ``set_problem``), which follows a switch of the OS's scheme; else through
``theme_colour`` when the widget is painted, or when it is made and again at each
``PaletteChange`` event (the configuration pages' marked cells).
"""

from __future__ import annotations

import json
import os
import re
from enum import StrEnum
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.views.resources import resource_path

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_ROLES = {
    "window": QPalette.ColorRole.Window,
    "window_text": QPalette.ColorRole.WindowText,
    "base": QPalette.ColorRole.Base,
    "alternate_base": QPalette.ColorRole.AlternateBase,
    "text": QPalette.ColorRole.Text,
    "button": QPalette.ColorRole.Button,
    "button_text": QPalette.ColorRole.ButtonText,
    "highlight": QPalette.ColorRole.Highlight,
    "highlighted_text": QPalette.ColorRole.HighlightedText,
    "placeholder_text": QPalette.ColorRole.PlaceholderText,
    "mid": QPalette.ColorRole.Mid,
    "link": QPalette.ColorRole.Link,
    "tooltip_base": QPalette.ColorRole.ToolTipBase,
    "tooltip_text": QPalette.ColorRole.ToolTipText,
}
#: The application's property naming the theme applied last (for ``current_theme``).
_APPLIED = "tierdesk_theme"
_DISABLED = (
    QPalette.ColorRole.WindowText,
    QPalette.ColorRole.Text,
    QPalette.ColorRole.ButtonText,
)


class Theme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


class Tone(StrEnum):
    """What a label's text says, for its colour (``base.qss``: ``QLabel[tone="error"]``)."""

    PLAIN = ""
    ERROR = "error"
    WARNING = "warning"
    SUCCESS = "success"


def set_tone(label: QWidget, tone: Tone) -> None:
    """Colour ``label``'s text by ``tone`` in the theme's colours, now and after a theme
    change (the style sheet does it, not a colour fixed when the label was made)."""
    label.setProperty("tone", tone.value)
    _repolish(label)


def set_problem(field: QWidget, problem: bool) -> None:
    """Show ``field`` (a combo box) as in error, or no longer: the theme's red background,
    text readable on it and a red border (``base.qss``: ``QComboBox[problem="true"]``), which
    follow a theme change as ``set_tone``'s colours do."""
    field.setProperty("problem", "true" if problem else "")
    _repolish(field)


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)  # Qt reads a property in a selector only when it polishes
    style.polish(widget)


def system_theme() -> Theme:
    """The OS's current colour scheme (light where it does not say); ``TIERDESK_THEME=dark``
    or ``light`` overrides it."""
    chosen = os.environ.get("TIERDESK_THEME", "").strip().lower()
    if chosen in {theme.value for theme in Theme}:
        return Theme(chosen)
    scheme = QGuiApplication.styleHints().colorScheme()
    return Theme.DARK if scheme == Qt.ColorScheme.Dark else Theme.LIGHT


def theme_colours(theme: Theme) -> dict[str, str]:
    return dict(_stored_colours(theme))


@cache
def _stored_colours(theme: Theme) -> dict[str, str]:
    path = resource_path("resources", "themes", f"{theme.value}.json")
    colours: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return colours


def current_theme() -> Theme:
    """The theme ``apply_theme`` gave the application; without one (tests, tools), the one
    whose lightness the application's palette has."""
    app = QApplication.instance()
    applied = app.property(_APPLIED) if app is not None else None
    if applied in {theme.value for theme in Theme}:
        return Theme(applied)
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return Theme.DARK if window.lightness() < 128 else Theme.LIGHT


def theme_colour(name: str) -> str:
    """``#rrggbb`` of a colour of the current theme by its name in the palette files, e.g.
    ``theme_colour("error_text")``; for colours that no ``QPalette`` role holds."""
    return _stored_colours(current_theme())[name]


def palette_of(colours: dict[str, str]) -> QPalette:
    palette = QPalette()
    for name, role in _ROLES.items():
        palette.setColor(role, QColor(colours[name]))
    for role in _DISABLED:
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colours["disabled_text"]))
    return palette


def style_sheet(colours: dict[str, str]) -> str:
    """``base.qss`` with its placeholders filled; an unknown name is a bug in the theme files."""
    folder = resource_path("resources", "themes")
    template = (folder / "base.qss").read_text(encoding="utf-8")
    values = {**colours, "themes_folder": folder.as_posix()}  # the indicators' images
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def apply_theme(app: QApplication, theme: Theme | None = None) -> Theme:
    """Give the application the theme (by default the OS's), and keep following the OS."""
    chosen = theme or system_theme()
    colours = theme_colours(chosen)
    # Named first: widgets told of the new palette ask ``theme_colour`` for theirs meanwhile.
    app.setProperty(_APPLIED, chosen.value)
    app.setStyle("Fusion")
    app.setPalette(palette_of(colours))
    app.setStyleSheet(style_sheet(colours))
    if theme is None and not app.property("tierdesk_follows_os"):
        app.setProperty("tierdesk_follows_os", True)
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_theme(app))
    return chosen
