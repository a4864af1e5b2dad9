"""Events API listeners: DMs, mentions and the App Home tab."""

from __future__ import annotations

from slack_bolt import App

from handlers.slack.events.app_home_opened import app_home_opened
from handlers.slack.events.app_mention import app_mention
from handlers.slack.events.direct_message import direct_message, is_person_in_dm
from handlers.slack.services import SlackServices


def register(app: App, services: SlackServices) -> None:
    app.event("message", matchers=[is_person_in_dm])(direct_message(services))
    app.event("message")(ignore_other_messages)  # edits, joins, bot posts: acknowledged, never answered
    app.event("app_mention")(app_mention(services))
    app.event("app_home_opened")(app_home_opened(services))


def ignore_other_messages() -> None:
    return None
