"""What every page of the configuration dialog is, and how it shows problems at their fields.

A page works like an option page: ``load(config)`` fills its widgets from a configuration,
``check()`` reports what its widgets cannot even express (text where a number belongs), and
``save(draft)`` returns the draft with the page's part replaced by what the widgets say. The
dialog gathers every page's ``check()`` and the service's check of the whole draft before any
save, and hands each page its problems (``show_problems``), which the page puts next to the
field they name (``tiers[2].wip_limit``): under a form field, or on a table cell with the
message listed under the table.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.services.configuration import DeskConfiguration, Problem
from app.views.theme import Tone, set_tone, theme_colour


class ConfigPage(QWidget):
    """Base of the dialog's pages (see the module's docstring)."""

    #: The page's name in the dialog's list, and the ``Problem.page`` it shows.
    title = ""
    page = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems_label = error_label()
        self.read_only = False

    @property
    def shown_title(self) -> str:
        """``title`` in the user's language (each page marks its title for translation)."""
        return QCoreApplication.translate(type(self).__name__, self.title)

    def load(self, config: DeskConfiguration) -> None:
        raise NotImplementedError

    def sync(self, draft: DeskConfiguration) -> None:
        """Follow what other pages changed (tiers added or renamed, calendars), keeping this
        page's own edits; called when the page is shown."""

    def check(self) -> list[Problem]:
        """What the widgets hold that is not even a value (the service checks the rest)."""
        return []

    def save(self, draft: DeskConfiguration) -> DeskConfiguration:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Put each problem next to its field; those without a field of their own go in the
        list at the bottom of the page."""
        self.clear_problems()
        unplaced = [problem for problem in problems if not self.place_problem(problem)]
        self.problems_label.setText("\n".join(self.describe(p) for p in unplaced))
        self.problems_label.setVisible(bool(unplaced))

    def place_problem(self, problem: Problem) -> bool:
        """Show ``problem`` at its field. False: (also) list it at the bottom of the page, as
        table pages do for the cells they colour."""
        return False

    def describe(self, problem: Problem) -> str:
        return f"{problem.field}: {problem.message}"

    def clear_problems(self) -> None:
        self.problems_label.clear()
        self.problems_label.hide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """A theme change (the OS switched to dark, say) recolours the cells marked with a
        problem; labels and fields follow through the style sheet by themselves."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for table in self.findChildren(QTableWidget):
                recolour_marks(table)


def error_label() -> QLabel:
    """A red (the theme's), word-wrapped, hidden label for a problem next to a field."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    set_tone(label, Tone.ERROR)
    label.hide()
    return label


class FieldWithError(QWidget):
    """A form field with its own problem line under it."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(self.error)

    def show_error(self, text: str) -> None:
        previous = self.error.text()
        self.error.setText(f"{previous}\n{text}" if previous else text)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()


def mark_cell(table: QTableWidget, row: int, column: int, text: str) -> bool:
    """Colour a table cell and give it the problem as tooltip; False if there is no such cell.
    The text gets the theme's colour for that background too: the palette's text colour of a
    dark theme is unreadable on a light red, and the other way round."""
    item = table.item(row, column)
    if item is None:
        return False
    previous = item.toolTip()
    item.setToolTip(f"{previous}\n{text}" if previous else text)
    _colour_as_marked(item)
    return True


def recolour_marks(table: QTableWidget) -> None:
    """Give the marked cells (those with a problem as tooltip) the current theme's colours:
    an item's colours are fixed values, which a theme change does not reach by itself."""
    for item in _marked_items(table):
        _colour_as_marked(item)


def _colour_as_marked(item: QTableWidgetItem) -> None:
    item.setBackground(QBrush(QColor(theme_colour("error_background"))))
    item.setForeground(QBrush(QColor(theme_colour("error_background_text"))))


def _marked_items(table: QTableWidget) -> list[QTableWidgetItem]:
    items = (
        table.item(row, column)
        for row in range(table.rowCount())
        for column in range(table.columnCount())
    )
    return [item for item in items if item is not None and item.toolTip()]


def clear_marks(table: QTableWidget) -> None:
    for item in _marked_items(table):
        item.setToolTip("")
        item.setBackground(QBrush())
        item.setForeground(QBrush())


def index_in(field: str, prefix: str) -> tuple[int, str] | None:
    """``("tiers[2].wip_limit", "tiers")`` -> ``(2, "wip_limit")``; None for another shape."""
    if not field.startswith(prefix + "["):
        return None
    inside, _, rest = field[len(prefix) + 1 :].partition("]")
    if not inside.isdigit():
        return None
    return int(inside), rest.lstrip(".")
