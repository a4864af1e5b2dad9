"""`/paidup report [me|team|all] [period]`, "report for last month": the report card, then its charts
uploaded with ``files_upload_v2`` (files.getUploadURLExternal → the upload URL →
files.completeUploadExternal).

Where the charts go: a report answered in the channel (``slack.answers: in_channel``) or asked in
a DM gets them in that conversation; an ephemeral report asked in a channel gets them in the
asker's DM with Paidup, so figures only the asker sees don't reach everyone as images. If the
conversation refuses (the bot is not in it), the DM is used instead.

``SlackReportPoster`` is the Slack side of the weekly report's port: the card in the channel, the
charts in its thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.intents import ReportIntent
from bot.services.alerts.port import MessageRef
from bot.services.people import PeopleService, ProfileLookup
from bot.services.reports import PeriodError, Report, ReportService
from bot.services.reports.charts import Chart, report_charts
from handlers.common.overdue_text import UNMAPPED
from handlers.common.questions import Question
from handlers.common.report_text import report_text
from handlers.slack.blocks.report import refused_text, report_blocks
from handlers.slack.replies import Reply, Visibility

log = logging.getLogger(__name__)
USAGE = "`{command} report [me|team|all] [this month|last month|quarter|YYYY-MM]`, e.g. `{command} report team 2026-10`"


@dataclass(frozen=True)
class ReportDesk:
    """What the report answer needs; built by the composition root (``Paidup.report_desk``)."""

    reports: ReportService
    people: PeopleService
    lookup: ProfileLookup
    client: Callable[[], WebClient]
    command: str = "/paidup"
    answers: Visibility = "ephemeral"


def _plain(block_id: str, text: str, visibility: Visibility) -> Reply:
    return Reply(text, [{"type": "section", "block_id": block_id, "text": {"type": "mrkdwn", "text": text}}],
                 visibility)


def answer_report(service: object, question: Question) -> Reply:
    assert isinstance(service, ReportDesk)
    intent = question.intent
    assert isinstance(intent, ReportIntent)
    usage = USAGE.format(command=service.command)
    if intent.problem:
        return _plain("report_usage", f"{intent.problem[0].upper()}{intent.problem[1:]}. Ask like this: {usage}",
                      "ephemeral")
    if service.reports.access(question.user_id, intent.scope) == "refused":
        return _plain("report_refused", refused_text(service.command), "ephemeral")
    sf_user_id, subject = None, None
    if intent.scope == "me":
        mapping = service.people.salesforce_user(question.user_id, service.lookup)
        if mapping.sf_user is None:
            text = UNMAPPED.get(mapping.outcome, UNMAPPED["no_match"]).format(email=mapping.email or "")
            return _plain("report_unmapped", text, "ephemeral")
        sf_user_id, subject = mapping.sf_user.id, mapping.sf_user.name
    try:
        report = service.reports.build(intent.scope, intent.period, sf_user_id, subject)
    except PeriodError as error:
        return _plain("report_period", f"{error}. Ask like this: {usage}", "ephemeral")
    charts = report_charts(report)
    note = upload_charts(service, question, charts) if charts else None
    return Reply(report_text(report), report_blocks(report, service.reports.clock(), note), service.answers)


def upload_charts(desk: ReportDesk, question: Question, charts: list[Chart]) -> str:
    """Upload the charts where they belong (see the module doc); what to tell the asker about them."""
    client = desk.client()
    in_conversation = desk.answers == "in_channel" or question.channel_id.startswith("D")
    if in_conversation:
        try:
            _upload(client, question.channel_id, charts)
            return "Charts: posted in this conversation."
        except SlackApiError as error:
            log.info("report.charts.conversation_refused", extra={"error": error.response.get("error")})
    try:
        dm = client.conversations_open(users=question.user_id)["channel"]["id"]
        _upload(client, dm, charts)
    except SlackApiError as error:
        log.warning("report.charts.upload_failed", extra={"error": error.response.get("error")})
        return f"The charts could not be uploaded (Slack said `{error.response.get('error')}`)."
    return "Charts: sent to you in a DM with Paidup."


def _upload(client: WebClient, channel: str, charts: list[Chart], thread_ts: str | None = None) -> Any:
    uploads = [{"content": c.png, "filename": c.filename, "title": c.title, "alt_txt": c.alt_text[:1000]}
               for c in charts]
    return client.files_upload_v2(file_uploads=uploads, channel=channel, thread_ts=thread_ts)


@dataclass(frozen=True)
class SlackReportPoster:
    """The weekly report in a channel: the card, then the charts in its thread (``ReportPoster``)."""

    client: WebClient
    clock: Callable[[], datetime]

    def post_report(self, channel: str, report: Report, charts: list[Chart]) -> MessageRef:
        note = "Charts in the thread." if charts else None
        posted = self.client.chat_postMessage(channel=channel, text=report_text(report),
                                              blocks=report_blocks(report, self.clock(), note))
        ts = str(posted["ts"])
        if charts:
            _upload(self.client, str(posted["channel"]), charts, thread_ts=ts)
        return MessageRef(str(posted["channel"]), ts)
