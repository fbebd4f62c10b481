"""Writing a file people keep (a backup, a workbook, a configuration export) so that it is never
seen half-written: the content goes to a new hidden file in the target's folder, which is then
renamed over the target. The rename stays on one file system, so it is atomic: the target is
the old file or the whole new one, never a part."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from app.services.errors import InvalidInput


def new_file_beside(target: Path, field: str, *, private: bool = False) -> Path:
    """A new, empty, hidden file in ``target``'s folder. ``private``: readable by its owner
    only (a copy of the desk's database); otherwise created as any file the person saves (the
    umask applies). ``InvalidInput`` for ``field`` when the folder cannot be written."""
    part = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:  # the umask applies to the mode, as to any file the person saves
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666))
    except OSError as error:
        raise InvalidInput(field, f"cannot write {target}: {error.strerror}") from None
    return part


def move_over(part: Path, target: Path, field: str) -> None:
    """Rename ``part`` over ``target``; ``InvalidInput`` for ``field`` when the system refuses
    (on Windows, typically because another program has the target open)."""
    try:
        os.replace(part, target)
    except OSError as error:
        raise InvalidInput(
            field, f"cannot write {target}: {error.strerror} (is it open in another program?)"
        ) from None
