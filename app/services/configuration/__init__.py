"""The desk's configuration (tier ladder, categories, SLA policy, business calendars) as one
frozen value that supervisors load, edit as a draft, check as a whole and save in one
transaction; and the same configuration as a versioned JSON file. Qt-free."""

from app.services.configuration.checks import StoredFacts, check_configuration
from app.services.configuration.differences import describe_changes
from app.services.configuration.file_format import (
    FORMAT_VERSION,
    configuration_to_data,
    draft_from_data,
)
from app.services.configuration.service import (
    EDITING_ROLES,
    ConfigurationConflict,
    ConfigurationInvalid,
    ConfigurationService,
    SaveResult,
)
from app.services.configuration.snapshot import (
    CalendarConfig,
    CategoryConfig,
    DeskConfiguration,
    PolicyConfig,
    Problem,
    TierConfig,
    load_configuration,
)
from app.services.configuration.transfer import ConfigurationFiles

__all__ = [
    "EDITING_ROLES",
    "FORMAT_VERSION",
    "CalendarConfig",
    "CategoryConfig",
    "ConfigurationConflict",
    "ConfigurationFiles",
    "ConfigurationInvalid",
    "ConfigurationService",
    "DeskConfiguration",
    "PolicyConfig",
    "Problem",
    "SaveResult",
    "StoredFacts",
    "TierConfig",
    "check_configuration",
    "configuration_to_data",
    "describe_changes",
    "draft_from_data",
    "load_configuration",
]
