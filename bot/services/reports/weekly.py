"""The weekly report: ``reports.scope`` for ``reports.period`` on ``reports.cron`` (in the reports'
zone) to its channel — ``reports.channel`` in Slack, ``teams.reports_conversation`` for a bot set up
for Teams only — posted once a week however many processes run it.

Once: the run holds the ``reports-weekly`` database lease (a second process finds it busy and
skips), and claims the week in the alert log (kind ``report.weekly``, subject the channel,
period the ISO week of today in the reports' zone, e.g. ``2026-W48``) before posting, through
the alerts' ``AlertLog`` — a week already posted is not posted again; a failed post is retried
by the next run. The chat adapter implements ``ReportPoster`` (Slack: the message, then the
charts in its thread; Teams: the card, then each chart as a message of its own).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, Protocol

from bot.services.alerts.alert_log import AlertLog
from bot.services.alerts.port import MessageRef
from bot.services.reports.charts import Chart, report_charts
from bot.services.reports.service import Report, ReportService
from bot.store.session import LeaseBusy

log = logging.getLogger(__name__)
KIND = "report.weekly"
LEASE = "reports-weekly"
LEASE_TTL = timedelta(minutes=10)


class ReportPoster(Protocol):
    """Implemented by a chat adapter; raises when the report could not be posted."""

    def post_report(self, channel: str, report: Report, charts: list[Chart]) -> MessageRef: ...


@dataclass(frozen=True)
class WeeklyOutcome:
    status: Literal["posted", "already_posted", "busy", "not_configured"]
    week: str | None = None
    ref: MessageRef | None = None


class WeeklyReport:
    """``channel``: where it goes (a Slack channel or a Teams conversation); ``setting``: the app.yml
    key that names it, for what a person is told when it is not set."""

    def __init__(self, reports: ReportService, poster: Callable[[], ReportPoster], channel: str | None,
                 setting: str = "reports.channel") -> None:
        self.reports = reports
        self.poster = poster  # built on first use: a deployment without the chat's credentials never needs it
        self.channel = channel
        self.setting = setting
        self.log = AlertLog(reports.db, reports.clock)

    def run(self) -> WeeklyOutcome:
        settings = self.reports.config.reports
        channel = self.channel
        if channel is None:
            return WeeklyOutcome("not_configured")
        year, week, _ = self.reports.today().isocalendar()
        period = f"{year}-W{week:02d}"
        try:
            with self.reports.db.lease(LEASE, LEASE_TTL):
                claim = self.log.claim(KIND, channel, period)
                if claim is None:
                    return WeeklyOutcome("already_posted", period)
                report = self.reports.build(settings.scope, settings.period)
                charts = report_charts(report)
                ref = self.log.deliver(claim, lambda: self.poster().post_report(channel, report, charts))
        except LeaseBusy:
            return WeeklyOutcome("busy", period)
        log.info("reports.weekly.posted", extra={"week": period, "channel": channel})
        return WeeklyOutcome("posted", period, ref)
