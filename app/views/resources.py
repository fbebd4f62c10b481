"""Files under ``resources/`` (icons, themes, translations), found the same way in a source
checkout and in the desktop bundle that ``installer.spec`` builds."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon

#: The application icon, relative to the resources' root.
APPLICATION_ICON = ("resources", "icons", "tierdesk.svg")


def resource_root() -> Path:
    """The folder that holds ``resources/``: the bundle's own folder when frozen by
    PyInstaller (``sys._MEIPASS``), else the repository root."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def resource_path(*parts: str) -> Path:
    """A file or folder under the resources' root, e.g.
    ``resource_path("resources", "icons", "tierdesk.svg")``; it is not checked to exist."""
    return resource_root().joinpath(*parts)


def application_icon() -> QIcon:
    """TierDesk's icon for every window; a null icon if the file or Qt's SVG support is
    missing (the smoke check reports that)."""
    return QIcon(str(resource_path(*APPLICATION_ICON)))


def resource_icon(name: str) -> QIcon:
    """One of TierDesk's own icons in ``resources/icons``, e.g. ``"escalate.svg"``."""
    return QIcon(str(resource_path("resources", "icons", name)))
