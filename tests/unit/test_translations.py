"""The committed translations: every text translated, placeholders kept, and each ``.qm`` what
``lrelease`` makes of its ``.ts`` now (``tools/update_translations.py`` refreshes them)."""

from __future__ import annotations

import re
import string
import subprocess
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.update_translations import LANGUAGES, TRANSLATIONS, qm_file, qt_tool, ts_file

#: Qt's placeholders: %n (a count) and %1 … %99 (QString::arg).
QT_PLACEHOLDER = re.compile(r"%(?:n|L?\d{1,2})")


@dataclass(frozen=True)
class Message:
    """One text of a ``.ts`` file and its translation (the forms, for a count)."""

    context: str
    source: str
    forms: tuple[str, ...]
    unfinished: bool
    numerus: bool


def messages(ts: Path) -> list[Message]:
    found = []
    for context in ElementTree.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            numerus = message.get("numerus") == "yes"
            if numerus:
                forms = tuple(form.text or "" for form in translation.iter("numerusform"))
            else:
                forms = (translation.text or "",)
            found.append(
                Message(
                    name,
                    message.findtext("source", ""),
                    forms,
                    translation.get("type") in {"unfinished", "vanished", "obsolete"},
                    numerus,
                )
            )
    return found


def format_fields(text: str) -> list[tuple[str, str | None]]:
    """The ``str.format`` fields of ``text``: (name, conversion), sorted, ``{{`` excluded."""
    return sorted(
        (name, conversion)
        for _literal, name, _spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


def qt_placeholders(text: str) -> list[str]:
    return sorted(QT_PLACEHOLDER.findall(text))


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_language_has_its_ts_and_qm(language):
    assert ts_file(language).is_file()
    assert qm_file(language).is_file()
    assert {path.name for path in TRANSLATIONS.glob("*.ts")} == {
        ts_file(code).name for code in LANGUAGES
    }


def test_every_text_is_translated(language):
    found = messages(ts_file(language))
    assert len(found) > 200  # the views' texts, not an empty file
    untranslated = [
        f"{m.context}: {m.source!r}"
        for m in found
        if m.unfinished or not all(form.strip() for form in m.forms)
    ]
    assert untranslated == [], "run tools/update_translations.py and translate these"


def test_counts_have_every_plural_form(language):
    counted = [m for m in messages(ts_file(language)) if m.numerus]
    assert counted, "the views count things with %n"
    for message in counted:
        assert len(message.forms) == 2, message.source  # German and French: one, many
        assert all("%n" in form for form in message.forms), message.source


def test_translations_keep_the_placeholders(language):
    for message in messages(ts_file(language)):
        for form in message.forms:
            assert format_fields(form) == format_fields(message.source), (
                f"{message.context}: {message.source!r} -> {form!r}"
            )
            assert qt_placeholders(form) == qt_placeholders(message.source), (
                f"{message.context}: {message.source!r} -> {form!r}"
            )


def test_translations_keep_leading_and_trailing_spaces(language):
    """Texts like " (now)" or "{shown} of " are glued to others."""
    for message in messages(ts_file(language)):
        for form in message.forms:
            assert form[:1].isspace() == message.source[:1].isspace(), message.source
            assert form[-1:].isspace() == message.source[-1:].isspace(), message.source


def test_the_committed_qm_is_what_lrelease_makes_of_the_ts(language, tmp_path):
    fresh = tmp_path / qm_file(language).name
    subprocess.run(
        [*qt_tool("lrelease"), "-silent", str(ts_file(language)), "-qm", str(fresh)], check=True
    )
    assert fresh.read_bytes() == qm_file(language).read_bytes(), (
        "the .qm is older than its .ts: run tools/update_translations.py --release-only"
    )
