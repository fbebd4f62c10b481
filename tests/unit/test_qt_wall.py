"""The wall: ``app.models`` and ``app.services`` never import Qt, so business rules run (and are
tested) without a display, in the headless worker and on a server."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
QT_PACKAGES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy")


def qt_imports(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, module) of every Qt import anywhere in the module, including inside functions."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0] in QT_PACKAGES]
    return found


def core_modules() -> list[Path]:
    files = sorted((APP / "models").rglob("*.py")) + sorted((APP / "services").rglob("*.py"))
    assert len(files) >= 10, f"expected the core modules under {APP}, found {files}"
    return files


@pytest.mark.parametrize("path", core_modules(), ids=lambda path: str(path.relative_to(APP)))
def test_core_module_does_not_import_qt(path):
    assert qt_imports(path.read_text(encoding="utf-8"), str(path)) == []


@pytest.mark.parametrize(
    "source",
    [
        "import PySide6",
        "import PySide6.QtCore as core",
        "from PySide6.QtWidgets import QWidget",
        "from PySide6 import QtGui",
        "import os, shiboken6",
        "def later():\n    from PySide6.QtCore import Signal\n",
        "import importlib\nimportlib.import_module('PySide6.QtCore')",
        "from importlib import import_module\nimport_module('PySide6')",
    ],
)
def test_the_wall_check_catches_every_form_of_qt_import(source):
    assert qt_imports(source) != []


@pytest.mark.parametrize(
    "source",
    ["import sqlalchemy", "from . import PySide6", "from app.views import formatting", "x = 1"],
)
def test_the_wall_check_ignores_other_imports(source):
    assert qt_imports(source) == []
