"""`/paidup overdue [mine|all]`, "overdue for me": the overdue list, by owner. "mine" maps the Slack
user to a Salesforce user by email (``PeopleService``, with Slack's users.info as the lookup)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.intents import OverdueIntent
from bot.services.overdue import OverdueService
from bot.services.people import ChatProfile, PeopleService, ProfileLookup, UserMapping
from handlers.slack.blocks.overdue import overdue_blocks, overdue_text
from handlers.slack.questions import Question
from handlers.slack.replies import Reply

UNMAPPED = {
    "no_email": "Slack doesn't share your email address with Paidup (the app needs the users:read.email scope), "
                "so I can't tell which Salesforce user you are.",
    "no_match": "No Salesforce user has your Slack email address ({email}), so I can't tell which invoices are "
                "yours.",
    "several": "Several active Salesforce users share your email address ({email}); ask an admin to fix that.",
    "inactive": "The Salesforce user with your email address ({email}) is inactive.",
}


@dataclass(frozen=True)
class OverdueDesk:
    """What the overdue answer needs: the overdue list, who the asker is in Salesforce, and how to
    ask Slack for a user's profile. Built by the composition root (``Paidup.overdue_desk``)."""

    overdue: OverdueService
    people: PeopleService
    lookup: ProfileLookup


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
