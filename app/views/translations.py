"""TierDesk in the desktop's language: Qt's own texts (standard buttons, file dialogs, context
menus) and TierDesk's, from compiled ``.qm`` files.

Call ``install_translators(app)`` once the ``QApplication`` exists and before any window is
built: texts are translated when a widget is made, so a window built earlier stays English. The
language is ``$TIERDESK_LANGUAGE`` when set (``de``, ``fr_CH``), else the system's. English,
the language the code is written in, needs no file; a language without a file is English too,
without an error. ``tools/update_translations.py`` makes the files.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.views.resources import resource_path

#: The environment variable that overrides the system's language, e.g. ``de``.
LANGUAGE_VARIABLE = "TIERDESK_LANGUAGE"
#: The translation files: Qt's own (next to Qt), then TierDesk's (under ``resources/``).
QT_CATALOGUE = "qtbase"
TIERDESK_CATALOGUE = "tierdesk"


def chosen_locale(locale: QLocale | str | None = None) -> QLocale:
    """The language to show: ``locale`` if given, else ``$TIERDESK_LANGUAGE``, else the
    system's."""
    if isinstance(locale, QLocale):
        return locale
    name = locale or os.environ.get(LANGUAGE_VARIABLE, "").strip()
    return QLocale(name) if name else QLocale.system()


def translations_folder() -> str:
    """Where TierDesk's ``.qm`` files are, in a source checkout and in the bundle."""
    return str(resource_path("resources", "translations"))


def install_translators(
    app: QCoreApplication, locale: QLocale | str | None = None
) -> list[QTranslator]:
    """Install Qt's and TierDesk's translations for the chosen language (see
    ``chosen_locale``) on ``app``; returns the translators installed, none for English or a
    language without files. They belong to ``app``; ``app.removeTranslator`` takes one off."""
    chosen = chosen_locale(locale)
    if chosen.language() in (QLocale.Language.English, QLocale.Language.C):
        return []
    installed: list[QTranslator] = []
    for catalogue, folder in (
        (QT_CATALOGUE, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        (TIERDESK_CATALOGUE, translations_folder()),
    ):
        translator = QTranslator(app)
        # Tries catalogue_de_CH.qm, catalogue_de.qm, ... for each of the locale's UI languages.
        if translator.load(chosen, catalogue, "_", folder) and app.installTranslator(translator):
            installed.append(translator)
        else:
            translator.deleteLater()
    return installed
