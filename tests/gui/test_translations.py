"""TierDesk in German: ``install_translators`` with ``TIERDESK_LANGUAGE=de`` before the window
is built, and every translated format string still formats."""

from __future__ import annotations

import string
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QToolBar

from app.views.board_view import RESOLVED
from app.views.translations import LANGUAGE_VARIABLE, install_translators
from tests.unit.test_translations import Message, messages
from tools.update_translations import ts_file


@pytest.fixture
def german(qapp, monkeypatch) -> Iterator[list[QTranslator]]:
    """German installed as the app starts (from the environment), taken off afterwards so that
    other tests see English."""
    monkeypatch.setenv(LANGUAGE_VARIABLE, "de")
    translators = install_translators(qapp)
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)


def test_the_environment_chooses_qts_and_tierdesks_german(german):
    files = sorted(translator.filePath().rsplit("/", 1)[-1] for translator in german)
    assert files == ["qtbase_de.qm", "tierdesk_de.qm"]
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"  # Qt's own


def test_english_installs_nothing(qapp, monkeypatch):
    monkeypatch.setenv(LANGUAGE_VARIABLE, "en")
    assert install_translators(qapp) == []
    assert install_translators(qapp, QLocale(QLocale.Language.English)) == []


def test_a_language_without_files_leaves_tierdesk_english(qapp):
    installed = install_translators(qapp, "tlh")  # Klingon: neither Qt nor TierDesk has it
    try:
        assert not [t for t in installed if "tierdesk" in t.filePath()]
        assert QCoreApplication.translate("MainWindowView", "List") == "List"
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)


def test_the_main_window_speaks_german(german, gui_desk, open_window):
    gui_desk.ticket(title="Drucker offline")
    window = open_window("lena")
    toolbar = window.findChild(QToolBar, "ticketToolBar")
    texts = [action.text() for action in toolbar.actions() if not action.isSeparator()]
    assert texts == [
        "&Neues Ticket",
        "Ü&bernehmen",
        "&Eskalieren",
        "&Zurückgeben",
        "&Lösen",
        "&Kommentieren",
        "A&ktualisieren",
    ]
    assert [window.views.tabText(i) for i in range(window.views.count())] == [
        "Board",
        "Liste",
        "Berichte",
    ]
    menus = [action.menu() for action in window.menuBar().actions() if action.menu()]
    assert [menu.title() for menu in menus] == ["&Desk"]
    desk_actions = [action.text() for action in menus[0].actions() if not action.isSeparator()]
    assert desk_actions == [
        "Desk-&Konfiguration…",
        "Eskalations&regeln…",
        "Verlauf &importieren…",
    ]
    assert window.desk_tools.rules_action.toolTip() == (
        "Regeln, die Tickets zwischen den Warteschlangen der Stufen verschieben"
    )
    assert window.filter_bar.mine_check.text() == "&Meine Tickets"
    assert window.filter_bar.count_label.text() == "1 von 1 Tickets"
    assert window.user_label.text() == "Angemeldet als Lena Lindqvist (Agent · L1)"
    header = window.filter_model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "Schlüssel"
    assert window.board_view.column(RESOLVED).header.text().startswith("Gelöst  ·  ")


def _sample(spec: str) -> object:
    """A value that suits a format spec: an instant for a date format, a number for a
    number's, else a word."""
    if "%" in spec:
        return datetime(2026, 11, 27, 17, 30, tzinfo=UTC)
    if spec and spec[-1] in ",d":
        return 1500
    return "x"


def _formatted(text: str, source: str) -> str:
    values = {
        name: _sample(spec)
        for _literal, name, spec, _conversion in string.Formatter().parse(source)
        if name
    }
    return text.format(**values)


def _shown(message: Message) -> str:
    """The text as the app gets it from the installed translator (two of a count)."""
    if message.numerus:
        return QCoreApplication.translate(message.context, message.source, "", 2)
    return QCoreApplication.translate(message.context, message.source)


def test_every_german_text_is_found_and_formats(german):
    checked = 0
    for message in messages(ts_file("de")):
        shown = _shown(message)
        assert shown == message.forms[-1].replace("%n", "2"), message.source
        if any(name for _l, name, _s, _c in string.Formatter().parse(message.source)):
            _formatted(shown, message.source)  # a lost or renamed placeholder raises here
            checked += 1
    assert checked > 80
