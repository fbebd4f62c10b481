"""The distribution reports by tier, computed in the database (see ``service``)."""

from app.services.reports.insights import ReportThresholds
from app.services.reports.json_form import report_as_json
from app.services.reports.service import REPORT_KEYS, ReportService
from app.services.reports.text_form import report_as_text

__all__ = ["REPORT_KEYS", "ReportService", "ReportThresholds", "report_as_json", "report_as_text"]
