"""Reading a JSON file a person hands over (a configuration, a draft rule set or policy, an
import mapping), with one set of messages that name the file and what is wrong with it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.services.errors import InvalidInput


def read_json_file(path: str | Path, field: str) -> Any:
    """The JSON value in ``path`` (UTF-8, a byte-order mark allowed). ``InvalidInput`` for
    ``field`` when the file cannot be read, is not UTF-8 text or not JSON (with the line and
    column), or holds JSON Python cannot (nested too deeply, a number too long)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
        return json.loads(text)
    except OSError as error:
        raise InvalidInput(field, f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput(field, f"{path} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            field, f"{path} is not JSON: line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except (ValueError, RecursionError):  # JSON Python cannot hold: too deep, too many digits
        raise InvalidInput(
            field, f"{path}: nested too deeply or a number too long to read"
        ) from None
