"""The desktop app's entry point, called by ``main.py`` when no command is given."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.views.operations import OperationRunner
from app.views.resources import application_icon
from app.views.startup import DesktopStartup
from app.views.theme import apply_theme
from app.views.translations import install_translators


def offer_connection_change(message: str) -> bool:
    """Show why start-up failed; True if the person chose "Change connection…"."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("application", "TierDesk cannot start"),
        QCoreApplication.translate("application", "TierDesk could not start.\n\n{message}").format(
            message=message
        ),
    )
    change = box.addButton(
        QCoreApplication.translate("application", "Change connection…"),
        QMessageBox.ButtonRole.ActionRole,
    )
    box.addButton(
        QCoreApplication.translate("application", "Quit"), QMessageBox.ButtonRole.RejectRole
    )
    box.exec()
    return box.clickedButton() is change


def run_desktop(database_url: str) -> int:
    """Start the desktop app on this database; returns the process exit code.

    A database that cannot be used (unreachable server, schema too new, bad URL, no TierDesk
    user for the server login) is reported in a message box that offers the connection
    dialog; quitting there gives exit code 1, without a traceback.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    install_translators(app)
    app.setOrganizationName("TierDesk")
    app.setApplicationName("TierDesk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(application_icon())
    apply_theme(app)
    # Start-up dialogs come and go before the main window exists; closing them must not quit.
    app.setQuitOnLastWindowClosed(False)
    runner = OperationRunner()
    startup = DesktopStartup(database_url, runner, QSettings())

    def failed(message: str) -> None:
        if offer_connection_change(message):
            startup.change_connection()
        else:
            app.exit(1)

    startup.failed.connect(failed)
    startup.cancelled.connect(lambda: app.exit(0))
    startup.finished.connect(lambda _window: app.setQuitOnLastWindowClosed(True))
    QTimer.singleShot(0, startup.start)
    try:
        return int(app.exec())
    finally:
        app.setQuitOnLastWindowClosed(True)
        runner.wait_for_done()
        startup.close_database()
