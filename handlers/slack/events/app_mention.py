"""`@Paidup <question>` in a channel: answered only to the asker (slack.answers: ephemeral) or in
the thread for everyone (in_channel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from handlers.common.questions import Question
from handlers.slack.conversation import answer_question
from handlers.slack.services import SlackServices


def app_mention(services: SlackServices) -> Callable[..., None]:
    def on_app_mention(event: dict[str, Any], client: WebClient) -> None:
        if event.get("bot_id") or not event.get("user"):
            return
        channel, user = event["channel"], event["user"]
        reply = answer_question(services, Question.parse(user, channel, event.get("text", "")))
        if reply.visibility == "ephemeral":
            client.chat_postEphemeral(channel=channel, user=user, text=reply.text, blocks=reply.blocks,
                                      thread_ts=event.get("thread_ts"))
        else:
            client.chat_postMessage(channel=channel, text=reply.text, blocks=reply.blocks,
                                    thread_ts=event.get("thread_ts") or event.get("ts"))

    return on_app_mention
