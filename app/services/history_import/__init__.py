"""History import: another service desk's ticket histories (CSV, gzip CSV or XLSX event logs)
rebuilt as TierDesk tickets and events through a mapping file. See ``importer``."""

from app.services.history_import.importer import (
    HistoryImporter,
    ImportCancelled,
    ImportProgress,
    ImportReport,
)
from app.services.history_import.mapping import Mapping, load_mapping, parse_mapping
from app.services.history_import.rows import BadRow

__all__ = [
    "BadRow",
    "HistoryImporter",
    "ImportCancelled",
    "ImportProgress",
    "ImportReport",
    "Mapping",
    "load_mapping",
    "parse_mapping",
]
