"""Refresh TierDesk's translations: ``python tools/update_translations.py``.

1. ``lupdate`` reads every ``self.tr(...)``, ``QCoreApplication.translate(...)`` and
   ``QT_TRANSLATE_NOOP(...)`` in ``app/views`` and merges the texts into
   ``resources/translations/tierdesk_<lang>.ts`` (one file per language of ``LANGUAGES``): new
   texts arrive unfinished, texts no longer in the code are dropped.
2. Translate the unfinished texts (Qt Linguist, ``pyside6-linguist FILE.ts``, or any editor):
   keep every placeholder (``{key}``, ``{count:,}``, ``%n``) as it is.
3. ``lrelease`` compiles each ``.ts`` into the ``.qm`` the app loads (``--release-only`` does only
   this step). Commit both; ``tests/unit/test_translations.py`` fails on an unfinished text or a
   ``.qm`` older than its ``.ts``.

Locations (file and line of each text) are left out of the ``.ts`` files so that moving code
does not rewrite them, and so are the notes lupdate takes from ``#:`` comments: in TierDesk those
document the code, they are not notes to translators. A new language: add its code to
``LANGUAGES`` and run this script.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "app" / "views"
TRANSLATIONS = ROOT / "resources" / "translations"
#: The languages TierDesk ships besides English, the language of the source texts.
LANGUAGES = ("de", "fr")
#: lupdate turns a ``#:`` comment before a ``tr()`` call into a note for translators.
EXTRA_COMMENT = re.compile(r"\n[ \t]*<extracomment>.*?</extracomment>", re.DOTALL)


def qt_tool(name: str) -> list[str]:
    """The command of a Qt translation tool (``lupdate``, ``lrelease``): PySide6's wrapper on
    PATH, else the binary inside the PySide6 package."""
    wrapper = shutil.which(f"pyside6-{name}")
    if wrapper:
        return [wrapper]
    import PySide6

    binary = Path(PySide6.__file__).parent / name
    if binary.exists():
        return [str(binary)]
    raise SystemExit(f"{name} not found: install PySide6 (it ships pyside6-{name})")


def ts_file(language: str) -> Path:
    return TRANSLATIONS / f"tierdesk_{language}.ts"


def qm_file(language: str) -> Path:
    return TRANSLATIONS / f"tierdesk_{language}.qm"


def source_files() -> list[Path]:
    """Every Python file of the views, in a stable order."""
    return sorted(SOURCES.rglob("*.py"))


def update(language: str) -> None:
    """Merge the texts of the sources into the language's ``.ts`` (created if missing)."""
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    command = [
        *qt_tool("lupdate"),
        *(str(path.relative_to(ROOT)) for path in source_files()),
        "-no-obsolete",
        "-locations",
        "none",
        "-source-language",
        "en",
        "-target-language",
        language,
        "-ts",
        str(ts_file(language).relative_to(ROOT)),
    ]
    subprocess.run(command, cwd=ROOT, check=True)
    ts = ts_file(language)
    ts.write_text(EXTRA_COMMENT.sub("", ts.read_text(encoding="utf-8")), encoding="utf-8")


def release(ts: Path, qm: Path) -> None:
    """Compile ``ts`` into ``qm`` (unfinished texts are left out: English shows for them)."""
    subprocess.run([*qt_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--release-only", action="store_true", help="only compile the .ts files into .qm"
    )
    parser.add_argument("languages", nargs="*", default=list(LANGUAGES), help="e.g. de fr")
    args = parser.parse_args(argv)
    for language in args.languages:
        if not args.release_only:
            update(language)
        release(ts_file(language), qm_file(language))
        print(f"{language}: {qm_file(language).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
