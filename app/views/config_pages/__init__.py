"""The pages of the supervisors' configuration dialog (``app.views.configuration_dialog``)."""

from app.views.config_pages.base import ConfigPage
from app.views.config_pages.calendars_page import CalendarsPage
from app.views.config_pages.categories_page import CategoriesPage
from app.views.config_pages.policy_page import PolicyPage
from app.views.config_pages.tiers_page import TiersPage

__all__ = ["CalendarsPage", "CategoriesPage", "ConfigPage", "PolicyPage", "TiersPage"]
