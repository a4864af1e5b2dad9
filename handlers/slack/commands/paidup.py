"""`/paidup <text>`: ack within 3 s; help goes in the ack body, other answers through response_url
after the service has answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond

from handlers.slack.conversation import help_reply
from handlers.slack.dispatch import answerable, decide, not_available
from handlers.slack.questions import Question
from handlers.slack.services import SlackServices


def paidup_command(services: SlackServices) -> Callable[..., None]:
    def on_paidup(ack: Ack, respond: Respond, command: dict[str, Any]) -> None:
        question = Question.parse(command.get("user_id", ""), command.get("channel_id", ""), command.get("text", ""))
        decision = decide(question, services.routes)
        if decision.route is None:
            ack(**help_reply(services, decision.notice).as_response())
            return
        found = answerable(decision, services.find)
        if found is None:
            ack(**help_reply(services, not_available(decision.route)).as_response())
            return
        ack()  # the service may take longer than Slack's 3 s; the answer follows through response_url
        answer, service = found
        respond(**answer(service, question).as_response())

    return on_paidup
