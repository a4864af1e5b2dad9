"""A person's direct message to the bot (message.im): answered in the DM."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Say

from handlers.common.questions import Question
from handlers.slack.conversation import answer_question
from handlers.slack.services import SlackServices


def is_person_in_dm(event: dict[str, Any]) -> bool:
    """A new message a person typed in a DM: no subtype (edits, joins), no bot author (ourselves included)."""
    return (event.get("channel_type") == "im" and "subtype" not in event and not event.get("bot_id")
            and bool(event.get("user")))


def direct_message(services: SlackServices) -> Callable[..., None]:
    def on_direct_message(event: dict[str, Any], say: Say) -> None:
        question = Question.parse(event["user"], event["channel"], event.get("text", ""))
        reply = answer_question(services, question)
        say(text=reply.text, blocks=reply.blocks, thread_ts=event.get("thread_ts"))

    return on_direct_message
