"""Readable in both themes: problems shown in the configuration dialog (a red cell, a red line
under a field, the list under a table), the message bar, the problems and notes of the ticket,
new ticket and connection dialogs, the time left and the priority chip on a board card, and a
full column's header keep a contrast of at least 4.5:1 (WCAG AA for text), and check boxes and
radio buttons, checked or not, stand out from what is behind them by at least 3:1 (WCAG for the
parts of a control). The colours are read off the widgets as drawn or styled, not off the
palette files; the bar and the labels also follow a switch of theme while they are shown, as
they do when the OS switches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QWidget,
)
from sqlalchemy import update

from app.models import Priority, Tier
from app.services.board import BoardService
from app.services.clock import FixedClock
from app.services.configuration import ConfigurationService, Problem
from app.services.escalation import EscalationService
from app.services.sla_policy import SlaPolicyService
from app.services.tickets import TicketChanges
from app.views.board_view import BoardView
from app.views.card_delegate import (
    CARD_HEIGHT,
    CARD_WIDTH,
    PADDING,
    PRIORITY_COLOURS,
    TicketCardDelegate,
)
from app.views.config_pages.categories_page import CategoriesPage
from app.views.config_pages.policy_page import PolicyPage
from app.views.config_pages.tiers_page import VENDOR, WIP, TiersPage
from app.views.configuration_dialog import ConfigurationDialog
from app.views.connection_dialog import ConnectionDialog
from app.views.item_models.tier_column_model import CARD_ROLE
from app.views.message_bar import MessageBar
from app.views.new_ticket_dialog import NewTicketDialog
from app.views.operations import SynchronousOperationRunner
from app.views.theme import Theme, apply_theme, current_theme, theme_colours
from app.views.ticket_dialog import TicketDialog
from tests.factories import T0, Desk
from tests.gui.test_board import clocked

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


def test_problems_in_the_configuration_dialog_follow_a_switch_of_theme(qapp, dialog, theme):
    """The OS switches between light and dark (``apply_theme``) while problems are shown: the
    marked cell, the line under a field and the combo box in error take the new theme's
    colours, as the dialog would show them if opened now."""
    tiers, policy = page_of(dialog, TiersPage), page_of(dialog, PolicyPage)
    categories = page_of(dialog, CategoriesPage)
    dialog.show_problems(
        [
            Problem("tiers", "tiers[1].wip_limit", "must be at least 1"),
            Problem("policy", "policy.name", "a policy needs a name"),
            Problem("categories", "categories[0].min_tier", "no such tier"),
        ]
    )
    switched = other_theme(theme)
    apply_theme(qapp, switched)
    colours = theme_colours(switched)
    cell = tiers.table.item(1, WIP)
    assert cell is not None and cell.toolTip() == "must be at least 1"
    assert cell.background().color().name() == colours["error_background"]
    assert cell.foreground().color().name() == colours["error_background_text"]
    text, window = text_colours(policy.fields["policy.name"].error)
    assert text.name() == colours["error_text"]
    assert looks_dark(window) == (switched is Theme.DARK)
    dialog.show_page(categories)
    combo = categories._combo(0)
    assert combo is not None
    background, text = band_colours(combo)
    assert background.name() == colours["error_background"]
    assert contrast(text, background) >= TEXT_CONTRAST


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


# ------------------------------------------------------- message bar and dialogs' labels
def drawn_text_colours(label: QWidget) -> tuple[QColor, QColor]:
    """A shown label as its window draws it: its background (the commonest colour) and its
    text (the colour there that differs most from it)."""
    window = label.window()
    area = QRect(label.mapTo(window, QPoint(0, 0)), label.size())
    image = window.grab(area).toImage()
    whole = QRect(0, 0, image.width(), image.height())
    background = most_common_colour(image, whole)
    text = max(pixels(image, whole), key=lambda colour: contrast(colour, background))
    return background, text


def looks_dark(colour: QColor) -> bool:
    return colour.lightness() < 128


def other_theme(theme: Theme) -> Theme:
    return Theme.LIGHT if theme is Theme.DARK else Theme.DARK


@pytest.fixture
def message_bar(qtbot, theme) -> MessageBar:
    bar = MessageBar()
    qtbot.addWidget(bar)
    bar.resize(420, 40)
    bar.show_message("Ticket TD-12 may only be resolved at L2 or above.")
    return bar


def test_the_message_bar_is_readable_and_does_not_glare(message_bar, theme):
    background, text = drawn_text_colours(message_bar.text_label)
    assert contrast(text, background) >= TEXT_CONTRAST
    assert looks_dark(background) == (theme is Theme.DARK)  # no light bar on a dark window


def test_the_message_bar_follows_a_switch_of_theme(qapp, message_bar, theme):
    """``apply_theme`` is what runs when the OS switches between light and dark."""
    apply_theme(qapp, other_theme(theme))
    background, text = drawn_text_colours(message_bar.text_label)
    assert looks_dark(background) == (theme is not Theme.DARK)
    assert contrast(text, background) >= TEXT_CONTRAST


@pytest.fixture
def ticket_dialog(qtbot, gui_desk: Desk, runner, theme) -> TicketDialog:
    ticket = gui_desk.ticket("lena", description="It says my password expired")
    made = TicketDialog(
        gui_desk.tickets.get(ticket.key),
        gui_desk.desk.user("lena"),
        gui_desk.tickets,
        gui_desk.desk,
        runner,
    )
    qtbot.addWidget(made)
    made.show()
    return made


def test_a_problem_in_the_ticket_dialog_is_readable(ticket_dialog, theme):
    ticket_dialog.title_edit.setText("   ")
    ticket_dialog.save_button.click()
    error = ticket_dialog.errors["title"]
    assert error.isVisible() and error.text() == "The title must not be empty."
    background, text = drawn_text_colours(error)
    assert contrast(text, background) >= TEXT_CONTRAST
    assert text.red() > text.green() + 20  # still red: a problem is seen at a glance


def test_a_problem_in_the_ticket_dialog_follows_a_switch_of_theme(qapp, ticket_dialog, theme):
    ticket_dialog.title_edit.setText("   ")
    ticket_dialog.save_button.click()
    apply_theme(qapp, other_theme(theme))
    background, text = drawn_text_colours(ticket_dialog.errors["title"])
    assert looks_dark(background) == (theme is not Theme.DARK)
    assert contrast(text, background) >= TEXT_CONTRAST


def test_what_the_ticket_dialog_did_and_its_conflicts_are_readable(
    ticket_dialog, gui_desk: Desk, theme
):
    ticket_dialog.comment_edit.setPlainText("Called the requester back")
    ticket_dialog.comment_button.click()
    assert ticket_dialog.done_label.text() == "Comment added."
    assert contrast(*drawn_text_colours(ticket_dialog.done_label)) >= TEXT_CONTRAST
    ticket_dialog.title_edit.setText("Lena's title")
    gui_desk.later()
    ticket = ticket_dialog.ticket
    gui_desk.tickets.edit("omar", ticket.key, ticket.version, TicketChanges(title="Omar's"))
    ticket_dialog.save_button.click()
    assert ticket_dialog.conflict_panel.isVisible()
    background, text = drawn_text_colours(ticket_dialog.conflict_label)
    assert contrast(text, background) >= TEXT_CONTRAST
    assert looks_dark(background) == (theme is Theme.DARK)


def test_a_read_only_ticket_says_why_readably(qtbot, gui_desk: Desk, runner, theme):
    ticket = gui_desk.ticket("lena")
    dialog = TicketDialog(
        gui_desk.tickets.get(ticket.key), gui_desk.desk.user("tom"), gui_desk.tickets,
        gui_desk.desk, runner,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    assert "you work L2" in dialog.read_only_label.text()
    assert contrast(*drawn_text_colours(dialog.read_only_label)) >= TEXT_CONTRAST


def test_a_problem_in_the_new_ticket_dialog_is_readable(qtbot, gui_desk: Desk, theme):
    dialog = NewTicketDialog(gui_desk.desk.categories())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.requester_edit.setText("Carla Customer")
    dialog.create_button.click()
    assert dialog.error_label.text() == "Give the ticket a title."
    background, text = drawn_text_colours(dialog.error_label)
    assert contrast(text, background) >= TEXT_CONTRAST
    assert text.red() > text.green() + 20


def test_the_connection_dialog_s_results_are_readable(
    qtbot, settings, sqlite_url, gui_desk: Desk, tmp_path, theme
):
    dialog = ConnectionDialog(sqlite_url, SynchronousOperationRunner(), settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.test_button.click()  # the test desk's file: a TierDesk database, ready
    assert "ready" in dialog.result_label.text()
    assert contrast(*drawn_text_colours(dialog.result_label)) >= TEXT_CONTRAST
    dialog.path_edit.setText(str(tmp_path / "new.db"))
    dialog.test_button.click()  # a new file: ready once TierDesk has set it up
    assert "no TierDesk desk there yet" in dialog.result_label.text()
    assert contrast(*drawn_text_colours(dialog.result_label)) >= TEXT_CONTRAST
    dialog.path_edit.clear()
    dialog.test_button.click()
    assert dialog.result_label.text() == "Choose the database file."
    background, text = drawn_text_colours(dialog.result_label)
    assert contrast(text, background) >= TEXT_CONTRAST
    assert text.red() > text.green() + 20


# ---------------------------------------------------------------------------- board cards
def painted_card(now: datetime, hovered: bool, **card: object) -> QImage:
    """A card whose tier clock warns at T0+45 min and runs out at T0+1 h (and ``card``'s
    fields), painted at ``now`` by the board's delegate over the window, as a column shows it."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    model = QStandardItemModel()
    item = QStandardItem()
    item.setData(clocked(**card), CARD_ROLE)
    model.appendRow(item)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, CARD_WIDTH, CARD_HEIGHT)
    option.palette = app.palette()
    option.state = QStyle.StateFlag.State_Enabled
    if hovered:
        option.state |= QStyle.StateFlag.State_MouseOver
    image = QImage(CARD_WIDTH, CARD_HEIGHT, QImage.Format.Format_RGB32)
    image.fill(app.palette().color(QPalette.ColorRole.Window))
    painter = QPainter(image)
    TicketCardDelegate(now=lambda: now).paint(painter, option, model.index(0, 0))
    painter.end()
    return image


@pytest.mark.parametrize("hovered", [False, True], ids=["plain", "hovered"])
@pytest.mark.parametrize("minutes", [10, 50, 120], ids=["on_time", "warning", "breached"])
def test_the_time_left_on_a_card_is_readable(theme, minutes, hovered):
    """The label right of the clock's bar ("1h 00m over"); the bar itself keeps the delegate's
    colours (3:1 against the card in both themes is enough for a bar)."""
    image = painted_card(T0 + timedelta(minutes=minutes), hovered)
    label = QRect(CARD_WIDTH * 2 // 3, CARD_HEIGHT - 28, CARD_WIDTH // 3 - 6, 20)
    card = most_common_colour(image, label)
    text = max(pixels(image, label), key=lambda colour: contrast(colour, card))
    assert looks_dark(card) == (theme is Theme.DARK)
    assert contrast(text, card) >= TEXT_CONTRAST


@pytest.mark.parametrize("priority", list(Priority), ids=lambda p: p.value)
def test_the_priority_chip_on_a_card_is_readable(theme, priority):
    """The chip left of the key, found by its fill in the card's top left corner; its text
    ("P2") is the colour inside it that differs most from the fill."""
    image = painted_card(T0, hovered=False, priority=priority)
    fill = PRIORITY_COLOURS[priority]
    corner = QRect(0, 0, CARD_WIDTH // 3, CARD_HEIGHT // 2)
    filled = [
        (x, y) for x in range(corner.width()) for y in range(corner.height())
        if image.pixelColor(x, y) == fill
    ]  # fmt: skip
    assert len(filled) > 100, "no chip of the priority's colour"
    xs, ys = [x for x, _ in filled], [y for _, y in filled]
    chip = QRect(QPoint(min(xs), min(ys)), QPoint(max(xs), max(ys))).adjusted(2, 2, -2, -2)
    text = max(pixels(image, chip), key=lambda colour: contrast(colour, fill))
    assert contrast(text, fill) >= TEXT_CONTRAST


@pytest.mark.parametrize("initials", ["M", "MW", "OH"])
def test_an_assignee_s_initials_stay_inside_their_avatar(theme, initials):
    """The avatar right of the key (the highlight colour's pixels in the card's top right
    corner); the initials' ink, wherever it differs from the card, lies within it."""
    image = painted_card(T0, hovered=False, assignee_initials=initials)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    fill = app.palette().color(QPalette.ColorRole.Highlight)
    # Inside the card's border: from two thirds across to just right of the padding.
    corner = QRect(CARD_WIDTH * 2 // 3, 6, CARD_WIDTH // 3 - PADDING + 2, CARD_HEIGHT // 3 - 6)
    card = most_common_colour(image, corner)
    drawn = [
        (x, image.pixelColor(x, y))
        for x in range(corner.left(), corner.right() + 1)
        for y in range(corner.top(), corner.bottom() + 1)
        if contrast(image.pixelColor(x, y), card) > 1.5
    ]
    filled = [x for x, colour in drawn if colour == fill]
    assert filled, "no avatar drawn"
    edge = 1  # the fill's antialiased rim
    assert min(filled) - edge <= min(x for x, _ in drawn)
    assert max(x for x, _ in drawn) <= max(filled) + edge


@pytest.mark.parametrize("tickets", [2, 3], ids=["warning", "over"])
def test_a_full_column_s_header_is_readable(qtbot, gui_desk: Desk, runner, theme, tickets):
    """An L1 limit of 2: two tickets turn its header amber, three red."""
    with gui_desk.database.write() as session:
        session.execute(update(Tier).where(Tier.code == "L1").values(wip_limit=2))
    for number in range(tickets):
        gui_desk.ticket(title=f"Printer {number}")
    service = BoardService(gui_desk.database, gui_desk.clock)
    board = BoardView(service, gui_desk.tickets, gui_desk.desk.user("lena"), runner)
    qtbot.addWidget(board)
    board.resize(1200, 700)
    board.show()
    board.load()
    header = board.column("L1").header
    assert header.property("wip") == ("warning" if tickets == 2 else "over")
    background, text = drawn_text_colours(header)
    assert contrast(text, background) >= TEXT_CONTRAST


# ------------------------------------------------------------------- the details pane
def fragment_colours(document: QTextDocument) -> dict[str, QColor]:
    """The text colour of each stretch of a document given a colour of its own, by its text."""
    found: dict[str, QColor] = {}
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().hasProperty(QTextFormat.Property.ForegroundBrush):
                found[fragment.text().strip()] = fragment.charFormat().foreground().color()
            fragments += 1
        block = block.next()
    return found


def test_a_clock_s_state_in_the_details_pane_is_readable(gui_desk: Desk, open_window, theme):
    """An escalated ticket: its L1 tier clock "escalated" (red) after a warning, the L2 one
    "running" (green)."""
    SlaPolicyService(gui_desk.database, gui_desk.clock).install_default("UTC")
    monday_13 = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
    ticket = gui_desk.ticket(title="Cannot log in")
    EscalationService(gui_desk.database, FixedClock(monday_13)).run_pass()
    gui_desk.clock.instant = monday_13 + timedelta(hours=1)
    window = open_window("tom")
    assert window.select_ticket(ticket.key)
    browser = window.details_view.browser
    colours = fragment_colours(browser.document())
    base = browser.palette().color(QPalette.ColorRole.Base)
    assert looks_dark(base) == (theme is Theme.DARK)
    for shown in ("escalated", "running", "Escalated L1 → L2", "Warning"):
        assert contrast(colours[shown], base) >= TEXT_CONTRAST, shown
    for problem in ("escalated", "Escalated L1 → L2"):
        assert colours[problem].red() > colours[problem].green() + 20, problem
    assert colours["running"].green() > colours["running"].red() + 20
