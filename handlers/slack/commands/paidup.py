"""`/paidup <text>`: ack within 3 s; help goes in the ack body, other answers through response_url
after the service has answered. If the response_url post fails (unreachable, expired, refused),
the answer goes as chat.postEphemeral (or chat.postMessage for in_channel answers) instead."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from handlers.common.dispatch import decide, not_available
from handlers.common.questions import Question
from handlers.slack.conversation import help_reply
from handlers.slack.dispatch import answerable
from handlers.slack.replies import Reply
from handlers.slack.services import SlackServices

log = logging.getLogger(__name__)


def paidup_command(services: SlackServices) -> Callable[..., None]:
    def on_paidup(ack: Ack, respond: Respond, command: dict[str, Any], client: WebClient) -> None:
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
        deliver(answer(service, question), respond, client, command)

    return on_paidup


def deliver(reply: Reply, respond: Respond, client: WebClient, command: dict[str, Any]) -> None:
    """Through response_url; through the Web API when that post fails."""
    try:
        status = respond(**reply.as_response()).status_code if command.get("response_url") else 0
    except Exception as exc:  # noqa: BLE001 - connection errors of any kind: fall back below
        log.warning("slack.response_url_failed", extra={"error": type(exc).__name__})
        status = 0
    if status == 200:
        return
    channel, user = command.get("channel_id", ""), command.get("user_id", "")
    if reply.visibility == "ephemeral":
        client.chat_postEphemeral(channel=channel, user=user, text=reply.text, blocks=reply.blocks)
    else:
        client.chat_postMessage(channel=channel, text=reply.text, blocks=reply.blocks)
