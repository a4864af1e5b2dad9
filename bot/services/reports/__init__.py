"""Reports: receivables and revenue figures per currency and per owner (``service``), summed in
SQL over the mirror (``figures``), for periods in the configured zone (``periods``), drawn as PNG
charts (``charts``) and posted weekly through a chat-agnostic port (``weekly``)."""

from bot.services.reports.periods import Period, PeriodError, resolve_period
from bot.services.reports.service import Report, ReportService

__all__ = ["Period", "PeriodError", "Report", "ReportService", "resolve_period"]
