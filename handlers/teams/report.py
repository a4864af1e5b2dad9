"""“report [me|team|all] [this month|last month|quarter|YYYY-MM]”, "report for last month": the
report card, then its charts as inline images (``cards/report.py``), from the same ``ReportService``
as Slack's `/paidup report`.

Who may see what is Slack's rule with Teams' people: "me" is the asker's own Salesforce user (their
Teams email, as for "overdue mine"); "team" and "all" are for ``teams.approvers`` and
``teams.report_managers`` in app.yml (Entra object ids, or emails matched against the email Teams
gives for the asker), besides whoever the report service already lets see them. (``reports.managers``
holds Slack user ids, so it names nobody in Teams.)

Teams has no messages only the asker sees: the answer goes to the conversation it was asked in
(an @mention in a channel is answered in that channel, as every other Teams answer is).

``TeamsReportPoster`` posts the weekly report of a bot set up for Teams only to
``teams.reports_conversation``: the same card, then each chart as a message of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.intents import ReportIntent
from bot.services.alerts.port import MessageRef
from bot.services.people import PeopleService, UserMapping
from bot.services.reports import PeriodError, Report, ReportService
from bot.services.reports.charts import Chart, report_charts
from handlers.common.overdue_text import UNMAPPED
from handlers.common.questions import Question
from handlers.teams.cards.common import CardReply
from handlers.teams.cards.report import report_reply
from handlers.teams.proactive import ProactiveSender
from handlers.teams.turn import Turn

log = logging.getLogger(__name__)
SERVICE = "reports"  # the Paidup property: the report service (its approver check is re-composed here)
USAGE = "“report [me|team|all] [this month|last month|quarter|YYYY-MM]”, e.g. “report team 2026-10”"
REFUSED = ("Team and company reports are for the approvers and report managers named in app.yml "
           "(teams.approvers, teams.report_managers). "
           "Your own figures are one message away: “report me”.")


def unmapped_text(mapping: UserMapping) -> str:
    """Why the asker has no Salesforce user, in Teams' words (the Slack sentences name Slack)."""
    text = UNMAPPED.get(mapping.outcome, UNMAPPED["no_match"]).format(email=mapping.email or "")
    return text.replace("Slack", "Teams").replace(" (the app needs the users:read.email scope)", "")


def sees_everyone(turn: Turn, mapping: UserMapping) -> bool:
    """In ``teams.approvers`` or ``teams.report_managers`` by Entra object id, or by the email Teams gave
    for the asker."""
    listed = turn.services.approvers | turn.services.report_managers
    return turn.user_key.lower() in listed or bool(mapping.email and mapping.email.lower() in listed)


def answer_report(turn: Turn, service: object, question: Question) -> CardReply:
    assert isinstance(service, ReportService) and isinstance(question.intent, ReportIntent)
    intent = question.intent
    if intent.problem:
        return CardReply(f"{intent.problem[0].upper()}{intent.problem[1:]}. Ask like this: {USAGE}")
    people = turn.services.find("people")
    if not isinstance(people, PeopleService):
        return CardReply("I can't answer that right now: the people directory is not available.")
    mapping = people.salesforce_user(turn.user_key, turn.profile_lookup(), platform="teams")
    reports = ReportService(service.db, service.config, service.clock,
                            is_approver=lambda _: sees_everyone(turn, mapping))
    if reports.access(turn.user_key, intent.scope) == "refused":
        return CardReply(REFUSED)
    sf_user_id, subject = None, None
    if intent.scope == "me":
        if mapping.sf_user is None:
            return CardReply(unmapped_text(mapping))
        sf_user_id, subject = mapping.sf_user.id, mapping.sf_user.name
    try:
        report = reports.build(intent.scope, intent.period, sf_user_id, subject)
    except PeriodError as error:
        return CardReply(f"{error}. Ask like this: {USAGE}")
    return report_reply(report, reports.clock(), report_charts(report))


@dataclass(frozen=True)
class TeamsReportPoster:
    """The weekly report in a Teams conversation (``ReportPoster``). Once the card is posted the week
    counts as posted: a chart Teams refuses is logged and left out, so the next run does not post
    the card a second time."""

    sender: ProactiveSender
    clock: Callable[[], datetime]

    def post_report(self, channel: str, report: Report, charts: list[Chart]) -> MessageRef:
        reply = report_reply(report, self.clock(), charts)
        posted = self.sender.to_conversation(channel, reply)
        for picture in reply.then:
            try:
                self.sender.to_conversation(channel, picture)
            except Exception:  # the figures are posted: a chart is not worth a second card
                log.warning("reports.weekly.chart_not_posted", exc_info=True, extra={"conversation": channel})
        return MessageRef(posted.conversation, posted.activity_id)
