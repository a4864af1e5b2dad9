"""`/paidup overdue [mine|all]`, "overdue for me": the overdue list, by owner. "mine" maps the Slack
user to a Salesforce user by email (``PeopleService``, with Slack's users.info as the lookup)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.intents import OverdueIntent
from bot.services.people import ChatProfile, ProfileLookup, UserMapping
from handlers.common.desks import OverdueDesk
from handlers.common.overdue_text import UNMAPPED, overdue_text
from handlers.common.questions import Question
from handlers.slack.blocks.overdue import overdue_blocks
from handlers.slack.replies import Reply


def slack_profile_lookup(client: Callable[[], WebClient]) -> ProfileLookup:
    """``users.info`` through the Bolt app's client: the person's email and name (None if Slack says no)."""
    def lookup(user_id: str) -> ChatProfile | None:
        try:
            user: dict[str, Any] = client().users_info(user=user_id).get("user") or {}
        except SlackApiError:
            return None
        profile = user.get("profile") or {}
        return ChatProfile(profile.get("email"), user.get("real_name") or profile.get("real_name"))

    return lookup


def unmapped_reply(mapping: UserMapping) -> Reply:
    text = UNMAPPED.get(mapping.outcome, UNMAPPED["no_match"]).format(email=mapping.email or "")
    text += " Try `overdue all` for everyone's."
    return Reply(text, [{"type": "section", "block_id": "overdue_unmapped", "text": {"type": "mrkdwn", "text": text}}])


def answer_overdue(service: object, question: Question) -> Reply:
    assert isinstance(service, OverdueDesk)
    intent = question.intent
    assert isinstance(intent, OverdueIntent)
    now = service.overdue.clock()
    if intent.scope == "all":
        report = service.overdue.for_everyone()
        return Reply(overdue_text(report), overdue_blocks(report, now))
    mapping = service.people.salesforce_user(question.user_id, service.lookup)
    if mapping.sf_user is None:
        return unmapped_reply(mapping)
    report = service.overdue.for_owner(mapping.sf_user.id)
    who = mapping.sf_user.name
    return Reply(overdue_text(report, who), overdue_blocks(report, now, who))
